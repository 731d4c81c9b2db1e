-- ================================================================================================ views: the AUGUR functions

-- CREATE PREDICTION VIEW, run as the catalog's owner: V6's function, with the table and schema resolved by the caller
-- (augur.create_prediction_view) and what the calling login role may do checked. Every object it makes is the owner's.
CREATE OR REPLACE FUNCTION augur.view_create(p_name text, p_query text, p_options text, p_schema text, p_rel oid, p_role name) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 SET row_security = off AS $$
DECLARE
    nm text := augur.view_name(p_name);
    q record;
    key text;
    model text;
    inputs text[];
    tbl text;
    opts jsonb;
    mode text;
    logs boolean;
    tol float8;
    alp float8;
    src record;
    vschema name := p_schema;
    vt text;
    col text;
    cats text[];
    bow boolean;
    ver integer;
    sha text;
    d augur.model_defs;
    w augur.view_work;
    v augur.views;
BEGIN
    q := augur.view_query(p_query);
    IF q.key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42601', MESSAGE = 'a prediction view is defined as SELECT key, PREDICT(''model'', column, ...)'
            || ' FROM table (plain column names), got: ' || coalesce(p_query, 'null');
    END IF;
    key := q.key;
    model := augur.check_name(q.model);
    inputs := q.inputs;
    tbl := q.tbl;
    -- options
    PERFORM augur.view_refuse_forgetting(p_options);
    opts := augur.view_options(p_options, ARRAY['mode', 'tolerance', 'alpha', 'log_served']);
    mode := lower(coalesce(opts ->> 'mode', 'eager'));
    IF mode NOT IN ('eager', 'lazy', 'hybrid') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option mode must be eager, lazy or hybrid, got ''%s''', mode);
    END IF;
    -- log_served (ViewOptions.Prediction): a JSON boolean, of an eager view (the others compute their scores on read)
    IF opts ? 'log_served' AND jsonb_typeof(opts -> 'log_served') IS DISTINCT FROM 'boolean' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option log_served must be true or false, got %s', opts -> 'log_served');
    END IF;
    logs := coalesce((opts ->> 'log_served')::boolean, false);
    IF logs AND mode <> 'eager' THEN
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('option log_served logs the rows an eager view writes, and a %s view '
            || 'computes its scores on read, so it writes none of what it serves: create the view with mode = eager, or serve its rows '
            || 'with PREDICT_SERVED (which records each prediction as it is read)', mode);
    END IF;
    tol := augur.view_option(opts, 'tolerance', 0);
    IF mode = 'hybrid' THEN
        -- the table keeps labels only (scores come from PREDICT on read): no score tolerance to keep
        tol := 'Infinity';
    END IF;
    alp := augur.view_option(opts, 'alpha', 1.0);
    -- a new name
    PERFORM augur.view_require_new(nm, vschema, p_role);
    IF mode = 'hybrid' AND length(nm) > 56 THEN
        RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = pg_catalog.format('hybrid view name ''%s'' is too long: at most 56 characters, as its '
            || 'labels live in table NAME_labels', nm);
    END IF;
    IF mode = 'hybrid' AND to_regclass(pg_catalog.format('%I.%I', vschema, nm || '_labels')) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = pg_catalog.format('a table or view named ''%s_labels'' already exists; a hybrid view keeps '
            || 'its labels there: choose another view name', nm);
    END IF;
    -- the source: a table with the key and input columns, the key unique and never NULL, readable (and, for views
    -- kept by triggers, triggerable) by the caller and by the owner
    IF p_rel IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_rel) THEN
        PERFORM augur.view_require_table(p_rel, tbl, 'SELECT', nm, p_role);
        IF mode <> 'lazy' THEN
            PERFORM augur.view_require_table(p_rel, tbl, 'TRIGGER', nm, p_role);
        END IF;
    END IF;
    src := augur.view_source_rel(p_rel, tbl, key, inputs, 'prediction');
    PERFORM augur.view_guard(nm, src.rel, NULL, key || inputs);
    cats := src.categories;
    -- the model
    ver := augur.require_deployed(model);
    d := augur.defs(model, ver);
    SELECT m.sha256 INTO sha FROM augur.models m WHERE m.name = model AND m.version = ver;
    IF pg_catalog.cardinality(d.inputs) <> pg_catalog.cardinality(inputs) THEN
        PERFORM augur.wrong_arity(d, pg_catalog.cardinality(inputs));
    END IF;
    IF d.outputs <> 1 OR augur.kind_ensemble(d.kind) THEN
        PERFORM augur.view_check_model(nm, d, pg_catalog.cardinality(inputs), true);
    END IF;
    IF mode = 'lazy' THEN
        INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                                 model_sha256, anchor_version, learning_rate, l2, definition, view_schema, base_relation, created_by)
        VALUES (nm, 'prediction', mode, tol, alp, tbl, key, pg_catalog.array_to_string(inputs, ','), model, ver, sha, ver, 0, 0, p_query, vschema,
                src.rel, p_role)
        RETURNING * INTO v;
        PERFORM augur.view_make_sql_view(v);
        RETURN 0;
    END IF;
    PERFORM augur.check_payload(model, ver);
    PERFORM augur.view_check_model(nm, d, pg_catalog.cardinality(inputs), true);
    bow := d.feature_type = 'bag_of_words';
    IF bow AND cats[1] <> 'S' THEN
        SELECT format_type(a.atttypid, a.atttypmod) INTO col FROM pg_catalog.pg_attribute a WHERE a.attrelid = src.rel AND a.attname = inputs[1];
        RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('model ''%s'' input ''%s'' expects text, got column %s.%s of type %s; '
            || 'cast it in a table or view of text', model, d.inputs[1], tbl, inputs[1], col);
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(inputs) LOOP
        IF cats[i] NOT IN ('N', 'B') AND NOT bow THEN
            SELECT format_type(a.atttypid, a.atttypmod) INTO col FROM pg_catalog.pg_attribute a WHERE a.attrelid = src.rel AND a.attname = inputs[i];
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('model ''%s'' input ''%s'' expects a number, got column %s.%s of type %s; '
                || 'cast it in a table or view of numbers', model, d.inputs[i], tbl, inputs[i], col);
        END IF;
    END LOOP;
    IF logs THEN
        -- what the served log refuses of the model (RECORD_PREDICTION's check), refused now rather than at the first row
        PERFORM augur.served_one_score(d);
    END IF;
    vt := pg_catalog.format('%I.%I', vschema, CASE WHEN mode = 'hybrid' THEN nm || '_labels' ELSE nm END);
    INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                             model_sha256, anchor_version, learning_rate, l2, definition, view_schema, base_relation, routine, created_by,
                             log_served)
    VALUES (nm, 'prediction', mode, tol, alp, tbl, key, pg_catalog.array_to_string(inputs, ','), model, ver, sha, ver, 0, 0, p_query, vschema, src.rel,
            md5(nm), p_role, logs)
    RETURNING * INTO v;
    PERFORM augur.view_save_anchor(nm, model, ver);
    -- the key and the indexes are built after the rows are written: sorted index builds instead of four index insertions
    -- per row (1M rows: 3.3 s instead of 8.4 s here)
    PERFORM augur.view_make_table(vt, key, src.key_type, false, false);
    IF augur.kind_ensemble(d.kind) THEN
        -- an ensemble's spread, and its spread under the anchor (what the bound on the spread starts from)
        EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN spread float8, ADD COLUMN anchor_spread float8', vt);
    END IF;
    PERFORM augur.view_generate(nm);
    -- score every row
    v := augur.view_lock(nm);
    w := augur.view_run(v, 'create', d, 0, 0, 0, 0, 0, 0, 0);
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD PRIMARY KEY (%I)', vt, key);
    PERFORM augur.view_index_table(vt, key);
    UPDATE augur.views x SET max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0),
        max_norm_inf = coalesce(w.max_ninf, 0), max_deviation = 0, max_spread_deviation = 0, incremental_cost = 0
    WHERE x.name = nm;
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, millis, scorer)
    VALUES (nm, 'create', ver, w.written, w.rescored, w.written, 0, 'sql');
    IF mode = 'hybrid' THEN
        -- scores computed on read (always exact), labels kept eagerly
        PERFORM augur.view_make_sql_view(v);
    END IF;
    RETURN w.written;
END $$;
