-- augur.bow_margin for binary weighting, where a term's count does not matter: the distinct terms, one lookup each
-- (Σw, and the number of those in the vocabulary for the norm); a third cheaper than counting the terms.
CREATE OR REPLACE FUNCTION augur.bow_margin_binary(lookup jsonb, d augur.model_defs, terms text[]) RETURNS float8 LANGUAGE sql
IMMUTABLE PARALLEL SAFE AS $$
    SELECT d.bias[1] + coalesce(CASE WHEN d.normalize AND x.n > 0::float8 THEN x.s * (1.0::float8 / sqrt(x.n)) ELSE x.s END, 0.0::float8)
    FROM (SELECT sum(g.w) AS s, count(g.w)::float8 AS n
          FROM (SELECT (lookup ->> u.t)::float8 AS w FROM (SELECT DISTINCT v.t FROM pg_catalog.unnest(terms) AS v(t)) u) g) x
$$;
