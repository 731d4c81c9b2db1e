-- Eager prediction views on PostgreSQL, in PL/pgSQL only: the same functions, return values and SQLSTATEs as
-- H2's (AUGUR.CREATE_PREDICTION_VIEW / REFRESH_PREDICTION_VIEW / DROP_PREDICTION_VIEW), the same catalog tables
-- (augur.views, augur.view_models, augur.view_events), and the same maintenance rules (ViewIndex on H2):
--   * data changes: a row trigger on the base table re-scores the changed row in the same transaction;
--   * model changes: DEPLOY_MODEL / ROLLBACK_MODEL (redefined below, otherwise unchanged) maintain every eager
--     view of the model in the same transaction, re-scoring only rows whose Hölder bound says their label (or
--     their score beyond the tolerance) can change, as one set-based UPDATE; the skiing rule (alpha) re-anchors.
-- Dense linear, logistic and svm models only: eager views of bag-of-words models are refused with 0A000 (a lazy
-- view, a plain SQL view over PREDICT, works for every model PREDICT takes).
--
-- Per view, CREATE_PREDICTION_VIEW generates two functions next to the view table, owned by the view's creator
-- (SECURITY DEFINER with a fixed search_path, so any writer of the base table and the catalog owner running
-- DEPLOY can maintain the creator's table; EXECUTE only for augur_admin and the catalog owner):
--   augur_vt_<md5(view)>()    the data trigger (row level for INSERT/UPDATE/DELETE, statement level for TRUNCATE);
--   augur_vr_<md5(view)>(...) the set-based scoring of the view (create, full re-scoring, Hölder-band re-scoring),
--                             with the base table, key and input columns compiled in and the model passed as arrays.
-- The view table has two columns beyond H2's: anchor_margin (the row's margin under the anchor model, the one of
-- the last full scoring; indexed, so the band |anchor_margin| <= bound is an index range) and dirty (written by the
-- data trigger since the anchor: Hazy's "unsorted" rows, always checked by the band).

CREATE TABLE augur.views (
    name             varchar(63)   NOT NULL PRIMARY KEY,
    kind             varchar(16)   NOT NULL CHECK (kind IN ('prediction', 'classification')),
    mode             varchar(8)    NOT NULL CHECK (mode IN ('eager', 'lazy')),
    tolerance        float8        NOT NULL,
    alpha            float8        NOT NULL,
    base_table       varchar(128)  NOT NULL,
    key_column       varchar(128)  NOT NULL,
    input_columns    varchar(4000) NOT NULL,
    model            varchar(63)   NOT NULL,
    model_version    integer,
    model_sha256     char(64),
    anchor_version   integer,
    examples_table   varchar(128),
    examples_key     varchar(128),
    label_column     varchar(128),
    learning_rate    float8,
    l2               float8,
    tx_token         varchar(36)   NOT NULL DEFAULT gen_random_uuid()::text,
    definition       varchar(10000) NOT NULL,
    created_at       timestamptz   DEFAULT CURRENT_TIMESTAMP NOT NULL,
    -- PostgreSQL only: where the view lives, its generated functions, and the maintenance state H2 keeps in memory
    view_schema      name,
    base_relation    oid,
    routine          varchar(32),
    incremental_cost float8        NOT NULL DEFAULT 0,
    max_norm_1       float8        NOT NULL DEFAULT 0,
    max_norm_2       float8        NOT NULL DEFAULT 0,
    max_norm_inf     float8        NOT NULL DEFAULT 0,
    max_deviation    float8        NOT NULL DEFAULT 0
);

-- the models a view is maintained against: 'anchor' (its last full scoring)
CREATE TABLE augur.view_models (
    view_name varchar(63) NOT NULL REFERENCES augur.views (name) ON DELETE CASCADE,
    role      varchar(8)  NOT NULL CHECK (role IN ('anchor', 'live')),
    version   integer     NOT NULL,
    sha256    char(64)    NOT NULL,
    payload   bytea       NOT NULL,
    PRIMARY KEY (view_name, role)
);

CREATE TABLE augur.view_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name     varchar(63) NOT NULL,
    at            timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    event         varchar(16) NOT NULL,
    model_version integer,
    rows_checked  bigint NOT NULL,
    rows_rescored bigint NOT NULL,
    rows_written  bigint NOT NULL,
    bound         float8,
    millis        float8 NOT NULL,
    scorer        varchar(16),
    note          varchar(1000)
);
CREATE INDEX view_events_by_view ON augur.view_events (view_name, id);

