-- the margins of model d for dense inputs x or text body (a bag-of-words model is scored by augur.bow_margins)
CREATE OR REPLACE FUNCTION augur.margins(d augur.model_defs, x float8[], body text) RETURNS float8[]
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE
    n integer := CASE WHEN body IS NOT NULL OR x IS NULL THEN 1 ELSE pg_catalog.cardinality(x) END;
    m float8[];
    acc float8;
BEGIN
    IF n <> pg_catalog.cardinality(d.inputs) THEN
        PERFORM augur.wrong_arity(d, n);
    END IF;
    IF x IS NULL AND body IS NULL OR x IS NOT NULL AND pg_catalog.array_position(x, NULL) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF d.feature_type = 'bag_of_words' THEN
        IF body IS NULL THEN
            PERFORM augur.wrong_type(d.name, d.inputs[1], 'text', 'Double ' || augur.fmt(x[1]));
        END IF;
        RETURN augur.bow_margins(d, body);
    END IF;
    IF body IS NOT NULL THEN
        BEGIN
            x := ARRAY[trim(body)::float8];
        EXCEPTION WHEN invalid_text_representation THEN
            PERFORM augur.wrong_type(d.name, d.inputs[1], 'a number', 'text ''' ||
                CASE WHEN length(body) <= 40 THEN body ELSE substr(body, 1, 40) || '...' END || '''');
        END;
    END IF;
    FOR i IN 1 .. n LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            PERFORM augur.nonfinite(d.name, d.inputs[i], x[i]);
        END IF;
    END LOOP;
    m := '{}';
    FOR o IN 0 .. d.outputs - 1 LOOP
        acc := d.bias[o + 1];
        FOR i IN 1 .. n LOOP
            acc := acc + d.weights[o * n + i] * x[i];
        END LOOP;
        m := m || acc;
    END LOOP;
    RETURN m;
END $$;
