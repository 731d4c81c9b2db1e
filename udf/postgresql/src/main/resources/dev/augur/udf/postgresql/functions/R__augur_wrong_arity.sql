CREATE OR REPLACE FUNCTION augur.wrong_arity(d augur.model_defs, got integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('model ''%s'' expects %s input%s (%s), got %s', d.name,
        pg_catalog.cardinality(d.inputs), CASE WHEN pg_catalog.cardinality(d.inputs) = 1 THEN '' ELSE 's' END, pg_catalog.array_to_string(d.inputs, ', '), got);
END $$;
