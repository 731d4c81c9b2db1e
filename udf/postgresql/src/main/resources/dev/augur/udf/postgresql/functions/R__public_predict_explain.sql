CREATE OR REPLACE FUNCTION public.predict_explain(model text, k integer, x1 text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.explain(model, k, NULL, x1) ELSE augur.corrupt_ref(model)::text END
$$;

CREATE OR REPLACE FUNCTION public.predict_explain(model text, k integer, VARIADIC x float8[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.explain(model, k, x, NULL) ELSE augur.corrupt_ref(model)::text END
$$;
