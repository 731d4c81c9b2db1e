-- ------------------------------------------------------------------------------------------------ features

-- the engine's bag_of_words(col) of a classification view: binary unigrams hashed by FNV-1a into 2^bits buckets,
-- L2-normalized (BagOfWords.vectorize): sorted distinct buckets, each 1/sqrt(count). NULL for a NULL text.
CREATE OR REPLACE FUNCTION augur.cv_bow(body text, bits integer, OUT idx integer[], OUT val float8[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE n integer;
BEGIN
    IF body IS NULL THEN
        RETURN;
    END IF;
    SELECT coalesce(pg_catalog.array_agg(g.f ORDER BY g.f), '{}') INTO idx
    FROM (SELECT DISTINCT augur.fnv1a(t.term, bits) AS f FROM (SELECT DISTINCT u AS term FROM pg_catalog.unnest(augur.tokens(body)) u) t) g;
    n := pg_catalog.cardinality(idx);
    val := CASE WHEN n = 0 THEN '{}'::float8[] ELSE pg_catalog.array_fill(1.0::float8 / sqrt(n::float8), ARRAY[n]) END;
END $$;
