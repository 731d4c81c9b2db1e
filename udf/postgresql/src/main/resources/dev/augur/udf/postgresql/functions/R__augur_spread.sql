-- PREDICT_STDDEV from the margins of one row: an ensemble's spread; a posterior's deviation (a regressor's predictive
-- sqrt(s² + σ²), σ its last row's margin; a classifier's margin deviation s); one plain model has none (22023, as the
-- engine says)
CREATE OR REPLACE FUNCTION augur.spread(d augur.model_defs, m float8[]) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF NOT (SELECT k.spread FROM augur.kinds() k WHERE k.name = d.kind) THEN
        PERFORM augur.err('22023', pg_catalog.format('model ''%s'' is one %s model, not an ensemble, and has no spread; PREDICT_STDDEV needs a '
            || 'bagged or Bayesian kind (%s)', d.name, (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind),
            (SELECT string_agg(k.name, ', ' ORDER BY k.id) FROM augur.kinds() k WHERE k.spread)));
    END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    IF augur.kind_uncertainty(d.kind) = 'posterior' THEN
        RETURN sqrt(augur.posterior_variance(d, m)
            + CASE WHEN augur.kind_link(d.kind) = 'identity' THEN m[d.outputs] * m[d.outputs] ELSE 0::float8 END);
    END IF;
    RETURN augur.ensemble_spread(augur.kind_link(d.kind), m);
END $$;
