CREATE OR REPLACE FUNCTION augur.view_require_schema(p_schema name, p_view text, p_role name) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
BEGIN
    IF NOT has_schema_privilege(p_role, p_schema, 'CREATE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied for schema %s: creating view ''%s'' there takes CREATE '
            || 'on it, which role %s does not have; create it in a schema of yours (SET search_path), or ask for GRANT CREATE ON SCHEMA %s TO %s',
            p_schema, p_view, p_role, quote_ident(p_schema), quote_ident(p_role));
    END IF;
    IF NOT has_schema_privilege(current_user, p_schema, 'CREATE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied for schema %s: Augur''s catalog owner %s creates the '
            || 'tables of view ''%s'' there and needs CREATE on it; GRANT CREATE ON SCHEMA %s TO %s', p_schema, current_user, p_view,
            quote_ident(p_schema), current_user);
    END IF;
END $$;
