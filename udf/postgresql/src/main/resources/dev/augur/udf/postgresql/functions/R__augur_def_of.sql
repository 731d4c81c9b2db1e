-- a version's definition row, folded likewise into the generated PREDICT(model, text)
CREATE OR REPLACE FUNCTION augur.def_of(nm text, ver integer) RETURNS augur.model_defs LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE d augur.model_defs;
BEGIN
    SELECT * INTO d FROM augur.model_defs x WHERE x.name = nm AND x.version = ver;
    RETURN d;
END $$;
