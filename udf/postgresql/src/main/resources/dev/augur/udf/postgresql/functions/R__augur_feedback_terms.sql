-- What one joined pair adds to a feedback's sums: the engine's dev.augur.engine.feedback.LiveMetrics.terms, written
-- here by hand and pinned by its golden vectors (PgFeedbackGoldenVectorsTest). Binary classifier: correct, log loss (score
-- clipped to [1e-15, 1 - 1e-15]), Brier, calibration bin (10 of equal width), positive, confidence (the score); more than
-- two classes, from the served probabilities (p_probabilities, in the classes' order): correct (the first largest is the
-- predicted class), -ln p_label (clipped), the sum over classes of (p_c - [c = label])^2, the bin of the largest, correct
-- as positive, the largest as confidence; regressor: absolute and squared error.
DROP FUNCTION IF EXISTS augur.feedback_terms(text, text[], float8, text);
CREATE OR REPLACE FUNCTION augur.feedback_terms(p_target text, p_classes text[], p_score float8, p_label text,
    p_probabilities float8[] DEFAULT NULL, OUT correct bigint, OUT log_loss float8, OUT brier float8, OUT bin integer,
    OUT positive bigint, OUT confidence float8, OUT abs_error float8, OUT squared_error float8) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    y integer;
    v float8;
    p float8;
    top integer := 1;
    d float8;
BEGIN
    IF p_target = 'value' THEN
        v := augur.feedback_value(p_label);
        correct := 0; log_loss := 0; brier := 0; bin := 0; positive := 0; confidence := 0;
        abs_error := abs(p_score - v);
        squared_error := (p_score - v) * (p_score - v);
        RETURN;
    END IF;
    y := pg_catalog.array_position(p_classes, p_label) - 1;
    IF y IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('label ''%s'' is not one of the model''s classes (%s); insert labels of '
            || 'those classes only', left(p_label, 60), pg_catalog.array_to_string(p_classes, ', '));
    END IF;
    abs_error := 0;
    squared_error := 0;
    IF pg_catalog.cardinality(p_classes) > 2 THEN
        IF p_probabilities IS NULL OR pg_catalog.cardinality(p_probabilities) <> pg_catalog.cardinality(p_classes) THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('a served prediction of a model with %s classes (%s) needs the '
                || 'probability of each class, got %s; record it with AUGUR.RECORD_PREDICTION_PROBA', pg_catalog.cardinality(p_classes),
                pg_catalog.array_to_string(p_classes, ', '), coalesce(pg_catalog.cardinality(p_probabilities)::text, 'none'));
        END IF;
        brier := 0;
        FOR c IN 1 .. pg_catalog.cardinality(p_probabilities) LOOP
            IF p_probabilities[c] > p_probabilities[top] THEN
                top := c;
            END IF;
            d := p_probabilities[c] - CASE WHEN c = y + 1 THEN 1 ELSE 0 END;
            brier := brier + d * d;
        END LOOP;
        p := least(greatest(p_probabilities[y + 1], 1e-15::float8), 1 - 1e-15::float8);
        log_loss := -ln(p);
        correct := CASE WHEN top = y + 1 THEN 1 ELSE 0 END;
        confidence := p_probabilities[top];
        bin := least(9, greatest(0, floor(confidence * 10)::integer));
        positive := correct;
        RETURN;
    END IF;
    p := least(greatest(p_score, 1e-15::float8), 1 - 1e-15::float8);
    log_loss := CASE WHEN y = 1 THEN -ln(p) ELSE -ln(1 - p) END;
    brier := (p_score - y) * (p_score - y);
    correct := CASE WHEN (CASE WHEN p_score >= 0.5 THEN 1 ELSE 0 END) = y THEN 1 ELSE 0 END;
    bin := least(9, greatest(0, floor(p_score * 10)::integer));
    positive := y;
    confidence := p_score;
END $$;
