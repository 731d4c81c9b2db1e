CREATE OR REPLACE FUNCTION augur.view_unknown(p_name text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = pg_catalog.format('unknown prediction view ''%s''; see AUGUR.VIEWS for the views there are', p_name);
END $$;
