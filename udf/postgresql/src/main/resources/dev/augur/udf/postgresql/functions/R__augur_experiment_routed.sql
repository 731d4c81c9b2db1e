-- where a key's prediction is served: the version its model's running experiment routes it to (and the experiment),
-- else the deployed version (experiment NULL); an experiment over classifiers routes by accuracy, over regressors by
-- squared error
CREATE OR REPLACE FUNCTION augur.experiment_routed(p_model text, p_key text, OUT version integer, OUT experiment bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE e augur.experiments; labels bigint[]; correct bigint[]; sums float8[]; squares float8[]; versions integer[];
BEGIN
    IF p_key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'the key to route is NULL; pass the key the prediction is served for';
    END IF;
    SELECT * INTO e FROM augur.experiments x WHERE x.model = p_model AND x.ended_at IS NULL;
    IF NOT FOUND THEN
        version := augur.require_deployed(p_model);
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(a.labels ORDER BY a.arm), pg_catalog.array_agg(a.correct ORDER BY a.arm), pg_catalog.array_agg(a.model_version ORDER BY a.arm),
           pg_catalog.array_agg(a.squared_error_sum ORDER BY a.arm), pg_catalog.array_agg(a.squared_error_squares ORDER BY a.arm)
    INTO labels, correct, versions, sums, squares FROM augur.experiment_arms a WHERE a.experiment = e.id;
    version := versions[1 + CASE WHEN e.reward = 'accuracy'
        THEN augur.experiment_route(e.strategy, e.exploration_floor, e.seed, labels, correct, p_key)
        ELSE augur.experiment_route_mse(e.strategy, e.exploration_floor, e.seed, labels, sums, squares, p_key) END];
    experiment := e.id;
END $$;
