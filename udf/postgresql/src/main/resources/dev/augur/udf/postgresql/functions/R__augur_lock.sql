-- --------------------------------------------------------------------------------------- administration
CREATE OR REPLACE FUNCTION augur.lock() RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(7361, 1)
$$;
