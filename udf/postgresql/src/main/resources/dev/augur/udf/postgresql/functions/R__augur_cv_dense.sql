-- a dense entity's features: NULL when an input is NULL; a non-finite input is an error (22023), as in PREDICT
CREATE OR REPLACE FUNCTION augur.cv_dense(p_view text, inputs text[], x float8[], OUT idx integer[], OUT val float8[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
BEGIN
    IF pg_catalog.array_position(x, NULL) IS NOT NULL THEN
        RETURN;
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            PERFORM augur.nonfinite(p_view, inputs[i], x[i]);
        END IF;
    END LOOP;
    idx := ARRAY(SELECT generate_series(0, pg_catalog.cardinality(x) - 1));
    val := x;
END $$;
