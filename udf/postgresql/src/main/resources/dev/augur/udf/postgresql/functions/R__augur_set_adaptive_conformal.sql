-- AUGUR.SET_ADAPTIVE_CONFORMAL(model, alpha, gamma): a model's adaptive conformal target miscoverage and step; every
-- feedback on the model then moves an alpha_t per calibrated version from its labels (starting at alpha; a change keeps
-- the alpha_t reached). Returns 1. augur_admin's; the checks and messages are the engine's (AdaptiveConformal.Options).
CREATE OR REPLACE FUNCTION augur.set_adaptive_conformal(p_model text, p_alpha float8, p_gamma float8) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE m text := augur.check_name(p_model);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM augur.models x WHERE x.name = m) THEN
        PERFORM augur.unknown_model(m);
    END IF;
    IF NOT (p_alpha > 0 AND p_alpha < 1) OR p_alpha IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('adaptive conformal alpha must lie strictly between 0 and 1 (the share '
            || 'of labels the set may miss, e.g. 0.1), got %s', coalesce(p_alpha::text, 'NaN'));
    END IF;
    IF NOT (p_gamma > 0 AND p_gamma <= 1) OR p_gamma IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('adaptive conformal gamma must lie in (0, 1] (the step of alpha_t per '
            || 'label, e.g. 0.005), got %s', coalesce(p_gamma::text, 'NaN'));
    END IF;
    INSERT INTO augur.adaptive_conformal AS x (model, alpha, gamma) VALUES (m, p_alpha, p_gamma)
    ON CONFLICT (model) DO UPDATE SET alpha = EXCLUDED.alpha, gamma = EXCLUDED.gamma;
    RETURN 1;
END $$;
