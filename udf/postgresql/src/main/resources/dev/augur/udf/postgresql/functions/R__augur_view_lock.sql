-- serializes the writers of one view (data triggers, deploys, refreshes) until commit
CREATE OR REPLACE FUNCTION augur.view_lock(p_name text) RETURNS augur.views LANGUAGE sql AS $$
    SELECT * FROM augur.views WHERE name = p_name FOR UPDATE
$$;
