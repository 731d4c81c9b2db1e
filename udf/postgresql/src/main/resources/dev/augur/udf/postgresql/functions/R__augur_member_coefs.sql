-- the coefficients of member o (1-based) of a dense ensemble version, or of class o of a softmax one: ARRAY[bias[o], its weights]; IMMUTABLE for the
-- same reason as augur.coefs, so the generated PREDICT folds each member's into a constant
CREATE OR REPLACE FUNCTION augur.member_coefs(nm text, ver integer, o integer) RETURNS float8[] LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE c float8[];
BEGIN
    SELECT d.bias[o:o] || d.weights[(o - 1) * d.dimension + 1 : o * d.dimension] INTO c FROM augur.model_defs d
    WHERE d.name = nm AND d.version = ver;
    RETURN c;
END $$;
