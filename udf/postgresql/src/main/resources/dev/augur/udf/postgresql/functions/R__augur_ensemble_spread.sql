-- An ensemble's spread (BaggedEnsemble.spreadOf, PREDICT_STDDEV): the members' scores' standard deviation, population
-- form (over K)
CREATE OR REPLACE FUNCTION augur.ensemble_spread(link text, m float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sqrt(sum((s.v - s.mean) * (s.v - s.mean) ORDER BY s.i) / pg_catalog.cardinality(m))
    FROM (SELECT CASE link WHEN 'identity' THEN x ELSE augur.sigmoid(x) END AS v, augur.ensemble_mean(link, m) AS mean, i
          FROM pg_catalog.unnest(m) WITH ORDINALITY u(x, i)) s
$$;
