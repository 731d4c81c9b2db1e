CREATE OR REPLACE FUNCTION augur.require_deployed(p_name text) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE v integer;
BEGIN
    SELECT version INTO v FROM augur.deployed WHERE name = p_name;
    IF FOUND THEN
        RETURN v;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM augur.models WHERE name = p_name) THEN
        PERFORM augur.unknown_model(p_name);
    END IF;
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = pg_catalog.format('model ''%s'' has no deployed version (versions: %s); '
        || 'deploy one with AUGUR.DEPLOY_MODEL(''%s'', version) or pin one as ''%s@version''',
        p_name, augur.versions_text(p_name), p_name, p_name);
END $$;
