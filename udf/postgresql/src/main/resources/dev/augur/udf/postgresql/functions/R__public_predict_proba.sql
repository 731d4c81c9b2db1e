CREATE OR REPLACE FUNCTION public.predict_proba(model text, clazz text, VARIADIC x float8[]) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.proba_any(model, clazz, x, NULL) ELSE augur.corrupt_ref(model) END
$$;
