-- What creating view p_name in schema p_schema for role p_role needs, for prediction and classification views alike: a
-- name no view has, a schema, the role's and the owner's rights there, and no table or view of that name in it
CREATE OR REPLACE FUNCTION augur.view_require_new(p_name text, p_schema name, p_role name) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM augur.views x WHERE x.name = p_name) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = pg_catalog.format('prediction view ''%s'' already exists; drop it first', p_name);
    END IF;
    IF p_schema IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '3F000', MESSAGE = 'no schema to create the view in: set search_path';
    END IF;
    PERFORM augur.view_require_role(p_role);
    PERFORM augur.view_require_schema(p_schema, p_name, p_role);
    IF to_regclass(pg_catalog.format('%I.%I', p_schema, p_name)) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = pg_catalog.format('a table or view named ''%s'' already exists; choose another view name', p_name);
    END IF;
END $$;
