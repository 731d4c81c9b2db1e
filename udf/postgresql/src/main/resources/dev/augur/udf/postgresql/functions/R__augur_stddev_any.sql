-- the general path of PREDICT_STDDEV behind its SQL wrappers, which check the version first
CREATE OR REPLACE FUNCTION augur.stddev_any(model text, x float8[], body text) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    RETURN augur.spread(d, augur.margins(d, x, body));
END $$;
