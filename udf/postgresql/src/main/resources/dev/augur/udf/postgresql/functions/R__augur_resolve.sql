-- 'name' (the deployed version) or 'name@version' (pinned)
CREATE OR REPLACE FUNCTION augur.resolve(ref text, OUT name text, OUT version integer) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE at integer;
BEGIN
    IF ref IS NULL THEN
        PERFORM augur.err('22023', 'the model name is NULL; pass a model name such as ''spam'' or ''spam@2''');
    END IF;
    at := position('@' IN ref);
    IF at = 0 THEN
        name := augur.check_name(ref);
        version := augur.require_deployed(name);
        RETURN;
    END IF;
    name := augur.check_name(substr(ref, 1, at - 1));
    IF substr(ref, at + 1) !~ '^[+-]?[0-9]{1,9}$' THEN
        PERFORM augur.err('22023', pg_catalog.format('bad model reference ''%s'': write ''name'' or ''name@version'', e.g. ''%s@2''', ref, name));
    END IF;
    version := augur.require_version(name, substr(ref, at + 1)::integer);
END $$;
