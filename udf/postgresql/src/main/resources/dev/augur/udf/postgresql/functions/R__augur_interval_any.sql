-- PREDICT_INTERVAL for dense inputs x or text body: {lower, upper} = score -/+ the conformal quantile at alpha = 1 - level,
-- as the engine's Conformal.interval. Checked before the row is scored: the kind (42809), the calibration (55000), the
-- level (22023), the calibration's size (22023); then a NULL input is NULL. A normalized calibration scales the
-- quantile by the row's spread plus the calibration's offset; a CQR calibration widens a quantile model's trained
-- interval by it. An uncalibrated kind with an interval of its own (kinds().model_interval) answers it instead
-- (Conformal.checkModelInterval, Evaluation.modelInterval): a posterior's mean -/+ z sd, z = Φ⁻¹((1 + level)/2); a
-- quantile model's trained interval, at its trained level only (22023 otherwise).
CREATE OR REPLACE FUNCTION augur.interval_any(model text, level float8, x float8[], body text) RETURNS float8[]
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; q float8; m float8[]; y float8; c augur.calibrations; trained float8[];
BEGIN
    IF level IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    IF augur.kind_link(d.kind) <> 'identity' THEN
        PERFORM augur.err('42809', pg_catalog.format('model ''%s'' is a %s classifier; PREDICT_INTERVAL is for regressors: use '
            || 'PREDICT_SET(model, alpha, ...) for its conformal set of classes', d.name, (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind)));
    END IF;
    SELECT * INTO c FROM augur.calibrations x WHERE x.name = r.name AND x.version = r.version;
    IF c.method IS NULL AND (SELECT k.model_interval FROM augur.kinds() k WHERE k.name = d.kind) THEN
        PERFORM augur.conformal_alpha(level, true);
        IF augur.kind_uncertainty(d.kind) = 'quantiles' AND level <> d.bias[4] THEN
            PERFORM augur.err('22023', pg_catalog.format('model ''%s'' is a quantile model trained for level %s and is not calibrated: its own '
                || 'interval answers level %s only, got %s; calibrate it (AUGUR.CALIBRATE_MODEL, conformalized quantile regression) '
                || 'for any level', d.name, augur.fmt(d.bias[4]), augur.fmt(d.bias[4]), augur.fmt(level)));
        END IF;
        m := augur.margins(d, x, body);
        IF m IS NULL THEN RETURN NULL; END IF;
        IF augur.kind_uncertainty(d.kind) = 'quantiles' THEN
            RETURN augur.quantile_interval(m);
        END IF;
        q := augur.normal_quantile((1 + level) / 2) * augur.spread(d, m);
        RETURN ARRAY[m[1] - q, m[1] + q];
    END IF;
    q := (augur.conformal_quantiles(r.name, r.version, level, true, 'PREDICT_INTERVAL'))[1];
    m := augur.margins(d, x, body);
    IF m IS NULL THEN RETURN NULL; END IF;
    IF c.method = 'cqr' THEN
        trained := augur.quantile_interval(m);
        RETURN ARRAY[trained[1] - q, trained[2] + q];
    END IF;
    y := augur.score(d, m);
    IF c.method = 'normalized' THEN
        q := q * (augur.spread(d, m) + c.spread_offset);
    END IF;
    RETURN ARRAY[y - q, y + q];
END $$;
