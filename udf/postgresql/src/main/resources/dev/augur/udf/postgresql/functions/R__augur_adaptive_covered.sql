-- Whether a binary classifier's label is in its conformal set at miscoverage p_alpha_t: the engine's
-- AdaptiveConformal.covered, pinned by PgMonitorGoldenVectorsTest. p_positive: the label is the model's second class;
-- p_sorted: the sorted nonconformity scores of the label's stratum (NULL: a Mondrian calibration without it, every class).
CREATE OR REPLACE FUNCTION augur.adaptive_covered(p_sorted float8[], p_score float8, p_positive boolean, p_alpha_t float8) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE k bigint;
BEGIN
    IF p_alpha_t <= 0 THEN RETURN true; END IF;
    IF p_alpha_t >= 1 THEN RETURN false; END IF;
    IF p_sorted IS NULL THEN RETURN true; END IF;
    k := augur.conformal_rank(pg_catalog.cardinality(p_sorted), p_alpha_t);
    RETURN k > pg_catalog.cardinality(p_sorted) OR 1 - CASE WHEN p_positive THEN p_score ELSE 1 - p_score END <= p_sorted[k];
END $$;
