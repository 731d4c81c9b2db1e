-- the seed option: a 64-bit integer
CREATE OR REPLACE FUNCTION augur.view_seed_option(opts jsonb, dflt bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j jsonb := opts -> 'seed';
BEGIN
    IF j IS NULL OR jsonb_typeof(j) = 'null' THEN
        RETURN dflt;
    END IF;
    IF jsonb_typeof(j) IN ('number', 'string') AND trim(j #>> '{}') ~ '^[-+]?[0-9]{1,18}$' THEN
        RETURN trim(j #>> '{}')::bigint;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option seed must be an integer (a 64-bit seed of the epochs'' shuffle), '
        || 'got %s', j::text);
END $$;
