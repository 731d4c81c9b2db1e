-- PREDICT_LABEL_IF_CERTAIN(model, alpha, inputs...): the label when the conformal set at alpha is exactly one class; NULL
-- (abstain) when it holds none or several, or for a NULL input. Every error of PREDICT_SET is its error too.
CREATE OR REPLACE FUNCTION public.predict_label_if_certain(model text, alpha float8, x1 text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN pg_catalog.cardinality(s) = 1 THEN s[1] END
    FROM (SELECT CASE WHEN augur.intact_ref(model) THEN augur.set_any(model, alpha, NULL, x1, 'PREDICT_LABEL_IF_CERTAIN')
                      ELSE CASE WHEN augur.corrupt_ref(model) IS NULL THEN NULL::text[] END END AS s) q
$$;

CREATE OR REPLACE FUNCTION public.predict_label_if_certain(model text, alpha float8, VARIADIC x float8[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN pg_catalog.cardinality(s) = 1 THEN s[1] END
    FROM (SELECT CASE WHEN augur.intact_ref(model) THEN augur.set_any(model, alpha, x, NULL, 'PREDICT_LABEL_IF_CERTAIN')
                      ELSE CASE WHEN augur.corrupt_ref(model) IS NULL THEN NULL::text[] END END AS s) q
$$;
