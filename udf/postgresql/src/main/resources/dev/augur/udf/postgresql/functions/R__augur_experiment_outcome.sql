-- what best's promotion writes as the experiment's outcome: the engine's Experiment.outcome ('promoted version 4:
-- accuracy 0.9310 on 212 labels'; over regressors 'rmse 0.3120', the root of the mean squared error), the number with 4
-- decimals of its exact value rounded half to even (to_char prints by C's printf, as Experiment.fixed4 rounds)
CREATE OR REPLACE FUNCTION augur.experiment_outcome(p_reward text, p_version integer, p_labels bigint, p_correct bigint,
    p_squared_error_sum float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'promoted version ' || p_version || ': '
        || CASE WHEN p_reward = 'accuracy' THEN 'accuracy ' || to_char(p_correct::float8 / p_labels, 'FM999999999990.0000')
                ELSE 'rmse ' || to_char(sqrt(p_squared_error_sum / p_labels), 'FM999999999990.0000') END
        || ' on ' || p_labels || ' labels'
$$;
