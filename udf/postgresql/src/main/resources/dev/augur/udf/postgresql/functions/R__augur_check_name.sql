CREATE OR REPLACE FUNCTION augur.check_name(p_name text) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF p_name IS NULL OR p_name !~ '^[A-Za-z][A-Za-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = pg_catalog.format('invalid model name ''%s'': use letters, digits and '
            || 'underscores, starting with a letter, at most 63 characters', coalesce(p_name, 'null'));
    END IF;
    RETURN lower(p_name);
END $$;
