-- What one joined pair adds to a feedback's sums: the engine's dev.augur.engine.feedback.LiveMetrics.terms, written
-- here by hand and pinned by its golden vectors (PgGoldenVectorsTest). Classifier: correct, log loss (score clipped to
-- [1e-15, 1 - 1e-15]), Brier, calibration bin (10 of equal width), positive; regressor: absolute and squared error.
CREATE OR REPLACE FUNCTION augur.feedback_terms(p_target text, p_classes text[], p_score float8, p_label text,
    OUT correct bigint, OUT log_loss float8, OUT brier float8, OUT bin integer, OUT positive bigint, OUT abs_error float8,
    OUT squared_error float8) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    y integer;
    v float8;
    p float8;
BEGIN
    IF p_target = 'value' THEN
        v := augur.feedback_value(p_label);
        correct := 0; log_loss := 0; brier := 0; bin := 0; positive := 0;
        abs_error := abs(p_score - v);
        squared_error := (p_score - v) * (p_score - v);
        RETURN;
    END IF;
    y := array_position(p_classes, p_label) - 1;
    IF y IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('label ''%s'' is not one of the model''s classes (%s); insert labels of '
            || 'those classes only', left(p_label, 60), array_to_string(p_classes, ', '));
    END IF;
    p := least(greatest(p_score, 1e-15::float8), 1 - 1e-15::float8);
    log_loss := CASE WHEN y = 1 THEN -ln(p) ELSE -ln(1 - p) END;
    brier := (p_score - y) * (p_score - y);
    correct := CASE WHEN (CASE WHEN p_score >= 0.5 THEN 1 ELSE 0 END) = y THEN 1 ELSE 0 END;
    bin := least(9, greatest(0, floor(p_score * 10)::integer));
    positive := y;
    abs_error := 0;
    squared_error := 0;
END $$;
