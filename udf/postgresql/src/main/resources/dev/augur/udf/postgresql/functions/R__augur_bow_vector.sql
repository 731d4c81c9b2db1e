-- the feature vector of a text: (feature, value, first term that falls in the feature)
CREATE OR REPLACE FUNCTION augur.bow_vector(p_name text, p_version integer, body text)
RETURNS TABLE (feature integer, value float8, first_term text) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE d augur.model_defs;
BEGIN
    SELECT * INTO d FROM augur.model_defs m WHERE m.name = p_name AND m.version = p_version;
    RETURN QUERY
    WITH t AS (
        SELECT x.pos, x.term FROM augur.terms(body, d.ngrams) x
    ), idx AS (
        SELECT CASE WHEN d.hash_bits > 0 THEN augur.fnv1a(t.term, d.hash_bits) ELSE mt.feature END AS f, t.pos, t.term
        FROM t LEFT JOIN augur.model_terms mt
          ON d.hash_bits = 0 AND mt.name = p_name AND mt.version = p_version AND mt.term = t.term
    ), counts AS (
        SELECT idx.f, count(*)::float8 AS c, min(idx.pos) AS fp FROM idx WHERE idx.f IS NOT NULL GROUP BY idx.f
    ), vals AS (
        SELECT counts.f, counts.fp,
               CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN counts.c ELSE counts.c * mi.idf END AS v
        FROM counts LEFT JOIN augur.model_terms mi
          ON d.weighting = 'tfidf' AND mi.name = p_name AND mi.version = p_version AND mi.feature = counts.f
    ), norm AS (
        SELECT sum(vals.v * vals.v) AS ss FROM vals
    )
    SELECT vals.f, CASE WHEN d.normalize AND norm.ss > 0 THEN vals.v * (1.0::float8 / sqrt(norm.ss)) ELSE vals.v END,
           (SELECT t.term FROM t WHERE t.pos = vals.fp)
    FROM vals, norm;
END $$;
