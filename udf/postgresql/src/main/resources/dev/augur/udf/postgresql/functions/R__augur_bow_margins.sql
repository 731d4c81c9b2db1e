-- the margins of a bag-of-words model for a (non-NULL) text: one per output
CREATE OR REPLACE FUNCTION augur.bow_margins(d augur.model_defs, body text) RETURNS float8[] LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE
    terms text[];
    s float8;      -- sum of weight x value over the text's features
    ss float8;     -- sum of value^2 (for the L2 norm)
    fs integer[];
    vs float8[];
    inv float8 := 1.0;
    m float8[];
BEGIN
    IF d.ngrams = 1 THEN
        terms := augur.tokens(body);
    ELSE
        terms := augur.term_array(body, d.ngrams);
    END IF;
    IF d.outputs = 1 AND d.hash_bits = 0 AND d.weighting <> 'tfidf' THEN
        -- vocabulary, binary or tf: per distinct term, one probe returning its weight (NULL out of vocabulary)
        SELECT sum(CASE d.weighting WHEN 'binary' THEN g.w ELSE g.w * g.c END),
               sum(CASE d.weighting WHEN 'binary' THEN 1.0::float8 ELSE g.c * g.c END) INTO s, ss
        FROM (SELECT count(*)::float8 AS c,
                     (SELECT coalesce(mw.weight, 0.0::float8)
                      FROM augur.model_terms mt
                      LEFT JOIN augur.model_weights mw ON mw.name = d.name AND mw.version = d.version
                                                      AND mw.feature = mt.feature AND mw.output = 0
                      WHERE mt.name = d.name AND mt.version = d.version AND mt.term = u.t) AS w
              FROM pg_catalog.unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
        WHERE g.w IS NOT NULL;
    ELSIF d.outputs = 1 AND d.hash_bits = 0 THEN
        -- vocabulary, tf-idf: per distinct term, one probe returning [idf, weight] (NULL when out of vocabulary)
        SELECT sum(x.v * x.w), sum(x.v * x.v) INTO s, ss
        FROM (SELECT CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c ELSE g.c * g.y[1] END AS v, g.y[2] AS w
              FROM (SELECT count(*)::float8 AS c,
                           (SELECT ARRAY[mt.idf, coalesce(mw.weight, 0.0::float8)]
                            FROM augur.model_terms mt
                            LEFT JOIN augur.model_weights mw ON mw.name = d.name AND mw.version = d.version
                                                            AND mw.feature = mt.feature AND mw.output = 0
                            WHERE mt.name = d.name AND mt.version = d.version AND mt.term = u.t) AS y
                    FROM pg_catalog.unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
              WHERE g.y IS NOT NULL OFFSET 0) x;
    ELSIF d.outputs = 1 THEN
        -- hashing: per distinct bucket, its idf (tf-idf only) and its weight
        SELECT sum(x.v * coalesce((SELECT mw.weight FROM augur.model_weights mw WHERE mw.name = d.name AND mw.version = d.version
                                                                               AND mw.feature = x.f AND mw.output = 0), 0.0::float8)),
               sum(x.v * x.v) INTO s, ss
        FROM (SELECT g.f, CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c
                          ELSE g.c * (SELECT mi.idf FROM augur.model_terms mi WHERE mi.name = d.name AND mi.version = d.version
                                                                             AND mi.feature = g.f) END AS v
              FROM (SELECT augur.fnv1a(u.t, d.hash_bits) AS f, count(*)::float8 AS c FROM pg_catalog.unnest(terms) AS u(t) GROUP BY 1) g
              OFFSET 0) x;
    ELSE
        -- several outputs (softmax): the feature vector first, then the weights of its features
        IF d.hash_bits = 0 THEN
            SELECT pg_catalog.array_agg(x.f), pg_catalog.array_agg(x.v) INTO fs, vs
            FROM (SELECT g.y[1]::integer AS f,
                         CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c ELSE g.c * g.y[2] END AS v
                  FROM (SELECT count(*)::float8 AS c,
                               (SELECT ARRAY[mt.feature, mt.idf] FROM augur.model_terms mt
                                WHERE mt.name = d.name AND mt.version = d.version AND mt.term = u.t) AS y
                        FROM pg_catalog.unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
                  WHERE g.y IS NOT NULL) x;
        ELSE
            SELECT pg_catalog.array_agg(g.f), pg_catalog.array_agg(CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c
                          ELSE g.c * (SELECT mi.idf FROM augur.model_terms mi WHERE mi.name = d.name AND mi.version = d.version
                                                                             AND mi.feature = g.f) END) INTO fs, vs
            FROM (SELECT augur.fnv1a(u.t, d.hash_bits) AS f, count(*)::float8 AS c FROM pg_catalog.unnest(terms) AS u(t) GROUP BY 1) g;
        END IF;
        SELECT sum(v * v) INTO ss FROM pg_catalog.unnest(vs) AS v;
        IF d.normalize AND ss > 0 THEN
            inv := 1.0::float8 / sqrt(ss);
        END IF;
        -- a diagonal posterior's variance row (output 1 of a Bayesian kind) is bias + Σ v_i x_i², every other row a margin
        SELECT pg_catalog.array_agg(d.bias[o] + coalesce(t.s, 0) ORDER BY o) INTO m
        FROM generate_series(1, d.outputs) AS o
        LEFT JOIN (SELECT mw.output, sum(mw.weight * CASE WHEN mw.output = 1 AND augur.kind_uncertainty(d.kind) = 'posterior'
                                                        THEN (x.v * inv) * (x.v * inv) ELSE x.v * inv END) AS s
                   FROM unnest(fs, vs) AS x(f, v)
                   JOIN augur.model_weights mw ON mw.name = d.name AND mw.version = d.version AND mw.feature = x.f
                   GROUP BY mw.output) t ON t.output = o - 1;
        RETURN m;
    END IF;
    IF d.normalize AND ss > 0 THEN
        s := s * (1.0::float8 / sqrt(ss));
    END IF;
    RETURN ARRAY[d.bias[1] + coalesce(s, 0.0::float8)];
END $$;
