-- a joined pair of feedback p_feedback (its target p_target) was added (p_sign 1) or removed (-1): the arm that served
-- it, in the experiment that routed it, gains or loses the reward when the experiment is this feedback's and its reward
-- is what the feedback's labels give: a label, a correct one, and over regressors the squared error and its square (the
-- sums 0 again once no label is left, never below 0: what removing a label leaves of rounding); best promotes a winner
-- in the same transaction (an ordinary deployment). The rules are the engine's (Experiment.winner, Experiment.outcome).
DROP FUNCTION IF EXISTS augur.experiment_rewarded(text, bigint, integer, bigint, integer);
CREATE OR REPLACE FUNCTION augur.experiment_rewarded(p_feedback text, p_target text, p_served bigint, p_version integer,
    p_correct bigint, p_squared_error float8, p_sign integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e augur.experiments;
    se float8;
    sq float8;
    labels bigint[];
    correct bigint[];
    sums float8[];
    squares float8[];
    versions integer[];
    w integer;
BEGIN
    SELECT x.* INTO e FROM augur.experiments x JOIN augur.served_predictions s ON s.experiment = x.id
    WHERE s.id = p_served AND x.feedback = p_feedback;
    -- a feedback of that name made again for another kind: its labels do not say this reward
    IF NOT FOUND OR (e.reward = 'squared_error') <> (p_target = 'value') THEN
        RETURN;
    END IF;
    se := CASE WHEN e.reward = 'squared_error' THEN p_squared_error ELSE 0 END;
    sq := augur.experiment_error_square(p_feedback, se);
    UPDATE augur.experiment_arms a SET labels = a.labels + p_sign, correct = a.correct + p_sign * p_correct,
        squared_error_sum = CASE WHEN a.labels + p_sign = 0 THEN 0 ELSE greatest(0, a.squared_error_sum + p_sign * se) END,
        squared_error_squares = CASE WHEN a.labels + p_sign = 0 THEN 0 ELSE greatest(0, a.squared_error_squares + p_sign * sq) END
    WHERE a.experiment = e.id AND a.model_version = p_version;
    IF NOT FOUND OR p_sign < 0 OR e.ended_at IS NOT NULL OR e.strategy <> 'best' THEN
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(a.labels ORDER BY a.arm), pg_catalog.array_agg(a.correct ORDER BY a.arm), pg_catalog.array_agg(a.squared_error_sum ORDER BY a.arm),
           pg_catalog.array_agg(a.squared_error_squares ORDER BY a.arm), pg_catalog.array_agg(a.model_version ORDER BY a.arm)
    INTO labels, correct, sums, squares, versions FROM augur.experiment_arms a WHERE a.experiment = e.id;
    w := CASE WHEN e.reward = 'accuracy' THEN augur.experiment_winner(labels, correct, e.min_labels, e.confidence)
              ELSE augur.experiment_winner_mse(labels, sums, squares, e.min_labels, e.confidence) END;
    IF w >= 0 THEN
        UPDATE augur.experiments x SET ended_at = CURRENT_TIMESTAMP,
            outcome = augur.experiment_outcome(e.reward, versions[w + 1], labels[w + 1], correct[w + 1], sums[w + 1])
        WHERE x.id = e.id;
        PERFORM augur.deploy_model(e.model, versions[w + 1]);
    END IF;
END $$;
