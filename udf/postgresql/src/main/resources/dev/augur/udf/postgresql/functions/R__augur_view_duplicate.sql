CREATE OR REPLACE FUNCTION augur.view_duplicate(p_name text, p_key text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v augur.views;
BEGIN
    SELECT * INTO v FROM augur.views WHERE name = p_name;
    RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = pg_catalog.format('view ''%s'' needs unique keys, and %s.%s = %s is there twice; '
        || 'make %s a primary key', p_name, v.base_table, v.key_column, p_key, v.key_column);
END $$;
