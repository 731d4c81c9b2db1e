-- Fast bag-of-words scoring on PostgreSQL. V1 scored a text through augur.bow_vector (a PL/pgSQL function
-- returning a table: window functions for the n-grams, a LEFT JOIN of every term to the vocabulary, per-row
-- CTEs) and a second join to the weights: ~0.9 ms for a document of 20 terms. Now augur.margins hands a
-- bag-of-words model to augur.bow_margins, which scores the text set-based: the terms as one array (the same
-- tokenizer, augur.tokens, so tokenization stays byte-identical), grouped with their counts, and for each
-- distinct term one scalar subquery that probes the indexes (model_terms by term, model_weights by feature),
-- so the plan never depends on the size of the catalog. PREDICT, PREDICT_LABEL, PREDICT_PROBA (and the margins
-- PREDICT_EXPLAIN reports) all take it.

-- the terms of a text as the engine enumerates them, as an array: each token followed by the n-grams that start
-- there (augur.terms gives the same terms, with their positions, for PREDICT_EXPLAIN)
CREATE FUNCTION augur.term_array(body text, ngrams integer) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN ngrams = 1 THEN augur.tokens(body) ELSE ARRAY(
        SELECT array_to_string(t.a[i : i + k - 1], ' ')
        FROM (SELECT augur.tokens(body) AS a) t, generate_series(1, cardinality(t.a)) i, generate_series(1, ngrams) k
        WHERE i + k - 1 <= cardinality(t.a)
        ORDER BY i, k) END
$$;

