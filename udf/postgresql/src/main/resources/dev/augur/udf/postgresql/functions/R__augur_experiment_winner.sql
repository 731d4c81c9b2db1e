-- the arm best promotes now (0-based), or -1: the engine's Experiment.winner (the most accurate arm once every arm has
-- min_labels labels and a one-sided two-proportion z-test puts it above each other arm, Bonferroni-corrected)
CREATE OR REPLACE FUNCTION augur.experiment_winner(p_labels bigint[], p_correct bigint[], p_min_labels bigint, p_confidence float8)
RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    k integer := pg_catalog.cardinality(p_labels);
    best integer := 1;
    z float8;
    pooled float8; se float8; stat float8;
BEGIN
    FOR i IN 1 .. k LOOP
        IF p_labels[i] < p_min_labels THEN
            RETURN -1;
        END IF;
        IF p_correct[i]::float8 / p_labels[i] > p_correct[best]::float8 / p_labels[best] THEN
            best := i;
        END IF;
    END LOOP;
    z := augur.normal_quantile(1 - (1 - p_confidence) / (k - 1));
    FOR i IN 1 .. k LOOP
        CONTINUE WHEN i = best;
        pooled := (p_correct[best] + p_correct[i])::float8 / (p_labels[best] + p_labels[i]);
        se := sqrt(pooled * (1 - pooled) * (1.0 / p_labels[best] + 1.0 / p_labels[i]));
        stat := CASE WHEN se = 0 THEN 0 ELSE (p_correct[best]::float8 / p_labels[best] - p_correct[i]::float8 / p_labels[i]) / se END;
        IF NOT (stat > z) THEN
            RETURN -1;
        END IF;
    END LOOP;
    RETURN best - 1;
END $$;
