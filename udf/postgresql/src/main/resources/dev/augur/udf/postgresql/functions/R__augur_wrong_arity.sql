CREATE OR REPLACE FUNCTION augur.wrong_arity(d augur.model_defs, got integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('model ''%s'' expects %s input%s (%s), got %s', d.name,
        cardinality(d.inputs), CASE WHEN cardinality(d.inputs) = 1 THEN '' ELSE 's' END, array_to_string(d.inputs, ', '), got);
END $$;
