-- the arm best promotes now among regressors (0-based), or -1: the engine's Experiment.squaredErrorWinner (the arm with
-- the lowest mean squared error once every arm has min_labels labels, at least 2, and a one-sided Welch t-test puts it
-- below each other arm: each p-value below (1 - confidence) / (arms - 1))
CREATE OR REPLACE FUNCTION augur.experiment_winner_mse(p_labels bigint[], p_sums float8[], p_squares float8[], p_min_labels bigint,
    p_confidence float8) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    k integer := pg_catalog.cardinality(p_labels);
    need bigint := greatest(2, p_min_labels);
    best integer := 1;
    alpha float8;
BEGIN
    FOR i IN 1 .. k LOOP
        IF p_labels[i] < need THEN
            RETURN -1;
        END IF;
        IF p_sums[i] / p_labels[i] < p_sums[best] / p_labels[best] THEN
            best := i;
        END IF;
    END LOOP;
    alpha := (1 - p_confidence) / (k - 1);
    FOR i IN 1 .. k LOOP
        CONTINUE WHEN i = best;
        IF NOT (augur.experiment_welch_p(p_labels[best], p_sums[best], p_squares[best], p_labels[i], p_sums[i], p_squares[i]) < alpha) THEN
            RETURN -1;
        END IF;
    END LOOP;
    RETURN best - 1;
END $$;
