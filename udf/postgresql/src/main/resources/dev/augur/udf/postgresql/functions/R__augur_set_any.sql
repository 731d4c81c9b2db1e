-- PREDICT_SET (and PREDICT_LABEL_IF_CERTAIN, named by p_function) for dense inputs x or text body. Checked before the
-- row is scored, in the engine's order: the kind (42809), the calibration (55000), alpha (22023), the calibration's size
-- for alpha (22023); then a NULL input is NULL.
CREATE OR REPLACE FUNCTION augur.set_any(model text, alpha float8, x float8[], body text, p_function text) RETURNS text[]
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    IF alpha IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    IF augur.kind_link(d.kind) = 'identity' THEN
        PERFORM augur.err('42809', pg_catalog.format('model ''%s'' is a %s model without classes; %s is for classifiers: use '
            || 'PREDICT_INTERVAL(model, level, ...) for its conformal interval', d.name, (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind), p_function));
    END IF;
    RETURN augur.conformal_set(d, augur.conformal_quantiles(r.name, r.version, alpha, false, p_function), augur.margins(d, x, body));
END $$;
