-- PREDICT_SERVED(model, key, inputs...): PREDICT for a key, by the version its model's experiment routes it to (else
-- the deployed one), recorded in augur.served_predictions
CREATE OR REPLACE FUNCTION public.predict_served(model text, key text, x1 text) RETURNS float8 LANGUAGE sql VOLATILE AS $$
    SELECT augur.serve(model, key, NULL, x1)
$$;

CREATE OR REPLACE FUNCTION public.predict_served(model text, key text, VARIADIC x float8[]) RETURNS float8 LANGUAGE sql VOLATILE AS $$
    SELECT augur.serve(model, key, x, NULL)
$$;
