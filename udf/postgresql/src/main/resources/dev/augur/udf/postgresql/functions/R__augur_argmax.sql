CREATE OR REPLACE FUNCTION augur.argmax(m float8[]) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE best integer := 1;
BEGIN
    FOR i IN 2 .. pg_catalog.cardinality(m) LOOP
        IF m[i] > m[best] THEN best := i; END IF;
    END LOOP;
    RETURN best;
END $$;
