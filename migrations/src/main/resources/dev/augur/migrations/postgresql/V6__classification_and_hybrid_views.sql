-- Classification views on PostgreSQL, in PL/pgSQL only: the same function, options, return values, SQLSTATEs
-- and semantics as H2's AUGUR.CREATE_CLASSIFICATION_VIEW. A view of every entity's predicted class, trained on an
-- examples table when created and learning online from every INSERT into it:
--   * creation: the examples present train the first model, as the engine's SgdTrainer-free loop in H2Views does
--     (examples in key order, shuffled per epoch by java.util.Random's algorithm with the same seed, learning rate
--     rate / sqrt(1 + epoch), LinearSgd's steps: logistic or hinge loss, L2 decay through a lazy scale);
--   * an INSERT into the examples table: a statement trigger runs one SGD step per example, in insertion order, at
--     the constant learning rate, on the live model; the model becomes the view's next version and the view is
--     maintained by the Hölder bound (V3's plans and skiing rule), in the same transaction;
--   * entities: a row trigger keeps each entity's features and scores in the same transaction.
-- Unlike prediction views, each row keeps its feature vector (f_idx: 0-based feature numbers, f_val: values), as
-- H2 keeps it in memory, so learning and re-scoring never re-tokenize a text. The live and anchor models are
-- float8 arrays in augur.view_learners (H2 keeps encoded payloads in VIEW_MODELS; views.model_sha256 stays NULL).

CREATE TABLE augur.view_learners (
    view_name      varchar(63) NOT NULL PRIMARY KEY REFERENCES augur.views (name) ON DELETE CASCADE,
    kind           varchar(16) NOT NULL CHECK (kind IN ('logistic', 'svm')),
    feature_type   varchar(16) NOT NULL CHECK (feature_type IN ('dense', 'bag_of_words')),
    hash_bits      integer,
    inputs         text[]      NOT NULL,
    classes        text[]      NOT NULL,
    dimension      integer     NOT NULL,
    live_weights   float8[]    NOT NULL,
    live_bias      float8      NOT NULL,
    anchor_weights float8[]    NOT NULL,
    anchor_bias    float8      NOT NULL,
    examples       bigint      NOT NULL DEFAULT 0
);
GRANT SELECT ON augur.view_learners TO augur_user;
GRANT INSERT, UPDATE, DELETE ON augur.view_learners TO augur_admin;

-- ------------------------------------------------------------------------------------------------ features

-- the engine's bag_of_words(col) of a classification view: binary unigrams hashed by FNV-1a into 2^bits buckets,
-- L2-normalized (BagOfWords.vectorize): sorted distinct buckets, each 1/sqrt(count). NULL for a NULL text.
CREATE FUNCTION augur.cv_bow(body text, bits integer, OUT idx integer[], OUT val float8[])
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE n integer;
BEGIN
    IF body IS NULL THEN
        RETURN;
    END IF;
    SELECT coalesce(array_agg(g.f ORDER BY g.f), '{}') INTO idx
    FROM (SELECT DISTINCT augur.fnv1a(t.term, bits) AS f FROM (SELECT DISTINCT u AS term FROM unnest(augur.tokens(body)) u) t) g;
    n := cardinality(idx);
    val := CASE WHEN n = 0 THEN '{}'::float8[] ELSE array_fill(1.0::float8 / sqrt(n::float8), ARRAY[n]) END;
END $$;

-- a dense entity's features: NULL when an input is NULL; a non-finite input is an error (22023), as in PREDICT
CREATE FUNCTION augur.cv_dense(p_view text, inputs text[], x float8[], OUT idx integer[], OUT val float8[])
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF array_position(x, NULL) IS NOT NULL THEN
        RETURN;
    END IF;
    FOR i IN 1 .. cardinality(x) LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            PERFORM augur.nonfinite(p_view, inputs[i], x[i]);
        END IF;
    END LOOP;
    idx := ARRAY(SELECT generate_series(0, cardinality(x) - 1));
    val := x;
END $$;

-- ------------------------------------------------------------------------------------------------ learning

-- java.util.Random's next(31) on its 48-bit LCG, in bigint arithmetic without overflow (the multiplier split in two)
CREATE FUNCTION augur.cv_next31(INOUT seed bigint, OUT r integer) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE lo bigint := seed & 16777215; hi bigint := seed >> 24;
BEGIN
    seed := (lo * 25214903917 + (((hi * 25214903917) & 16777215) << 24) + 11) & 281474976710655;
    r := (seed >> 17)::integer;
END $$;

-- Collections.shuffle(list, random) with java.util.Random.nextInt(bound): the engine's epoch order, reproduced
CREATE FUNCTION augur.cv_shuffle(INOUT items integer[], INOUT seed bigint) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j integer; r integer; u integer; m integer; t integer; s record;
BEGIN
    FOR i IN REVERSE cardinality(items) .. 2 LOOP
        s := augur.cv_next31(seed);
        seed := s.seed;
        r := s.r;
        m := i - 1;
        IF (i & m) = 0 THEN
            j := ((i::bigint * r) >> 31)::integer;
        ELSE
            u := r;
            j := u % i;
            WHILE u::bigint - j + m >= 2147483648 LOOP
                s := augur.cv_next31(seed);
                seed := s.seed;
                u := s.r;
                j := u % i;
            END LOOP;
        END IF;
        t := items[i];
        items[i] := items[j + 1];
        items[j + 1] := t;
    END LOOP;
END $$;

-- LinearSgd.step, one call for a whole sequence of steps: example steps[s] (features p_idx/p_val between
-- p_off[e] + 1 and p_off[e + 1], class index p_target[e]) at rate p_eta[s]. The same float8 operations in the
-- same order as the engine: z = scale · (v · x) + b; logistic g = sigmoid(z) − y, hinge g = −y when y·z < 1;
-- then the L2 decay of the lazy scale; then v −= (eta·g / scale) x, b −= eta·g. Returns w = scale · v, and b.
CREATE FUNCTION augur.cv_sgd(p_kind text, p_l2 float8, p_w float8[], p_b float8, p_idx integer[], p_val float8[],
    p_off integer[], p_target integer[], p_steps integer[], p_eta float8[], OUT w float8[], OUT b float8)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v float8[] := p_w;
    scale float8 := 1;
    e integer; eta float8; dot float8; z float8; g float8; y float8; p float8; shrink float8; st float8; k integer;
BEGIN
    b := p_b;
    IF cardinality(v) > 0 THEN
        v[1] := v[1];  -- expanded in place: element updates below cost O(1)
    END IF;
    FOR s IN 1 .. coalesce(cardinality(p_steps), 0) LOOP
        e := p_steps[s];
        eta := p_eta[s];
        dot := 0;
        FOR j IN p_off[e] + 1 .. p_off[e + 1] LOOP
            dot := dot + v[p_idx[j] + 1] * p_val[j];
        END LOOP;
        z := scale * dot + b;
        IF p_kind = 'logistic' THEN
            -- Model.sigmoid (exp's argument kept above PostgreSQL's underflow error; the result is the same double)
            p := CASE WHEN z >= 0 THEN 1.0::float8 / (1.0::float8 + exp(greatest(-z, -745.0)))
                      ELSE exp(greatest(z, -745.0)) / (1.0::float8 + exp(greatest(z, -745.0))) END;
            g := p - p_target[e];
        ELSE
            y := CASE WHEN p_target[e] = 1 THEN 1.0 ELSE -1.0 END;
            g := CASE WHEN y * z < 1 THEN -y ELSE 0 END;
        END IF;
        IF p_l2 <> 0 THEN
            shrink := 1 - eta * p_l2;
            IF shrink <= 0 THEN
                -- a decay step this large (learning_rate · l2 >= 1) takes the weights all the way to zero
                v := array_fill(0.0::float8, ARRAY[cardinality(v)]);
                scale := 1;
            ELSE
                scale := scale * shrink;
                IF scale < 1e-9 THEN
                    FOR i IN 1 .. cardinality(v) LOOP
                        v[i] := v[i] * scale;
                    END LOOP;
                    scale := 1;
                END IF;
            END IF;
        END IF;
        IF g <> 0 THEN
            st := eta * g / scale;
            FOR j IN p_off[e] + 1 .. p_off[e + 1] LOOP
                k := p_idx[j] + 1;
                v[k] := v[k] - st * p_val[j];
            END LOOP;
            b := b - eta * g;
        END IF;
    END LOOP;
    IF scale = 1 THEN
        w := v;
    ELSE
        w := ARRAY(SELECT x * scale FROM unnest(v) AS x);
    END IF;
END $$;

-- an example's label as the engine's SgdTrainer.labelText writes it (numbers without trailing zeros)
CREATE FUNCTION augur.cv_label_text(label text, numeric_label boolean) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF label IS NULL OR NOT numeric_label OR label ~* '^[-+]?(nan|infinity|inf)$' THEN
        RETURN label;
    END IF;
    RETURN trim_scale(label::numeric)::text;
END $$;

-- ------------------------------------------------------------------------------------------------ maintenance

-- what a full or incremental pass over a classification view's rows does, with weights w and bias b; the same
-- plans and per-row tests as V3's generated scoring functions, margins computed from the stored features
CREATE FUNCTION augur.cv_run(v augur.views, p_mode text, w float8[], b float8, classes text[], ver integer, tol float8,
    lo float8, hi float8, dl1 float8, dl2 float8, dlinf float8, db float8, lip float8) RETURNS augur.view_work
LANGUAGE plpgsql AS $$
DECLARE
    r augur.view_work;
    vt text := format('%I.%I', v.view_schema, v.name);
    k text := quote_ident(v.key_column);
    -- a row's margin under weights $1 and bias $2, from its stored features; always inside LATERAL (... OFFSET 0), which
    -- PostgreSQL does not flatten: an inlined expression would be evaluated once per reference (8 times a row)
    m text := '$2 + coalesce((SELECT sum($1[x.i + 1] * x.v) FROM unnest(%1$s.f_idx, %1$s.f_val) AS x(i, v)), 0::float8)';
    lbl text := 'CASE WHEN %1$s >= 0 THEN $3[2] ELSE $3[1] END';
    scr text := '0.5::float8 + 0.5::float8 * tanh(0.5::float8 * %1$s)';
    drift text := 'least($10 * v.norm_1, $9 * v.norm_2, $8 * v.norm_inf) + $11 + abs(v.anchor_margin - v.margin)';
    safe text := '(abs(%1$s) > %2$s AND $12 * %2$s <= $5 AND NOT ($5 = 0 AND %2$s > 0))';
BEGIN
    IF cardinality(w) > 0 THEN
        w[1] := w[1];  -- expanded: each $1[i] below is O(1), whatever the array's size or storage
    END IF;
    IF p_mode = 'size' THEN
        EXECUTE format('SELECT count(*) FROM %s v WHERE v.margin IS NOT NULL', vt) INTO r.checked;
    ELSIF p_mode = 'full' THEN
        EXECUTE format($q$
            WITH s AS (
                SELECT v.%2$s AS key, mm.m, v.margin AS om, v.label AS ol, v.model_version AS ov
                FROM %1$s v, LATERAL (SELECT %3$s AS m OFFSET 0) mm WHERE v.f_idx IS NOT NULL
            ), u AS (
                UPDATE %1$s v SET margin = s.m, anchor_margin = s.m, label = %4$s, score = %5$s, model_version = $4, dirty = false,
                    scored_at = CASE WHEN s.m IS DISTINCT FROM s.om OR %4$s IS DISTINCT FROM s.ol OR $4 IS DISTINCT FROM s.ov
                                     THEN CURRENT_TIMESTAMP ELSE v.scored_at END
                FROM s WHERE v.%2$s = s.key
                RETURNING (s.m IS DISTINCT FROM s.om OR %4$s IS DISTINCT FROM s.ol OR $4 IS DISTINCT FROM s.ov) AS chg
            )
            SELECT count(*), count(*) FILTER (WHERE chg) FROM u$q$,
            vt, k, format(m, 'v'), format(lbl, 's.m'), format(scr, 's.m'))
        INTO r.rescored, r.written USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip;
        EXECUTE format('UPDATE %s SET dirty = false WHERE dirty', vt);
        EXECUTE format('SELECT max(norm_1), max(norm_2), max(norm_inf) FROM %s', vt) INTO r.max_n1, r.max_n2, r.max_ninf;
        r.checked := r.rescored;
    ELSIF p_mode = 'count' THEN
        EXECUTE format('SELECT count(*), count(*) FILTER (WHERE NOT %s) FROM %s v WHERE v.margin IS NOT NULL',
            format(safe, 'v.margin', '(' || drift || ')'), vt)
        INTO r.checked, r.rescored USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip;
    ELSE
        -- the Hölder band: rows whose anchor margin lies in [lo, hi] (an index range) or written since the anchor,
        -- re-scored where their own bound says the label (or the score beyond the tolerance) can change
        EXECUTE format($q$
            WITH band AS (
                SELECT v.%2$s AS key, v.margin AS om, v.label AS ol, v.score AS os, %3$s AS drift, v.f_idx, v.f_val
                FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN $6 AND $7 OR v.dirty)
            ), c AS (
                SELECT band.key, band.om, band.ol, band.os, mm.m FROM band, LATERAL (SELECT %4$s AS m OFFSET 0) mm WHERE NOT %5$s
            ), s AS (
                SELECT c.*, %6$s AS lb, %7$s AS sc FROM c
            ), u AS (
                UPDATE %1$s v SET margin = s.m, label = s.lb, score = s.sc, model_version = $4, scored_at = CURRENT_TIMESTAMP
                FROM s WHERE v.%2$s = s.key
                  AND (s.lb IS DISTINCT FROM s.ol OR CASE WHEN $5 = 0 THEN s.m <> s.om ELSE abs(s.sc - s.os) > $5 / 2 END)
                RETURNING abs(v.anchor_margin - s.m) AS dev
            )
            SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev) FROM u$q$,
            vt, k, drift, format(m, 'band'), format(safe, 'band.om', 'band.drift'), format(lbl, 'c.m'), format(scr, 'c.m'))
        INTO r.checked, r.rescored, r.written, r.max_dev USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip;
    END IF;
    RETURN r;
