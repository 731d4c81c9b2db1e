CREATE OR REPLACE FUNCTION augur.json_text(j jsonb, path text) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE v jsonb := j #> string_to_array(path, '.');
BEGIN
    IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
        PERFORM augur.bad_json(pg_catalog.format('missing field "%s"', path));
    END IF;
    IF jsonb_typeof(v) <> 'string' THEN
        PERFORM augur.bad_json(pg_catalog.format('"%s" must be a string, got %s', path, v::text));
    END IF;
    RETURN v #>> '{}';
END $$;
