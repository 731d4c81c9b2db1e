CREATE OR REPLACE FUNCTION augur.latest(p_name text) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE v integer;
BEGIN
    SELECT max(version) INTO v FROM augur.models WHERE name = p_name;
    IF v IS NULL THEN
        PERFORM augur.unknown_model(p_name);
    END IF;
    RETURN v;
END $$;
