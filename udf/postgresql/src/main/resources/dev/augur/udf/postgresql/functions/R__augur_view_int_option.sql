-- an integer option between lo and hi (hi NULL: no upper bound)
CREATE OR REPLACE FUNCTION augur.view_int_option(opts jsonb, key text, dflt integer, lo integer, hi integer) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE j jsonb := opts -> key; v float8 := dflt;
BEGIN
    IF j IS NOT NULL AND jsonb_typeof(j) <> 'null' THEN
        IF jsonb_typeof(j) = 'number' THEN
            v := (j #>> '{}')::float8;
        ELSIF jsonb_typeof(j) = 'string' AND (j #>> '{}') ~ '^\s*[-+]?[0-9]{1,9}(\.0*)?\s*$' THEN
            v := trim(j #>> '{}')::float8;
        ELSE
            v := 'NaN';
        END IF;
    END IF;
    IF v = 'NaN'::float8 OR v <> trunc(v) OR v < lo OR v > coalesce(hi, 2147483647) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option %s must be an integer %s, got %s', key,
            CASE WHEN hi IS NULL THEN pg_catalog.format('>= %s', lo) ELSE pg_catalog.format('between %s and %s', lo, hi) END, coalesce(j::text, 'null'));
    END IF;
    RETURN v::integer;
END $$;
