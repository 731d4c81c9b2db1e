-- Registers a calibrated copy of version p_from of a model: a new version with the same payload, definition and
-- weights, carrying the nonconformity scores (p_scores, each of stratum p_strata: 0 for split, the class's position for
-- Mondrian), sorted per stratum; AUGUR.MODELS.CALIBRATION says how. Returns the new version (not deployed). Run as the
-- catalog's owner (SECURITY DEFINER; augur_admin's): only here are the calibration tables written.
-- (p_offset: a normalized calibration's offset added to every spread; NULL otherwise)
DROP FUNCTION IF EXISTS augur.calibration_register(text, integer, text, integer[], float8[]);
CREATE OR REPLACE FUNCTION augur.calibration_register(p_name text, p_from integer, p_method text, p_strata integer[], p_scores float8[],
    p_offset float8)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); d augur.model_defs; ver integer; k integer; missing text; pooled boolean;
BEGIN
    PERFORM augur.lock();
    PERFORM augur.require_version(nm, p_from);
    d := augur.defs(nm, p_from);
    -- a quantile model's pooled calibration is CQR; a regressor with a spread may be normalized
    IF p_method IS NULL OR p_method NOT IN ('split', 'mondrian', 'normalized', 'cqr') OR p_method = 'mondrian' AND augur.kind_link(d.kind) = 'identity'
       OR p_method = 'normalized' AND NOT (augur.kind_link(d.kind) = 'identity' AND (SELECT k.spread FROM augur.kinds() k WHERE k.name = d.kind))
       OR (p_method = 'cqr') IS DISTINCT FROM (augur.kind_uncertainty(d.kind) = 'quantiles') AND p_method <> 'mondrian' AND p_method <> 'normalized' THEN
        PERFORM augur.err('22023', pg_catalog.format('unknown calibration method ''%s'' for a %s model; methods: %s', p_method, d.kind,
            CASE WHEN augur.kind_uncertainty(d.kind) = 'quantiles' THEN 'cqr'
                 WHEN augur.kind_link(d.kind) <> 'identity' THEN 'split, mondrian'
                 WHEN (SELECT k.spread FROM augur.kinds() k WHERE k.name = d.kind) THEN 'split, normalized' ELSE 'split' END));
    END IF;
    IF (p_method = 'normalized') IS DISTINCT FROM (p_offset IS NOT NULL) OR p_method = 'normalized' AND NOT (p_offset > 0 AND p_offset <= 1.7976931348623157e308) THEN
        PERFORM augur.err('22023', 'a normalized calibration needs a positive, finite spread offset, and only it has one');
    END IF;
    -- a pooled method (split, normalized) keeps stratum 0; Mondrian one per class
    pooled := p_method <> 'mondrian';
    k := CASE WHEN pooled THEN 0 ELSE pg_catalog.cardinality(d.classes) END;
    IF pg_catalog.cardinality(p_strata) IS DISTINCT FROM pg_catalog.cardinality(p_scores)
       OR EXISTS (SELECT 1 FROM unnest(p_strata, p_scores) u(s, v)
                  WHERE s IS NULL OR v IS NULL OR NOT (abs(v) <= 1.7976931348623157e308)
                     OR CASE WHEN pooled THEN s <> 0 ELSE s NOT BETWEEN 1 AND k END) THEN
        PERFORM augur.err('22023', 'calibration scores must be finite, one per stratum (0 for split, a class''s position for mondrian)');
    END IF;
    SELECT string_agg(CASE WHEN pooled THEN '' ELSE pg_catalog.format(' of class ''%s''', d.classes[s]) END, ',') INTO missing
    FROM generate_series(CASE WHEN pooled THEN 0 ELSE 1 END, k) s
    WHERE s <> ALL (coalesce(p_strata, '{}'));
    IF missing IS NOT NULL THEN
        PERFORM augur.err('22023', pg_catalog.format('the calibration query for model ''%s'' has no rows without NULL%s', nm,
            CASE WHEN pooled THEN '' ELSE split_part(missing, ',', 1) || '; Mondrian calibration needs examples of every class' END));
    END IF;
    ver := augur.latest(nm) + 1;
    INSERT INTO augur.models (name, version, kind, inputs, classes, spec, sha256, payload_bytes, source, calibration, interval_source)
    SELECT m.name, ver, m.kind, m.inputs, m.classes, m.spec, m.sha256, m.payload_bytes, 'calibrate', p_method,
           CASE WHEN augur.kind_link(d.kind) = 'identity' THEN 'conformal' END
    FROM augur.models m WHERE m.name = nm AND m.version = p_from;
    INSERT INTO augur.model_payloads (name, version, payload)
    SELECT p.name, ver, p.payload FROM augur.model_payloads p WHERE p.name = nm AND p.version = p_from;
    INSERT INTO augur.model_defs (name, version, kind, feature_type, inputs, classes, outputs, dimension, bias, weights,
                                  weighting, ngrams, hash_bits, normalize)
    SELECT x.name, ver, x.kind, x.feature_type, x.inputs, x.classes, x.outputs, x.dimension, x.bias, x.weights,
           x.weighting, x.ngrams, x.hash_bits, x.normalize
    FROM augur.model_defs x WHERE x.name = nm AND x.version = p_from;
    INSERT INTO augur.model_terms (name, version, feature, term, idf)
    SELECT t.name, ver, t.feature, t.term, t.idf FROM augur.model_terms t WHERE t.name = nm AND t.version = p_from;
    INSERT INTO augur.model_weights (name, version, feature, output, weight)
    SELECT w.name, ver, w.feature, w.output, w.weight FROM augur.model_weights w WHERE w.name = nm AND w.version = p_from;
    INSERT INTO augur.calibrations (name, version, method, calibrated_from, rows_used, spread_offset)
    VALUES (nm, ver, p_method, p_from, pg_catalog.cardinality(p_scores), p_offset);
    INSERT INTO augur.calibration_scores (name, version, stratum, class_label, n, scores)
    SELECT nm, ver, u.s, CASE WHEN u.s = 0 THEN NULL ELSE d.classes[u.s] END, count(*), pg_catalog.array_agg(u.v ORDER BY u.v)
    FROM unnest(p_strata, p_scores) u(s, v) GROUP BY u.s;
    PERFORM augur.monitor_copy_reference(nm, p_from, ver);
    IF d.feature_type = 'dense' THEN
        PERFORM augur.regenerate_predict(pg_catalog.cardinality(d.inputs));
    END IF;
    RETURN ver;
END $$;
