-- The logistic function, the one every score of a logistic or svm model goes through (PREDICT of either feature type,
-- PREDICT_PROBA, views, classification views). Written with tanh, which neither overflows nor swallows a NULL (as
-- least/greatest would): the body is strict like the function, so the planner inlines it wherever it is called from
-- SQL (the generated PREDICT stays one expression of constants and inputs; PL/pgSQL expressions too).
CREATE OR REPLACE FUNCTION augur.sigmoid(m float8) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 0.5::float8 + 0.5::float8 * tanh(0.5::float8 * m)
$$;
