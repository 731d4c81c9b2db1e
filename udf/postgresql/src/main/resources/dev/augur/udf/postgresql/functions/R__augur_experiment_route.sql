-- the arm (0-based, in OVER VERSIONS order) that serves p_key: the engine's Experiment.route. best: uniform; bandit:
-- uniform with probability floor, else Thompson's largest draw, each arm's the Gaussian approximation of
-- Beta(1 + correct, 1 + wrong) at a uniform from the key
CREATE OR REPLACE FUNCTION augur.experiment_route(p_strategy text, p_floor float8, p_seed bigint, p_labels bigint[], p_correct bigint[],
    p_key text) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    k integer := pg_catalog.cardinality(p_labels);
    best integer := 0;
    best_draw float8 := '-Infinity';
    a float8; b float8; draw float8;
BEGIN
    IF p_strategy = 'best' OR augur.experiment_uniform(p_seed, 'floor', p_key) < p_floor THEN
        RETURN least(k - 1, floor(augur.experiment_uniform(p_seed, 'arm', p_key) * k)::integer);
    END IF;
    FOR i IN 0 .. k - 1 LOOP
        a := 1.0 + p_correct[i + 1];
        b := 1.0 + (p_labels[i + 1] - p_correct[i + 1]);
        draw := a / (a + b) + sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
              * augur.normal_quantile(augur.experiment_uniform(p_seed, i::text, p_key));
        IF draw > best_draw THEN
            best := i;
            best_draw := draw;
        END IF;
    END LOOP;
    RETURN best;
END $$;
