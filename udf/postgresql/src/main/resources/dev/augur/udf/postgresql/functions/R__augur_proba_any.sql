CREATE OR REPLACE FUNCTION augur.proba_any(model text, clazz text, x float8[], body text) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; m float8[];
BEGIN
    IF clazz IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    m := augur.margins(d, x, body);
    IF m IS NULL THEN RETURN NULL; END IF;
    RETURN augur.proba(d, clazz, m);
END $$;
