-- Hybrid prediction views on PostgreSQL, as on H2: WITH (mode = hybrid) keeps labels eagerly in table NAME_labels
-- (maintained like an eager view with an infinite score tolerance, so a model change re-scores only the rows whose
-- label its Hölder bound says can flip) behind a view NAME (key, score, label, model_version, scored_at) whose scores
-- PREDICT computes on read, hence always exact. CREATE (V5's, with the hybrid mode), REFRESH and DROP (V6's) and the
-- deploy hook (V3's) are redefined with hybrid views in.
--
-- Bulk loads: a dense view created from now on follows INSERTs with a statement-level trigger over the statement's
-- new rows (one set-based INSERT into the view, the same float8 operations as the row trigger's view_score_row),
-- instead of a row trigger running per row (~90 us a row against ~2 us for the INSERT itself); UPDATE and DELETE
-- keep the row trigger.

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

-- the INSERT trigger's body of a dense view (statement level, over transition table augur_new): V3's row trigger for
-- every new row at once; x: the input expressions over alias n
CREATE FUNCTION augur.view_insert_trigger_body(p_view text, vt text, k text, x text[], model text, inputs text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE
    m text := 'd.bias[1]';
    am text := 'a.bias[1]';
    n1 text := '0::float8';
    n2 text := '0::float8';
    ninf text := '0::float8';
    anynull text := 'false';
    finite text := '';
BEGIN
    FOR i IN 1 .. cardinality(x) LOOP
        m := format('%s + d.weights[%s] * %s', m, i, x[i]);
        am := format('%s + a.weights[%s] * %s', am, i, x[i]);
        n1 := format('%s + abs(%s)', n1, x[i]);
        n2 := format('%s + %s * %s', n2, x[i], x[i]);
        ninf := format('greatest(%s, abs(%s))', ninf, x[i]);
        anynull := format('%s OR %s IS NULL', anynull, x[i]);
        finite := finite || format('
    SELECT %s INTO bad FROM augur_new n WHERE NOT (abs(%s) <= 1.7976931348623157e308) LIMIT 1;
    IF FOUND THEN
        PERFORM augur.nonfinite(%L, %L, bad);
    END IF;', x[i], x[i], model, inputs[i]);
    END LOOP;
    RETURN format($body$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; dup text; bad float8; r record;
BEGIN
    v := augur.view_lock(%1$L);
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    -- a key twice: already in the view, or twice among the new rows (a base table without a unique key)
    SELECT n.%3$I::text INTO dup FROM augur_new n WHERE EXISTS (SELECT 1 FROM %2$s w WHERE w.%3$I = n.%3$I) LIMIT 1;
    IF dup IS NULL THEN
        SELECT n.%3$I::text INTO dup FROM augur_new n WHERE n.%3$I IS NOT NULL GROUP BY n.%3$I HAVING count(*) > 1 LIMIT 1;
    END IF;
    IF dup IS NOT NULL THEN
        PERFORM augur.view_duplicate(%1$L, dup);
    END IF;%4$s
    WITH s AS (
        INSERT INTO %2$s AS w (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT n.%3$I, CASE WHEN d.kind = 'linear' THEN mm.m ELSE 0.5::float8 + 0.5::float8 * tanh(0.5::float8 * mm.m) END,
               CASE WHEN mm.m IS NULL OR d.kind = 'linear' THEN NULL WHEN mm.m >= 0 THEN d.classes[2] ELSE d.classes[1] END,
               mm.m, mm.n1, mm.n2, mm.ninf, CASE WHEN mm.m IS NULL THEN NULL ELSE v.model_version END, CURRENT_TIMESTAMP, mm.am, true
        FROM augur_new n, LATERAL (SELECT CASE WHEN %10$s THEN NULL ELSE %5$s END AS m, CASE WHEN %10$s THEN NULL ELSE %6$s END AS am,
                                          CASE WHEN %10$s THEN NULL ELSE %7$s END AS n1, CASE WHEN %10$s THEN NULL ELSE sqrt(%8$s) END AS n2,
                                          CASE WHEN %10$s THEN NULL ELSE %9$s END AS ninf OFFSET 0) mm
        WHERE n.%3$I IS NOT NULL
        RETURNING w.norm_1, w.norm_2, w.norm_inf, abs(w.anchor_margin - w.margin) AS dev
    )
    SELECT max(s.norm_1) AS n1, max(s.norm_2) AS n2, max(s.norm_inf) AS ninf, max(s.dev) AS dev INTO r FROM s;
    IF r.n1 > v.max_norm_1 OR r.n2 > v.max_norm_2 OR r.ninf > v.max_norm_inf OR r.dev > v.max_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, r.n1), max_norm_2 = greatest(w.max_norm_2, r.n2),
            max_norm_inf = greatest(w.max_norm_inf, r.ninf), max_deviation = greatest(w.max_deviation, r.dev)
        WHERE w.name = %1$L;
    END IF;
    RETURN NULL;
END $body$, p_view, vt, k, finite, m, am, n1, n2, ninf, '(' || anynull || ')');
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
    relkind "char";
    vschema name := current_schema();
    vt text;
    base text;
    col text;
    att record;
    key_type text;
    xs_b text[] := '{}';
    xs_new text[] := '{}';
    xs_n text[] := '{}';
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
        ELSIF mode <> 'lazy' AND att.typcategory NOT IN ('N', 'B') THEN
            -- checked once the model is known (below): the column must hold numbers
            xs_b := xs_b || NULL::text;
        ELSE
            xs_b := xs_b || format(CASE WHEN att.typcategory = 'B' THEN '(b.%I)::integer::float8' ELSE '(b.%I)::float8' END, col);
            xs_new := xs_new || format(CASE WHEN att.typcategory = 'B' THEN '(NEW.%I)::integer::float8' ELSE '(NEW.%I)::float8' END, col);
            xs_n := xs_n || format(CASE WHEN att.typcategory = 'B' THEN '(n.%I)::integer::float8' ELSE '(n.%I)::float8' END, col);
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
            vschema, 'augur_vi_' || h, augur.view_insert_trigger_body(nm, vt, key, xs_n, model, d.inputs));
        EXECUTE format('REVOKE ALL ON FUNCTION %I.%I FROM PUBLIC', vschema, 'augur_vi_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()',
            'augur_vt_' || h, base, vschema, 'augur_vt_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_new FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()',
            'augur_vi_' || h, base, vschema, 'augur_vi_' || h);
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