END $$;

-- Brings a classification view to its live model: incrementally where the Hölder bound allows, else by a full
-- re-scoring that becomes the new anchor (skiing rule, or p_full). V3's view_model_changed, with the models taken
-- from augur.view_learners. Returns the rows written.
CREATE FUNCTION augur.cv_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    v augur.views;
    l augur.view_learners;
    w augur.view_work;
    total bigint;
    reorganize boolean;
    full_plan boolean := false;
    dl1 float8; dl2 float8; dlinf float8; db float8;
    lip constant float8 := 0.25;  -- both kinds' scores are sigmoid(margin)
    max_bound float8; band float8; bound float8;
    note text;
BEGIN
    v := augur.view_lock(p_view);
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    total := (augur.cv_run(v, 'size', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, 0, 0, 0, 0, 0, 0, lip)).checked;
    reorganize := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    IF reorganize THEN
        full_plan := true;
    ELSE
        SELECT coalesce(sum(abs(x.lw - x.aw)), 0), coalesce(sqrt(sum((x.lw - x.aw) * (x.lw - x.aw))), 0), coalesce(max(abs(x.lw - x.aw)), 0)
        INTO dl1, dl2, dlinf FROM unnest(l.live_weights, l.anchor_weights) AS x(lw, aw);
        db := abs(l.live_bias - l.anchor_bias);
        max_bound := least(dlinf * v.max_norm_1, dl2 * v.max_norm_2, dl1 * v.max_norm_inf) + db;
        bound := max_bound;
        IF lip * (max_bound + v.max_deviation) <= v.tolerance THEN
            -- only labels can change: the band |anchor margin| <= bound + 2 D (an index range) holds every candidate
            band := max_bound + 2 * v.max_deviation;
            w := augur.cv_run(v, 'band', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, -band, band,
                              dl1, dl2, dlinf, db, lip);
        ELSE
            w := augur.cv_run(v, 'count', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, 0, 0,
                              dl1, dl2, dlinf, db, lip);
            IF w.rescored > total / 2 THEN
                full_plan := true;
            ELSE
                w := augur.cv_run(v, 'band', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance,
                                  '-Infinity', 'Infinity', dl1, dl2, dlinf, db, lip);
            END IF;
        END IF;
        IF NOT full_plan THEN
            UPDATE augur.views x SET incremental_cost = x.incremental_cost + w.checked * 0.05::float8 + w.rescored,
                max_deviation = greatest(x.max_deviation, coalesce(w.max_dev, 0))
            WHERE x.name = p_view;
        END IF;
    END IF;
    IF full_plan THEN
        w := augur.cv_run(v, 'full', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, 0, 0, 0, 0, 0, 0, lip);
        UPDATE augur.views x SET anchor_version = v.model_version, incremental_cost = 0, max_deviation = 0,
            max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0), max_norm_inf = coalesce(w.max_ninf, 0)
        WHERE x.name = p_view;
        UPDATE augur.view_learners x SET anchor_weights = x.live_weights, anchor_bias = x.live_bias WHERE x.view_name = p_view;
        bound := NULL;
        IF NOT p_full THEN
            note := CASE WHEN reorganize THEN 'incremental cost since the anchor exceeded alpha x a full re-scoring: re-anchored'
                         ELSE 'the bounds left most rows to re-score: re-scored all and re-anchored' END;
        END IF;
    END IF;
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, bound, millis, scorer, note)
    VALUES (p_view, CASE WHEN full_plan THEN CASE WHEN p_full THEN 'refresh_full' ELSE 'reorganize' END ELSE p_event END,
            v.model_version, w.checked, w.rescored, w.written, bound,
            extract(epoch FROM clock_timestamp() - t0)::float8 * 1000, 'sql', note);
    RETURN w.written;
