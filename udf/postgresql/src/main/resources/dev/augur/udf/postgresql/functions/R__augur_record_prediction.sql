-- AUGUR.RECORD_PREDICTION: a served prediction (version: the deployed one when NULL; time: now when NULL); returns its version
CREATE OR REPLACE FUNCTION augur.record_prediction(p_model text, p_key text, p_score double precision, p_version integer DEFAULT NULL,
    p_served_at timestamp with time zone DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text := augur.check_name(p_model);
BEGIN
    IF p_score IS NULL OR p_score = 'NaN'::float8 OR p_score IN ('Infinity'::float8, '-Infinity'::float8) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('the served score of model ''%s'' must be a finite number, got %s', m,
            coalesce(p_score::text, 'null'));
    END IF;
    RETURN augur.record_served(m, p_key, p_score, NULL, p_version, p_served_at);
END $$;
