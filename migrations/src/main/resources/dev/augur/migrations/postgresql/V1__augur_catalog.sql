-- Augur's catalog on PostgreSQL: the same tables and columns as on H2 (schema augur; unquoted names fold to
-- lower case, so AUGUR.MODELS means the same on both), a relational form of each model that PREDICT reads,
-- the AUGUR administration functions in PL/pgSQL, and the PREDICT family in schema public.
-- Nothing here needs Java inside the server: a stock client (psql, pgjdbc, a BI tool) gets PREDICT,
-- import, export, deploy, rollback and drop. Training runs in the engine (see augur.train_model).
CREATE SCHEMA IF NOT EXISTS augur;

CREATE TABLE augur.models (
    name          varchar(63)   NOT NULL,
    version       integer       NOT NULL,
    kind          varchar(16)   NOT NULL,
    inputs        varchar(4000) NOT NULL,
    classes       varchar(100000),
    spec          varchar(100000) NOT NULL,
    sha256        char(64)      NOT NULL,
    payload_bytes integer       NOT NULL,
    source        varchar(16)   NOT NULL,
    created_at    timestamptz   DEFAULT CURRENT_TIMESTAMP NOT NULL,
    created_by    varchar(128)  DEFAULT CURRENT_USER NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE augur.model_payloads (
    name    varchar(63) NOT NULL,
    version integer     NOT NULL,
    payload bytea       NOT NULL,
    PRIMARY KEY (name, version),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);

CREATE TABLE augur.deployed (
    name        varchar(63)  NOT NULL PRIMARY KEY,
    version     integer      NOT NULL,
    sha256      char(64)     NOT NULL,
    deployed_at timestamptz  NOT NULL,
    deployed_by varchar(128) NOT NULL,
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version)
);

CREATE TABLE augur.deployments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             varchar(63)  NOT NULL,
    version          integer      NOT NULL,
    previous_version integer,
    action           varchar(16)  NOT NULL CHECK (action IN ('deploy', 'rollback')),
    rolled_back      boolean      DEFAULT FALSE NOT NULL,
    at               timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    by_user          varchar(128) DEFAULT CURRENT_USER NOT NULL
);
CREATE INDEX deployments_by_name ON augur.deployments (name, id);

-- The relational form of a model version, written by augur.register_model from the model's JSON.
CREATE TABLE augur.model_defs (
    name         varchar(63) NOT NULL,
    version      integer     NOT NULL,
    kind         text        NOT NULL,
    feature_type text        NOT NULL CHECK (feature_type IN ('dense', 'bag_of_words')),
    inputs       text[]      NOT NULL,
    classes      text[]      NOT NULL,
    outputs      integer     NOT NULL,
    dimension    integer     NOT NULL,
    bias         float8[]    NOT NULL,
    weights      float8[],            -- dense: outputs x dimension, row-major
    weighting    text,                -- bag of words: binary | tf | tfidf
    ngrams       integer,
    hash_bits    integer,
    normalize    boolean,
    PRIMARY KEY (name, version),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);

-- bag of words: feature i is a vocabulary term (term NOT NULL) or a hashed bucket with its idf (term NULL)
CREATE TABLE augur.model_terms (
    name    varchar(63) NOT NULL,
    version integer     NOT NULL,
    feature integer     NOT NULL,
    term    text,
    idf     float8,
    PRIMARY KEY (name, version, feature),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);
CREATE INDEX model_terms_by_term ON augur.model_terms (name, version, term);

-- bag of words: the nonzero weights, one row per (feature, output)
CREATE TABLE augur.model_weights (
    name    varchar(63) NOT NULL,
    version integer     NOT NULL,
    feature integer     NOT NULL,
    output  integer     NOT NULL,
    weight  float8      NOT NULL,
    PRIMARY KEY (name, version, feature, output),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);

-- ------------------------------------------------------------------------------------------------ helpers

CREATE FUNCTION augur.err(code text, msg text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = msg;
END $$;

CREATE FUNCTION augur.check_name(p_name text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF p_name IS NULL OR p_name !~ '^[A-Za-z][A-Za-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = format('invalid model name ''%s'': use letters, digits and '
            || 'underscores, starting with a letter, at most 63 characters', coalesce(p_name, 'null'));
    END IF;
    RETURN lower(p_name);
END $$;

CREATE FUNCTION augur.versions_text(p_name text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(version::text, ', ' ORDER BY version), 'none') FROM augur.models WHERE name = p_name
$$;

CREATE FUNCTION augur.unknown_model(p_name text) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE known text;
BEGIN
    SELECT string_agg(n, ', ' ORDER BY n COLLATE "C") INTO known FROM (SELECT DISTINCT m.name AS n FROM augur.models m) s;
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('unknown model ''%s'' (%s)', p_name,
        CASE WHEN known IS NULL THEN 'no models are registered yet; register one with AUGUR.TRAIN_MODEL or AUGUR.IMPORT_MODEL'
             ELSE 'known models: ' || known END);
END $$;

-- a version of a model, or 42704 naming what exists
CREATE FUNCTION augur.require_version(p_name text, p_version integer) RETURNS integer LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM augur.models WHERE name = p_name AND version = p_version) THEN
        RETURN p_version;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM augur.models WHERE name = p_name) THEN
        PERFORM augur.unknown_model(p_name);
    END IF;
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('model ''%s'' has no version %s (versions: %s)',
        p_name, p_version, augur.versions_text(p_name));
END $$;

CREATE FUNCTION augur.require_deployed(p_name text) RETURNS integer LANGUAGE plpgsql STABLE AS $$
DECLARE v integer;
BEGIN
    SELECT version INTO v FROM augur.deployed WHERE name = p_name;
    IF FOUND THEN
        RETURN v;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM augur.models WHERE name = p_name) THEN
        PERFORM augur.unknown_model(p_name);
    END IF;
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('model ''%s'' has no deployed version (versions: %s); '
        || 'deploy one with AUGUR.DEPLOY_MODEL(''%s'', version) or pin one as ''%s@version''',
        p_name, augur.versions_text(p_name), p_name, p_name);
