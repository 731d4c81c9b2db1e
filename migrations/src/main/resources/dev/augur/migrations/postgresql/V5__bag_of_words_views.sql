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
CREATE FUNCTION augur.bow_norms(d augur.model_defs, body text) RETURNS float8[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
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
        SELECT array_agg(CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c ELSE g.c * g.y[2] END ORDER BY g.y[1]) INTO vs
        FROM (SELECT count(*)::float8 AS c,
                     (SELECT ARRAY[mt.feature::float8, mt.idf] FROM augur.model_terms mt
                      WHERE mt.name = d.name AND mt.version = d.version AND mt.term = u.t) AS y
              FROM unnest(terms) AS u(t) GROUP BY u.t OFFSET 0) g
        WHERE g.y IS NOT NULL;
    ELSE
        SELECT array_agg(CASE d.weighting WHEN 'binary' THEN 1.0::float8 WHEN 'tf' THEN g.c
                         ELSE g.c * (SELECT mi.idf FROM augur.model_terms mi WHERE mi.name = d.name AND mi.version = d.version
                                                                            AND mi.feature = g.f) END ORDER BY g.f) INTO vs
        FROM (SELECT augur.fnv1a(u.t, d.hash_bits) AS f, count(*)::float8 AS c FROM unnest(terms) AS u(t) GROUP BY 1) g;
    END IF;
    IF vs IS NULL THEN
        RETURN ARRAY[0.0::float8, 0.0::float8, 0.0::float8];
    END IF;
    FOR i IN 1 .. cardinality(vs) LOOP
        ss := ss + vs[i] * vs[i];
    END LOOP;
    IF d.normalize AND ss > 0 THEN
        inv := 1.0::float8 / sqrt(ss);
    END IF;
    FOR i IN 1 .. cardinality(vs) LOOP
        x := CASE WHEN d.normalize AND ss > 0 THEN vs[i] * inv ELSE vs[i] END;
        n1 := n1 + abs(x);
        n2 := n2 + x * x;
        ninf := greatest(ninf, abs(x));
    END LOOP;
    RETURN ARRAY[n1, sqrt(n2), ninf];
END $$;

-- whether two model versions have the same feature function (H2's HolderBound.between compares the encoded
-- feature functions): only then does a row keep its feature vector, and a Hölder bound hold, across them
CREATE FUNCTION augur.view_same_features(a augur.model_defs, d augur.model_defs) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
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

-- a model version an eager view can hold: V3's checks, bag-of-words models now included; an existing view keeps
-- the kind of features it was created with (its scoring functions are compiled for dense inputs or for a text)
CREATE OR REPLACE FUNCTION augur.view_check_model(p_view text, d augur.model_defs, n_inputs integer, creating boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE had text;
BEGIN
    IF cardinality(d.inputs) <> n_inputs THEN
        IF creating THEN
            PERFORM augur.wrong_arity(d, n_inputs);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('version %s of model ''%s'' takes %s inputs but prediction view ''%s'' '
            || 'passes %s; drop the view or deploy a model with the same inputs', d.version, d.name, cardinality(d.inputs), p_view, n_inputs);
    END IF;
    IF d.outputs <> 1 THEN
        IF creating THEN
            RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format('prediction views hold linear, logistic and svm models; model ''%s'' '
                || 'is %s: query it with PREDICT instead', d.name, d.kind);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format('version %s of model ''%s'' is %s, which prediction view ''%s'' cannot hold; '
            || 'drop the view first', d.version, d.name, d.kind, p_view);
    END IF;
    IF NOT creating THEN
        SELECT md.feature_type INTO had FROM augur.views v JOIN augur.model_defs md ON md.name = v.model AND md.version = v.anchor_version
        WHERE v.name = p_view;
        IF had IS NOT NULL AND had <> d.feature_type THEN
            RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format('version %s of model ''%s'' is a %s model but prediction view ''%s'' '
                || 'holds a %s model; drop the view and create it again', d.version, d.name, replace(d.feature_type, '_', '-'), p_view,
                replace(had, '_', '-'));
        END IF;
    END IF;
END $$;

-- one document scored with the view's current model (and its anchor margin); all NULL for a NULL text. Called by
-- the data trigger of a bag-of-words view with the view locked; grows the view's water marks as view_score_row does.
CREATE FUNCTION augur.view_score_text(p_view text, body text, OUT margin float8, OUT score float8, OUT label text,
    OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8)
LANGUAGE plpgsql AS $$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; n float8[];
BEGIN
    IF body IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views w WHERE w.name = p_view;
    d := augur.defs(v.model, v.model_version);
    -- PREDICT's own scoring: the same function, the same float8 operations
    margin := (augur.bow_margins(d, body))[1];
    IF v.anchor_version = v.model_version THEN
        anchor_margin := margin;
    ELSE
        a := augur.defs(v.model, v.anchor_version);
        anchor_margin := (augur.bow_margins(a, body))[1];
    END IF;
    n := augur.bow_norms(d, body);
    norm_1 := n[1];
    norm_2 := n[2];
    norm_inf := n[3];
    score := CASE WHEN d.kind = 'linear' THEN margin ELSE augur.sigmoid(margin) END;
    label := CASE WHEN d.kind = 'linear' THEN NULL WHEN margin >= 0 THEN d.classes[2] ELSE d.classes[1] END;
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, norm_1), max_norm_2 = greatest(w.max_norm_2, norm_2),
            max_norm_inf = greatest(w.max_norm_inf, norm_inf), max_deviation = greatest(w.max_deviation, abs(anchor_margin - margin))
        WHERE w.name = p_view;
    END IF;
END $$;

-- the SQL of a bag-of-words view's generated scoring function: V3's modes and plans (same signature, so
-- augur.view_run calls it alike), with the text column c of alias b scored by augur.bow_margins under the model
-- version p_ver; a full re-scoring also re-computes the norms (a new feature function gives new vectors)
CREATE FUNCTION augur.view_bow_scoring_body(vt text, base text, k text, c text, model text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE
    m text := format('(augur.bow_margins(vr_def, (b.%I)::text))[1]', c);
    n text := format('augur.bow_norms(vr_def, (b.%I)::text)', c);
    lbl text := 'CASE WHEN %1$s IS NULL OR p_kind = ''linear'' THEN NULL WHEN %1$s >= 0 THEN p_classes[2] ELSE p_classes[1] END';
    scr text := 'CASE WHEN p_kind = ''linear'' THEN %1$s ELSE augur.sigmoid(%1$s) END';
    drift text := 'least(p_dlinf * v.norm_1, p_dl2 * v.norm_2, p_dl1 * v.norm_inf) + p_db + abs(v.anchor_margin - v.margin)';
    safe text := '((p_kind = ''linear'' OR abs(%1$s) > %2$s) AND p_lip * %2$s <= p_tol AND NOT (p_tol = 0 AND %2$s > 0))';
BEGIN
    RETURN format($body$
DECLARE w augur.view_work; nrows bigint; vr_def augur.model_defs := augur.defs(%4$L, p_ver);
BEGIN
    IF p_mode = 'size' THEN
        SELECT count(*) INTO w.checked FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSIF p_mode = 'create' THEN
        INSERT INTO %1$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT b.%3$I, %7$s, %8$s, mm.m, mm.n[1], mm.n[2], mm.n[3], CASE WHEN mm.m IS NULL THEN NULL ELSE p_ver END,
               CURRENT_TIMESTAMP, mm.m, false
        FROM %2$s b, LATERAL (SELECT CASE WHEN b.%9$I IS NULL THEN NULL ELSE %5$s END AS m,
                                     CASE WHEN b.%9$I IS NULL THEN NULL ELSE %6$s END AS n OFFSET 0) mm;
        GET DIAGNOSTICS nrows = ROW_COUNT;
        w.written := nrows;
        SELECT count(margin), max(norm_1), max(norm_2), max(norm_inf) INTO w.rescored, w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.written;
    ELSIF p_mode = 'full' THEN
        WITH s AS (
            SELECT v.%3$I AS k, mm.m, mm.n, %10$s AS lb, v.margin AS om, v.label AS ol, v.model_version AS ov
            FROM %1$s v JOIN %2$s b ON b.%3$I = v.%3$I, LATERAL (SELECT %5$s AS m, %6$s AS n OFFSET 0) mm
            WHERE v.margin IS NOT NULL
        ), u AS (
            UPDATE %1$s v SET margin = s.m, anchor_margin = s.m, label = s.lb, score = %11$s, model_version = p_ver, dirty = false,
                norm_1 = s.n[1], norm_2 = s.n[2], norm_inf = s.n[3],
                scored_at = CASE WHEN s.m IS DISTINCT FROM s.om OR s.lb IS DISTINCT FROM s.ol OR p_ver IS DISTINCT FROM s.ov
                                 THEN CURRENT_TIMESTAMP ELSE v.scored_at END
            FROM s WHERE v.%3$I = s.k
            RETURNING (s.m IS DISTINCT FROM s.om OR s.lb IS DISTINCT FROM s.ol OR p_ver IS DISTINCT FROM s.ov) AS chg
        )
        SELECT count(*), count(*) FILTER (WHERE chg) INTO w.rescored, w.written FROM u;
        UPDATE %1$s v SET dirty = false WHERE v.dirty;
        SELECT max(norm_1), max(norm_2), max(norm_inf) INTO w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.rescored;
    ELSIF p_mode = 'count' THEN
        SELECT count(*), count(*) FILTER (WHERE NOT %12$s) INTO w.checked, w.rescored FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSE
        -- the Hölder band, as for dense views
        WITH band AS (
            SELECT v.%3$I AS k, v.margin AS om, v.label AS ol, v.score AS os, %13$s AS drift
            FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN p_lo AND p_hi OR v.dirty)
        ), c AS (
            SELECT band.k, band.om, band.ol, band.os, mm.m
            FROM band JOIN %2$s b ON b.%3$I = band.k, LATERAL (SELECT %5$s AS m OFFSET 0) mm
            WHERE NOT %14$s
        ), s AS (
            SELECT c.*, z.lb, z.sc FROM c, LATERAL (SELECT %15$s AS lb, %16$s AS sc) z
        ), u AS (
            UPDATE %1$s v SET margin = s.m, label = s.lb, score = s.sc, model_version = p_ver, scored_at = CURRENT_TIMESTAMP
            FROM s WHERE v.%3$I = s.k
              AND (s.lb IS DISTINCT FROM s.ol OR CASE WHEN p_tol = 0 THEN s.m <> s.om ELSE abs(s.sc - s.os) > p_tol / 2 END)
            RETURNING abs(v.anchor_margin - s.m) AS dev
        )
        SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev)
        INTO w.checked, w.rescored, w.written, w.max_dev FROM u;
    END IF;
    RETURN w;
END $body$,
        vt, base, k, model, m, n,
        format(scr, 'mm.m'), format(lbl, 'mm.m'), c,
        format(lbl, 'mm.m'), format(scr, 's.m'),
        format(safe, 'v.margin', '(' || drift || ')'),
        drift,
        format(safe, 'band.om', 'band.drift'),
        format(lbl, 'c.m'), format(scr, 'c.m'));
