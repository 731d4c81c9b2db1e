CREATE OR REPLACE FUNCTION augur.unknown_model(p_name text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE known text;
BEGIN
    SELECT string_agg(n, ', ' ORDER BY n COLLATE "C") INTO known FROM (SELECT DISTINCT m.name AS n FROM augur.models m) s;
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = pg_catalog.format('unknown model ''%s'' (%s)', p_name,
        CASE WHEN known IS NULL THEN 'no models are registered yet; register one with AUGUR.TRAIN_MODEL or AUGUR.IMPORT_MODEL'
             ELSE 'known models: ' || known END);
END $$;
