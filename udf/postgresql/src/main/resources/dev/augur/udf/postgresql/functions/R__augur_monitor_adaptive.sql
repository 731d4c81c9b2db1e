-- One label against the static set (alpha) and the adaptive one it was served with (the alpha_t of its serving), counted
-- in its window of augur.conformal_coverage; the alpha_t reached moves by gamma (alpha - err): the engine's
-- AdaptiveConformal.next, in the same float8 arithmetic (pinned by PgMonitorGoldenVectorsTest). As H2's
-- H2Monitor.adaptiveConformal.
CREATE OR REPLACE FUNCTION augur.monitor_adaptive(f augur.feedbacks, s augur.served_predictions, p_label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a augur.adaptive_conformal;
    method text;
    sorted float8[];
    now float8;
    served float8;
    positive boolean := p_label = f.classes[2];
    adaptive boolean;
    fixed boolean;
BEGIN
    SELECT * INTO a FROM augur.adaptive_conformal x WHERE x.model = f.model;
    SELECT m.calibration INTO method FROM augur.models m WHERE m.name = f.model AND m.version = s.model_version;
    IF a.model IS NULL OR method IS NULL THEN
        RETURN; -- no adaptive conformal on this model, or a version without a calibration
    END IF;
    SELECT c.scores INTO sorted FROM augur.calibration_scores c WHERE c.name = f.model AND c.version = s.model_version
      AND CASE WHEN method = 'mondrian' THEN c.class_label = p_label ELSE c.stratum = 0 END;
    SELECT x.alpha_t INTO now FROM augur.adaptive_conformal_state x WHERE x.feedback = f.name AND x.model_version = s.model_version FOR UPDATE;
    now := coalesce(now, a.alpha);
    -- the set it was served with (a prediction served before adaptive conformal was set: the alpha_t now)
    SELECT x.alpha_t INTO served FROM augur.adaptive_conformal_served x WHERE x.feedback = f.name AND x.served_id = s.id;
    served := coalesce(served, now);
    adaptive := augur.adaptive_covered(sorted, s.score, positive, served);
    fixed := augur.adaptive_covered(sorted, s.score, positive, a.alpha);
    INSERT INTO augur.adaptive_conformal_state AS x (feedback, model_version, n, alpha_t)
    VALUES (f.name, s.model_version, 1, now + a.gamma * (a.alpha - CASE WHEN adaptive THEN 0 ELSE 1 END))
    ON CONFLICT (feedback, model_version) DO UPDATE SET n = x.n + 1, alpha_t = EXCLUDED.alpha_t;
    INSERT INTO augur.conformal_coverage AS c (feedback, model_version, window_start, n, covered_static, covered_adaptive, alpha_t_sum)
    VALUES (f.name, s.model_version, augur.feedback_window(s.served_at, f.window_us), 1, CASE WHEN fixed THEN 1 ELSE 0 END,
            CASE WHEN adaptive THEN 1 ELSE 0 END, served)
    ON CONFLICT (feedback, model_version, window_start) DO UPDATE SET n = c.n + 1, covered_static = c.covered_static + EXCLUDED.covered_static,
        covered_adaptive = c.covered_adaptive + EXCLUDED.covered_adaptive, alpha_t_sum = c.alpha_t_sum + EXCLUDED.alpha_t_sum;
END $$;