END $$;

-- One entity scored with the view's live and anchor models, for the data trigger (view locked); grows the
-- view's largest norms and deviation as view_score_row does. All NULL when the features are NULL.
CREATE FUNCTION augur.cv_score_row(p_view text, f_idx integer[], f_val float8[], OUT margin float8, OUT score float8,
    OUT label text, OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8)
LANGUAGE plpgsql AS $$
DECLARE v augur.views; l augur.view_learners; lw float8[]; aw float8[];
BEGIN
    IF f_idx IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views x WHERE x.name = p_view;
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    -- expanded copies: a subscript of a stored (compressed) array would decompress all of it each time
    lw := l.live_weights;
    lw[1] := lw[1];
    aw := l.anchor_weights;
    aw[1] := aw[1];
    SELECT l.live_bias + coalesce(sum(lw[x.i + 1] * x.v), 0), l.anchor_bias + coalesce(sum(aw[x.i + 1] * x.v), 0),
           coalesce(sum(abs(x.v)), 0), coalesce(sqrt(sum(x.v * x.v)), 0), coalesce(max(abs(x.v)), 0)
    INTO margin, anchor_margin, norm_1, norm_2, norm_inf
    FROM unnest(f_idx, f_val) AS x(i, v);
    score := 0.5::float8 + 0.5::float8 * tanh(0.5::float8 * margin);
    label := CASE WHEN margin >= 0 THEN l.classes[2] ELSE l.classes[1] END;
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation THEN
        UPDATE augur.views x SET max_norm_1 = greatest(x.max_norm_1, norm_1), max_norm_2 = greatest(x.max_norm_2, norm_2),
            max_norm_inf = greatest(x.max_norm_inf, norm_inf), max_deviation = greatest(x.max_deviation, abs(anchor_margin - margin))
        WHERE x.name = p_view;
    END IF;
END $$;

