-- the same for a model reference ('name' = the deployed version, or 'name@version'); true for what does not resolve
-- (the PREDICT family then raises what it always raised: 22023, 42602, 42704)
CREATE OR REPLACE FUNCTION augur.intact_ref(ref text) RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE at integer; nm text; ver integer;
BEGIN
    IF ref IS NULL THEN
        RETURN true;
    END IF;
    at := position('@' IN ref);
    IF at = 0 THEN
        nm := lower(ref);
        SELECT dp.version INTO ver FROM augur.deployed dp WHERE dp.name = nm;
    ELSE
        nm := lower(substr(ref, 1, at - 1));
        IF substr(ref, at + 1) !~ '^[+-]?[0-9]{1,9}$' THEN
            RETURN true;
        END IF;
        ver := substr(ref, at + 1)::integer;
    END IF;
    IF ver IS NULL THEN
        RETURN true;
    END IF;
    RETURN augur.payload_problem(nm, ver) IS NULL;
END $$;
