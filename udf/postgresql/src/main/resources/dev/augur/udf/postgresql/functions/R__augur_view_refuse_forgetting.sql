-- Forgetting.refuseOnPredictionView: the forgetting options of a prediction view's options text are 22023 naming
-- what to do instead; a text that is not a JSON object is left to augur.view_options (22032).
CREATE OR REPLACE FUNCTION augur.view_refuse_forgetting(p_options text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE opts jsonb; k text;
BEGIN
    BEGIN
        opts := p_options::jsonb;
    EXCEPTION WHEN others THEN
        RETURN;
    END;
    IF jsonb_typeof(opts) IS DISTINCT FROM 'object' THEN
        RETURN;
    END IF;
    FOREACH k IN ARRAY ARRAY['forget_decay', 'forget_window'] LOOP
        IF opts ? k THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option %s is for classification views, which learn online; a '
                || 'prediction view follows its deployed model: CREATE CLASSIFICATION VIEW ... WITH (%s = ...), or deploy a model '
                || 'trained on recent rows', k, k);
        END IF;
    END LOOP;
END $$;
