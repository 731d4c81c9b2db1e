-- An ensemble's score (BaggedEnsemble.scoreOf): the mean of its members' scores, each member's margin through the link,
-- summed in member order
CREATE OR REPLACE FUNCTION augur.ensemble_mean(link text, m float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sum(CASE link WHEN 'identity' THEN x ELSE augur.sigmoid(x) END ORDER BY i) / pg_catalog.cardinality(m)
    FROM pg_catalog.unnest(m) WITH ORDINALITY u(x, i)
$$;
