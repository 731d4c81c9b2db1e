CREATE OR REPLACE FUNCTION public.predict_label(model text, VARIADIC x float8[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.label_any(model, x, NULL) ELSE augur.corrupt_ref(model)::text END
$$;
