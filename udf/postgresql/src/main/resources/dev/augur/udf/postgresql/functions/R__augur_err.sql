-- ------------------------------------------------------------------------------------------------ helpers
CREATE OR REPLACE FUNCTION augur.err(code text, msg text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = msg;
END $$;
