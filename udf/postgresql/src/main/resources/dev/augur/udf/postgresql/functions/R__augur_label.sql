CREATE OR REPLACE FUNCTION augur.label(d augur.model_defs, m float8[]) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF augur.kind_link(d.kind) = 'identity' THEN
        PERFORM augur.err('22023', pg_catalog.format('model ''%s'' is a %s model and has no labels; use PREDICT for its value', d.name,
            (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind)));
    END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    IF augur.kind_ensemble(d.kind) THEN
        -- BaggedEnsemble.labelOf: the side of 1/2 the members' mean probability falls on
        RETURN d.classes[CASE WHEN augur.ensemble_mean(augur.kind_link(d.kind), m) >= 0.5 THEN 2 ELSE 1 END];
    END IF;
    IF augur.kind_link(d.kind) = 'softmax' THEN RETURN d.classes[augur.argmax(m)]; END IF;
    RETURN d.classes[CASE WHEN m[1] >= 0 THEN 2 ELSE 1 END];
END $$;
