CREATE OR REPLACE FUNCTION public.predict_label(model text, x1 text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.label_any(model, NULL, x1) ELSE augur.corrupt_ref(model)::text END
$$;

CREATE OR REPLACE FUNCTION public.predict_label(model text, VARIADIC x float8[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.label_any(model, x, NULL) ELSE augur.corrupt_ref(model)::text END
$$;
