-- a joined pair of feedback p_feedback was added (p_sign 1) or removed (-1): the arm that served it, in the experiment
-- that routed it, gains or loses the reward; best promotes a winner in the same transaction (an ordinary deployment)
CREATE OR REPLACE FUNCTION augur.experiment_rewarded(p_feedback text, p_served bigint, p_version integer, p_correct bigint, p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE e augur.experiments; labels bigint[]; correct bigint[]; versions integer[]; w integer;
BEGIN
    UPDATE augur.experiment_arms a SET labels = a.labels + p_sign, correct = a.correct + p_sign * p_correct
    WHERE a.model_version = p_version AND a.experiment = (SELECT s.experiment FROM augur.served_predictions s
        JOIN augur.experiments x ON x.id = s.experiment WHERE s.id = p_served AND x.feedback = p_feedback);
    IF NOT FOUND OR p_sign < 0 THEN
        RETURN;
    END IF;
    SELECT x.* INTO e FROM augur.experiments x JOIN augur.served_predictions s ON s.experiment = x.id WHERE s.id = p_served;
    IF e.ended_at IS NOT NULL OR e.strategy <> 'best' THEN
        RETURN;
    END IF;
    SELECT array_agg(a.labels ORDER BY a.arm), array_agg(a.correct ORDER BY a.arm), array_agg(a.model_version ORDER BY a.arm)
    INTO labels, correct, versions FROM augur.experiment_arms a WHERE a.experiment = e.id;
    w := augur.experiment_winner(labels, correct, e.min_labels, e.confidence);
    IF w >= 0 THEN
        UPDATE augur.experiments x SET ended_at = CURRENT_TIMESTAMP, outcome = format('promoted version %s: accuracy %s on %s labels',
            versions[w + 1], to_char(correct[w + 1]::float8 / labels[w + 1], 'FM0.0000'), labels[w + 1])
        WHERE x.id = e.id;
        PERFORM augur.deploy_model(e.model, versions[w + 1]);
    END IF;
END $$;
