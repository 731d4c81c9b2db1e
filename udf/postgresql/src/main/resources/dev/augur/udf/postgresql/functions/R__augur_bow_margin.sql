-- The margin of a single-output vocabulary (unhashed) bag-of-words version d for the terms of a text (augur.term_array;
-- the caller enumerates them: inside this query the tokenizer cost half as much again), over its lookup
-- (augur.bow_lookup): augur.bow_margins's arithmetic (per distinct term its count c; binary: Σw, with Σ1 for the norm;
-- tf: Σw·c, Σc²; tfidf: v = c·idf, Σw·v, Σv²; normalized: the sum times 1/√(Σ), then the bias), each term's probe an
-- in-memory jsonb lookup instead of two index scans.
CREATE OR REPLACE FUNCTION augur.bow_margin(lookup jsonb, d augur.model_defs, terms text[]) RETURNS float8 LANGUAGE sql IMMUTABLE
PARALLEL SAFE AS $$
    SELECT d.bias[1] + coalesce(CASE WHEN d.normalize AND x.ss > 0::float8 THEN x.s * (1.0::float8 / sqrt(x.ss)) ELSE x.s END, 0.0::float8)
    FROM (SELECT sum(CASE d.weighting WHEN 'binary' THEN g.y::float8 WHEN 'tf' THEN g.y::float8 * g.c
                                      ELSE (g.c * (g.y -> 0)::float8) * (g.y -> 1)::float8 END) AS s,
                 sum(CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c * g.c
                                      ELSE (g.c * (g.y -> 0)::float8) * (g.c * (g.y -> 0)::float8) END) AS ss
          FROM (SELECT count(*)::float8 AS c, lookup -> u.t AS y FROM pg_catalog.unnest(terms) AS u(t) GROUP BY u.t) g
          WHERE g.y IS NOT NULL) x
$$;
