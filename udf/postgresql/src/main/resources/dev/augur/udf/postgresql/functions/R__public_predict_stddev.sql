CREATE OR REPLACE FUNCTION public.predict_stddev(model text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.stddev_any(model, NULL, x1) ELSE augur.corrupt_ref(model) END
$$;

CREATE OR REPLACE FUNCTION public.predict_stddev(model text, VARIADIC x float8[]) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.stddev_any(model, x, NULL) ELSE augur.corrupt_ref(model) END
$$;
