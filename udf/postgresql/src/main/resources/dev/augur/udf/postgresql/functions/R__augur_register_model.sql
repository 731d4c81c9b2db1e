-- Registers a model from its JSON (the engine's ModelJson shape) under p_name; returns the new version.
-- Writes the payload exactly as the engine encodes it, the catalog rows, the relational form, and regenerates
-- PREDICT for the model's arity.
CREATE OR REPLACE FUNCTION augur.register_model(p_name text, p_json text, p_source text, p_options text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE
    nm text := augur.check_name(p_name);
    j jsonb;
    f jsonb;
    kind text;
    k record;
    kind_id integer;
    twice text;
    ftype text;
    inputs text[];
    classes text[] := '{}';
    outputs integer;
    dim integer;
    weights float8[] := '{}';
    bias float8[];
    weighting text;
    ngrams integer;
    hash_bits integer;
    norm boolean;
    vocab text[] := '{}';
    idf float8[];
    payload bytea;
    sha text;
    ver integer;
    spec text;
BEGIN
    PERFORM augur.lock();
    IF p_json IS NULL THEN
        PERFORM augur.bad_json('the model JSON is NULL');
    END IF;
    BEGIN
        j := p_json::jsonb;
    EXCEPTION WHEN others THEN
        PERFORM augur.bad_json('not valid JSON: ' || SQLERRM);
    END;
    IF jsonb_typeof(j) <> 'object' THEN
        PERFORM augur.bad_json('expected a JSON object');
    END IF;
    IF j ? 'format' AND j ->> 'format' IS DISTINCT FROM 'augur-model' THEN
        PERFORM augur.bad_json('"format" must be "augur-model"');
    END IF;
    IF j ? 'format_version' AND augur.json_int(j, 'format_version', 0) <> 1 THEN
        PERFORM augur.bad_json(pg_catalog.format('"format_version" %s is not supported (expected 1)', j -> 'format_version'));
    END IF;
    PERFORM augur.json_text(j, 'name');
    kind := lower(trim(augur.json_text(j, 'kind')));
    SELECT * INTO k FROM augur.kinds() x WHERE x.name = kind;
    IF NOT FOUND THEN
        PERFORM augur.bad_json(pg_catalog.format('"kind": unknown model kind ''%s''; kinds: %s', j ->> 'kind',
            (SELECT string_agg(x.name, ', ' ORDER BY x.id) FROM augur.kinds() x)));
    END IF;
    kind_id := k.id;
    f := j -> 'features';
    IF f IS NULL OR jsonb_typeof(f) = 'null' THEN
        PERFORM augur.bad_json('missing field "features"');
    END IF;
    ftype := augur.json_text(j, 'features.type');
    IF ftype = 'dense' THEN
        IF jsonb_typeof(f -> 'inputs') IS DISTINCT FROM 'array' OR jsonb_array_length(f -> 'inputs') = 0 THEN
            PERFORM augur.bad_json('"features.inputs" must be a non-empty array of names');
        END IF;
        SELECT pg_catalog.array_agg(e #>> '{}' ORDER BY i) INTO inputs FROM jsonb_array_elements(f -> 'inputs') WITH ORDINALITY t(e, i);
        dim := pg_catalog.cardinality(inputs);
    ELSIF ftype = 'bag_of_words' THEN
        weighting := lower(coalesce(f ->> 'weighting', 'tf'));
        IF weighting NOT IN ('binary', 'tf', 'tfidf') THEN
            PERFORM augur.bad_json(pg_catalog.format('"features": unknown features option ''%s''; use binary, tf or tfidf', f ->> 'weighting'));
        END IF;
        hash_bits := augur.json_int(f, 'hash_bits', 0);
        ngrams := augur.json_int(f, 'ngrams', 1);
        norm := CASE jsonb_typeof(f -> 'normalize') WHEN 'boolean' THEN (f ->> 'normalize')::boolean
                     WHEN 'string' THEN lower(f ->> 'normalize') = 'true' ELSE false END;
        IF jsonb_typeof(f -> 'vocabulary') = 'array' THEN
            SELECT coalesce(pg_catalog.array_agg(e #>> '{}' ORDER BY i), '{}') INTO vocab FROM jsonb_array_elements(f -> 'vocabulary') WITH ORDINALITY t(e, i);
        END IF;
        IF f -> 'idf' IS NOT NULL AND jsonb_typeof(f -> 'idf') <> 'null' THEN
            idf := augur.json_numbers(f -> 'idf', 'features.idf', CASE WHEN jsonb_typeof(f -> 'idf') = 'array' THEN jsonb_array_length(f -> 'idf') ELSE 0 END);
        END IF;
        inputs := ARRAY[augur.json_text(j, 'features.input')];
        IF ngrams < 1 OR ngrams > 5 THEN
            PERFORM augur.bad_json(pg_catalog.format('"features": ngrams must be between 1 and 5, got %s', ngrams));
        END IF;
        IF hash_bits < 0 OR hash_bits > 26 THEN
            PERFORM augur.bad_json(pg_catalog.format('"features": hash_bits must be between 1 and 26 (0 means a vocabulary), got %s', hash_bits));
        END IF;
        IF hash_bits = 0 AND pg_catalog.cardinality(vocab) = 0 THEN
            PERFORM augur.bad_json('"features": a bag-of-words model needs a vocabulary or hash_bits');
        END IF;
        dim := CASE WHEN hash_bits > 0 THEN 1 << hash_bits ELSE pg_catalog.cardinality(vocab) END;
        IF weighting = 'tfidf' AND (idf IS NULL OR pg_catalog.cardinality(idf) <> dim) THEN
            PERFORM augur.bad_json(pg_catalog.format('"features": tf-idf weighting needs %s idf values, got %s', dim,
                coalesce(pg_catalog.cardinality(idf)::text, 'none')));
        END IF;
        IF weighting <> 'tfidf' THEN idf := NULL; END IF;
        IF (SELECT count(DISTINCT v) FROM pg_catalog.unnest(vocab) v) <> pg_catalog.cardinality(vocab) THEN
            PERFORM augur.bad_json(pg_catalog.format('"features": vocabulary term ''%s'' appears twice',
                (SELECT v FROM pg_catalog.unnest(vocab) v GROUP BY v HAVING count(*) > 1 LIMIT 1)));
        END IF;
    ELSE
        PERFORM augur.bad_json(pg_catalog.format('"features.type" must be "dense" or "bag_of_words", got "%s"', ftype));
    END IF;
    IF j -> 'classes' IS NOT NULL AND jsonb_typeof(j -> 'classes') <> 'null' THEN
        IF jsonb_typeof(j -> 'classes') <> 'array' THEN
            PERFORM augur.bad_json('"classes" must be an array of labels');
        END IF;
        SELECT coalesce(pg_catalog.array_agg(e #>> '{}' ORDER BY i), '{}') INTO classes FROM jsonb_array_elements(j -> 'classes') WITH ORDINALITY t(e, i);
    ELSE
        classes := k.default_classes;
    END IF;
    -- distinct classes, and inputs case-insensitively (they name columns), as ModelJson checks them
    SELECT s.c INTO twice FROM (SELECT t.c, t.i, row_number() OVER (PARTITION BY t.c ORDER BY t.i) AS n
                                FROM pg_catalog.unnest(classes) WITH ORDINALITY t(c, i)) s WHERE s.n = 2 ORDER BY s.i LIMIT 1;
    IF twice IS NOT NULL THEN
        PERFORM augur.duplicate(nm, 'class', twice, classes);
    END IF;
    IF ftype = 'dense' THEN
        SELECT s.c INTO twice FROM (SELECT t.c, t.i, row_number() OVER (PARTITION BY lower(t.c) ORDER BY t.i) AS n
                                    FROM pg_catalog.unnest(inputs) WITH ORDINALITY t(c, i)) s WHERE s.n = 2 ORDER BY s.i LIMIT 1;
        IF twice IS NOT NULL THEN
            PERFORM augur.duplicate(nm, 'input', twice, inputs);
        END IF;
    END IF;
    IF k.ensemble THEN
        -- one weight row per member (ModelJson)
        IF jsonb_typeof(j -> 'weights') IS DISTINCT FROM 'array' OR jsonb_array_length(j -> 'weights') = 0
           OR jsonb_typeof(j -> 'weights' -> 0) <> 'array' THEN
            PERFORM augur.bad_json(pg_catalog.format('"weights" of a %s model must be an array of arrays, one per member', k.title));
        END IF;
        outputs := jsonb_array_length(j -> 'weights');
    ELSIF k.uncertainty = 'posterior' THEN
        -- ModelKind.outputCount: the mean, the covariance's rows (dense: its factor over (1, x); bag of words: its
        -- diagonal), a regressor's noise row
        outputs := 1 + CASE WHEN ftype = 'bag_of_words' THEN 1 ELSE dim + 1 END + CASE WHEN k.link = 'identity' THEN 1 ELSE 0 END;
    ELSIF k.uncertainty = 'quantiles' THEN
        -- median, lower, upper, the trained level
        outputs := 4;
    ELSE
        outputs := CASE WHEN k.link = 'softmax' THEN pg_catalog.cardinality(classes) ELSE 1 END;
    END IF;
    IF j -> 'weights' IS NULL OR jsonb_typeof(j -> 'weights') = 'null' THEN
        PERFORM augur.bad_json('missing field "weights"');
    END IF;
    IF outputs = 1 AND NOT k.ensemble THEN
        weights := augur.json_numbers(j -> 'weights', 'weights', dim);
    ELSE
        IF jsonb_typeof(j -> 'weights') <> 'array' OR jsonb_array_length(j -> 'weights') <> outputs THEN
            PERFORM augur.bad_json(pg_catalog.format('"weights" must be %s arrays (one per class), got %s', outputs,
                CASE WHEN jsonb_typeof(j -> 'weights') = 'array' THEN jsonb_array_length(j -> 'weights')::text ELSE jsonb_typeof(j -> 'weights') END));
        END IF;
        FOR o IN 0 .. outputs - 1 LOOP
            weights := weights || augur.json_numbers(j -> 'weights' -> o, pg_catalog.format('weights[%s]', o), dim);
        END LOOP;
    END IF;
    IF j -> 'bias' IS NULL OR jsonb_typeof(j -> 'bias') = 'null' THEN
        PERFORM augur.bad_json('missing field "bias"');
    END IF;
    IF jsonb_typeof(j -> 'bias') = 'number' AND outputs = 1 THEN
        bias := ARRAY[(j ->> 'bias')::float8];
    ELSE
        bias := augur.json_numbers(j -> 'bias', 'bias', outputs);
    END IF;
    -- the model's own checks
    -- the model's own checks (ModelKind.classesProblem)
    IF k.max_classes = 0 AND pg_catalog.cardinality(classes) > 0 THEN
        PERFORM augur.bad_json(pg_catalog.format('a %s model has no classes, got [%s]', k.title, pg_catalog.array_to_string(classes, ', ')));
    ELSIF k.min_classes = k.max_classes AND pg_catalog.cardinality(classes) <> k.min_classes THEN
        PERFORM augur.bad_json(pg_catalog.format('a %s model needs exactly %s classes, got [%s]', k.title, k.min_classes, pg_catalog.array_to_string(classes, ', ')));
    ELSIF pg_catalog.cardinality(classes) < k.min_classes THEN
        PERFORM augur.bad_json(pg_catalog.format('a %s model needs at least %s classes, got [%s]', k.title, k.min_classes, pg_catalog.array_to_string(classes, ', ')));
    ELSIF k.ensemble AND outputs < 2 THEN
        PERFORM augur.bad_json(pg_catalog.format('a %s model needs at least 2 members, got %s', k.title, outputs));
    END IF;
    -- BayesianModel's and QuantileRegression's checks of their constant rows and variances
    IF k.uncertainty = 'quantiles' OR k.uncertainty = 'posterior' AND k.link = 'identity' THEN
        SELECT w INTO twice FROM pg_catalog.unnest(weights[(outputs - 1) * dim + 1 : outputs * dim]) w WHERE w <> 0 LIMIT 1;
        IF twice IS NOT NULL THEN
            PERFORM augur.bad_json(pg_catalog.format('model ''%s'' has a %s row (its last) with a weight %s; the %s row''s weights are 0 and its bias is '
                || '%s', nm, CASE WHEN k.uncertainty = 'quantiles' THEN 'level' ELSE 'noise' END, augur.fmt(twice::float8),
                CASE WHEN k.uncertainty = 'quantiles' THEN 'level' ELSE 'noise' END,
                CASE WHEN k.uncertainty = 'quantiles' THEN 'the trained level' ELSE 'the noise deviation' END));
        END IF;
        IF k.uncertainty = 'quantiles' AND NOT (bias[outputs] > 0 AND bias[outputs] < 1) THEN
            PERFORM augur.bad_json(pg_catalog.format('model ''%s'' has a trained level %s; it must lie strictly between 0 and 1', nm, augur.fmt(bias[outputs])));
        ELSIF k.uncertainty = 'posterior' AND NOT (bias[outputs] >= 0) THEN
            PERFORM augur.bad_json(pg_catalog.format('model ''%s'' has a negative noise deviation %s', nm, augur.fmt(bias[outputs])));
        END IF;
    END IF;
    IF k.uncertainty = 'posterior' AND ftype = 'bag_of_words'
       AND (NOT (bias[2] >= 0) OR EXISTS (SELECT 1 FROM pg_catalog.unnest(weights[dim + 1 : 2 * dim]) w WHERE NOT (w >= 0))) THEN
        PERFORM augur.bad_json(pg_catalog.format('model ''%s'' has a negative posterior variance', nm));
    END IF;

    -- the payload, byte for byte as ModelCodec.encode writes it
    payload := '\x4155474d'::bytea || int2send(1::int2) || augur.u8(kind_id) || augur.u8(CASE ftype WHEN 'dense' THEN 1 ELSE 2 END)
        || augur.str(nm);
    IF ftype = 'dense' THEN
        payload := payload || int4send(pg_catalog.cardinality(inputs)) || augur.strs(inputs);
    ELSE
        payload := payload || augur.str(inputs[1])
            || augur.u8(CASE weighting WHEN 'binary' THEN 1 WHEN 'tf' THEN 2 ELSE 3 END) || augur.u8(ngrams) || augur.u8(hash_bits)
            || augur.u8(CASE WHEN norm THEN 1 ELSE 0 END)
            || int4send(pg_catalog.cardinality(vocab)) || augur.strs(vocab)
            || int4send(coalesce(pg_catalog.cardinality(idf), 0)) || augur.f64s(coalesce(idf, '{}'));
    END IF;
    payload := payload || int4send(pg_catalog.cardinality(classes)) || augur.strs(classes) || int4send(outputs) || int4send(dim)
        || augur.f64s(weights) || augur.f64s(bias);
    sha := encode(sha256(payload), 'hex');

    spec := '{"kind":' || pg_catalog.to_json(kind)::text || ',"inputs":' || pg_catalog.to_json(inputs)::text || ',"features":{"type":' || pg_catalog.to_json(ftype)::text
        || CASE WHEN ftype = 'bag_of_words' THEN ',"weighting":' || pg_catalog.to_json(weighting)::text || ',"ngrams":' || ngrams
                || ',"hash_bits":' || hash_bits || ',"normalize":' || norm ELSE '' END
        || '},"dimension":' || dim || ',"classes":' || pg_catalog.to_json(classes)::text
        || CASE WHEN p_options IS NOT NULL AND trim(p_options) <> '' THEN ',"training_options":' || p_options ELSE '' END || '}';

    SELECT coalesce(max(m.version), 0) + 1 INTO ver FROM augur.models m WHERE m.name = nm;
    INSERT INTO augur.models (name, version, kind, inputs, classes, spec, sha256, payload_bytes, source, interval_source)
    VALUES (nm, ver, kind, pg_catalog.array_to_string(inputs, ','), CASE WHEN pg_catalog.cardinality(classes) = 0 THEN NULL ELSE pg_catalog.array_to_string(classes, ',') END,
            spec, sha, length(payload), coalesce(p_source, 'import'), CASE WHEN k.model_interval THEN 'model' END);
    INSERT INTO augur.model_payloads (name, version, payload) VALUES (nm, ver, payload);
    INSERT INTO augur.model_defs (name, version, kind, feature_type, inputs, classes, outputs, dimension, bias, weights,
                                  weighting, ngrams, hash_bits, normalize)
    VALUES (nm, ver, kind, ftype, inputs, classes, outputs, dim, bias, CASE WHEN ftype = 'dense' THEN weights END,
            weighting, ngrams, hash_bits, norm);
    IF ftype = 'bag_of_words' THEN
        IF hash_bits = 0 THEN
            INSERT INTO augur.model_terms (name, version, feature, term, idf)
            SELECT nm, ver, (i - 1)::integer, t, idf[i] FROM pg_catalog.unnest(vocab) WITH ORDINALITY u(t, i);
        ELSIF idf IS NOT NULL THEN
            INSERT INTO augur.model_terms (name, version, feature, term, idf)
            SELECT nm, ver, (i - 1)::integer, NULL, v FROM pg_catalog.unnest(idf) WITH ORDINALITY u(v, i);
        END IF;
        INSERT INTO augur.model_weights (name, version, feature, output, weight)
        SELECT nm, ver, ((i - 1) % dim)::integer, ((i - 1) / dim)::integer, w
        FROM pg_catalog.unnest(weights) WITH ORDINALITY u(w, i) WHERE w <> 0;
    ELSE
        PERFORM augur.regenerate_predict(dim);
    END IF;
    RETURN ver;
END $$;
