-- Eager prediction views of bag-of-words models on PostgreSQL, with the same semantics as H2's and as V3's dense
-- views: a row's norms (norm_1, norm_2, norm_inf) are those of its document's feature vector (after weighting and
-- L2 normalization); margins and scores are PREDICT's (augur.bow_margins, as the generated PREDICT(model, text));
-- the data trigger keeps the view exact in the same transaction; deploys and rollbacks maintain it with the Hölder
-- bound min(‖Δw‖∞·norm_1, ‖Δw‖₂·norm_2, ‖Δw‖₁·norm_inf) + |Δb| over the models' (sparse) weight vectors, which
-- holds only between versions with the same feature function (weighting, n-grams, hashing, normalization,
-- vocabulary and idf): any other change re-scores the whole view (and re-computes its norms) and re-anchors.
-- The skiing rule (alpha) is V3's.
--
-- Per view as in V3: augur_vr_<md5> (set-based scoring, the text column compiled in, the model looked up by
-- version) and augur_vt_<md5> (the data trigger, scoring one document through augur.view_score_text).

-- the Hölder norms of a (non-NULL) text's feature vector under a bag-of-words model: ARRAY[norm_1, norm_2, norm_inf],
-- over the same values as the engine's BagOfWords.vectorize (in feature order)
CREATE OR REPLACE FUNCTION augur.bow_norms(d augur.model_defs, body text) RETURNS float8[] LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE
    terms text[] := augur.term_array(body, d.ngrams);
    vs float8[];
    ss float8 := 0;
    inv float8 := 1.0;
    x float8;
    n1 float8 := 0;
    n2 float8 := 0;
    ninf float8 := 0;
BEGIN
    IF d.hash_bits = 0 THEN
        SELECT pg_catalog.array_agg(CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c ELSE g.c * g.y[2] END ORDER BY g.y[1]) INTO vs
        FROM (SELECT count(*)::float8 AS c,
                     (SELECT ARRAY[mt.feature::float8, mt.idf] FROM augur.model_terms mt
                      WHERE mt.name = d.name AND mt.version = d.version AND mt.term = u.t) AS y
              FROM pg_catalog.unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
        WHERE g.y IS NOT NULL;
    ELSE
        SELECT pg_catalog.array_agg(CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c
                         ELSE g.c * (SELECT mi.idf FROM augur.model_terms mi WHERE mi.name = d.name AND mi.version = d.version
                                                                            AND mi.feature = g.f) END ORDER BY g.f) INTO vs
        FROM (SELECT augur.fnv1a(u.t, d.hash_bits) AS f, count(*)::float8 AS c FROM pg_catalog.unnest(terms) AS u(t) GROUP BY 1) g;
    END IF;
    IF vs IS NULL THEN
        RETURN ARRAY[0.0::float8, 0.0::float8, 0.0::float8];
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(vs) LOOP
        ss := ss + vs[i] * vs[i];
    END LOOP;
    IF d.normalize AND ss > 0 THEN
        inv := 1.0::float8 / sqrt(ss);
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(vs) LOOP
        x := CASE WHEN d.normalize AND ss > 0 THEN vs[i] * inv ELSE vs[i] END;
        n1 := n1 + abs(x);
        n2 := n2 + x * x;
        ninf := greatest(ninf, abs(x));
    END LOOP;
    RETURN ARRAY[n1, sqrt(n2), ninf];
END $$;
