-- ------------------------------------------------------------------------------------------- PREDICT family
CREATE OR REPLACE FUNCTION public.predict(model text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT augur.predict_any(model, NULL, x1)
$$;
