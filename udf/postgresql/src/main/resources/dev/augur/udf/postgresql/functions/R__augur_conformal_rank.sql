-- The split-conformal rank rule, as the engine's Calibration.rank: the quantile of n scores at miscoverage alpha is the
-- k-th smallest, k = ceil((n + 1)(1 - alpha)), in the same float8 arithmetic (pinned by PgGoldenVectorsTest).
CREATE OR REPLACE FUNCTION augur.conformal_rank(n bigint, alpha float8) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ceil((n + 1)::float8 * (1 - alpha))::bigint
$$;
