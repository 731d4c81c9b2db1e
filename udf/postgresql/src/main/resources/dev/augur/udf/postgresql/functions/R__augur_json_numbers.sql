CREATE OR REPLACE FUNCTION augur.json_numbers(v jsonb, what text, n integer) RETURNS float8[] LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE out float8[];
BEGIN
    IF v IS NULL OR jsonb_typeof(v) <> 'array' THEN
        PERFORM augur.bad_json(pg_catalog.format('"%s" must be an array of %s numbers', what, n));
    END IF;
    IF jsonb_array_length(v) <> n THEN
        PERFORM augur.bad_json(pg_catalog.format('"%s" has %s numbers, the features need %s', what, jsonb_array_length(v), n));
    END IF;
    FOR i IN 0 .. n - 1 LOOP
        IF jsonb_typeof(v -> i) <> 'number' THEN
            PERFORM augur.bad_json(pg_catalog.format('"%s"[%s] is %s, expected a finite number', what, i, (v -> i)::text));
        END IF;
    END LOOP;
    BEGIN
        SELECT coalesce(pg_catalog.array_agg((e #>> '{}')::float8 ORDER BY i), '{}') INTO out FROM jsonb_array_elements(v) WITH ORDINALITY AS t(e, i);
    EXCEPTION WHEN numeric_value_out_of_range THEN
        PERFORM augur.bad_json(pg_catalog.format('"%s" holds a number that is not a finite double', what));
    END;
    RETURN out;
END $$;
