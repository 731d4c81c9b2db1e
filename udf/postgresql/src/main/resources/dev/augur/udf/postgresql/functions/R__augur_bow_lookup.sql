-- The vocabulary of a single-output bag-of-words version as one jsonb object, term -> weight (binary, tf) or
-- term -> [idf, weight] (tfidf); a term without a weight row weighs 0 (it still counts in the L2 norm).
-- IMMUTABLE (a version's terms and weights never change: a re-registered name@version has another SHA-256 and so
-- another augur.bow_score_* function) so that the planner folds a call with constant arguments into a constant:
-- each generated augur.bow_score_* function calls it in a PL/pgSQL simple expression, whose plan the session keeps,
-- so a session builds a version's lookup once, not per statement or per row. Read as the caller (augur_user reads the
-- terms and weights): the object lives in plans, never in pg_proc. extra_float_digits = 3: each weight's text is
-- the shortest that reads back as the same float8, whatever the session set.
CREATE OR REPLACE FUNCTION augur.bow_lookup(nm text, ver integer) RETURNS jsonb LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE
SET extra_float_digits = 3 AS $$
DECLARE tfidf boolean;
        j jsonb;
BEGIN
    SELECT d.weighting = 'tfidf' INTO tfidf FROM augur.model_defs d WHERE d.name = nm AND d.version = ver;
    SELECT coalesce(jsonb_object_agg(mt.term, CASE WHEN tfidf THEN jsonb_build_array(mt.idf, coalesce(mw.weight, 0.0::float8))
                                                    ELSE pg_catalog.to_jsonb(coalesce(mw.weight, 0.0::float8)) END), '{}'::jsonb) INTO j
    FROM augur.model_terms mt
    LEFT JOIN augur.model_weights mw ON mw.name = mt.name AND mw.version = mt.version AND mw.feature = mt.feature AND mw.output = 0
    WHERE mt.name = nm AND mt.version = ver;
    RETURN j;
END $$;
