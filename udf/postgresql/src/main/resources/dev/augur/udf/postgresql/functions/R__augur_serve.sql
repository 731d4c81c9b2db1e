-- PREDICT_SERVED's body: PREDICT by the version p_key is routed to, recorded as a served prediction with its
-- experiment and, with more than two classes, its probabilities (nothing is recorded for a NULL score: a NULL input)
CREATE OR REPLACE FUNCTION augur.serve(p_model text, p_key text, x float8[], body text) RETURNS float8
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE m text := augur.check_name(p_model); r record; score float8; d augur.model_defs; probabilities float8[];
BEGIN
    r := augur.experiment_routed(m, p_key);
    score := augur.predict_any(m || '@' || r.version, x, body);
    d := augur.defs(m, r.version);
    IF score IS NOT NULL AND pg_catalog.cardinality(d.classes) > 2 THEN
        -- more than two classes: what feedback needs, the probability of each (PREDICT_PROBA of each, in the model's order)
        SELECT pg_catalog.array_agg(augur.proba_any(m || '@' || r.version, c.clazz, x, body) ORDER BY c.i) INTO probabilities
        FROM pg_catalog.unnest(d.classes) WITH ORDINALITY AS c(clazz, i);
    END IF;
    IF score IS NOT NULL THEN
        INSERT INTO augur.served_predictions (model, key_text, model_version, score, experiment, probabilities)
        VALUES (m, p_key, r.version, score, r.experiment, probabilities);
    END IF;
    RETURN score;
END $$;
