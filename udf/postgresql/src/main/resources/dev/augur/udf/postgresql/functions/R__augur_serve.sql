-- PREDICT_SERVED's body: PREDICT by the version p_key is routed to, recorded as a served prediction with its
-- experiment (nothing is recorded for a NULL score: a NULL input)
CREATE OR REPLACE FUNCTION augur.serve(p_model text, p_key text, x float8[], body text) RETURNS float8
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE m text := augur.check_name(p_model); r record; score float8;
BEGIN
    r := augur.experiment_routed(m, p_key);
    score := augur.predict_any(m || '@' || r.version, x, body);
    IF score IS NOT NULL THEN
        INSERT INTO augur.served_predictions (model, key_text, model_version, score, experiment) VALUES (m, p_key, r.version, score, r.experiment);
    END IF;
    RETURN score;
END $$;
