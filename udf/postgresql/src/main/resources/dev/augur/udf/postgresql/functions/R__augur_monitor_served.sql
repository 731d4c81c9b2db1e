-- A served prediction recorded (the trigger on augur.served_predictions is defined here, with the function it calls):
-- counted in its version's window and reference bin, seen by the score detector, and with adaptive conformal on the model
-- the alpha_t of each feedback kept as the set it was served with; as H2's H2Monitor.served.
CREATE OR REPLACE FUNCTION augur.monitor_served() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o record := augur.monitor_options(NEW.model);
    w timestamptz := augur.feedback_window(NEW.served_at, o.window_us);
    b integer;
BEGIN
    INSERT INTO augur.monitor_windows AS m (model, model_version, window_start, n, score_sum, confidence_sum)
    VALUES (NEW.model, NEW.model_version, w, 1, NEW.score,
            CASE WHEN augur.monitor_binary(NEW.model, NEW.model_version) THEN GREATEST(NEW.score, 1 - NEW.score) END)
    ON CONFLICT (model, model_version, window_start) DO UPDATE SET n = m.n + 1, score_sum = m.score_sum + EXCLUDED.score_sum,
        confidence_sum = m.confidence_sum + EXCLUDED.confidence_sum;
    SELECT r.bin INTO b FROM augur.reference_score_bins r WHERE r.name = NEW.model AND r.version = NEW.model_version
      AND (r.lower IS NULL OR NEW.score >= r.lower) AND (r.upper IS NULL OR NEW.score < r.upper);
    IF FOUND THEN
        INSERT INTO augur.monitor_score_bins AS m (model, model_version, window_start, bin, n) VALUES (NEW.model, NEW.model_version, w, b, 1)
        ON CONFLICT (model, model_version, window_start, bin) DO UPDATE SET n = m.n + 1;
    END IF;
    PERFORM augur.monitor_observe(NEW.model, NEW.model_version, 'score', 'served', NEW.score, o.ph_delta, o.ph_lambda, o.ph_min_n,
                                  NEW.id, NEW.served_at);
    INSERT INTO augur.adaptive_conformal_served (feedback, served_id, alpha_t)
    SELECT f.name, NEW.id, coalesce(s.alpha_t, a.alpha) FROM augur.adaptive_conformal a JOIN augur.feedbacks f ON f.model = a.model
    LEFT JOIN augur.adaptive_conformal_state s ON s.feedback = f.name AND s.model_version = NEW.model_version
    WHERE a.model = NEW.model;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS served_predictions_monitor ON augur.served_predictions;
CREATE TRIGGER served_predictions_monitor AFTER INSERT ON augur.served_predictions FOR EACH ROW EXECUTE FUNCTION augur.monitor_served();
