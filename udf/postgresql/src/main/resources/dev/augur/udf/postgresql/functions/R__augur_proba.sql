CREATE OR REPLACE FUNCTION augur.proba(d augur.model_defs, clazz text, m float8[]) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE c integer;
BEGIN
    IF augur.kind_link(d.kind) = 'identity' THEN
        PERFORM augur.err('22023', pg_catalog.format('model ''%s'' is a %s model and has no classes; use PREDICT for its value', d.name,
            (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind)));
    END IF;
    c := pg_catalog.array_position(d.classes, clazz);
    IF c IS NULL THEN
        PERFORM augur.err('22023', pg_catalog.format('model ''%s'' has no class ''%s'' (classes: %s)', d.name, clazz, pg_catalog.array_to_string(d.classes, ', ')));
    END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    IF augur.kind_ensemble(d.kind) THEN
        RETURN CASE WHEN c = 2 THEN augur.ensemble_mean(augur.kind_link(d.kind), m) ELSE 1 - augur.ensemble_mean(augur.kind_link(d.kind), m) END;
    END IF;
    IF augur.kind_link(d.kind) = 'softmax' THEN RETURN (augur.softmax(m))[c]; END IF;
    IF augur.kind_uncertainty(d.kind) = 'posterior' THEN
        -- BayesianModel.Logistic: probit-corrected
        RETURN CASE WHEN c = 2 THEN augur.score(d, m) ELSE 1 - augur.score(d, m) END;
    END IF;
    RETURN CASE WHEN c = 2 THEN augur.sigmoid(m[1]) ELSE 1 - augur.sigmoid(m[1]) END;
END $$;
