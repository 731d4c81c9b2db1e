CREATE OR REPLACE FUNCTION augur.defs(p_name text, p_version integer) RETURNS augur.model_defs LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT * FROM augur.model_defs WHERE name = p_name AND version = p_version
$$;
