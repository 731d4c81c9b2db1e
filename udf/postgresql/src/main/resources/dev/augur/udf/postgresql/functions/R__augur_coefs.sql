-- the coefficients of a dense, single-output version: ARRAY[bias, w1, .., wn]. IMMUTABLE: a version's weights never
-- change (a re-registered name@version follows a DROP, which regenerates PREDICT and so invalidates every plan that
-- inlined it), so the planner folds the call in the generated PREDICT into a constant.
CREATE OR REPLACE FUNCTION augur.coefs(nm text, ver integer) RETURNS float8[] LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE c float8[];
BEGIN
    SELECT d.bias[1:1] || d.weights INTO c FROM augur.model_defs d WHERE d.name = nm AND d.version = ver;
    RETURN c;
END $$;
