-- A label joined a served prediction as it arrived (or an implicit negative fell due): its error (a classifier's 0 or 1,
-- a regressor's absolute error, from augur.feedback_terms) is seen by the feedback's error detector, timed by the label;
-- a binary classifier's label moves adaptive conformal when the model has it. As H2's H2Monitor.labelJoined.
CREATE OR REPLACE FUNCTION augur.monitor_label_joined(f augur.feedbacks, p_served bigint, p_label text, p_at timestamptz) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s augur.served_predictions;
    t record;
    o record := augur.monitor_options(f.model);
BEGIN
    SELECT * INTO STRICT s FROM augur.served_predictions x WHERE x.id = p_served;
    t := augur.feedback_terms(f.target, f.classes, s.score, p_label, s.probabilities);
    PERFORM augur.monitor_observe(f.model, s.model_version, 'error', f.name,
        CASE WHEN f.target = 'class' THEN (1 - t.correct)::float8 ELSE t.abs_error END, o.ph_delta, o.ph_lambda, o.ph_min_n, s.id, p_at);
    IF f.target = 'class' AND pg_catalog.cardinality(f.classes) = 2 AND EXISTS (SELECT 1 FROM augur.adaptive_conformal a WHERE a.model = f.model) THEN
        PERFORM augur.monitor_adaptive(f, s, p_label);
    END IF;
END $$;
