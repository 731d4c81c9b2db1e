-- Rewrites the generated PREDICT functions (every arity, and PREDICT(model, text)) from the catalog: the maintainer
-- runs it when it connects, e.g. after a server restart or a restore that brought back tables without their functions
CREATE OR REPLACE FUNCTION augur.sync_predict() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE n integer; k integer := 0;
BEGIN
    PERFORM augur.lock();
    FOR n IN SELECT DISTINCT pg_catalog.cardinality(inputs) FROM augur.model_defs WHERE feature_type = 'dense' ORDER BY 1 LOOP
        PERFORM augur.regenerate_predict(n);
        k := k + 1;
    END LOOP;
    PERFORM augur.regenerate_bow_predict();
    RETURN k;
END $$;
