-- an experiment option as the engine's Experiment.Options reads it: a number in [p_min, p_max] (integral when
-- p_integer), or 22023 naming the option and its range, in the engine's words
CREATE OR REPLACE FUNCTION augur.experiment_option(opts jsonb, p_key text, p_default numeric, p_min numeric, p_max numeric,
    p_integer boolean, p_expected text) RETURNS numeric LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE j jsonb := opts -> p_key; v numeric;
BEGIN
    IF j IS NULL THEN
        RETURN p_default;
    END IF;
    IF jsonb_typeof(j) = 'number' THEN
        v := (j #>> '{}')::numeric;
    END IF;
    IF v IS NULL OR v < p_min OR v > p_max OR p_integer AND v <> trunc(v) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option %s must be %s, got %s', p_key, p_expected, left(j::text, 40));
    END IF;
    RETURN v;
END $$;
