CREATE OR REPLACE FUNCTION augur.versions_text(p_name text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(version::text, ', ' ORDER BY version), 'none') FROM augur.models WHERE name = p_name
$$;
