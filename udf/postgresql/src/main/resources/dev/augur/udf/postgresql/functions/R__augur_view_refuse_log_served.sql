-- ViewOptions.logServedOnClassificationView: option log_served of a classification view's options text is 0A000 (its model
-- lives in the view, not in augur.models, so the served log and feedback cannot take it); a text that is not a JSON
-- object is left to augur.view_options (22032).
CREATE OR REPLACE FUNCTION augur.view_refuse_log_served(p_options text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE opts jsonb;
BEGIN
    BEGIN
        opts := p_options::jsonb;
    EXCEPTION WHEN others THEN
        RETURN;
    END;
    IF jsonb_typeof(opts) = 'object' AND opts ? 'log_served' THEN
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'option log_served is for prediction views: a classification view''s model '
            || 'lives in the view (AUGUR.VIEW_MODELS), not in AUGUR.MODELS, so the served log and feedback cannot take it, and its '
            || 'examples are already the labels it learns from; to log what a model serves, train it (TRAIN MODEL), deploy it and '
            || 'CREATE PREDICTION VIEW ... WITH (log_served = true)';
    END IF;
END $$;
