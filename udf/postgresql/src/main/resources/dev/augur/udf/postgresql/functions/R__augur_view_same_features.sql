-- whether two model versions have the same feature function (H2's HolderBound.between compares the encoded
-- feature functions): only then does a row keep its feature vector, and a Hölder bound hold, across them
CREATE OR REPLACE FUNCTION augur.view_same_features(a augur.model_defs, d augur.model_defs) RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
BEGIN
    IF a.feature_type <> d.feature_type OR a.inputs <> d.inputs OR a.dimension <> d.dimension THEN
        RETURN false;
    END IF;
    IF a.feature_type = 'dense' THEN
        RETURN true;
    END IF;
    IF a.weighting <> d.weighting OR a.ngrams <> d.ngrams OR a.hash_bits <> d.hash_bits OR a.normalize <> d.normalize THEN
        RETURN false;
    END IF;
    RETURN NOT EXISTS (
        SELECT 1
        FROM (SELECT mt.feature, mt.term, mt.idf FROM augur.model_terms mt WHERE mt.name = a.name AND mt.version = a.version) x
        FULL JOIN (SELECT mt.feature, mt.term, mt.idf FROM augur.model_terms mt WHERE mt.name = d.name AND mt.version = d.version) y
            ON y.feature = x.feature
        WHERE x.feature IS NULL OR y.feature IS NULL OR x.term IS DISTINCT FROM y.term
           OR (a.weighting = 'tfidf' AND x.idf IS DISTINCT FROM y.idf));
END $$;
