-- the stored payload must be intact before anyone can deploy, roll back to, export, refresh or PREDICT with it
CREATE OR REPLACE FUNCTION augur.check_payload(nm text, ver integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE problem text := augur.payload_problem(nm, ver);
BEGIN
    IF problem IS NOT NULL THEN
        PERFORM augur.err('XX001', problem);
    END IF;
END $$;
