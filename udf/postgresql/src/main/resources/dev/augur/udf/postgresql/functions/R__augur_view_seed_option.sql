-- the seed option: a 64-bit integer, as the engine takes it (OptionValues.int64): a JSON number whose value is an
-- integer from -2^63 to 2^63-1 (42, 42.0 and 4.2e1 alike)
CREATE OR REPLACE FUNCTION augur.view_seed_option(opts jsonb, dflt bigint) RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    j jsonb := opts -> 'seed';
    n numeric;
BEGIN
    IF j IS NULL OR jsonb_typeof(j) = 'null' THEN
        RETURN dflt;
    END IF;
    IF jsonb_typeof(j) = 'number' THEN
        n := (j #>> '{}')::numeric;
        IF n = trunc(n) AND n BETWEEN -9223372036854775808 AND 9223372036854775807 THEN
            RETURN n::bigint;
        END IF;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option seed must be a 64-bit integer (the seed of the epochs'' '
        || 'shuffle), got %s', j::text);
END $$;
