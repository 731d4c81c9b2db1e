-- the general path of PREDICT_LABEL and PREDICT_PROBA behind SQL wrappers that check the version first
CREATE OR REPLACE FUNCTION augur.label_any(model text, x float8[], body text) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    RETURN augur.label(d, augur.margins(d, x, body));
END $$;