-- the margins of a bag-of-words model for a (non-NULL) text: one per output
CREATE FUNCTION augur.bow_margins(d augur.model_defs, body text) RETURNS float8[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
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
              FROM unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
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
                    FROM unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
              WHERE g.y IS NOT NULL OFFSET 0) x;
    ELSIF d.outputs = 1 THEN
        -- hashing: per distinct bucket, its idf (tf-idf only) and its weight
        SELECT sum(x.v * coalesce((SELECT mw.weight FROM augur.model_weights mw WHERE mw.name = d.name AND mw.version = d.version
                                                                               AND mw.feature = x.f AND mw.output = 0), 0.0::float8)),
               sum(x.v * x.v) INTO s, ss
        FROM (SELECT g.f, CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c
                          ELSE g.c * (SELECT mi.idf FROM augur.model_terms mi WHERE mi.name = d.name AND mi.version = d.version
                                                                             AND mi.feature = g.f) END AS v
              FROM (SELECT augur.fnv1a(u.t, d.hash_bits) AS f, count(*)::float8 AS c FROM unnest(terms) AS u(t) GROUP BY 1) g
              OFFSET 0) x;
    ELSE
        -- several outputs (softmax): the feature vector first, then the weights of its features
        IF d.hash_bits = 0 THEN
            SELECT array_agg(x.f), array_agg(x.v) INTO fs, vs
            FROM (SELECT g.y[1]::integer AS f,
                         CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c ELSE g.c * g.y[2] END AS v
                  FROM (SELECT count(*)::float8 AS c,
                               (SELECT ARRAY[mt.feature, mt.idf] FROM augur.model_terms mt
                                WHERE mt.name = d.name AND mt.version = d.version AND mt.term = u.t) AS y
                        FROM unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
                  WHERE g.y IS NOT NULL) x;
        ELSE
            SELECT array_agg(g.f), array_agg(CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c
                          ELSE g.c * (SELECT mi.idf FROM augur.model_terms mi WHERE mi.name = d.name AND mi.version = d.version
                                                                             AND mi.feature = g.f) END) INTO fs, vs
            FROM (SELECT augur.fnv1a(u.t, d.hash_bits) AS f, count(*)::float8 AS c FROM unnest(terms) AS u(t) GROUP BY 1) g;
        END IF;
        SELECT sum(v * v) INTO ss FROM unnest(vs) AS v;
        IF d.normalize AND ss > 0 THEN
            inv := 1.0::float8 / sqrt(ss);
        END IF;
        SELECT array_agg(d.bias[o] + coalesce(t.s, 0) ORDER BY o) INTO m
        FROM generate_series(1, d.outputs) AS o
        LEFT JOIN (SELECT mw.output, sum(mw.weight * (x.v * inv)) AS s
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

-- as in V1, but a bag-of-words model is scored by augur.bow_margins
CREATE OR REPLACE FUNCTION augur.margins(d augur.model_defs, x float8[], body text) RETURNS float8[]
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    n integer := CASE WHEN body IS NOT NULL OR x IS NULL THEN 1 ELSE cardinality(x) END;
    m float8[];
    acc float8;
BEGIN
    IF n <> cardinality(d.inputs) THEN
        PERFORM augur.wrong_arity(d, n);
    END IF;
    IF x IS NULL AND body IS NULL OR x IS NOT NULL AND array_position(x, NULL) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF d.feature_type = 'bag_of_words' THEN
        IF body IS NULL THEN
            PERFORM augur.wrong_type(d.name, d.inputs[1], 'text', 'Double ' || augur.fmt(x[1]));
        END IF;
        RETURN augur.bow_margins(d, body);
    END IF;
    IF body IS NOT NULL THEN
        BEGIN
            x := ARRAY[trim(body)::float8];
        EXCEPTION WHEN invalid_text_representation THEN
            PERFORM augur.wrong_type(d.name, d.inputs[1], 'a number', 'text ''' ||
                CASE WHEN length(body) <= 40 THEN body ELSE substr(body, 1, 40) || '...' END || '''');
        END;
    END IF;
    FOR i IN 1 .. n LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            PERFORM augur.nonfinite(d.name, d.inputs[i], x[i]);
        END IF;
    END LOOP;
    m := '{}';
    FOR o IN 0 .. d.outputs - 1 LOOP
        acc := d.bias[o + 1];
        FOR i IN 1 .. n LOOP
            acc := acc + d.weights[o * n + i] * x[i];
        END LOOP;
        m := m || acc;
    END LOOP;
    RETURN m;
END $$;

-- PREDICT(model, text), generated like the dense PREDICT: one arm per bag-of-words version (and one for the
-- deployed version's bare name) that calls augur.bow_margins with the model's definition as a constant, so a
-- constant model name folds to that call with no per-row resolution. Softmax models, names no arm covers and
-- dense models given text keep the general path (augur.predict_any). Rewritten by triggers whenever a model
-- version appears or disappears or a deployment changes, only when the text of the function would change.
CREATE FUNCTION augur.regenerate_bow_predict() RETURNS void LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    arms text := '';
    expr text;
    body text;
    r record;
BEGIN
    FOR r IN SELECT md AS def, md.name, md.version, md.kind, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'bag_of_words' AND md.kind <> 'softmax'
             ORDER BY md.name, md.version LOOP
        expr := format('(augur.bow_margins(%L::augur.model_defs, x1))[1]', r.def::text);
        IF r.kind <> 'linear' THEN
            expr := format('augur.sigmoid(%s)', expr);
        END IF;
        expr := format('CASE WHEN x1 IS NULL THEN NULL::float8 ELSE %s END', expr);
        arms := arms || format(' WHEN %L THEN %s', r.name || '@' || r.version, expr);
        IF r.is_deployed THEN
            arms := arms || format(' WHEN %L THEN %s', r.name, expr);
        END IF;
    END LOOP;
    body := 'SELECT ' || CASE WHEN arms = '' THEN '' ELSE 'CASE model' || arms || ' ELSE ' END
        || 'augur.predict_any(model, NULL, x1)' || CASE WHEN arms = '' THEN '' ELSE ' END' END;
    IF body IS DISTINCT FROM (SELECT p.prosrc FROM pg_catalog.pg_proc p
                              WHERE p.oid = 'public.predict(text, text)'::pg_catalog.regprocedure) THEN
        EXECUTE format('CREATE OR REPLACE FUNCTION public.predict(model text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS %L',
            body);
    END IF;
END $$;

CREATE FUNCTION augur.bow_predict_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM augur.regenerate_bow_predict();
    RETURN NULL;
END $$;

CREATE TRIGGER model_defs_bow_predict AFTER INSERT OR DELETE ON augur.model_defs
    FOR EACH STATEMENT EXECUTE FUNCTION augur.bow_predict_changed();
CREATE TRIGGER deployed_bow_predict AFTER INSERT OR UPDATE OR DELETE ON augur.deployed
    FOR EACH STATEMENT EXECUTE FUNCTION augur.bow_predict_changed();

-- as in V2, and PREDICT(model, text) too
CREATE OR REPLACE FUNCTION augur.sync_predict() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE n integer; k integer := 0;
BEGIN
    PERFORM augur.lock();
    FOR n IN SELECT DISTINCT cardinality(inputs) FROM augur.model_defs WHERE feature_type = 'dense' ORDER BY 1 LOOP
        PERFORM augur.regenerate_predict(n);
        k := k + 1;
    END LOOP;
    PERFORM augur.regenerate_bow_predict();
    RETURN k;
END $$;

REVOKE EXECUTE ON FUNCTION augur.regenerate_bow_predict() FROM PUBLIC;

SELECT augur.regenerate_bow_predict();

-- The probes above are planned from the catalog's statistics: fresh statistics as soon as a model's weights are
-- written, so the first query after a registration does not plan with the empty tables' (seq scans per term).
CREATE FUNCTION augur.analyze_bow_tables() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    ANALYZE augur.model_terms;
    ANALYZE augur.model_weights;
    RETURN NULL;
END $$;

CREATE TRIGGER model_weights_analyze AFTER INSERT ON augur.model_weights
    FOR EACH STATEMENT EXECUTE FUNCTION augur.analyze_bow_tables();
