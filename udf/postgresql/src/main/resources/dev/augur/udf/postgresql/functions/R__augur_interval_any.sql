-- PREDICT_INTERVAL for dense inputs x or text body: {lower, upper} = score -/+ the conformal quantile at alpha = 1 - level,
-- as the engine's Conformal.interval. Checked before the row is scored: the kind (42809), the calibration (55000), the
-- level (22023), the calibration's size (22023); then a NULL input is NULL. A normalized calibration scales the
-- quantile by the row's spread plus the calibration's offset.
CREATE OR REPLACE FUNCTION augur.interval_any(model text, level float8, x float8[], body text) RETURNS float8[]
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; q float8; m float8[]; y float8; c augur.calibrations;
BEGIN
    IF level IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    IF augur.kind_link(d.kind) <> 'identity' THEN
        PERFORM augur.err('42809', format('model ''%s'' is a %s classifier; PREDICT_INTERVAL is for regressors: use '
            || 'PREDICT_SET(model, alpha, ...) for its conformal set of classes', d.name, (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind)));
    END IF;
    q := (augur.conformal_quantiles(r.name, r.version, level, true, 'PREDICT_INTERVAL'))[1];
    m := augur.margins(d, x, body);
    IF m IS NULL THEN RETURN NULL; END IF;
    y := augur.score(d, m);
    SELECT * INTO c FROM augur.calibrations x WHERE x.name = r.name AND x.version = r.version;
    IF c.method = 'normalized' THEN
        q := q * (augur.spread(d, m) + c.spread_offset);
    END IF;
    RETURN ARRAY[y - q, y + q];
END $$;