END $$;

-- 'name' (the deployed version) or 'name@version' (pinned)
CREATE FUNCTION augur.resolve(ref text, OUT name text, OUT version integer) LANGUAGE plpgsql STABLE AS $$
DECLARE at integer;
BEGIN
    IF ref IS NULL THEN
        PERFORM augur.err('22023', 'the model name is NULL; pass a model name such as ''spam'' or ''spam@2''');
    END IF;
    at := position('@' IN ref);
    IF at = 0 THEN
        name := augur.check_name(ref);
        version := augur.require_deployed(name);
        RETURN;
    END IF;
    name := augur.check_name(substr(ref, 1, at - 1));
    IF substr(ref, at + 1) !~ '^[+-]?[0-9]{1,9}$' THEN
        PERFORM augur.err('22023', format('bad model reference ''%s'': write ''name'' or ''name@version'', e.g. ''%s@2''', ref, name));
    END IF;
    version := augur.require_version(name, substr(ref, at + 1)::integer);
END $$;

CREATE FUNCTION augur.latest(p_name text) RETURNS integer LANGUAGE plpgsql STABLE AS $$
DECLARE v integer;
BEGIN
    SELECT max(version) INTO v FROM augur.models WHERE name = p_name;
    IF v IS NULL THEN
        PERFORM augur.unknown_model(p_name);
    END IF;
    RETURN v;
END $$;

-- ----------------------------------------------------------------------------------- the payload codec
-- The binary payload exactly as the engine's ModelCodec writes it (big-endian), so the SHA-256 is the same
-- whichever side registered the model.
CREATE FUNCTION augur.u8(v integer) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT decode(lpad(to_hex(v), 2, '0'), 'hex')
$$;

CREATE FUNCTION augur.str(s text) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT int4send(octet_length(convert_to(s, 'UTF8'))) || convert_to(s, 'UTF8')
$$;

CREATE FUNCTION augur.f64s(a float8[]) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(float8send(v), ''::bytea ORDER BY i), ''::bytea) FROM unnest(a) WITH ORDINALITY AS t(v, i)
$$;

CREATE FUNCTION augur.strs(a text[]) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(augur.str(v), ''::bytea ORDER BY i), ''::bytea) FROM unnest(a) WITH ORDINALITY AS t(v, i)
$$;