END $gen$;

-- the data trigger's body for a bag-of-words view (V3's, with the document scored by augur.view_score_text)
CREATE FUNCTION augur.view_bow_trigger_body(p_view text, vt text, k text, c text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
BEGIN
    RETURN format($body$
DECLARE r record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM augur.view_lock(%1$L);
        DELETE FROM %2$s;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.%3$I IS NOT DISTINCT FROM NEW.%3$I AND OLD.%4$I IS NOT DISTINCT FROM NEW.%4$I THEN
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
    r := augur.view_score_text(%1$L, (NEW.%4$I)::text);
    INSERT INTO %2$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
    VALUES (NEW.%3$I, r.score, r.label, r.margin, r.norm_1, r.norm_2, r.norm_inf, r.model_version, CURRENT_TIMESTAMP, r.anchor_margin, true)
    ON CONFLICT (%3$I) DO UPDATE SET score = EXCLUDED.score, label = EXCLUDED.label, margin = EXCLUDED.margin,
        norm_1 = EXCLUDED.norm_1, norm_2 = EXCLUDED.norm_2, norm_inf = EXCLUDED.norm_inf, model_version = EXCLUDED.model_version,
        scored_at = EXCLUDED.scored_at, anchor_margin = EXCLUDED.anchor_margin, dirty = true;
    RETURN NULL;
END $body$, p_view, vt, k, c);
END $gen$;

-- V3's view maintenance on a model change, with the compatibility test and the Hölder deltas of bag-of-words models
CREATE OR REPLACE FUNCTION augur.view_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    v augur.views;
    d augur.model_defs;
    a augur.model_defs;
    w augur.view_work;
    total bigint;
    compatible boolean;
    reorganize boolean;
    full_plan boolean := false;
    dl1 float8 := 0; dl2 float8 := 0; dlinf float8 := 0; db float8; dd float8;
    lip float8; max_bound float8; band float8; bound float8;
    note text;
BEGIN
    v := augur.view_lock(p_view);
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    total := (augur.view_run(v, 'size', d, 0, 0, 0, 0, 0, 0, 0)).checked;
    -- a bound covers the change only between models of the same kind, inputs and classes
    -- (for bag-of-words models: the same feature function, vocabulary and idf included, so rows keep their vectors)
    compatible := a.kind = d.kind AND a.classes = d.classes AND a.outputs = 1 AND d.outputs = 1 AND augur.view_same_features(a, d);
    -- alpha = 0 means "never incremental": every model change re-scores the view
    reorganize := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    IF reorganize OR NOT coalesce(compatible, false) THEN
        full_plan := true;
    ELSE
        IF d.feature_type = 'dense' THEN
            FOR i IN 1 .. d.dimension LOOP
                dd := abs(d.weights[i] - a.weights[i]);
                dl1 := dl1 + dd;
                dl2 := dl2 + dd * dd;
                dlinf := greatest(dlinf, dd);
            END LOOP;
            dl2 := sqrt(dl2);
        ELSE
            -- bag of words: the weights are stored sparse (nonzero only); a feature missing on one side weighs 0
            SELECT coalesce(sum(z.dd), 0), sqrt(coalesce(sum(z.dd * z.dd), 0)), coalesce(max(z.dd), 0) INTO dl1, dl2, dlinf
            FROM (SELECT abs(coalesce(y.weight, 0.0::float8) - coalesce(x.weight, 0.0::float8)) AS dd
                  FROM (SELECT mw.feature, mw.weight FROM augur.model_weights mw
                        WHERE mw.name = a.name AND mw.version = a.version AND mw.output = 0) x
                  FULL JOIN (SELECT mw.feature, mw.weight FROM augur.model_weights mw
                             WHERE mw.name = d.name AND mw.version = d.version AND mw.output = 0) y ON y.feature = x.feature) z;
        END IF;
        db := abs(d.bias[1] - a.bias[1]);
        lip := CASE WHEN d.kind = 'linear' THEN 1.0 ELSE 0.25 END;
        max_bound := least(dlinf * v.max_norm_1, dl2 * v.max_norm_2, dl1 * v.max_norm_inf) + db;
        bound := max_bound;
        IF lip * (max_bound + v.max_deviation) <= v.tolerance AND d.kind <> 'linear' THEN
            -- only labels can change: the band |anchor margin| <= bound + 2 D (an index range) holds every candidate
            band := max_bound + 2 * v.max_deviation;
            w := augur.view_run(v, 'band', d, -band, band, dl1, dl2, dlinf, db, lip);
        ELSE
            -- when the bounds leave most rows to re-score, a full re-scoring (which also re-anchors) costs less
            w := augur.view_run(v, 'count', d, 0, 0, dl1, dl2, dlinf, db, lip);
            IF w.rescored > total / 2 THEN
                full_plan := true;
            ELSE
                w := augur.view_run(v, 'band', d, '-Infinity', 'Infinity', dl1, dl2, dlinf, db, lip);
            END IF;
        END IF;
        IF NOT full_plan THEN
            UPDATE augur.views x SET incremental_cost = x.incremental_cost + w.checked * 0.05::float8 + w.rescored,
                max_deviation = greatest(x.max_deviation, coalesce(w.max_dev, 0))
            WHERE x.name = p_view;
        END IF;
    END IF;
    IF full_plan THEN
        w := augur.view_run(v, 'full', d, 0, 0, 0, 0, 0, 0, 0);
        UPDATE augur.views x SET anchor_version = v.model_version, incremental_cost = 0, max_deviation = 0,
            max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0), max_norm_inf = coalesce(w.max_ninf, 0)
        WHERE x.name = p_view;
        PERFORM augur.view_save_anchor(p_view, v.model, v.model_version);
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

