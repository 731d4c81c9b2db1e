CREATE OR REPLACE FUNCTION augur.wrong_type(p_name text, input text, expected text, got text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('model ''%s'' input ''%s'' expects %s, got %s; cast the argument',
        p_name, input, expected, got);
END $$;