-- ------------------------------------------------------------------------------------------ bag of words
-- The engine's tokenizer: ASCII letters lower-cased, split on anything that is not [a-z0-9]. translate()
-- (not lower()) so that no locale maps a non-ASCII letter to an ASCII one.
CREATE FUNCTION augur.tokens(body text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_remove(regexp_split_to_array(
        translate(body, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
        '[^abcdefghijklmnopqrstuvwxyz0123456789]+'), '')
$$;

-- the terms of a text in the engine's order: for each token, the token and the n-grams starting there
CREATE FUNCTION augur.terms(body text, ngrams integer) RETURNS TABLE (pos integer, term text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ((s.r - 1) * ngrams + k)::integer,
           CASE k WHEN 1 THEN s.t0 WHEN 2 THEN s.t0 || ' ' || s.t1 WHEN 3 THEN s.t0 || ' ' || s.t1 || ' ' || s.t2
                  WHEN 4 THEN s.t0 || ' ' || s.t1 || ' ' || s.t2 || ' ' || s.t3
                  ELSE s.t0 || ' ' || s.t1 || ' ' || s.t2 || ' ' || s.t3 || ' ' || s.t4 END
    FROM (SELECT row_number() OVER w AS r, x.tok AS t0, lead(x.tok, 1) OVER w AS t1, lead(x.tok, 2) OVER w AS t2,
                 lead(x.tok, 3) OVER w AS t3, lead(x.tok, 4) OVER w AS t4
          FROM unnest(augur.tokens(body)) WITH ORDINALITY AS x(tok, i)
          WINDOW w AS (ORDER BY x.i)) s,
         generate_series(1, ngrams) AS k
    WHERE CASE k WHEN 1 THEN TRUE WHEN 2 THEN s.t1 IS NOT NULL WHEN 3 THEN s.t2 IS NOT NULL
                 WHEN 4 THEN s.t3 IS NOT NULL ELSE s.t4 IS NOT NULL END
$$;

-- hashing trick: FNV-1a 32 over the term's bytes (ASCII by construction), masked to bits
CREATE FUNCTION augur.fnv1a(term text, bits integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    h bigint := 2166136261;
    b bytea := convert_to(term, 'UTF8');
BEGIN
    FOR i IN 0 .. length(b) - 1 LOOP
        h := ((h # get_byte(b, i)) * 16777619) & 4294967295;
    END LOOP;
    RETURN (h & ((1::bigint << bits) - 1))::integer;
END $$;

-- the feature vector of a text: (feature, value, first term that falls in the feature)
CREATE FUNCTION augur.bow_vector(p_name text, p_version integer, body text)
RETURNS TABLE (feature integer, value float8, first_term text) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
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

-- ------------------------------------------------------------------------------------------------ scoring

CREATE FUNCTION augur.fmt(v float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v = trunc(v) AND abs(v) < 1e7 THEN trim(to_char(v, 'FM9999999999999999990')) || '.0' ELSE v::text END
$$;

CREATE FUNCTION augur.wrong_type(p_name text, input text, expected text, got text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('model ''%s'' input ''%s'' expects %s, got %s; cast the argument',
        p_name, input, expected, got);
END $$;

CREATE FUNCTION augur.wrong_arity(d augur.model_defs, got integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('model ''%s'' expects %s input%s (%s), got %s', d.name,
        cardinality(d.inputs), CASE WHEN cardinality(d.inputs) = 1 THEN '' ELSE 's' END, array_to_string(d.inputs, ', '), got);
END $$;

-- raised by generated PREDICT code for a NaN or infinite input
CREATE FUNCTION augur.nonfinite(p_name text, input text, v float8) RETURNS float8 LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('model ''%s'' input ''%s'' is %s; PREDICT takes finite numbers '
        || 'only (filter the row or replace the value, e.g. with COALESCE/NULLIF)', p_name, input, v);
END $$;

-- the margins of one row (one per output), or NULL when an input is NULL; checks arity, type and finiteness
CREATE FUNCTION augur.margins(d augur.model_defs, x float8[], body text) RETURNS float8[]
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
        SELECT array_agg(d.bias[o] + coalesce(s.t, 0) ORDER BY o) INTO m
        FROM generate_series(1, d.outputs) AS o
        LEFT JOIN (SELECT w.output, sum(w.weight * v.value) AS t
                   FROM augur.bow_vector(d.name, d.version, body) v
                   JOIN augur.model_weights w ON w.name = d.name AND w.version = d.version AND w.feature = v.feature
                   GROUP BY w.output) s ON s.output = o - 1;
        RETURN m;
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

CREATE FUNCTION augur.sigmoid(m float8) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN m >= 0 THEN 1.0 / (1.0 + exp(-least(m, 700.0)))
                ELSE exp(greatest(m, -700.0)) / (1.0 + exp(greatest(m, -700.0))) END
$$;

CREATE FUNCTION augur.argmax(m float8[]) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE best integer := 1;
BEGIN
    FOR i IN 2 .. cardinality(m) LOOP
        IF m[i] > m[best] THEN best := i; END IF;
    END LOOP;
    RETURN best;
END $$;

CREATE FUNCTION augur.softmax(m float8[]) RETURNS float8[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE mx float8 := m[1]; s float8 := 0; p float8[] := '{}';
BEGIN
    FOR i IN 2 .. cardinality(m) LOOP mx := greatest(mx, m[i]); END LOOP;
    FOR i IN 1 .. cardinality(m) LOOP
        p := p || exp(greatest(m[i] - mx, -700.0));
        s := s + p[i];
    END LOOP;
    FOR i IN 1 .. cardinality(m) LOOP p[i] := p[i] / s; END LOOP;
    RETURN p;
END $$;

CREATE FUNCTION augur.score(d augur.model_defs, m float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE d.kind WHEN 'linear' THEN m[1]
                       WHEN 'softmax' THEN (augur.softmax(m))[augur.argmax(m)]
                       ELSE augur.sigmoid(m[1]) END
$$;

CREATE FUNCTION augur.label(d augur.model_defs, m float8[]) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF d.kind = 'linear' THEN
        PERFORM augur.err('22023', format('model ''%s'' is a linear regression model and has no labels; use PREDICT for its value', d.name));
    END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    IF d.kind = 'softmax' THEN RETURN d.classes[augur.argmax(m)]; END IF;
    RETURN d.classes[CASE WHEN m[1] >= 0 THEN 2 ELSE 1 END];
END $$;

CREATE FUNCTION augur.defs(p_name text, p_version integer) RETURNS augur.model_defs LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT * FROM augur.model_defs WHERE name = p_name AND version = p_version
$$;

-- the slow, general path of PREDICT (pinned versions not inlined, softmax, every check)
CREATE FUNCTION augur.predict_any(model text, x float8[], body text) RETURNS float8 LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    IF body IS NULL AND cardinality(x) >= 2 AND array_position(x, NULL) IS NOT NULL THEN
        RETURN NULL;  -- as on H2, where a NULL among 2+ numeric inputs gives NULL before the model is looked up
    END IF;
    r := augur.resolve(model);
    d := augur.defs(r.name, r.version);
    IF body IS NULL AND d.feature_type = 'bag_of_words' AND cardinality(x) >= 2 THEN
        -- as on H2, where PREDICT with 2+ numbers checks the input type before the arity
        PERFORM augur.wrong_type(d.name, d.inputs[1], 'text', 'Double ' || augur.fmt(x[1]));
    END IF;
    RETURN augur.score(d, augur.margins(d, x, body));
END $$;

-- ------------------------------------------------------------------------------------------- PREDICT family

CREATE FUNCTION public.predict(model text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT augur.predict_any(model, NULL, x1)
$$;

CREATE FUNCTION public.predict_label(model text, x1 text) RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    RETURN augur.label(d, augur.margins(d, NULL, x1));
END $$;

CREATE FUNCTION public.predict_label(model text, VARIADIC x float8[]) RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    RETURN augur.label(d, augur.margins(d, x, NULL));
END $$;

CREATE FUNCTION augur.proba(d augur.model_defs, clazz text, m float8[]) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE c integer;
BEGIN
    IF d.kind = 'linear' THEN
        PERFORM augur.err('22023', format('model ''%s'' is a linear regression model and has no classes; use PREDICT for its value', d.name));
    END IF;
    c := array_position(d.classes, clazz);
    IF c IS NULL THEN
        PERFORM augur.err('22023', format('model ''%s'' has no class ''%s'' (classes: %s)', d.name, clazz, array_to_string(d.classes, ', ')));
    END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    IF d.kind = 'softmax' THEN RETURN (augur.softmax(m))[c]; END IF;
    RETURN CASE WHEN c = 2 THEN augur.sigmoid(m[1]) ELSE 1 - augur.sigmoid(m[1]) END;
END $$;

CREATE FUNCTION public.predict_proba(model text, clazz text, x1 text) RETURNS float8 LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; m float8[];
BEGIN
    IF clazz IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    m := augur.margins(d, NULL, x1);
    IF m IS NULL THEN RETURN NULL; END IF;
    RETURN augur.proba(d, clazz, m);
END $$;

CREATE FUNCTION public.predict_proba(model text, clazz text, VARIADIC x float8[]) RETURNS float8 LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; m float8[];
BEGIN
    IF clazz IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    m := augur.margins(d, x, NULL);
    IF m IS NULL THEN RETURN NULL; END IF;
    RETURN augur.proba(d, clazz, m);
END $$;

-- PREDICT_EXPLAIN: the k largest contributions weight x value to the predicted output's margin, as JSON
CREATE FUNCTION augur.explain(model text, k integer, x float8[], body text) RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; m float8[]; o integer := 1; lbl text; contribs json;
BEGIN
    IF k IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    IF k < 1 THEN
        PERFORM augur.err('22023', format('PREDICT_EXPLAIN needs k >= 1 (the number of contributions to list), got %s', k));
    END IF;
    m := augur.margins(d, x, body);
    IF m IS NULL THEN RETURN NULL; END IF;
    IF d.kind <> 'linear' THEN
        lbl := augur.label(d, m);
        IF d.kind = 'softmax' THEN o := array_position(d.classes, lbl); END IF;
    END IF;
    IF d.feature_type = 'dense' THEN
        IF body IS NOT NULL THEN x := ARRAY[trim(body)::float8]; END IF;
        SELECT json_agg(json_build_object('feature', f, 'value', v, 'weight', w, 'contribution', v * w)
                        ORDER BY abs(v * w) DESC, f COLLATE "C")
        INTO contribs
        FROM (SELECT d.inputs[i] AS f, x[i] AS v, d.weights[(o - 1) * d.dimension + i] AS w
              FROM generate_series(1, d.dimension) i
              ORDER BY abs(x[i] * d.weights[(o - 1) * d.dimension + i]) DESC, d.inputs[i] COLLATE "C" LIMIT k) s;
    ELSE
        SELECT json_agg(json_build_object('feature', f, 'value', v, 'weight', w, 'contribution', v * w)
                        ORDER BY abs(v * w) DESC, f COLLATE "C")
        INTO contribs
        FROM (SELECT CASE WHEN d.hash_bits > 0 THEN coalesce(bv.first_term, '#' || bv.feature) ELSE bv.first_term END AS f,
                     bv.value AS v, coalesce(w.weight, 0) AS w
              FROM augur.bow_vector(d.name, d.version, body) bv
              LEFT JOIN augur.model_weights w ON w.name = d.name AND w.version = d.version AND w.feature = bv.feature
                                              AND w.output = o - 1
              ORDER BY abs(bv.value * coalesce(w.weight, 0)) DESC,
                       (CASE WHEN d.hash_bits > 0 THEN coalesce(bv.first_term, '#' || bv.feature) ELSE bv.first_term END) COLLATE "C"
              LIMIT k) s;
    END IF;
    RETURN json_strip_nulls(json_build_object('model', d.name, 'version', d.version, 'score', augur.score(d, m), 'label', lbl,
        'bias', d.bias[o], 'contributions', coalesce(contribs, '[]'::json)))::text;
END $$;

CREATE FUNCTION public.predict_explain(model text, k integer, x1 text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT augur.explain(model, k, NULL, x1)
$$;

CREATE FUNCTION public.predict_explain(model text, k integer, VARIADIC x float8[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT augur.explain(model, k, x, NULL)
$$;

-- PREDICT(model, x1 .. xn) for n = 1 .. 99 (PostgreSQL allows 100 arguments). Each is a SQL function that
-- PostgreSQL inlines into the calling query; augur.regenerate_predict rewrites it on every registration,
-- deploy, rollback and drop with one arm per dense model version of that arity whose weights are constants,
-- so PREDICT('m', a, b) plans as arithmetic. Anything else takes augur.predict_any.
CREATE FUNCTION augur.regenerate_predict(n integer) RETURNS void LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    params text;
    args text;
    arms text := '';
    expr text;
    r record;
BEGIN
    SELECT string_agg(format('x%s float8', i), ', ' ORDER BY i), string_agg(format('x%s', i), ', ' ORDER BY i)
    INTO params, args FROM generate_series(1, n) i;
    FOR r IN SELECT md.*, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'dense' AND md.kind <> 'softmax' AND cardinality(md.inputs) = n
             ORDER BY md.name, md.version LOOP
        expr := format('float8 %L', r.bias[1]::text);
        FOR i IN 1 .. n LOOP
            expr := expr || format(' + float8 %L * CASE WHEN abs(x%s) > float8 ''1.7976931348623157e308'' THEN augur.nonfinite(%L, %L, x%s) ELSE x%s END',
                r.weights[i]::text, i, r.name, r.inputs[i], i, i);
        END LOOP;
        IF r.kind <> 'linear' THEN
            -- the logistic function as tanh, which neither overflows nor swallows a NULL (as least/greatest would)
            expr := format('0.5::float8 + 0.5::float8 * tanh(0.5::float8 * (%s))', expr);
        END IF;
        arms := arms || format(' WHEN %L THEN %s', r.name || '@' || r.version, expr);
        IF r.is_deployed THEN
            arms := arms || format(' WHEN %L THEN %s', r.name, expr);
        END IF;
    END LOOP;
    EXECUTE format('CREATE OR REPLACE FUNCTION public.predict(model text, %s) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS %L',
        params, 'SELECT ' || CASE WHEN arms = '' THEN '' ELSE 'CASE model' || arms || ' ELSE ' END
            || format('augur.predict_any(model, ARRAY[%s], NULL)', args) || CASE WHEN arms = '' THEN '' ELSE ' END' END);
END $$;

DO $$
BEGIN
    FOR n IN 1 .. 99 LOOP
        PERFORM augur.regenerate_predict(n);
    END LOOP;
END $$;

-- --------------------------------------------------------------------------------------- administration

CREATE FUNCTION augur.lock() RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(7361, 1)
$$;

CREATE FUNCTION augur.bad_json(detail text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'malformed model JSON: ' || detail
        || ' (export a model with AUGUR.EXPORT_MODEL to see the expected shape)';
END $$;

CREATE FUNCTION augur.json_text(j jsonb, path text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE v jsonb := j #> string_to_array(path, '.');
BEGIN
    IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
        PERFORM augur.bad_json(format('missing field "%s"', path));
    END IF;
    IF jsonb_typeof(v) <> 'string' THEN
        PERFORM augur.bad_json(format('"%s" must be a string, got %s', path, v::text));
    END IF;
    RETURN v #>> '{}';
END $$;

CREATE FUNCTION augur.json_numbers(v jsonb, what text, n integer) RETURNS float8[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE out float8[];
BEGIN
    IF v IS NULL OR jsonb_typeof(v) <> 'array' THEN
        PERFORM augur.bad_json(format('"%s" must be an array of %s numbers', what, n));
    END IF;
    IF jsonb_array_length(v) <> n THEN
        PERFORM augur.bad_json(format('"%s" has %s numbers, the features need %s', what, jsonb_array_length(v), n));
    END IF;
    FOR i IN 0 .. n - 1 LOOP
        IF jsonb_typeof(v -> i) <> 'number' THEN
            PERFORM augur.bad_json(format('"%s"[%s] is %s, expected a finite number', what, i, (v -> i)::text));
        END IF;
    END LOOP;
    BEGIN
        SELECT coalesce(array_agg((e #>> '{}')::float8 ORDER BY i), '{}') INTO out FROM jsonb_array_elements(v) WITH ORDINALITY AS t(e, i);
    EXCEPTION WHEN numeric_value_out_of_range THEN
        PERFORM augur.bad_json(format('"%s" holds a number that is not a finite double', what));
    END;
    RETURN out;
END $$;

CREATE FUNCTION augur.json_int(j jsonb, key text, dflt integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(j -> key) = 'number' THEN trunc((j ->> key)::numeric)::integer
                WHEN jsonb_typeof(j -> key) = 'string' AND (j ->> key) ~ '^\s*-?[0-9]+\s*$' THEN trim(j ->> key)::integer
                ELSE dflt END
$$;

-- Registers a model from its JSON (the engine's ModelJson shape) under p_name; returns the new version.
-- Writes the payload exactly as the engine encodes it, the catalog rows, the relational form, and regenerates
-- PREDICT for the model's arity.
CREATE FUNCTION augur.register_model(p_name text, p_json text, p_source text, p_options text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE
    nm text := augur.check_name(p_name);
    j jsonb;
    f jsonb;
    kind text;
    kind_id integer;
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
        PERFORM augur.bad_json(format('"format_version" %s is not supported (expected 1)', j -> 'format_version'));
    END IF;
    PERFORM augur.json_text(j, 'name');
    kind := lower(trim(augur.json_text(j, 'kind')));
    kind_id := CASE kind WHEN 'linear' THEN 1 WHEN 'logistic' THEN 2 WHEN 'svm' THEN 3 WHEN 'softmax' THEN 4 END;
    IF kind_id IS NULL THEN
        PERFORM augur.bad_json(format('"kind": unknown model kind ''%s''; kinds: linear, logistic, svm, softmax', j ->> 'kind'));
    END IF;
    f := j -> 'features';
    IF f IS NULL OR jsonb_typeof(f) = 'null' THEN
        PERFORM augur.bad_json('missing field "features"');
    END IF;
    ftype := augur.json_text(j, 'features.type');
    IF ftype = 'dense' THEN
        IF jsonb_typeof(f -> 'inputs') IS DISTINCT FROM 'array' OR jsonb_array_length(f -> 'inputs') = 0 THEN
            PERFORM augur.bad_json('"features.inputs" must be a non-empty array of names');
        END IF;
        SELECT array_agg(e #>> '{}' ORDER BY i) INTO inputs FROM jsonb_array_elements(f -> 'inputs') WITH ORDINALITY t(e, i);
        dim := cardinality(inputs);
    ELSIF ftype = 'bag_of_words' THEN
        weighting := lower(coalesce(f ->> 'weighting', 'tf'));
        IF weighting NOT IN ('binary', 'tf', 'tfidf') THEN
            PERFORM augur.bad_json(format('"features": unknown features option ''%s''; use binary, tf or tfidf', f ->> 'weighting'));
        END IF;
        hash_bits := augur.json_int(f, 'hash_bits', 0);
        ngrams := augur.json_int(f, 'ngrams', 1);
        norm := CASE jsonb_typeof(f -> 'normalize') WHEN 'boolean' THEN (f ->> 'normalize')::boolean
                     WHEN 'string' THEN lower(f ->> 'normalize') = 'true' ELSE false END;
        IF jsonb_typeof(f -> 'vocabulary') = 'array' THEN
            SELECT coalesce(array_agg(e #>> '{}' ORDER BY i), '{}') INTO vocab FROM jsonb_array_elements(f -> 'vocabulary') WITH ORDINALITY t(e, i);
        END IF;
        IF f -> 'idf' IS NOT NULL AND jsonb_typeof(f -> 'idf') <> 'null' THEN
            idf := augur.json_numbers(f -> 'idf', 'features.idf', CASE WHEN jsonb_typeof(f -> 'idf') = 'array' THEN jsonb_array_length(f -> 'idf') ELSE 0 END);
        END IF;
        inputs := ARRAY[augur.json_text(j, 'features.input')];
        IF ngrams < 1 OR ngrams > 5 THEN
            PERFORM augur.bad_json(format('"features": ngrams must be between 1 and 5, got %s', ngrams));
        END IF;
        IF hash_bits < 0 OR hash_bits > 26 THEN
            PERFORM augur.bad_json(format('"features": hash_bits must be between 1 and 26 (0 means a vocabulary), got %s', hash_bits));
        END IF;
        IF hash_bits = 0 AND cardinality(vocab) = 0 THEN
            PERFORM augur.bad_json('"features": a bag-of-words model needs a vocabulary or hash_bits');
        END IF;
        dim := CASE WHEN hash_bits > 0 THEN 1 << hash_bits ELSE cardinality(vocab) END;
        IF weighting = 'tfidf' AND (idf IS NULL OR cardinality(idf) <> dim) THEN
            PERFORM augur.bad_json(format('"features": tf-idf weighting needs %s idf values, got %s', dim,
                coalesce(cardinality(idf)::text, 'none')));
        END IF;
        IF weighting <> 'tfidf' THEN idf := NULL; END IF;
        IF (SELECT count(DISTINCT v) FROM unnest(vocab) v) <> cardinality(vocab) THEN
            PERFORM augur.bad_json(format('"features": vocabulary term ''%s'' appears twice',
                (SELECT v FROM unnest(vocab) v GROUP BY v HAVING count(*) > 1 LIMIT 1)));
        END IF;
    ELSE
        PERFORM augur.bad_json(format('"features.type" must be "dense" or "bag_of_words", got "%s"', ftype));
    END IF;
    IF j -> 'classes' IS NOT NULL AND jsonb_typeof(j -> 'classes') <> 'null' THEN
        IF jsonb_typeof(j -> 'classes') <> 'array' THEN
            PERFORM augur.bad_json('"classes" must be an array of labels');
        END IF;
        SELECT coalesce(array_agg(e #>> '{}' ORDER BY i), '{}') INTO classes FROM jsonb_array_elements(j -> 'classes') WITH ORDINALITY t(e, i);
    ELSIF kind IN ('logistic', 'svm') THEN
        classes := ARRAY['0', '1'];
    END IF;
    outputs := CASE WHEN kind = 'softmax' THEN cardinality(classes) ELSE 1 END;
    IF j -> 'weights' IS NULL OR jsonb_typeof(j -> 'weights') = 'null' THEN
        PERFORM augur.bad_json('missing field "weights"');
    END IF;
    IF outputs = 1 THEN
        weights := augur.json_numbers(j -> 'weights', 'weights', dim);
    ELSE
        IF jsonb_typeof(j -> 'weights') <> 'array' OR jsonb_array_length(j -> 'weights') <> outputs THEN
            PERFORM augur.bad_json(format('"weights" must be %s arrays (one per class), got %s', outputs,
                CASE WHEN jsonb_typeof(j -> 'weights') = 'array' THEN jsonb_array_length(j -> 'weights')::text ELSE jsonb_typeof(j -> 'weights') END));
        END IF;
        FOR o IN 0 .. outputs - 1 LOOP
            weights := weights || augur.json_numbers(j -> 'weights' -> o, format('weights[%s]', o), dim);
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
    IF kind = 'linear' AND cardinality(classes) > 0 THEN
        PERFORM augur.bad_json(format('a linear regression model has no classes, got [%s]', array_to_string(classes, ', ')));
    ELSIF kind IN ('logistic', 'svm') AND cardinality(classes) <> 2 THEN
        PERFORM augur.bad_json(format('a %s model needs exactly 2 classes, got [%s]', kind, array_to_string(classes, ', ')));
    ELSIF kind = 'softmax' AND cardinality(classes) < 2 THEN
        PERFORM augur.bad_json(format('a softmax model needs at least 2 classes, got [%s]', array_to_string(classes, ', ')));
    ELSIF kind = 'softmax' AND (SELECT count(DISTINCT c) FROM unnest(classes) c) <> cardinality(classes) THEN
        PERFORM augur.bad_json(format('softmax classes must be distinct, got [%s]', array_to_string(classes, ', ')));
    END IF;

    -- the payload, byte for byte as ModelCodec.encode writes it
    payload := '\x4155474d'::bytea || int2send(1::int2) || augur.u8(kind_id) || augur.u8(CASE ftype WHEN 'dense' THEN 1 ELSE 2 END)
        || augur.str(nm);
    IF ftype = 'dense' THEN
        payload := payload || int4send(cardinality(inputs)) || augur.strs(inputs);
    ELSE
        payload := payload || augur.str(inputs[1])
            || augur.u8(CASE weighting WHEN 'binary' THEN 1 WHEN 'tf' THEN 2 ELSE 3 END) || augur.u8(ngrams) || augur.u8(hash_bits)
            || augur.u8(CASE WHEN norm THEN 1 ELSE 0 END)
            || int4send(cardinality(vocab)) || augur.strs(vocab)
            || int4send(coalesce(cardinality(idf), 0)) || augur.f64s(coalesce(idf, '{}'));
    END IF;
    payload := payload || int4send(cardinality(classes)) || augur.strs(classes) || int4send(outputs) || int4send(dim)
        || augur.f64s(weights) || augur.f64s(bias);
    sha := encode(sha256(payload), 'hex');

    spec := '{"kind":' || to_json(kind)::text || ',"inputs":' || to_json(inputs)::text || ',"features":{"type":' || to_json(ftype)::text
        || CASE WHEN ftype = 'bag_of_words' THEN ',"weighting":' || to_json(weighting)::text || ',"ngrams":' || ngrams
                || ',"hash_bits":' || hash_bits || ',"normalize":' || norm ELSE '' END
        || '},"dimension":' || dim || ',"classes":' || to_json(classes)::text
        || CASE WHEN p_options IS NOT NULL AND trim(p_options) <> '' THEN ',"training_options":' || p_options ELSE '' END || '}';

    SELECT coalesce(max(m.version), 0) + 1 INTO ver FROM augur.models m WHERE m.name = nm;
    INSERT INTO augur.models (name, version, kind, inputs, classes, spec, sha256, payload_bytes, source)
    VALUES (nm, ver, kind, array_to_string(inputs, ','), CASE WHEN cardinality(classes) = 0 THEN NULL ELSE array_to_string(classes, ',') END,
            spec, sha, length(payload), coalesce(p_source, 'import'));
    INSERT INTO augur.model_payloads (name, version, payload) VALUES (nm, ver, payload);
    INSERT INTO augur.model_defs (name, version, kind, feature_type, inputs, classes, outputs, dimension, bias, weights,
                                  weighting, ngrams, hash_bits, normalize)
    VALUES (nm, ver, kind, ftype, inputs, classes, outputs, dim, bias, CASE WHEN ftype = 'dense' THEN weights END,
            weighting, ngrams, hash_bits, norm);
    IF ftype = 'bag_of_words' THEN
        IF hash_bits = 0 THEN
            INSERT INTO augur.model_terms (name, version, feature, term, idf)
            SELECT nm, ver, (i - 1)::integer, t, idf[i] FROM unnest(vocab) WITH ORDINALITY u(t, i);
        ELSIF idf IS NOT NULL THEN
            INSERT INTO augur.model_terms (name, version, feature, term, idf)
            SELECT nm, ver, (i - 1)::integer, NULL, v FROM unnest(idf) WITH ORDINALITY u(v, i);
        END IF;
        INSERT INTO augur.model_weights (name, version, feature, output, weight)
        SELECT nm, ver, ((i - 1) % dim)::integer, ((i - 1) / dim)::integer, w
        FROM unnest(weights) WITH ORDINALITY u(w, i) WHERE w <> 0;
    ELSE
        PERFORM augur.regenerate_predict(dim);
    END IF;
    RETURN ver;
END $$;

CREATE FUNCTION augur.import_model(p_name text, p_json text) RETURNS integer LANGUAGE sql AS $$
    SELECT augur.register_model(p_name, p_json, 'import', NULL)
$$;

-- Training runs in Augur's engine, not in PL/pgSQL: through the jdbc:augur:postgresql: driver (and so
-- `augur migrate --postgres`, TRAIN MODEL statements in migrations) the call is executed by the engine,
-- which then registers the model with augur.register_model. A stock client reaching this function gets a
-- clear error naming the ways to train.
CREATE FUNCTION augur.train_model(p_name text, p_kind text, p_query text, p_options text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format('AUGUR.TRAIN_MODEL(''%s'', ...) runs in Augur''s engine, not inside '
        || 'PostgreSQL: run it through the jdbc:augur:postgresql: driver (with literal arguments) or in a migration applied by '
        || '`augur migrate --postgres URL`; or train elsewhere and register the JSON with AUGUR.IMPORT_MODEL', p_name);
END $$;

CREATE FUNCTION augur.set_deployed(nm text, ver integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE sha text := (SELECT m.sha256 FROM augur.models m WHERE m.name = nm AND m.version = ver);
BEGIN
    UPDATE augur.deployed SET version = ver, sha256 = sha, deployed_at = CURRENT_TIMESTAMP, deployed_by = CURRENT_USER WHERE name = nm;
    IF NOT FOUND THEN
        INSERT INTO augur.deployed (name, version, sha256, deployed_at, deployed_by) VALUES (nm, ver, sha, CURRENT_TIMESTAMP, CURRENT_USER);
    END IF;
END $$;

-- the stored payload must hash to the stored SHA-256 before anyone can PREDICT with it
CREATE FUNCTION augur.check_payload(nm text, ver integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE expected text; actual text;
BEGIN
    SELECT m.sha256, encode(sha256(p.payload), 'hex') INTO expected, actual
    FROM augur.models m LEFT JOIN augur.model_payloads p ON p.name = m.name AND p.version = m.version
    WHERE m.name = nm AND m.version = ver;
    IF actual IS NULL THEN
        PERFORM augur.err('XX001', format('model payload is corrupt or truncated: the payload of model ''%s'' version %s is missing; '
            || 're-import the model from its source file', nm, ver));
    END IF;
    IF lower(expected) <> actual THEN
        PERFORM augur.err('XX001', format('model ''%s'' version %s is corrupt: stored sha256 %s but payload hashes to %s; '
            || 're-import the model from its source file', nm, ver, expected, actual));
    END IF;
END $$;

CREATE FUNCTION augur.regenerate_for(nm text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    FOR n IN SELECT DISTINCT cardinality(inputs) FROM augur.model_defs WHERE name = nm AND feature_type = 'dense' LOOP
        PERFORM augur.regenerate_predict(n);
    END LOOP;
END $$;

CREATE FUNCTION augur.deploy_model(p_name text, p_version integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); ver integer; cur integer;
BEGIN
    PERFORM augur.lock();
    ver := CASE WHEN p_version IS NULL THEN augur.latest(nm) ELSE augur.require_version(nm, p_version) END;
    PERFORM augur.check_payload(nm, ver);
    SELECT version INTO cur FROM augur.deployed WHERE name = nm;
    IF cur = ver THEN
        RETURN ver;
    END IF;
    PERFORM augur.set_deployed(nm, ver);
    INSERT INTO augur.deployments (name, version, previous_version, action) VALUES (nm, ver, cur, 'deploy');
    PERFORM augur.regenerate_for(nm);
    RETURN ver;
END $$;

CREATE FUNCTION augur.rollback_model(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); cur integer; active bigint[]; versions integer[]; prev integer;
BEGIN
    PERFORM augur.lock();
    SELECT array_agg(id ORDER BY id DESC), array_agg(version ORDER BY id DESC) INTO active, versions
    FROM augur.deployments WHERE name = nm AND action = 'deploy' AND NOT rolled_back;
    cur := augur.require_deployed(nm);
    IF coalesce(cardinality(active), 0) < 2 THEN
        PERFORM augur.err('55000', format('model ''%s'' has no earlier deployment to roll back to (version %s is its first); '
            || 'deploy another version with AUGUR.DEPLOY_MODEL', nm, cur));
    END IF;
    prev := versions[2];
    PERFORM augur.require_version(nm, prev);
    PERFORM augur.check_payload(nm, prev);
    UPDATE augur.deployments SET rolled_back = TRUE WHERE id = active[1];
    PERFORM augur.set_deployed(nm, prev);
    INSERT INTO augur.deployments (name, version, previous_version, action) VALUES (nm, prev, cur, 'rollback');
    PERFORM augur.regenerate_for(nm);
    RETURN prev;
END $$;

CREATE FUNCTION augur.drop_model(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); n integer; arities integer[];
BEGIN
    PERFORM augur.lock();
    SELECT count(*) INTO n FROM augur.models WHERE name = nm;
    IF n = 0 THEN
        PERFORM augur.unknown_model(nm);
    END IF;
    SELECT array_agg(DISTINCT cardinality(inputs)) INTO arities FROM augur.model_defs WHERE name = nm AND feature_type = 'dense';
    DELETE FROM augur.deployed WHERE name = nm;
    DELETE FROM augur.deployments WHERE name = nm;
    DELETE FROM augur.model_payloads WHERE name = nm;
    DELETE FROM augur.models WHERE name = nm;
    IF arities IS NOT NULL THEN
        FOR i IN 1 .. cardinality(arities) LOOP
            PERFORM augur.regenerate_predict(arities[i]);
        END LOOP;
    END IF;
    RETURN n;
END $$;

CREATE FUNCTION augur.export_model(p_name text, p_version integer DEFAULT NULL) RETURNS text
LANGUAGE plpgsql STABLE SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); ver integer; d augur.model_defs; feats text; w text; b text;
BEGIN
    IF p_version IS NOT NULL THEN
        ver := augur.require_version(nm, p_version);
    ELSE
        SELECT version INTO ver FROM augur.deployed WHERE name = nm;
        IF ver IS NULL THEN ver := augur.latest(nm); END IF;
    END IF;
    PERFORM augur.check_payload(nm, ver);
    d := augur.defs(nm, ver);
    IF d.feature_type = 'dense' THEN
        feats := '{"type":"dense","inputs":' || to_json(d.inputs)::text || '}';
        IF d.outputs = 1 THEN
            w := to_json(d.weights)::text;
        ELSE
            SELECT '[' || string_agg(to_json(d.weights[(o - 1) * d.dimension + 1 : o * d.dimension])::text, ',' ORDER BY o) || ']'
            INTO w FROM generate_series(1, d.outputs) o;
        END IF;
    ELSE
        feats := '{"type":"bag_of_words","input":' || to_json(d.inputs[1])::text || ',"weighting":' || to_json(d.weighting)::text
            || ',"ngrams":' || d.ngrams || ',"hash_bits":' || d.hash_bits || ',"normalize":' || d.normalize
            || ',"vocabulary":' || coalesce((SELECT json_agg(term ORDER BY feature)::text FROM augur.model_terms
                                             WHERE name = nm AND version = ver AND term IS NOT NULL), '[]')
            || CASE WHEN d.weighting = 'tfidf' THEN ',"idf":' || (SELECT json_agg(idf ORDER BY feature)::text FROM augur.model_terms
                                                                   WHERE name = nm AND version = ver) ELSE '' END || '}';
        SELECT '[' || string_agg(row_text, ',' ORDER BY o) || ']' INTO w FROM (
            SELECT o, (SELECT json_agg(coalesce(mw.weight, 0) ORDER BY f)::text
                       FROM generate_series(0, d.dimension - 1) f
                       LEFT JOIN augur.model_weights mw ON mw.name = nm AND mw.version = ver AND mw.feature = f AND mw.output = o) AS row_text
            FROM generate_series(0, d.outputs - 1) o) s;
        IF d.outputs = 1 THEN w := substr(w, 2, length(w) - 2); END IF;
    END IF;
    b := CASE WHEN d.outputs = 1 THEN to_json(d.bias[1])::text ELSE to_json(d.bias)::text END;
    RETURN '{"format":"augur-model","format_version":1,"name":' || to_json(nm)::text || ',"kind":' || to_json(d.kind)::text
        || ',"features":' || feats || ',"classes":' || to_json(d.classes)::text || ',"weights":' || w || ',"bias":' || b || '}';
END $$;

-- ------------------------------------------------------------------------------------------------- roles
-- augur_admin may register, deploy, roll back and drop (through the functions, which run as the catalog's
-- owner); augur_user may PREDICT and read the catalog. Grant them to login roles.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'augur_user') THEN
        CREATE ROLE augur_user NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'augur_admin') THEN
        CREATE ROLE augur_admin NOLOGIN;
    END IF;
    IF NOT pg_has_role('augur_admin', 'augur_user', 'MEMBER') THEN
        GRANT augur_user TO augur_admin;
    END IF;
END $$;

REVOKE ALL ON SCHEMA augur FROM PUBLIC;
GRANT USAGE ON SCHEMA augur TO augur_user;
GRANT SELECT ON ALL TABLES IN SCHEMA augur TO augur_user;
REVOKE EXECUTE ON FUNCTION augur.register_model(text, text, text, text), augur.import_model(text, text),
    augur.deploy_model(text, integer), augur.rollback_model(text), augur.drop_model(text),
    augur.train_model(text, text, text, text), augur.regenerate_predict(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION augur.register_model(text, text, text, text), augur.import_model(text, text),
    augur.deploy_model(text, integer), augur.rollback_model(text), augur.drop_model(text),
    augur.train_model(text, text, text, text) TO augur_admin;
