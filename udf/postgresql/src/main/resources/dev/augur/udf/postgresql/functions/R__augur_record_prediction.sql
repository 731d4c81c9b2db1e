-- AUGUR.RECORD_PREDICTION: a served prediction (version: the deployed one when NULL; time: now when NULL); returns its version
CREATE OR REPLACE FUNCTION augur.record_prediction(p_model text, p_key text, p_score double precision, p_version integer DEFAULT NULL,
    p_served_at timestamp with time zone DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text := augur.check_name(p_model);
BEGIN
    RETURN augur.record_served(m, p_key, augur.served_score(m, p_score), NULL, p_version, p_served_at);
END $$;
