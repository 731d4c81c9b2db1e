-- 42501 unless role p_role (the one a view is created as) holds privilege priv on table rel (what creating the view over
-- it takes), and the catalog's owner too (a superuser always does; another owner needs the grant the message names)
CREATE OR REPLACE FUNCTION augur.view_require_table(rel oid, tbl text, priv text, p_view text, p_role name) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
BEGIN
    IF NOT has_table_privilege(p_role, rel, priv) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied for table %s: creating view ''%s'' over it takes '
            || '%s on it, which role %s does not have; ask its owner to GRANT %s ON %s TO %s', tbl, p_view, priv, p_role, priv,
            rel::regclass, quote_ident(p_role));
    END IF;
    IF NOT has_table_privilege(current_user, rel, priv) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied for table %s: Augur''s catalog owner %s maintains view '
            || '''%s'' and needs %s on it; GRANT %s ON %s TO %s', tbl, current_user, p_view, priv, priv, rel::regclass, current_user);
    END IF;
END $$;
