-- AUGUR.RECORD_PREDICTION_PROBA: a served prediction as the probability of each of the model's classes, in its order (the
-- engine's LiveMetrics.checkProbabilities, as H2's H2Feedback.recordPredictionProba): with more than two classes the
-- vector and its largest as the score; for a binary classifier the second class's, as RECORD_PREDICTION's score. Returns
-- its version.
CREATE OR REPLACE FUNCTION augur.record_prediction_proba(p_model text, p_key text, p_probabilities double precision[],
    p_version integer DEFAULT NULL, p_served_at timestamp with time zone DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text := augur.check_name(p_model);
BEGIN
    IF p_probabilities IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = pg_catalog.format('the served probabilities of model ''%s'' are NULL; record one per class', m);
    END IF;
    RETURN augur.record_served(m, p_key, NULL, p_probabilities, p_version, p_served_at);
END $$;
