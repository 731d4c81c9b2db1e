-- the entry point (as before): resolves the view's table and schema with the caller's search_path, then creates
CREATE OR REPLACE FUNCTION augur.create_prediction_view(p_name text, p_query text, p_options text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    tbl text := (augur.view_query(p_query)).tbl;
BEGIN
    RETURN augur.view_create(p_name, p_query, p_options, current_schema()::text, CASE WHEN tbl IS NOT NULL THEN to_regclass(lower(tbl)) END,
        current_user);
END $$;
