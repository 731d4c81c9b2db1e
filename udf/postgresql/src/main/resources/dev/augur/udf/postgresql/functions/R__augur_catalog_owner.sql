CREATE OR REPLACE FUNCTION augur.catalog_owner() RETURNS regrole LANGUAGE sql STABLE AS $$
    SELECT n.nspowner::regrole FROM pg_catalog.pg_namespace n WHERE n.nspname = 'augur'
$$;
