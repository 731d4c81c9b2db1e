-- adds (p_sign 1) or removes (-1) one joined pair's terms in its version's window; a window or bin left empty is removed
CREATE OR REPLACE FUNCTION augur.feedback_contribute(f augur.feedbacks, p_served bigint, p_label text, p_sign integer) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s augur.served_predictions;
    t record;
    w timestamptz;
BEGIN
    SELECT * INTO s FROM augur.served_predictions x WHERE x.id = p_served;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('a served prediction that feedback ''%s'' joined is gone from '
            || 'augur.served_predictions; the served log is append-only: drop and create the feedback again', f.name);
    END IF;
    t := augur.feedback_terms(f.target, f.classes, s.score, p_label, s.probabilities);
    w := augur.feedback_window(s.served_at, f.window_us);
    INSERT INTO augur.feedback_metrics AS m (feedback, model_version, window_start, n, correct, log_loss_sum, brier_sum, abs_error_sum,
                                             squared_error_sum)
    VALUES (f.name, s.model_version, w, p_sign, p_sign * t.correct, p_sign * t.log_loss, p_sign * t.brier, p_sign * t.abs_error,
            p_sign * t.squared_error)
    ON CONFLICT (feedback, model_version, window_start) DO UPDATE SET n = m.n + EXCLUDED.n, correct = m.correct + EXCLUDED.correct,
        log_loss_sum = m.log_loss_sum + EXCLUDED.log_loss_sum, brier_sum = m.brier_sum + EXCLUDED.brier_sum,
        abs_error_sum = m.abs_error_sum + EXCLUDED.abs_error_sum, squared_error_sum = m.squared_error_sum + EXCLUDED.squared_error_sum;
    IF p_sign < 0 THEN
        DELETE FROM augur.feedback_metrics m WHERE m.feedback = f.name AND m.model_version = s.model_version AND m.window_start = w AND m.n = 0;
    END IF;
    IF s.experiment IS NOT NULL THEN
        PERFORM augur.experiment_rewarded(f.name, f.target, p_served, s.model_version, t.correct, t.squared_error, p_sign);
    END IF;
    IF f.target <> 'class' THEN
        RETURN;
    END IF;
    INSERT INTO augur.feedback_calibration AS c (feedback, model_version, window_start, bin, n, score_sum, positives)
    VALUES (f.name, s.model_version, w, t.bin, p_sign, p_sign * t.confidence, p_sign * t.positive)
    ON CONFLICT (feedback, model_version, window_start, bin) DO UPDATE SET n = c.n + EXCLUDED.n, score_sum = c.score_sum + EXCLUDED.score_sum,
        positives = c.positives + EXCLUDED.positives;
    IF p_sign < 0 THEN
        DELETE FROM augur.feedback_calibration c WHERE c.feedback = f.name AND c.model_version = s.model_version AND c.window_start = w
            AND c.bin = t.bin AND c.n = 0;
    END IF;
END $$;
