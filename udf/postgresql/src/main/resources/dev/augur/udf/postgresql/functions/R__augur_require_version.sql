-- a version of a model, or 42704 naming what exists
CREATE OR REPLACE FUNCTION augur.require_version(p_name text, p_version integer) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM augur.models WHERE name = p_name AND version = p_version) THEN
        RETURN p_version;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM augur.models WHERE name = p_name) THEN
        PERFORM augur.unknown_model(p_name);
    END IF;
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = pg_catalog.format('model ''%s'' has no version %s (versions: %s)',
        p_name, p_version, augur.versions_text(p_name));
END $$;
