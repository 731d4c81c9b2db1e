-- ------------------------------------------------------------------------------------------------ helpers
CREATE OR REPLACE FUNCTION augur.err(code text, msg text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = msg;
END $$;
