CREATE OR REPLACE FUNCTION augur.corrupt_ref(ref text) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record;
BEGIN
    r := augur.resolve(ref);
    RETURN augur.corrupt(r.name, r.version);
END $$;
