CREATE OR REPLACE FUNCTION augur.bad_json(detail text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'malformed model JSON: ' || detail
        || ' (export a model with AUGUR.EXPORT_MODEL to see the expected shape)';
END $$;