-- V3's CREATE_PREDICTION_VIEW, now generating the bag-of-words scoring and trigger functions for bag-of-words models
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
    relkind "char";
    vschema name := current_schema();
    vt text;
    base text;
    col text;
    att record;
    key_type text;
    xs_b text[] := '{}';
    xs_new text[] := '{}';
    cats text[] := '{}';
    bow boolean;
    cnt record;
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
    IF mode NOT IN ('eager', 'lazy') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option mode must be eager or lazy, got ''%s'' (hybrid is not built yet)', mode);
    END IF;
    tol := augur.view_option(opts, 'tolerance', 0);
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
    -- the source: a table with the key and input columns, the key unique and never NULL
    rel := to_regclass(lower(tbl));
    IF rel IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = format('cannot read %s, %s from %s: table "%s" does not exist', key,
            array_to_string(inputs, ', '), tbl, lower(tbl));
    END IF;
    SELECT c.relkind INTO relkind FROM pg_class c WHERE c.oid = rel;
    IF relkind <> 'r' THEN
        RAISE EXCEPTION USING ERRCODE = '42809', MESSAGE = format('cannot maintain a prediction view over %s: it is not a table', tbl);
    END IF;
    SELECT format('%I.%I', n.nspname, c.relname) INTO base FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel;
    FOR i IN 0 .. cardinality(inputs) LOOP
        col := CASE WHEN i = 0 THEN key ELSE inputs[i] END;
        SELECT a.atttypid, format_type(a.atttypid, a.atttypmod) AS type_text, t.typcategory INTO att
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = format('cannot read %s, %s from %s: column "%s" does not exist', key,
                array_to_string(inputs, ', '), tbl, col);
        END IF;
        IF i > 0 THEN
            cats := cats || att.typcategory::text;
        END IF;
        IF i = 0 THEN
            key_type := att.type_text;
        ELSIF mode = 'eager' AND att.typcategory NOT IN ('N', 'B') THEN
            -- checked once the model is known (below): the column must hold numbers
            xs_b := xs_b || NULL::text;
        ELSE
            xs_b := xs_b || format(CASE WHEN att.typcategory = 'B' THEN '(b.%I)::integer::float8' ELSE '(b.%I)::float8' END, col);
            xs_new := xs_new || format(CASE WHEN att.typcategory = 'B' THEN '(NEW.%I)::integer::float8' ELSE '(NEW.%I)::float8' END, col);
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
    vt := format('%I.%I', vschema, nm);
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
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()',
        'augur_vt_' || h, base, vschema, 'augur_vt_' || h);
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
    RETURN w.written;
END $$;

