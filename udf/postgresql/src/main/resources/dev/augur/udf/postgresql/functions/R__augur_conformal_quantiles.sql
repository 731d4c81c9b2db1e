-- The conformal quantile of every stratum of a calibrated version at miscoverage alpha (one for split, one per class in
-- the model's order for Mondrian), as the engine's Calibration.quantile: the conformal_rank-th smallest stored score;
-- 55000 when the version is not calibrated, 22023 naming the smallest calibration set when a stratum is too small.
-- p_value is PREDICT_SET's alpha or PREDICT_INTERVAL's level (p_level), checked once the calibration is found, as the
-- engine checks it; p_function names the caller in the messages.
CREATE OR REPLACE FUNCTION augur.conformal_quantiles(p_name text, p_version integer, p_value float8, p_level boolean, p_function text)
RETURNS float8[] LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE meth text; s record; k bigint; q float8[] := '{}'; alpha float8;
    p_asked text := CASE WHEN p_level THEN 'level ' ELSE 'alpha ' END || augur.fmt(p_value);
BEGIN
    SELECT c.method INTO meth FROM augur.calibrations c WHERE c.name = p_name AND c.version = p_version;
    IF meth IS NULL THEN
        PERFORM augur.err('55000', pg_catalog.format('model ''%s'' version %s is not calibrated, and %s gives a conformal guarantee only from a '
            || 'calibration: run AUGUR.CALIBRATE_MODEL(''%s'', %s, ''SELECT <inputs>, <label> FROM <held-out rows>'') and deploy '
            || '(or pin as ''%s@<version>'') the version it returns', p_name, p_version, p_function, p_name, p_version, p_name));
    END IF;
    alpha := augur.conformal_alpha(p_value, p_level);
    FOR s IN SELECT cs.class_label, cs.n, cs.scores FROM augur.calibration_scores cs
             WHERE cs.name = p_name AND cs.version = p_version ORDER BY cs.stratum LOOP
        k := augur.conformal_rank(s.n, alpha);
        IF k > s.n THEN
            PERFORM augur.err('22023', pg_catalog.format('model ''%s'' version %s is calibrated on %s row%s%s, too few for %s: a conformal guarantee '
                || 'at %s needs at least %s calibration rows%s; calibrate on more rows or use a larger alpha', p_name, p_version, s.n,
                CASE WHEN s.n = 1 THEN '' ELSE 's' END, CASE WHEN meth = 'split' THEN '' ELSE pg_catalog.format(' of class ''%s''', s.class_label) END,
                p_asked, p_asked, augur.conformal_minimum(alpha), CASE WHEN meth = 'split' THEN '' ELSE ' per class' END));
        END IF;
        q := q || s.scores[k];
    END LOOP;
    RETURN q;
END $$;
