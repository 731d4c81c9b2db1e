CREATE OR REPLACE FUNCTION augur.view_unknown(p_name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('unknown prediction view ''%s''; see AUGUR.VIEWS for the views there are', p_name);
END $$;
