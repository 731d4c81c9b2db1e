-- 55000 for a version without a monitoring reference, saying how to capture one (the engine's Monitoring.noReference)
CREATE OR REPLACE FUNCTION augur.no_reference(p_model text, p_version integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('model ''%s'' version %s has no monitoring reference (references are '
        || 'captured by TRAIN MODEL; an imported version has none): capture one with SELECT AUGUR.CAPTURE_REFERENCE(''%s'', '
        || '''SELECT <its inputs> FROM <rows like its training data>'', %s)', p_model, p_version, p_model, p_version);
END $$;
