-- ================================================================================================ views: helpers

-- a view option: a number (or a numeric string, as the extension statements pass them, or a boolean as 1/0), finite
-- and >= 0; anything else is 22023 naming the option and the range (it silently became the default up to V6)
CREATE OR REPLACE FUNCTION augur.view_option(opts jsonb, key text, dflt float8) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE j jsonb := opts -> key; v float8 := dflt;
BEGIN
    -- (NaN is not below 0 in PostgreSQL's ordering: it is tested for by name)
    IF j IS NOT NULL AND jsonb_typeof(j) <> 'null' THEN
        IF jsonb_typeof(j) = 'number' THEN
            v := (j #>> '{}')::float8;
        ELSIF jsonb_typeof(j) = 'boolean' THEN
            v := CASE WHEN (j #>> '{}')::boolean THEN 1 ELSE 0 END;
        ELSIF jsonb_typeof(j) = 'string' AND (j #>> '{}') ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN
            v := trim(j #>> '{}')::float8;
        ELSE
            v := 'NaN';
        END IF;
    END IF;
    IF v = 'NaN'::float8 OR v < 0 OR v = 'Infinity'::float8 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option %s must be a finite number >= 0, got %s', key, coalesce(j::text, 'null'));
    END IF;
    RETURN v;
END $$;