-- what one call of a view's generated scoring function did
CREATE TYPE augur.view_work AS (checked bigint, rescored bigint, written bigint, max_dev float8,
                                max_n1 float8, max_n2 float8, max_ninf float8);

-- ------------------------------------------------------------------------------------------------ helpers

CREATE FUNCTION augur.view_name(p_name text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_name IS NULL OR p_name !~ '^[A-Za-z][A-Za-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = format('invalid view name ''%s'': use letters, digits and underscores, '
            || 'starting with a letter, at most 63 characters', coalesce(p_name, 'null'));
    END IF;
    RETURN lower(p_name);
END $$;

CREATE FUNCTION augur.view_unknown(p_name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('unknown prediction view ''%s''; see AUGUR.VIEWS for the views there are', p_name);
END $$;

-- serializes the writers of one view (data triggers, deploys, refreshes) until commit
CREATE FUNCTION augur.view_lock(p_name text) RETURNS augur.views LANGUAGE sql AS $$
    SELECT * FROM augur.views WHERE name = p_name FOR UPDATE
$$;

CREATE FUNCTION augur.view_duplicate(p_name text, p_key text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v augur.views;
BEGIN
    SELECT * INTO v FROM augur.views WHERE name = p_name;
    RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = format('view ''%s'' needs unique keys, and %s.%s = %s is there twice; '
        || 'make %s a primary key', p_name, v.base_table, v.key_column, p_key, v.key_column);
END $$;

CREATE FUNCTION augur.view_option(opts jsonb, key text, dflt float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j jsonb := opts -> key; v float8 := dflt;
BEGIN
    IF j IS NOT NULL THEN
        IF jsonb_typeof(j) = 'number' THEN
            v := (j #>> '{}')::float8;
        ELSIF jsonb_typeof(j) = 'boolean' THEN
            v := CASE WHEN (j #>> '{}')::boolean THEN 1 ELSE 0 END;
        ELSIF jsonb_typeof(j) = 'string' AND (j #>> '{}') ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN
            v := trim(j #>> '{}')::float8;
        END IF;
    END IF;
    IF NOT (v >= 0) OR v = 'Infinity'::float8 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option %s must be a finite number >= 0, got %s', key, coalesce(j::text, 'null'));
    END IF;
    RETURN v;
END $$;

-- a model version an eager view can hold (checked at creation, deploy, rollback and refresh)
CREATE FUNCTION augur.view_check_model(p_view text, d augur.model_defs, n_inputs integer, creating boolean) RETURNS void
LANGUAGE plpgsql AS $$
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
    IF d.feature_type <> 'dense' THEN
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format('version %s of model ''%s'' is a bag-of-words model: eager prediction '
            || 'views on PostgreSQL hold dense models only (the data trigger and the Hölder-band UPDATE score dense inputs); '
            || 'use WITH (mode = lazy), or H2', d.version, d.name);
    END IF;
END $$;

-- one row scored with the view's current model (and its anchor margin); all NULL when an input is NULL.
-- Called by the data trigger with the view locked; grows the view's largest norms and deviation (Hazy's water marks).
CREATE FUNCTION augur.view_score_row(p_view text, x float8[], OUT margin float8, OUT score float8, OUT label text,
    OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8)
LANGUAGE plpgsql AS $$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; s2 float8 := 0;
BEGIN
    IF array_position(x, NULL) IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views w WHERE w.name = p_view;
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    FOR i IN 1 .. cardinality(x) LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            PERFORM augur.nonfinite(d.name, d.inputs[i], x[i]);
        END IF;
    END LOOP;
    -- the same float8 operations, in the same order, as the generated PREDICT: bias + w1 x1 + w2 x2 + ...
    margin := d.bias[1];
    anchor_margin := a.bias[1];
    norm_1 := 0;
    norm_inf := 0;
    FOR i IN 1 .. cardinality(x) LOOP
        margin := margin + d.weights[i] * x[i];
        anchor_margin := anchor_margin + a.weights[i] * x[i];
        norm_1 := norm_1 + abs(x[i]);
        s2 := s2 + x[i] * x[i];
        norm_inf := greatest(norm_inf, abs(x[i]));
    END LOOP;
    norm_2 := sqrt(s2);
    score := CASE WHEN d.kind = 'linear' THEN margin ELSE 0.5::float8 + 0.5::float8 * tanh(0.5::float8 * margin) END;
    label := CASE WHEN d.kind = 'linear' THEN NULL WHEN margin >= 0 THEN d.classes[2] ELSE d.classes[1] END;
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, norm_1), max_norm_2 = greatest(w.max_norm_2, norm_2),
            max_norm_inf = greatest(w.max_norm_inf, norm_inf), max_deviation = greatest(w.max_deviation, abs(anchor_margin - margin))
        WHERE w.name = p_view;
    END IF;
END $$;

-- runs the view's generated scoring function with model d
CREATE FUNCTION augur.view_run(v augur.views, p_mode text, d augur.model_defs, lo float8, hi float8, dl1 float8, dl2 float8,
    dlinf float8, db float8, lip float8) RETURNS augur.view_work LANGUAGE plpgsql AS $$
DECLARE w augur.view_work;
BEGIN
    EXECUTE format('SELECT * FROM %I.%I($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)', v.view_schema, 'augur_vr_' || v.routine)
    INTO w USING p_mode, d.kind, d.weights, d.bias[1], d.classes, d.version, v.tolerance, lo, hi, dl1, dl2, dlinf, db, lip;
    RETURN w;
END $$;

CREATE FUNCTION augur.view_save_anchor(p_view text, p_model text, p_version integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO augur.view_models (view_name, role, version, sha256, payload)
    SELECT p_view, 'anchor', m.version, m.sha256, p.payload
    FROM augur.models m JOIN augur.model_payloads p ON p.name = m.name AND p.version = m.version
    WHERE m.name = p_model AND m.version = p_version
    ON CONFLICT (view_name, role) DO UPDATE SET version = EXCLUDED.version, sha256 = EXCLUDED.sha256, payload = EXCLUDED.payload;
END $$;

-- the view now follows version p_version of its model (not yet maintained: view_model_changed does that)
CREATE FUNCTION augur.view_move_to(p_view text, p_version integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE augur.views w SET model_version = p_version,
        model_sha256 = (SELECT m.sha256 FROM augur.models m WHERE m.name = w.model AND m.version = p_version)
    WHERE w.name = p_view;
END $$;

-- Brings an eager view to its current model (augur.views.model_version): incrementally where the Hölder bound
-- allows, or by a full re-scoring that becomes the new anchor (skiing rule, incompatible model, or p_full).
-- The same decisions as H2's ViewIndex.modelChanged. Returns the rows written.
CREATE FUNCTION augur.view_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql AS $$
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
    compatible := a.kind = d.kind AND a.feature_type = 'dense' AND d.feature_type = 'dense' AND a.inputs = d.inputs
        AND a.classes = d.classes AND a.outputs = 1 AND d.outputs = 1 AND a.dimension = d.dimension;
    -- alpha = 0 means "never incremental": every model change re-scores the view
    reorganize := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    IF reorganize OR NOT coalesce(compatible, false) THEN
        full_plan := true;
    ELSE
        FOR i IN 1 .. d.dimension LOOP
            dd := abs(d.weights[i] - a.weights[i]);
            dl1 := dl1 + dd;
            dl2 := dl2 + dd * dd;
            dlinf := greatest(dlinf, dd);
        END LOOP;
        dl2 := sqrt(dl2);
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

-- After a deploy or rollback of model nm: every eager prediction view on it follows, in the same transaction.
CREATE FUNCTION augur.views_follow(nm text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE vn text; ver integer; d augur.model_defs;
BEGIN
    FOR vn IN SELECT name FROM augur.views WHERE model = nm AND kind = 'prediction' AND mode = 'eager' ORDER BY name LOOP
        PERFORM augur.view_lock(vn);
        ver := augur.require_deployed(nm);
        d := augur.defs(nm, ver);
        PERFORM augur.view_check_model(vn, d, (SELECT cardinality(string_to_array(input_columns, ',')) FROM augur.views WHERE name = vn), false);
        PERFORM augur.view_move_to(vn, ver);
        PERFORM augur.view_model_changed(vn, 'deploy', false);
    END LOOP;
END $$;

-- ------------------------------------------------------------------------------------------ generation

-- the SQL of a view's generated scoring function (see the header); x: the input expressions over alias b
CREATE FUNCTION augur.view_scoring_body(vt text, base text, k text, x text[], model text, inputs text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE
    m text := 'p_b';
    n1 text := '0::float8';
    n2 text := '0::float8';
    ninf text := '0::float8';
    finite text := '';
    lbl text := 'CASE WHEN %1$s IS NULL OR p_kind = ''linear'' THEN NULL WHEN %1$s >= 0 THEN p_classes[2] ELSE p_classes[1] END';
    scr text := 'CASE WHEN p_kind = ''linear'' THEN %1$s ELSE 0.5::float8 + 0.5::float8 * tanh(0.5::float8 * %1$s) END';
    drift text := 'least(p_dlinf * v.norm_1, p_dl2 * v.norm_2, p_dl1 * v.norm_inf) + p_db + abs(v.anchor_margin - v.margin)';
    safe text := '((p_kind = ''linear'' OR abs(%1$s) > %2$s) AND p_lip * %2$s <= p_tol AND NOT (p_tol = 0 AND %2$s > 0))';
BEGIN
    FOR i IN 1 .. cardinality(x) LOOP
        m := format('%s + p_w[%s] * %s', m, i, x[i]);
        n1 := format('%s + abs(%s)', n1, x[i]);
        n2 := format('%s + %s * %s', n2, x[i], x[i]);
        ninf := format('greatest(%s, abs(%s))', ninf, x[i]);
        finite := finite || format('
        SELECT %s INTO bad FROM %s b WHERE NOT (abs(%s) <= 1.7976931348623157e308) LIMIT 1;
        IF FOUND THEN
            PERFORM augur.nonfinite(%L, %L, bad);
        END IF;', x[i], base, x[i], model, inputs[i]);
    END LOOP;
    RETURN format($body$
DECLARE w augur.view_work; bad float8; nrows bigint;
BEGIN
    IF p_mode = 'size' THEN
        SELECT count(*) INTO w.checked FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSIF p_mode = 'create' THEN%4$s
        INSERT INTO %1$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT b.%3$I, %6$s, %7$s, mm.m, CASE WHEN mm.m IS NULL THEN NULL ELSE mm.n1 END,
               CASE WHEN mm.m IS NULL THEN NULL ELSE mm.n2 END, CASE WHEN mm.m IS NULL THEN NULL ELSE mm.ninf END, CASE WHEN mm.m IS NULL THEN NULL ELSE p_ver END, CURRENT_TIMESTAMP, mm.m, false
        FROM %2$s b, LATERAL (SELECT %5$s AS m, %8$s AS n1, sqrt(%9$s) AS n2, %10$s AS ninf) mm;
        GET DIAGNOSTICS nrows = ROW_COUNT;
        w.written := nrows;
        SELECT count(margin), max(norm_1), max(norm_2), max(norm_inf) INTO w.rescored, w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.written;
    ELSIF p_mode = 'full' THEN
        WITH s AS (
            SELECT v.%3$I AS k, mm.m, %11$s AS lb, v.margin AS om, v.label AS ol, v.model_version AS ov
            FROM %1$s v JOIN %2$s b ON b.%3$I = v.%3$I, LATERAL (SELECT %5$s AS m) mm
            WHERE v.margin IS NOT NULL
        ), u AS (
            UPDATE %1$s v SET margin = s.m, anchor_margin = s.m, label = s.lb, score = %12$s, model_version = p_ver, dirty = false,
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
        SELECT count(*), count(*) FILTER (WHERE NOT %13$s) INTO w.checked, w.rescored FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSE
        -- the Hölder band: rows whose anchor margin lies in [p_lo, p_hi] (an index range) or written since the
        -- anchor, re-scored where their own bound says the label (or the score beyond p_tol) can change
        WITH band AS (
            SELECT v.%3$I AS k, v.margin AS om, v.label AS ol, v.score AS os, %14$s AS drift
            FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN p_lo AND p_hi OR v.dirty)
        ), c AS (
            SELECT band.k, band.om, band.ol, band.os, mm.m
            FROM band JOIN %2$s b ON b.%3$I = band.k, LATERAL (SELECT %5$s AS m) mm
            WHERE NOT %15$s
        ), s AS (
            SELECT c.*, z.lb, z.sc FROM c, LATERAL (SELECT %16$s AS lb, %17$s AS sc) z
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
        vt, base, k, finite, m,
        format(scr, 'mm.m'), format(lbl, 'mm.m'), n1, n2, ninf,
        format(lbl, 'mm.m'), format(scr, 's.m'),
        format(safe, 'v.margin', '(' || drift || ')'),
        drift,
        format(safe, 'band.om', 'band.drift'),
        format(lbl, 'c.m'), format(scr, 'c.m'));
END $gen$;

-- the data trigger's body: the changed row follows in the same transaction
CREATE FUNCTION augur.view_trigger_body(p_view text, vt text, k text, cols text[], x text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE same text := format('OLD.%1$I IS NOT DISTINCT FROM NEW.%1$I', k);
BEGIN
    FOR i IN 1 .. cardinality(cols) LOOP
        same := same || format(' AND OLD.%1$I IS NOT DISTINCT FROM NEW.%1$I', cols[i]);
    END LOOP;
    RETURN format($body$
DECLARE r record;
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
    r := augur.view_score_row(%1$L, ARRAY[%5$s]::float8[]);
    INSERT INTO %2$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
    VALUES (NEW.%3$I, r.score, r.label, r.margin, r.norm_1, r.norm_2, r.norm_inf, r.model_version, CURRENT_TIMESTAMP, r.anchor_margin, true)
    ON CONFLICT (%3$I) DO UPDATE SET score = EXCLUDED.score, label = EXCLUDED.label, margin = EXCLUDED.margin,
        norm_1 = EXCLUDED.norm_1, norm_2 = EXCLUDED.norm_2, norm_inf = EXCLUDED.norm_inf, model_version = EXCLUDED.model_version,
        scored_at = EXCLUDED.scored_at, anchor_margin = EXCLUDED.anchor_margin, dirty = true;
    RETURN NULL;
END $body$, p_view, vt, k, same, array_to_string(x, ', '));
END $gen$;

-- ------------------------------------------------------------------------------------------ AUGUR functions

-- SELECT key, PREDICT('model', col, ...) FROM table; options {"mode": "eager"|"lazy", "tolerance": 0, "alpha": 1}.
-- Returns the number of rows scored (0 for a lazy view).
CREATE FUNCTION augur.create_prediction_view(p_name text, p_query text, p_options text DEFAULT NULL) RETURNS integer
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
    FOR i IN 1 .. cardinality(inputs) LOOP
        IF xs_b[i] IS NULL THEN
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
        vschema, 'augur_vr_' || h, augur.view_scoring_body(vt, base, key, xs_b, model, d.inputs));
    EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
        vschema, 'augur_vt_' || h, augur.view_trigger_body(nm, vt, key, inputs, xs_new));
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

-- Catches up with the deployed version (incrementally), or re-scores everything and re-anchors (p_full);
-- returns the rows written (0 for a lazy view).
CREATE FUNCTION augur.refresh_prediction_view(p_name text, p_full boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; ver integer; d augur.model_defs;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    IF v.mode <> 'eager' THEN
        RETURN 0;
    END IF;
    ver := augur.require_deployed(v.model);
    d := augur.defs(v.model, ver);
    PERFORM augur.view_check_model(nm, d, cardinality(string_to_array(v.input_columns, ',')), false);
    PERFORM augur.view_move_to(nm, ver);
    RETURN augur.view_model_changed(nm, 'refresh', coalesce(p_full, false));
END $$;

CREATE FUNCTION augur.drop_prediction_view(p_name text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; base text;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    IF v.mode = 'eager' THEN
        SELECT format('%I.%I', n.nspname, c.relname) INTO base FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = v.base_relation;
        IF base IS NOT NULL THEN
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vt_' || v.routine, base);
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vx_' || v.routine, base);
        END IF;
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', v.view_schema, nm);
        EXECUTE format('DROP FUNCTION IF EXISTS %I.%I', v.view_schema, 'augur_vt_' || v.routine);
        EXECUTE format('DROP FUNCTION IF EXISTS %I.%I', v.view_schema, 'augur_vr_' || v.routine);
    ELSE
        EXECUTE format('DROP VIEW IF EXISTS %I.%I', v.view_schema, nm);
    END IF;
    DELETE FROM augur.view_events WHERE view_name = nm;
    DELETE FROM augur.views WHERE name = nm;
    RETURN 1;
END $$;

-- Classification views (online learning from an examples table) run SGD in the engine: H2 only for now.
CREATE FUNCTION augur.create_classification_view(p_name text, p_entities text, p_key text, p_examples text, p_examples_key text,
    p_label text, p_feature_function text, p_kind text DEFAULT 'logistic', p_options text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format('classification view ''%s'': classification views learn online in '
        || 'Augur''s engine and are maintained on H2 only; on PostgreSQL train a model (TRAIN MODEL), deploy it and use a '
        || 'prediction view', coalesce(p_name, 'null'));
END $$;

-- ------------------------------------------------------------- deploy, rollback and drop, now view-aware
-- As in V1 (same signatures, SECURITY DEFINER, settings and grants); deploy and rollback then maintain every eager
-- view of the model in the same transaction (a deploy of the deployed version too, as on H2), and drop refuses
-- a model that prediction views depend on (2BP01).

CREATE OR REPLACE FUNCTION augur.deploy_model(p_name text, p_version integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); ver integer; cur integer;
BEGIN
    PERFORM augur.lock();
    ver := CASE WHEN p_version IS NULL THEN augur.latest(nm) ELSE augur.require_version(nm, p_version) END;
    PERFORM augur.check_payload(nm, ver);
    SELECT version INTO cur FROM augur.deployed WHERE name = nm;
    IF cur = ver THEN
        PERFORM augur.views_follow(nm);
        RETURN ver;
    END IF;
    PERFORM augur.set_deployed(nm, ver);
    INSERT INTO augur.deployments (name, version, previous_version, action) VALUES (nm, ver, cur, 'deploy');
    PERFORM augur.regenerate_for(nm);
    PERFORM augur.views_follow(nm);
    RETURN ver;
END $$;

CREATE OR REPLACE FUNCTION augur.rollback_model(p_name text) RETURNS integer
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
    PERFORM augur.views_follow(nm);
    RETURN prev;
END $$;

CREATE OR REPLACE FUNCTION augur.drop_model(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); n integer; arities integer[]; deps text; ndeps integer;
BEGIN
    PERFORM augur.lock();
    SELECT string_agg(name, ', ' ORDER BY name), count(*) INTO deps, ndeps FROM augur.views WHERE model = nm AND kind = 'prediction';
    IF ndeps > 0 THEN
        RAISE EXCEPTION USING ERRCODE = '2BP01', MESSAGE = format('cannot drop model ''%s'': prediction view%s%s depend on it; drop %s first',
            nm, CASE WHEN ndeps = 1 THEN ' ' ELSE 's ' END, deps, CASE WHEN ndeps = 1 THEN 'it' ELSE 'them' END);
    END IF;
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

-- ------------------------------------------------------------------------------------------------- roles
-- augur_user reads the view catalog (and each view table); augur_admin creates, refreshes and drops views.
GRANT SELECT ON augur.views, augur.view_models, augur.view_events TO augur_user;
GRANT INSERT, UPDATE, DELETE ON augur.views, augur.view_models, augur.view_events TO augur_admin;
REVOKE EXECUTE ON FUNCTION augur.create_prediction_view(text, text, text), augur.refresh_prediction_view(text, boolean),
    augur.drop_prediction_view(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION augur.create_prediction_view(text, text, text), augur.refresh_prediction_view(text, boolean),
    augur.drop_prediction_view(text) TO augur_admin;
