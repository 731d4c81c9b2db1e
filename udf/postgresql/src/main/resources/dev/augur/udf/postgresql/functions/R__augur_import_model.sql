CREATE OR REPLACE FUNCTION augur.import_model(p_name text, p_json text) RETURNS integer LANGUAGE sql AS $$
    SELECT augur.register_model(p_name, p_json, 'import', NULL)
$$;
