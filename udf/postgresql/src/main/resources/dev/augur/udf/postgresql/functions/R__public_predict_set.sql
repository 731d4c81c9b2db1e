-- PREDICT_SET(model, alpha, inputs...): the conformal set of classes of a calibrated classifier (see augur.set_any)
CREATE OR REPLACE FUNCTION public.predict_set(model text, alpha float8, x1 text) RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.set_any(model, alpha, NULL, x1, 'PREDICT_SET') ELSE CASE WHEN augur.corrupt_ref(model) IS NULL THEN NULL::text[] END END
$$;

CREATE OR REPLACE FUNCTION public.predict_set(model text, alpha float8, VARIADIC x float8[]) RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.set_any(model, alpha, x, NULL, 'PREDICT_SET') ELSE CASE WHEN augur.corrupt_ref(model) IS NULL THEN NULL::text[] END END
$$;
