CREATE OR REPLACE FUNCTION augur.regenerate_for(nm text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE n integer;
BEGIN
    FOR n IN SELECT DISTINCT pg_catalog.cardinality(inputs) FROM augur.model_defs WHERE name = nm AND feature_type = 'dense' LOOP
        PERFORM augur.regenerate_predict(n);
    END LOOP;
END $$;
