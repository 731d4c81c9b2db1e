-- the role a view is created as: the caller's CURRENT_USER, which its login role must be able to SET ROLE to (the
-- functions below are granted to augur_admin and could be called with any name)
CREATE OR REPLACE FUNCTION augur.view_require_role(p_role name) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
BEGIN
    IF p_role IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_role)
       OR NOT pg_catalog.pg_has_role(session_user, p_role, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied to create a view as role %s: login role %s cannot SET '
            || 'ROLE to it; call AUGUR.CREATE_PREDICTION_VIEW as yourself (or SET ROLE to a role you belong to first)',
            coalesce(p_role::text, 'null'), session_user);
    END IF;
END $$;
