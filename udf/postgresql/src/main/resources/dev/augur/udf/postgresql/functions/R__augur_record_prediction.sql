-- AUGUR.RECORD_PREDICTION: a served prediction (version: the deployed one when NULL; time: now when NULL); returns its version
CREATE OR REPLACE FUNCTION augur.record_prediction(p_model text, p_key text, p_score double precision, p_version integer DEFAULT NULL,
    p_served_at timestamp with time zone DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text := augur.check_name(p_model);
    v integer;
    exp bigint;
BEGIN
    IF p_key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'the served prediction''s key is NULL; record the key it was served for';
    END IF;
    IF p_score IS NULL OR p_score = 'NaN'::float8 OR p_score IN ('Infinity'::float8, '-Infinity'::float8) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('the served score of model ''%s'' must be a finite number, got %s', m,
            coalesce(p_score::text, 'null'));
    END IF;
    -- no version: the key's routing (its model's experiment, else the deployed version)
    IF p_version IS NULL THEN
        SELECT r.version, r.experiment INTO v, exp FROM augur.experiment_routed(m, p_key) r;
    ELSE
        v := augur.require_version(m, p_version);
        SELECT x.id INTO exp FROM augur.experiments x JOIN augur.experiment_arms a ON a.experiment = x.id
        WHERE x.model = m AND x.ended_at IS NULL AND a.model_version = v;
    END IF;
    INSERT INTO augur.served_predictions (model, key_text, model_version, score, experiment, served_at)
    VALUES (m, p_key, v, p_score, exp, coalesce(p_served_at, CURRENT_TIMESTAMP));
    RETURN v;
END $$;
