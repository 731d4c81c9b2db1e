-- PREDICT_INTERVAL(model, level, inputs...): {lower, upper}, the conformal interval of a calibrated regressor (see
-- augur.interval_any)
CREATE OR REPLACE FUNCTION public.predict_interval(model text, level float8, x1 text) RETURNS float8[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.interval_any(model, level, NULL, x1) ELSE CASE WHEN augur.corrupt_ref(model) IS NULL THEN NULL::float8[] END END
$$;

CREATE OR REPLACE FUNCTION public.predict_interval(model text, level float8, VARIADIC x float8[]) RETURNS float8[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.interval_any(model, level, x, NULL) ELSE CASE WHEN augur.corrupt_ref(model) IS NULL THEN NULL::float8[] END END
$$;
