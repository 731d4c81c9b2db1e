CREATE OR REPLACE FUNCTION public.predict_proba(model text, clazz text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.proba_any(model, clazz, NULL, x1) ELSE augur.corrupt_ref(model) END
$$;

CREATE OR REPLACE FUNCTION public.predict_proba(model text, clazz text, VARIADIC x float8[]) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.proba_any(model, clazz, x, NULL) ELSE augur.corrupt_ref(model) END
$$;
