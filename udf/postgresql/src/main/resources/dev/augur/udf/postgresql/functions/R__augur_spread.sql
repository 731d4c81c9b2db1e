-- PREDICT_STDDEV from the margins of one row: an ensemble's spread; one model has none (22023, as the engine says)
CREATE OR REPLACE FUNCTION augur.spread(d augur.model_defs, m float8[]) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF NOT augur.kind_ensemble(d.kind) THEN
        PERFORM augur.err('22023', format('model ''%s'' is one %s model, not an ensemble, and has no spread; PREDICT_STDDEV needs a '
            || 'bagged kind (%s)', d.name, (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind),
            (SELECT string_agg(k.name, ', ' ORDER BY k.id) FROM augur.kinds() k WHERE k.ensemble)));
    END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    RETURN augur.ensemble_spread(augur.kind_link(d.kind), m);
END $$;
