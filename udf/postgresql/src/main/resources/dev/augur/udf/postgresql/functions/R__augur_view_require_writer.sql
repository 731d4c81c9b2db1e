-- 42501 unless the calling login role may write view v (for p_action: refresh, drop, tune): it can SET ROLE to the role
-- that created it (itself, a role it belongs to), or it is a superuser
CREATE OR REPLACE FUNCTION augur.view_require_writer(v augur.views, p_action text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE creator oid := (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = v.created_by);
BEGIN
    IF creator IS NOT NULL AND pg_catalog.pg_has_role(session_user, creator, 'MEMBER') THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = session_user AND r.rolsuper) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied to %s prediction view ''%s'': only the role that '
        || 'created it (%s), its members and superusers may; ask one of them to do it (or to GRANT %s TO %s), or create a view of your own',
        p_action, v.name, coalesce(v.created_by::text, 'unknown'), coalesce(v.created_by::text, 'it'), session_user);
END $$;
