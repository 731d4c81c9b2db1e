-- Cheaper generated PREDICT: V1 guarded every input with CASE WHEN abs(x) > max THEN error; now the margin is
-- checked once. A NaN or infinite input always makes the margin non-finite (PostgreSQL raises 22003 rather than
-- overflow from finite inputs), so NULLIF turns a non-finite margin into NULL and only then does COALESCE look
-- for the culprit: NULL when an input is NULL (as on H2), else the same 22023 naming the first bad input.
CREATE OR REPLACE FUNCTION augur.nonfinite_any(p_name text, inputs text[], x float8[]) RETURNS float8
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
BEGIN
    IF pg_catalog.array_position(x, NULL) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            RETURN augur.nonfinite(p_name, inputs[i], x[i]);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
