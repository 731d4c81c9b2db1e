-- the arm (0-based, in OVER VERSIONS order) that serves p_key in an experiment over regressors: the engine's
-- Experiment.route for squared error. best: uniform; bandit: uniform with probability floor, else Thompson's smallest
-- draw of each arm's mean squared error, m + se z(u) at a uniform from the key, with m = S1 / n (the pooled mean without
-- labels), se = sqrt(v / max(n, 1)), v = (S2 - S1^2 / n + V) / n (V without labels), V the pooled prior variance of a
-- squared error (Experiment.pooled)
CREATE OR REPLACE FUNCTION augur.experiment_route_mse(p_strategy text, p_floor float8, p_seed bigint, p_labels bigint[],
    p_sums float8[], p_squares float8[], p_key text) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    k integer := pg_catalog.cardinality(p_labels);
    best integer := 0;
    best_draw float8 := 'Infinity';
    n bigint := 0;
    s1 float8 := 0;
    s2 float8 := 0;
    pooled_mean float8;
    pooled_variance float8 := 0;
    mean float8;
    v float8;
    draw float8;
BEGIN
    IF p_strategy = 'best' OR augur.experiment_uniform(p_seed, 'floor', p_key) < p_floor THEN
        RETURN least(k - 1, floor(augur.experiment_uniform(p_seed, 'arm', p_key) * k)::integer);
    END IF;
    FOR i IN 1 .. k LOOP
        n := n + p_labels[i];
        s1 := s1 + p_sums[i];
        s2 := s2 + p_squares[i];
    END LOOP;
    pooled_mean := CASE WHEN n = 0 THEN 0 ELSE s1 / n END;
    IF n >= 2 THEN
        pooled_variance := (s2 - s1 * pooled_mean) / (n - 1);
    END IF;
    IF NOT (pooled_variance > 0) THEN
        pooled_variance := 2 * pooled_mean * pooled_mean;
    END IF;
    IF NOT (pooled_variance > 0) THEN
        pooled_variance := 1;
    END IF;
    FOR i IN 0 .. k - 1 LOOP
        IF p_labels[i + 1] = 0 THEN
            mean := pooled_mean;
            v := pooled_variance;
        ELSE
            mean := p_sums[i + 1] / p_labels[i + 1];
            v := (greatest(0, p_squares[i + 1] - p_sums[i + 1] * (p_sums[i + 1] / p_labels[i + 1])) + pooled_variance) / p_labels[i + 1];
        END IF;
        draw := mean + sqrt(v / greatest(p_labels[i + 1], 1)) * augur.normal_quantile(augur.experiment_uniform(p_seed, i::text, p_key));
        IF draw < best_draw THEN
            best := i;
            best_draw := draw;
        END IF;
    END LOOP;
    RETURN best;
END $$;
