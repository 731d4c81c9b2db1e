-- PREDICT_SET of one row from its margins m, as the engine's Conformal.predictionSet: the classes c, in the model's
-- order, whose nonconformity 1 - p(c) is at most the quantile q (one for every class: split; one per class: Mondrian).
CREATE OR REPLACE FUNCTION augur.conformal_set(d augur.model_defs, q float8[], m float8[]) RETURNS text[]
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE out text[] := '{}';
BEGIN
    IF m IS NULL THEN RETURN NULL; END IF;
    FOR c IN 1 .. pg_catalog.cardinality(d.classes) LOOP
        IF 1 - augur.proba(d, d.classes[c], m) <= q[CASE WHEN pg_catalog.cardinality(q) = 1 THEN 1 ELSE c END] THEN
            out := out || d.classes[c];
        END IF;
    END LOOP;
    RETURN out;
END $$;