-- After an INSERT of examples (the statement trigger, view locked): checks every example in insertion order as H2's
-- ExampleTrigger does (NULL label 22004, a label outside the classes 22023, no entity or NULL features 23503), runs
-- one SGD step per example at the view's learning rate, makes the result the next version and maintains the view.
CREATE FUNCTION augur.cv_learn(p_view text, keys text[], labels text[], p_found boolean[], p_idx integer[], p_val float8[],
    p_off integer[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v augur.views; l augur.view_learners; targets integer[] := '{}'; t integer; r record;
BEGIN
    IF coalesce(cardinality(keys), 0) = 0 THEN
        RETURN;
    END IF;
    v := augur.view_lock(p_view);
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    FOR e IN 1 .. cardinality(keys) LOOP
        IF labels[e] IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = format('example %s for view ''%s'' has a NULL label; label every example',
                keys[e], p_view);
        END IF;
        t := array_position(l.classes, labels[e]) - 1;
        IF t IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('example %s for view ''%s'' has label ''%s'', not one of the '
                || 'view''s classes (%s)', keys[e], p_view, labels[e], array_to_string(l.classes, ', '));
        END IF;
        IF NOT p_found[e] THEN
            RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('example key %s for view ''%s'' has no entity in %s '
                || '(or its features are NULL); insert the entity first', keys[e], p_view, v.base_table);
        END IF;
        targets := targets || t;
    END LOOP;
    r := augur.cv_sgd(l.kind, v.l2, l.live_weights, l.live_bias, p_idx, p_val, p_off, targets,
                      ARRAY(SELECT generate_series(1, cardinality(keys))), array_fill(v.learning_rate, ARRAY[cardinality(keys)]));
    UPDATE augur.view_learners x SET live_weights = r.w, live_bias = r.b, examples = x.examples + cardinality(keys)
    WHERE x.view_name = p_view;
    UPDATE augur.views x SET model_version = x.model_version + 1 WHERE x.name = p_view;
    PERFORM augur.cv_model_changed(p_view, 'learn', false);
END $$;

-- ------------------------------------------------------------------------------------------ generation

-- the entity trigger's body (V3's data trigger, with the features computed and kept in the row)
CREATE FUNCTION augur.cv_entity_trigger_body(p_view text, vt text, k text, cols text[], features text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE same text := format('OLD.%1$I IS NOT DISTINCT FROM NEW.%1$I', k);
BEGIN
    FOR i IN 1 .. cardinality(cols) LOOP
        same := same || format(' AND OLD.%1$I IS NOT DISTINCT FROM NEW.%1$I', cols[i]);
    END LOOP;
    RETURN format($body$
DECLARE f record; r record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM augur.view_lock(%1$L);
        DELETE FROM %2$s;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF %4$s THEN
            RETURN NULL;  -- an update of other columns changes no prediction
        END IF;
    END IF;
    PERFORM augur.view_lock(%1$L);
    IF TG_OP = 'DELETE' THEN
        DELETE FROM %2$s WHERE %3$I = OLD.%3$I;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.%3$I IS DISTINCT FROM NEW.%3$I THEN
        DELETE FROM %2$s WHERE %3$I = OLD.%3$I;
    END IF;
    IF NEW.%3$I IS NULL THEN
        RETURN NULL;
    END IF;
    IF (TG_OP = 'INSERT' OR OLD.%3$I IS DISTINCT FROM NEW.%3$I) AND EXISTS (SELECT 1 FROM %2$s WHERE %3$I = NEW.%3$I) THEN
        PERFORM augur.view_duplicate(%1$L, NEW.%3$I::text);
    END IF;
    f := %5$s;
    r := augur.cv_score_row(%1$L, f.idx, f.val);
    INSERT INTO %2$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty, f_idx, f_val)
    VALUES (NEW.%3$I, r.score, r.label, r.margin, r.norm_1, r.norm_2, r.norm_inf, r.model_version, CURRENT_TIMESTAMP, r.anchor_margin,
            true, f.idx, f.val)
    ON CONFLICT (%3$I) DO UPDATE SET score = EXCLUDED.score, label = EXCLUDED.label, margin = EXCLUDED.margin,
        norm_1 = EXCLUDED.norm_1, norm_2 = EXCLUDED.norm_2, norm_inf = EXCLUDED.norm_inf, model_version = EXCLUDED.model_version,
        scored_at = EXCLUDED.scored_at, anchor_margin = EXCLUDED.anchor_margin, dirty = true, f_idx = EXCLUDED.f_idx, f_val = EXCLUDED.f_val;
    RETURN NULL;
END $body$, p_view, vt, k, same, format(features, 'NEW'));
END $gen$;

-- the examples trigger's body: the statement's new examples, in insertion order, with their entities' features
CREATE FUNCTION augur.cv_examples_trigger_body(p_view text, vt text, k text, ek text, label_text text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
BEGIN
    RETURN format($body$
DECLARE r record;
BEGIN
    WITH n AS MATERIALIZED (
        SELECT row_number() OVER () AS ord, e.%4$I AS key, %5$s AS label FROM augur_new_examples e
    ), j AS MATERIALIZED (
        SELECT n.ord, n.key, n.label, v.f_idx, v.f_val, v.f_idx IS NOT NULL AS found
        FROM n LEFT JOIN %2$s v ON v.%3$I = n.key
    )
    SELECT (SELECT array_agg(j.key::text ORDER BY j.ord) FROM j) AS keys,
           (SELECT array_agg(j.label ORDER BY j.ord) FROM j) AS labels,
           (SELECT array_agg(j.found ORDER BY j.ord) FROM j) AS found,
           (SELECT array_agg(x.i ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS idx,
           (SELECT array_agg(x.v ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS val,
           (SELECT array_agg(s.o ORDER BY s.ord) FROM (SELECT 0::bigint AS ord, 0::bigint AS o UNION ALL
                SELECT j.ord, sum(coalesce(cardinality(j.f_idx), 0)) OVER (ORDER BY j.ord) FROM j) s) AS off
    INTO r;
    PERFORM augur.cv_learn(%1$L, r.keys, r.labels, r.found, coalesce(r.idx, '{}'), coalesce(r.val, '{}'), r.off::integer[]);
    RETURN NULL;
END $body$, p_view, vt, k, ek, format(label_text, 'e'));
END $gen$;

-- ------------------------------------------------------------------------------------------ AUGUR functions

-- the source table of a view (p_kind: 'prediction' or 'classification', for the message): its qualified name, oid, the
-- key's type and each column's type category; every column must exist and the key must be unique and never NULL
-- (H2Views.checkSource)
CREATE FUNCTION augur.view_source(tbl text, key text, cols text[], p_kind text, OUT base text, OUT rel oid, OUT key_type text,
    OUT categories text[]) LANGUAGE plpgsql AS $$
DECLARE r regclass; att record; col text; cnt record; relkind "char";
BEGIN
    r := to_regclass(lower(tbl));
    IF r IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = format('cannot read %s, %s from %s: table "%s" does not exist', key,
            array_to_string(cols, ', '), tbl, lower(tbl));
    END IF;
    SELECT c.relkind INTO relkind FROM pg_class c WHERE c.oid = r;
    IF relkind <> 'r' THEN
        RAISE EXCEPTION USING ERRCODE = '42809', MESSAGE = format('cannot maintain a %s view over %s: it is not a table', p_kind, tbl);
    END IF;
    rel := r;
    SELECT format('%I.%I', n.nspname, c.relname) INTO base FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = r;
    categories := '{}';
    FOR i IN 0 .. cardinality(cols) LOOP
        col := CASE WHEN i = 0 THEN key ELSE cols[i] END;
        SELECT format_type(a.atttypid, a.atttypmod) AS type_text, t.typcategory::text AS cat INTO att
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = r AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = format('cannot read %s, %s from %s: column "%s" does not exist', key,
                array_to_string(cols, ', '), tbl, col);
        END IF;
        IF i = 0 THEN
            key_type := att.type_text;
        ELSE
            categories := categories || att.cat;
        END IF;
    END LOOP;
    EXECUTE format('SELECT count(*) AS n, count(%1$I) AS nn, count(DISTINCT %1$I) AS nd FROM %2$s', key, base) INTO cnt;
    IF cnt.nn <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23502', MESSAGE = format('key column %s.%s has NULLs; a view needs a key on every row', tbl, key);
    END IF;
    IF cnt.nd <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = format('key column %s.%s is not unique (%s rows, %s distinct keys); '
            || 'a view needs one row per key', tbl, key, cnt.n, cnt.nd);
    END IF;
END $$;

-- CREATE CLASSIFICATION VIEW name KEY key ENTITIES FROM entities EXAMPLES FROM examples KEY examples_key LABEL label
-- FEATURE FUNCTION bag_of_words(col) | (col, ...) [USING logistic|svm] [WITH (...)]. Options as on H2:
-- learning_rate (0.5), l2 (1e-6), hash_bits (18), epochs (10, the initial training), tolerance (0.01 on scores;
-- labels are always exact), alpha (1), seed (42). Returns the number of entities scored.
CREATE OR REPLACE FUNCTION augur.create_classification_view(p_name text, p_entities text, p_key text, p_examples text,
    p_examples_key text, p_label text, p_feature_function text, p_kind text DEFAULT 'logistic', p_options text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    ident constant text := '^[A-Za-z_][A-Za-z0-9_]*$';
    nm text := augur.view_name(p_name);
    kind text := lower(coalesce(p_kind, 'logistic'));
    opts jsonb;
    bad text;
    rate float8; l2 float8; tol float8; alp float8; bits integer; epochs integer; seed bigint;
    parts text[];
    bow boolean;
    inputs text[];
    ent record;
    ex record;
    vschema name := current_schema();
    vt text;
    h text;
    key text := lower(p_key);
    ekey text := lower(p_examples_key);
    lbl text := lower(p_label);
    features text;
    label_text text;
    numeric_label boolean;
    classes text[];
    dim integer;
    n integer;
    cnt bigint;
    r record;
    order_ids integer[];
    steps integer[] := '{}';
    etas float8[] := '{}';
    sh record;
    w augur.view_work;
    owner_role text;
BEGIN
    IF kind NOT IN ('logistic', 'svm') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('a classification view learns a binary classifier: USING logistic or svm, got %s', p_kind);
    END IF;
    IF p_options IS NULL OR trim(p_options) = '' THEN
        opts := '{}';
    ELSE
        BEGIN
            opts := p_options::jsonb;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options are not valid JSON: ' || p_options;
        END;
        IF jsonb_typeof(opts) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options must be a JSON object, got: ' || p_options;
        END IF;
    END IF;
    SELECT o INTO bad FROM jsonb_object_keys(opts) o
    WHERE o NOT IN ('learning_rate', 'l2', 'hash_bits', 'epochs', 'tolerance', 'alpha', 'seed') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown view option ''%s''; options: learning_rate, l2, hash_bits, '
            || 'epochs, tolerance, alpha, seed', bad);
    END IF;
    rate := augur.view_option(opts, 'learning_rate', 0.5);
    l2 := augur.view_option(opts, 'l2', 1e-6);
    tol := augur.view_option(opts, 'tolerance', 0.01);
    alp := augur.view_option(opts, 'alpha', 1.0);
    bits := augur.view_option(opts, 'hash_bits', 18)::integer;
    epochs := augur.view_option(opts, 'epochs', 10)::integer;
    seed := coalesce((opts ->> 'seed')::bigint, 42);
    IF bits < 1 OR bits > 24 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option hash_bits must be between 1 and 24, got %s', bits);
    END IF;
    FOREACH bad IN ARRAY ARRAY[p_entities, p_key, p_examples, p_examples_key, p_label] LOOP
        IF bad IS NULL OR bad !~ ident THEN
            RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = format('invalid identifier ''%s'': use letters, digits and underscores',
                coalesce(bad, 'null'));
        END IF;
    END LOOP;
    parts := regexp_match(coalesce(p_feature_function, ''), '^\s*bag_of_words\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$', 'i');
    IF parts IS NOT NULL THEN
        bow := true;
        inputs := ARRAY[lower(parts[1])];
    ELSE
        parts := regexp_match(coalesce(p_feature_function, ''), '^\s*\(\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\)\s*$');
        IF parts IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '42601', MESSAGE = format('FEATURE FUNCTION must be bag_of_words(column) or (column, ...), got %s',
                p_feature_function);
        END IF;
        bow := false;
        SELECT array_agg(lower(trim(c)) ORDER BY i) INTO inputs FROM unnest(string_to_array(parts[1], ',')) WITH ORDINALITY u(c, i);
    END IF;
    IF EXISTS (SELECT 1 FROM augur.views WHERE name = nm) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('prediction view ''%s'' already exists; drop it first', nm);
    END IF;
    IF vschema IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '3F000', MESSAGE = 'no schema to create the view in: set search_path';
    END IF;
    IF to_regclass(format('%I.%I', vschema, nm)) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a table or view named ''%s'' already exists; choose another view name', nm);
    END IF;
    ent := augur.view_source(p_entities, key, inputs, 'classification');
    ex := augur.view_source(p_examples, ekey, ARRAY[lbl], 'classification');
    IF bow THEN
        dim := 1 << bits;
        features := format('augur.cv_bow((%%1$s.%I)::text, %s)', inputs[1], bits);
    ELSE
        dim := cardinality(inputs);
        FOR i IN 1 .. cardinality(inputs) LOOP
            IF ent.categories[i] NOT IN ('N', 'B') THEN
                RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('classification view ''%s'' input ''%s'' expects a number, got '
                    || 'column %s.%s of another type; cast it in a table or view of numbers', nm, inputs[i], p_entities, inputs[i]);
            END IF;
        END LOOP;
        features := format('augur.cv_dense(%L, %L, ARRAY[%s]::float8[])', nm, inputs,
            (SELECT string_agg(format(CASE WHEN ent.categories[i] = 'B' THEN '(%%1$s.%I)::integer::float8' ELSE '(%%1$s.%I)::float8' END,
                                      inputs[i]), ', ' ORDER BY i) FROM generate_series(1, cardinality(inputs)) i));
    END IF;
    numeric_label := ex.categories[1] = 'N';
    label_text := format('augur.cv_label_text((%%1$s.%I)::text, %s)', lbl, CASE WHEN numeric_label THEN 'true' ELSE 'false' END);
    -- the view table, every entity's features first
    h := md5(nm);
    vt := format('%I.%I', vschema, nm);
    INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                             model_sha256, anchor_version, examples_table, examples_key, label_column, learning_rate, l2,
                             definition, view_schema, base_relation, routine)
    VALUES (nm, 'classification', 'eager', tol, alp, p_entities, key, array_to_string(inputs, ','), nm, 1, NULL, 1, p_examples, ekey,
            lbl, rate, l2, format('CLASSIFICATION VIEW KEY %s ENTITIES FROM %s EXAMPLES FROM %s KEY %s LABEL %s FEATURE FUNCTION %s USING %s',
                                  key, p_entities, p_examples, ekey, lbl, p_feature_function, kind),
            vschema, ent.rel, h);
    EXECUTE format('CREATE TABLE %s (%I %s NOT NULL PRIMARY KEY, score float8, label varchar(256), margin float8, norm_1 float8, '
        || 'norm_2 float8, norm_inf float8, model_version integer, scored_at timestamptz, anchor_margin float8, '
        || 'dirty boolean NOT NULL DEFAULT false, f_idx integer[], f_val float8[])', vt, key, ent.key_type);
    EXECUTE format('INSERT INTO %s (%I, f_idx, f_val, model_version, dirty) SELECT b.%I, (f).idx, (f).val, 1, false '
        || 'FROM (SELECT b.%I, %s AS f FROM %s b OFFSET 0) b', vt, key, key, key, format(features, 'b'), ent.base);  -- once per row
    -- the classes: the examples' two distinct labels, in numeric order for numeric labels (H2Views.classes)
    EXECUTE format('SELECT count(*) FILTER (WHERE e.%I IS NULL) FROM %s e', lbl, ex.base) INTO cnt;
    IF cnt > 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = format('an example of view ''%s'' has a NULL label; label every example', nm);
    END IF;
    EXECUTE format('SELECT array_agg(t ORDER BY %s) FROM (SELECT DISTINCT %s AS t FROM %s e) d',
        CASE WHEN numeric_label THEN 't::numeric' ELSE 't COLLATE "C"' END, format(label_text, 'e'), ex.base) INTO classes;
    IF coalesce(cardinality(classes), 0) <> 2 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('classification view ''%s'' starts from examples of exactly 2 classes, '
            || 'the examples have [%s]; insert examples of both classes first', nm, array_to_string(coalesce(classes, '{}'), ', '));
    END IF;
    -- the examples in key order (an example must name an entity), with their entities' features
    EXECUTE format($q$
        WITH j AS MATERIALIZED (
            SELECT row_number() OVER (ORDER BY e.%1$I%6$s) AS ord, e.%1$I::text AS key, %2$s AS label, v.%3$I IS NOT NULL AS found,
                   v.f_idx, v.f_val
            FROM %4$s e LEFT JOIN %5$s v ON v.%3$I = e.%1$I
        )
        SELECT (SELECT array_agg(j.key ORDER BY j.ord) FROM j) AS keys,
               (SELECT array_agg(array_position($1, j.label) - 1 ORDER BY j.ord) FROM j) AS targets,
               (SELECT array_agg(j.found ORDER BY j.ord) FROM j) AS found,
               (SELECT array_agg(j.f_idx IS NOT NULL ORDER BY j.ord) FROM j) AS usable,
               (SELECT array_agg(x.i ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS idx,
               (SELECT array_agg(x.v ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS val,
               (SELECT array_agg(s.o ORDER BY s.ord) FROM (SELECT 0::bigint AS ord, 0::bigint AS o UNION ALL
                    SELECT j.ord, sum(coalesce(cardinality(j.f_idx), 0)) OVER (ORDER BY j.ord) FROM j) s) AS off$q$,
        ekey, format(label_text, 'e'), key, ex.base, vt, CASE WHEN ex.key_type ~ '^(text|character)' THEN ' COLLATE "C"' ELSE '' END)
    INTO r USING classes;
    n := coalesce(cardinality(r.keys), 0);
    FOR e IN 1 .. n LOOP
        IF NOT r.found[e] THEN
            RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('example key %s of view ''%s'' has no entity in %s; insert the entity first',
                r.keys[e], nm, p_entities);
        END IF;
    END LOOP;
    -- the initial training: epochs over the examples, each epoch in the order java.util.Random shuffles them to
    order_ids := ARRAY(SELECT generate_series(0, n - 1));
    seed := (seed # 25214903917) & 281474976710655;
    FOR epoch IN 0 .. epochs - 1 LOOP
        sh := augur.cv_shuffle(order_ids, seed);
        order_ids := sh.items;
        seed := sh.seed;
        FOR s IN 1 .. n LOOP
            IF r.usable[order_ids[s] + 1] THEN
                steps := steps || (order_ids[s] + 1);
                etas := etas || (rate / sqrt(1.0::float8 + epoch));
            END IF;
        END LOOP;
    END LOOP;
    sh := augur.cv_sgd(kind, l2, array_fill(0.0::float8, ARRAY[dim]), 0.0::float8, coalesce(r.idx, '{}'), coalesce(r.val, '{}'),
                       coalesce(r.off::integer[], '{0}'), r.targets, steps, etas);
    INSERT INTO augur.view_learners (view_name, kind, feature_type, hash_bits, inputs, classes, dimension, live_weights, live_bias,
                                     anchor_weights, anchor_bias)
    VALUES (nm, kind, CASE WHEN bow THEN 'bag_of_words' ELSE 'dense' END, CASE WHEN bow THEN bits END, inputs, classes, dim,
            sh.w, sh.b, sh.w, sh.b);
    -- score every entity
    PERFORM augur.view_lock(nm);
    w := augur.cv_run((SELECT v FROM augur.views v WHERE v.name = nm), 'full', sh.w, sh.b, classes, 1, tol, 0, 0, 0, 0, 0, 0, 0.25);
    EXECUTE format('UPDATE %s SET norm_1 = n.n1, norm_2 = n.n2, norm_inf = n.ninf FROM (SELECT v.%I AS key, '
        || 'coalesce((SELECT sum(abs(x)) FROM unnest(v.f_val) x), 0) AS n1, coalesce((SELECT sqrt(sum(x * x)) FROM unnest(v.f_val) x), 0) AS n2, '
        || 'coalesce((SELECT max(abs(x)) FROM unnest(v.f_val) x), 0) AS ninf FROM %s v WHERE v.f_idx IS NOT NULL) n WHERE %I = n.key',
        vt, key, vt, key);
    EXECUTE format('UPDATE %s SET model_version = NULL, scored_at = CURRENT_TIMESTAMP WHERE f_idx IS NULL', vt);
    EXECUTE format('SELECT max(norm_1), max(norm_2), max(norm_inf), count(*) FROM %s', vt) INTO w.max_n1, w.max_n2, w.max_ninf, w.written;
    UPDATE augur.views x SET max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0),
        max_norm_inf = coalesce(w.max_ninf, 0), max_deviation = 0, incremental_cost = 0
    WHERE x.name = nm;
    EXECUTE format('CREATE INDEX ON %s (margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (anchor_margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (%I) WHERE dirty', vt, key);
    EXECUTE format('GRANT SELECT ON %s TO augur_user', vt);
    -- the triggers: entities (row level) and examples (statement level, over the statement's new rows)
    EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp '
        || 'SET extra_float_digits = 3 AS %L', vschema, 'augur_ct_' || h, augur.cv_entity_trigger_body(nm, vt, key, inputs, features));
    EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp '
        || 'SET extra_float_digits = 3 AS %L', vschema, 'augur_cl_' || h, augur.cv_examples_trigger_body(nm, vt, key, ekey, label_text));
    SELECT n.nspowner::regrole::text INTO owner_role FROM pg_namespace n WHERE n.nspname = 'augur';
    EXECUTE format('REVOKE ALL ON FUNCTION %I.%I FROM PUBLIC', vschema, 'augur_ct_' || h);
    EXECUTE format('REVOKE ALL ON FUNCTION %I.%I FROM PUBLIC', vschema, 'augur_cl_' || h);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()',
        'augur_ct_' || h, ent.base, vschema, 'augur_ct_' || h);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()',
        'augur_cx_' || h, ent.base, vschema, 'augur_ct_' || h);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_new_examples FOR EACH STATEMENT '
        || 'EXECUTE FUNCTION %I.%I()', 'augur_cl_' || h, ex.base, vschema, 'augur_cl_' || h);
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, millis, scorer)
    VALUES (nm, 'create', 1, w.written, w.rescored, w.written, 0, 'sql');
    RETURN w.written;
END $$;

REVOKE EXECUTE ON FUNCTION augur.create_classification_view(text, text, text, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION augur.create_classification_view(text, text, text, text, text, text, text, text, text) TO augur_admin;

-- ================================================================================================ hybrid views

-- Hybrid prediction views on PostgreSQL, as on H2: WITH (mode = hybrid) keeps labels eagerly in table NAME_labels
-- (maintained like an eager view with an infinite score tolerance, so a model change re-scores only the rows whose
-- label its Hölder bound says can flip) behind a view NAME (key, score, label, model_version, scored_at) whose scores
-- PREDICT computes on read, hence always exact. CREATE (V5's, with the hybrid mode), REFRESH and DROP (V3's, with
-- classification and hybrid views) and the deploy hook (V3's) are redefined.
--
-- Bulk changes: a dense view created from now on follows INSERT, UPDATE and DELETE with statement-level triggers over
-- the statement's transition tables (set-based, the same float8 operations as the row trigger's view_score_row)
-- instead of a row trigger running per row (~90 us a row against ~2 us for the INSERT itself); TRUNCATE as before.

ALTER TABLE augur.views DROP CONSTRAINT views_mode_check;
ALTER TABLE augur.views ADD CONSTRAINT views_mode_check CHECK (mode IN ('eager', 'lazy', 'hybrid'));

-- After a deploy or rollback of model nm: every eager or hybrid prediction view on it follows, in the same transaction.
CREATE OR REPLACE FUNCTION augur.views_follow(nm text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE vn text; ver integer; d augur.model_defs;
BEGIN
    FOR vn IN SELECT name FROM augur.views WHERE model = nm AND kind = 'prediction' AND mode IN ('eager', 'hybrid') ORDER BY name LOOP
        PERFORM augur.view_lock(vn);
        ver := augur.require_deployed(nm);
        d := augur.defs(nm, ver);
        PERFORM augur.view_check_model(vn, d, (SELECT cardinality(string_to_array(input_columns, ',')) FROM augur.views WHERE name = vn), false);
        PERFORM augur.view_move_to(vn, ver);
        PERFORM augur.view_model_changed(vn, 'deploy', false);
    END LOOP;
END $$;

-- the data trigger's body of a dense view at statement level (INSERT over transition table augur_new; UPDATE over
-- augur_old and augur_new; DELETE over augur_old): V3's row trigger for every changed row at once. Rows whose key or
-- inputs changed (or went) leave the view, then the new rows with a changed key or inputs are scored set-based
-- with the same float8 operations as view_score_row. cols: the key's and inputs' columns; x: input expressions over n.
CREATE FUNCTION augur.view_set_trigger_body(p_view text, vt text, k text, cols text[], x text[], model text, inputs text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE
    m text := 'd.bias[1]';
    am text := 'a.bias[1]';
    n1 text := '0::float8';
    n2 text := '0::float8';
    ninf text := '0::float8';
    anynull text := 'false';
    finite text := '';
    tuple text := 't.' || quote_ident(k);  -- qualified: the function's variable a would clash with a column a
    changed text;
    score text;
BEGIN
    FOR i IN 1 .. cardinality(cols) LOOP
        tuple := tuple || ', t.' || quote_ident(cols[i]);
    END LOOP;
    -- the new rows to score: all of an INSERT's, those of an UPDATE whose key or inputs changed. EXCEPT ALL (hashed,
    -- NULLs and -0.0 equal) rather than NOT EXISTS with IS NOT DISTINCT FROM, which only a nested loop can run
    changed := format('(SELECT %1$s FROM augur_new t EXCEPT ALL SELECT %1$s FROM augur_old t)', tuple);
    FOR i IN 1 .. cardinality(x) LOOP
        m := format('%s + d.weights[%s] * %s', m, i, x[i]);
        am := format('%s + a.weights[%s] * %s', am, i, x[i]);
        n1 := format('%s + abs(%s)', n1, x[i]);
        n2 := format('%s + %s * %s', n2, x[i], x[i]);
        ninf := format('greatest(%s, abs(%s))', ninf, x[i]);
        anynull := format('%s OR %s IS NULL', anynull, x[i]);
        finite := finite || format('
    SELECT %s INTO bad FROM %%1$s n WHERE NOT (abs(%s) <= 1.7976931348623157e308) LIMIT 1;
    IF FOUND THEN
        PERFORM augur.nonfinite(%L, %L, bad);
    END IF;', x[i], x[i], model, inputs[i]);
    END LOOP;
    anynull := '(' || anynull || ')';
    -- scoring the rows of source %1$s (alias n) into the view
    score := format($score$
    -- a key twice: already in the view, or twice among the rows (a base table without a unique key)
    SELECT n.%2$I::text INTO dup FROM %%1$s n WHERE EXISTS (SELECT 1 FROM %1$s w WHERE w.%2$I = n.%2$I) LIMIT 1;
    IF dup IS NULL THEN
        SELECT n.%2$I::text INTO dup FROM %%1$s n WHERE n.%2$I IS NOT NULL GROUP BY n.%2$I HAVING count(*) > 1 LIMIT 1;
    END IF;
    IF dup IS NOT NULL THEN
        PERFORM augur.view_duplicate(v.name, dup);
    END IF;%3$s
    WITH s AS (
        INSERT INTO %1$s AS w (%2$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT n.%2$I, CASE WHEN d.kind = 'linear' THEN mm.m ELSE 0.5::float8 + 0.5::float8 * tanh(0.5::float8 * mm.m) END,
               CASE WHEN mm.m IS NULL OR d.kind = 'linear' THEN NULL WHEN mm.m >= 0 THEN d.classes[2] ELSE d.classes[1] END,
               mm.m, mm.n1, mm.n2, mm.ninf, CASE WHEN mm.m IS NULL THEN NULL ELSE v.model_version END, CURRENT_TIMESTAMP, mm.am, true
        FROM %%1$s n, LATERAL (SELECT CASE WHEN %9$s THEN NULL ELSE %4$s END AS m, CASE WHEN %9$s THEN NULL ELSE %5$s END AS am,
                                       CASE WHEN %9$s THEN NULL ELSE %6$s END AS n1, CASE WHEN %9$s THEN NULL ELSE sqrt(%7$s) END AS n2,
                                       CASE WHEN %9$s THEN NULL ELSE %8$s END AS ninf OFFSET 0) mm
        WHERE n.%2$I IS NOT NULL
        RETURNING w.norm_1, w.norm_2, w.norm_inf, abs(w.anchor_margin - w.margin) AS dev
    )
    SELECT max(s.norm_1) AS n1, max(s.norm_2) AS n2, max(s.norm_inf) AS ninf, max(s.dev) AS dev INTO r FROM s;$score$,
        vt, k, finite, m, am, n1, n2, ninf, anynull);
    RETURN format($body$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; dup text; bad float8; r record;
BEGIN
    v := augur.view_lock(%1$L);
    IF TG_OP = 'DELETE' THEN
        DELETE FROM %2$s w USING augur_old o WHERE w.%3$I = o.%3$I;
        RETURN NULL;
    END IF;
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    IF TG_OP = 'UPDATE' THEN
        -- rows whose key or inputs changed leave the view (an update of other columns changes no prediction)
        DELETE FROM %2$s w USING (SELECT %4$s FROM augur_old t EXCEPT ALL SELECT %4$s FROM augur_new t) o
        WHERE w.%3$I = o.%3$I;%5$s
    ELSE%6$s
    END IF;
    IF r.n1 > v.max_norm_1 OR r.n2 > v.max_norm_2 OR r.ninf > v.max_norm_inf OR r.dev > v.max_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, r.n1), max_norm_2 = greatest(w.max_norm_2, r.n2),
            max_norm_inf = greatest(w.max_norm_inf, r.ninf), max_deviation = greatest(w.max_deviation, r.dev)
        WHERE w.name = %1$L;
    END IF;
    RETURN NULL;
END $body$, p_view, vt, k, tuple, format(score, changed), format(score, 'augur_new'));
END $gen$;

CREATE OR REPLACE FUNCTION augur.create_prediction_view(p_name text, p_query text, p_options text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    ident constant text := '[A-Za-z_][A-Za-z0-9_]*';
    nm text := augur.view_name(p_name);
    parts text[];
    key text;
    model text;
    inputs text[];
    tbl text;
    opts jsonb;
    mode text;
    tol float8;
    alp float8;
    rel regclass;
    src record;
    vschema name := current_schema();
    vt text;
    base text;
    col text;
    key_type text;
    xs_b text[] := '{}';
    xs_new text[] := '{}';
    xs_n text[] := '{}';
    cats text[] := '{}';
    bow boolean;
    ver integer;
    sha text;
    d augur.model_defs;
    h text;
    w augur.view_work;
    owner_role text;
    args text;
BEGIN
    IF p_query IS NOT NULL THEN
        parts := regexp_match(p_query, '^\s*SELECT\s+(' || ident || ')\s*,\s*PREDICT\s*\(\s*''([^'']+)''\s*((?:,\s*' || ident
            || '\s*)+)\)\s*(?:AS\s+' || ident || '\s*)?FROM\s+(' || ident || '(?:\.' || ident || ')?)\s*;?\s*$', 'i');
    END IF;
    IF parts IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42601', MESSAGE = 'a prediction view is defined as SELECT key, PREDICT(''model'', column, ...)'
            || ' FROM table (plain column names), got: ' || coalesce(p_query, 'null');
    END IF;
    key := lower(parts[1]);
    model := augur.check_name(parts[2]);
    SELECT array_agg(lower(trim(c)) ORDER BY i) INTO inputs
    FROM unnest(string_to_array(parts[3], ',')) WITH ORDINALITY u(c, i) WHERE trim(c) <> '';
    tbl := parts[4];
    -- options
    IF p_options IS NULL OR trim(p_options) = '' THEN
        opts := '{}';
    ELSE
        BEGIN
            opts := p_options::jsonb;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options are not valid JSON: ' || p_options;
        END;
        IF jsonb_typeof(opts) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options must be a JSON object, got: ' || p_options;
        END IF;
    END IF;
    SELECT k INTO col FROM jsonb_object_keys(opts) k WHERE k NOT IN ('mode', 'tolerance', 'alpha') LIMIT 1;
    IF col IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown view option ''%s''; options: mode, tolerance, alpha', col);
    END IF;
    mode := lower(coalesce(opts ->> 'mode', 'eager'));
    IF mode NOT IN ('eager', 'lazy', 'hybrid') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option mode must be eager, lazy or hybrid, got ''%s''', mode);
    END IF;
    tol := augur.view_option(opts, 'tolerance', 0);
    IF mode = 'hybrid' THEN
        -- the table keeps labels only (scores come from PREDICT on read): no score tolerance to keep
        tol := 'Infinity';
    END IF;
    alp := augur.view_option(opts, 'alpha', 1.0);
    -- a new name
    IF EXISTS (SELECT 1 FROM augur.views WHERE name = nm) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('prediction view ''%s'' already exists; drop it first', nm);
    END IF;
    IF vschema IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '3F000', MESSAGE = 'no schema to create the view in: set search_path';
    END IF;
    IF to_regclass(format('%I.%I', vschema, nm)) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a table or view named ''%s'' already exists; choose another view name', nm);
    END IF;
    IF mode = 'hybrid' AND length(nm) > 56 THEN
        RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = format('hybrid view name ''%s'' is too long: at most 56 characters, as its '
            || 'labels live in table NAME_labels', nm);
    END IF;
    IF mode = 'hybrid' AND to_regclass(format('%I.%I', vschema, nm || '_labels')) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a table or view named ''%s_labels'' already exists; a hybrid view keeps '
            || 'its labels there: choose another view name', nm);
    END IF;
    -- the source: a table with the key and input columns, the key unique and never NULL
    src := augur.view_source(tbl, key, inputs, 'prediction');
    rel := src.rel;
    base := src.base;
    key_type := src.key_type;
    cats := src.categories;
    FOR i IN 1 .. cardinality(inputs) LOOP
        IF mode <> 'lazy' AND cats[i] NOT IN ('N', 'B') THEN
            -- checked once the model is known (below): the column must hold numbers
            xs_b := xs_b || NULL::text;
        ELSE
            xs_b := xs_b || format(CASE WHEN cats[i] = 'B' THEN '(b.%I)::integer::float8' ELSE '(b.%I)::float8' END, inputs[i]);
            xs_new := xs_new || format(CASE WHEN cats[i] = 'B' THEN '(NEW.%I)::integer::float8' ELSE '(NEW.%I)::float8' END, inputs[i]);
            xs_n := xs_n || format(CASE WHEN cats[i] = 'B' THEN '(n.%I)::integer::float8' ELSE '(n.%I)::float8' END, inputs[i]);
        END IF;
    END LOOP;
    -- the model
    ver := augur.require_deployed(model);
    d := augur.defs(model, ver);
    SELECT m.sha256 INTO sha FROM augur.models m WHERE m.name = model AND m.version = ver;
    IF cardinality(d.inputs) <> cardinality(inputs) THEN
        PERFORM augur.wrong_arity(d, cardinality(inputs));
    END IF;
    IF d.outputs <> 1 THEN
        PERFORM augur.view_check_model(nm, d, cardinality(inputs), true);
    END IF;
    args := (SELECT string_agg(format('%I', c), ', ' ORDER BY i) FROM unnest(inputs) WITH ORDINALITY u(c, i));
    IF mode = 'lazy' THEN
        INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                                 model_sha256, anchor_version, learning_rate, l2, definition, view_schema, base_relation)
        VALUES (nm, 'prediction', mode, tol, alp, tbl, key, array_to_string(inputs, ','), model, ver, sha, ver, 0, 0, p_query, vschema, rel);
        EXECUTE format('CREATE VIEW %I.%I AS SELECT %I, PREDICT(%L, %s) AS score%s FROM %s', vschema, nm, key, model, args,
            CASE WHEN d.kind <> 'linear' THEN format(', PREDICT_LABEL(%L, %s) AS label', model, args) ELSE '' END, base);
        EXECUTE format('GRANT SELECT ON %I.%I TO augur_user', vschema, nm);
        RETURN 0;
    END IF;
    PERFORM augur.view_check_model(nm, d, cardinality(inputs), true);
    bow := d.feature_type = 'bag_of_words';
    IF bow AND cats[1] <> 'S' THEN
        SELECT format_type(a.atttypid, a.atttypmod) INTO col FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = inputs[1];
        RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('model ''%s'' input ''%s'' expects text, got column %s.%s of type %s; '
            || 'cast it in a table or view of text', model, d.inputs[1], tbl, inputs[1], col);
    END IF;
    FOR i IN 1 .. cardinality(inputs) LOOP
        IF xs_b[i] IS NULL AND NOT bow THEN
            SELECT format_type(a.atttypid, a.atttypmod) INTO col FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = inputs[i];
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('model ''%s'' input ''%s'' expects a number, got column %s.%s of type %s; '
                || 'cast it in a table or view of numbers', model, d.inputs[i], tbl, inputs[i], col);
        END IF;
    END LOOP;
    h := md5(nm);
    vt := format('%I.%I', vschema, CASE WHEN mode = 'hybrid' THEN nm || '_labels' ELSE nm END);
    INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                             model_sha256, anchor_version, learning_rate, l2, definition, view_schema, base_relation, routine)
    VALUES (nm, 'prediction', mode, tol, alp, tbl, key, array_to_string(inputs, ','), model, ver, sha, ver, 0, 0, p_query, vschema, rel, h);
    PERFORM augur.view_save_anchor(nm, model, ver);
    EXECUTE format('CREATE TABLE %s (%I %s NOT NULL PRIMARY KEY, score float8, label varchar(256), margin float8, norm_1 float8, '
        || 'norm_2 float8, norm_inf float8, model_version integer, scored_at timestamptz, anchor_margin float8, dirty boolean NOT NULL DEFAULT false)',
        vt, key, key_type);
    EXECUTE format('CREATE INDEX ON %s (margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (anchor_margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (%I) WHERE dirty', vt, key);
    EXECUTE format('GRANT SELECT ON %s TO augur_user', vt);
    EXECUTE format('CREATE FUNCTION %I.%I(p_mode text, p_kind text, p_w float8[], p_b float8, p_classes text[], p_ver integer, '
        || 'p_tol float8, p_lo float8, p_hi float8, p_dl1 float8, p_dl2 float8, p_dlinf float8, p_db float8, p_lip float8) '
        || 'RETURNS augur.view_work LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
        vschema, 'augur_vr_' || h, CASE WHEN bow THEN augur.view_bow_scoring_body(vt, base, key, inputs[1], model)
                                        ELSE augur.view_scoring_body(vt, base, key, xs_b, model, d.inputs) END);
    EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
        vschema, 'augur_vt_' || h, CASE WHEN bow THEN augur.view_bow_trigger_body(nm, vt, key, inputs[1])
                                       ELSE augur.view_trigger_body(nm, vt, key, inputs, xs_new) END);
    -- only Augur's own functions (running as the catalog owner or a member of augur_admin) call them
    SELECT n.nspowner::regrole::text INTO owner_role FROM pg_namespace n WHERE n.nspname = 'augur';
    EXECUTE format('REVOKE ALL ON FUNCTION %I.%I FROM PUBLIC', vschema, 'augur_vr_' || h);
    EXECUTE format('REVOKE ALL ON FUNCTION %I.%I FROM PUBLIC', vschema, 'augur_vt_' || h);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %I.%I TO augur_admin, %s', vschema, 'augur_vr_' || h, owner_role);
    IF bow THEN
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()',
            'augur_vt_' || h, base, vschema, 'augur_vt_' || h);
    ELSE
        EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
            vschema, 'augur_vi_' || h, augur.view_set_trigger_body(nm, vt, key, inputs, xs_n, model, d.inputs));
        EXECUTE format('REVOKE ALL ON FUNCTION %I.%I FROM PUBLIC', vschema, 'augur_vi_' || h);
        -- PostgreSQL takes transition tables on single-event triggers only: one per event, one function
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_new FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()',
            'augur_vi_' || h, base, vschema, 'augur_vi_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS augur_old NEW TABLE AS augur_new FOR EACH STATEMENT '
            || 'EXECUTE FUNCTION %I.%I()', 'augur_vu_' || h, base, vschema, 'augur_vi_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS augur_old FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()',
            'augur_vd_' || h, base, vschema, 'augur_vi_' || h);
    END IF;
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()',
        'augur_vx_' || h, base, vschema, 'augur_vt_' || h);
    -- score every row
    PERFORM augur.view_lock(nm);
    w := augur.view_run((SELECT v FROM augur.views v WHERE v.name = nm), 'create', d, 0, 0, 0, 0, 0, 0, 0);
    UPDATE augur.views x SET max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0),
        max_norm_inf = coalesce(w.max_ninf, 0), max_deviation = 0, incremental_cost = 0
    WHERE x.name = nm;
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, millis, scorer)
    VALUES (nm, 'create', ver, w.written, w.rescored, w.written, 0, 'sql');
    IF mode = 'hybrid' THEN
        -- scores computed on read (always exact), labels kept eagerly
        EXECUTE format('CREATE VIEW %I.%I AS SELECT r.%I, PREDICT(%L, %s) AS score, r.label, r.model_version, r.scored_at '
            || 'FROM %s r JOIN %s b ON b.%I = r.%I', vschema, nm, key, model,
            (SELECT string_agg(format('b.%I', c), ', ' ORDER BY i) FROM unnest(inputs) WITH ORDINALITY u(c, i)), vt, base, key, key);
        EXECUTE format('GRANT SELECT ON %I.%I TO augur_user', vschema, nm);
    END IF;
    RETURN w.written;
END $$;

CREATE OR REPLACE FUNCTION augur.refresh_prediction_view(p_name text, p_full boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; ver integer; d augur.model_defs;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    IF v.mode NOT IN ('eager', 'hybrid') THEN
        RETURN 0;
    END IF;
    IF v.kind = 'classification' THEN
        RETURN augur.cv_model_changed(nm, 'refresh', coalesce(p_full, false));
    END IF;
    ver := augur.require_deployed(v.model);
    d := augur.defs(v.model, ver);
    PERFORM augur.view_check_model(nm, d, cardinality(string_to_array(v.input_columns, ',')), false);
    PERFORM augur.view_move_to(nm, ver);
    RETURN augur.view_model_changed(nm, 'refresh', coalesce(p_full, false));
END $$;

CREATE OR REPLACE FUNCTION augur.drop_prediction_view(p_name text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; base text; examples regclass; vtable text;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    vtable := CASE WHEN v.mode = 'hybrid' THEN nm || '_labels' ELSE nm END;
    IF v.mode = 'hybrid' THEN
        EXECUTE format('DROP VIEW IF EXISTS %I.%I', v.view_schema, nm);
    END IF;
    IF v.mode IN ('eager', 'hybrid') THEN
        SELECT format('%I.%I', n.nspname, c.relname) INTO base FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = v.base_relation;
        IF v.kind = 'classification' THEN
            IF base IS NOT NULL THEN
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_ct_' || v.routine, base);
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_cx_' || v.routine, base);
            END IF;
            examples := to_regclass(lower(v.examples_table));
            IF examples IS NOT NULL THEN
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_cl_' || v.routine, examples);
            END IF;
            EXECUTE format('DROP TABLE IF EXISTS %I.%I', v.view_schema, vtable);
            EXECUTE format('DROP FUNCTION IF EXISTS %I.%I', v.view_schema, 'augur_ct_' || v.routine);
            EXECUTE format('DROP FUNCTION IF EXISTS %I.%I', v.view_schema, 'augur_cl_' || v.routine);
        ELSE
            IF base IS NOT NULL THEN
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vt_' || v.routine, base);
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vx_' || v.routine, base);
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vi_' || v.routine, base);
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vu_' || v.routine, base);
                EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vd_' || v.routine, base);
            END IF;
            EXECUTE format('DROP TABLE IF EXISTS %I.%I', v.view_schema, vtable);
            EXECUTE format('DROP FUNCTION IF EXISTS %I.%I', v.view_schema, 'augur_vt_' || v.routine);
            EXECUTE format('DROP FUNCTION IF EXISTS %I.%I', v.view_schema, 'augur_vi_' || v.routine);
            EXECUTE format('DROP FUNCTION IF EXISTS %I.%I', v.view_schema, 'augur_vr_' || v.routine);
        END IF;
    ELSE
        EXECUTE format('DROP VIEW IF EXISTS %I.%I', v.view_schema, nm);
    END IF;
    DELETE FROM augur.view_events WHERE view_name = nm;
    DELETE FROM augur.views WHERE name = nm;
    RETURN 1;
END $$;
