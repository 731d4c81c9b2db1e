-- CREATE CLASSIFICATION VIEW, run as the catalog's owner: V6's function, with the tables and schema resolved by the caller
-- (augur.create_classification_view), what the calling login role may do checked, and the options checked.
CREATE OR REPLACE FUNCTION augur.cv_create(p_name text, p_entities text, p_key text, p_examples text, p_examples_key text, p_label text,
    p_feature_function text, p_kind text, p_options text, p_schema text, p_entities_rel oid, p_examples_rel oid, p_role name) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 SET row_security = off AS $$
DECLARE
    ident constant text := '^[A-Za-z_][A-Za-z0-9_]*$';
    nm text := augur.view_name(p_name);
    kind text := lower(coalesce(p_kind, 'logistic'));
    opts jsonb;
    bad text;
    rate float8; l2 float8; tol float8; alp float8; bits integer; epochs integer; seed bigint; members integer; view_seed bigint;
    keep float8; win integer;
    ens boolean;
    bag record;
    parts text[];
    bow boolean;
    inputs text[];
    ent record;
    ex record;
    vschema name := p_schema;
    vt text;
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
    v augur.views;
    l augur.view_learners;
BEGIN
    IF augur.kind_link(kind) IS DISTINCT FROM 'logistic' OR augur.kind_uncertainty(kind) NOT IN ('none', 'members') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('a classification view learns a binary classifier: USING %s, '
            || 'or %s for an ensemble, got %s',
            (SELECT string_agg(k.name, ' or ' ORDER BY k.id) FROM augur.kinds() k WHERE k.link = 'logistic' AND k.uncertainty = 'none'),
            (SELECT string_agg(k.name, ' or ' ORDER BY k.id) FROM augur.kinds() k WHERE k.link = 'logistic' AND k.ensemble), p_kind);
    END IF;
    ens := augur.kind_ensemble(kind);
    PERFORM augur.view_refuse_log_served(p_options);
    opts := augur.view_options(p_options, ARRAY['learning_rate', 'l2', 'hash_bits', 'epochs', 'tolerance', 'alpha', 'seed', 'members',
        'forget_decay', 'forget_window']);
    rate := augur.view_option(opts, 'learning_rate', 0.5);
    l2 := augur.view_option(opts, 'l2', 1e-6);
    tol := augur.view_option(opts, 'tolerance', 0.01);
    alp := augur.view_option(opts, 'alpha', 1.0);
    bits := augur.view_int_option(opts, 'hash_bits', 18, 1, 24);
    epochs := augur.view_int_option(opts, 'epochs', 10, 0, NULL);
    seed := augur.view_seed_option(opts, 42);
    view_seed := seed;
    -- an ensemble's members: 2 to TrainingOptions.MAX_MEMBERS, TrainingOptions.DEFAULT_MEMBERS when not given (ViewOptions)
    members := augur.view_int_option(opts, 'members', 10, 2, 1000);
    -- forgetting (Forgetting.fromOptions): at most one of forget_decay in (0, 1] and forget_window, 1 to MAX_WINDOW
    IF opts ? 'forget_decay' AND opts ? 'forget_window' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'options forget_decay and forget_window are two ways to forget: give one of them';
    END IF;
    IF opts ? 'forget_decay' THEN
        IF jsonb_typeof(opts -> 'forget_decay') <> 'number' OR (opts ->> 'forget_decay')::numeric <= 0 OR (opts ->> 'forget_decay')::numeric > 1 THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option forget_decay must be a number in (0, 1]: the part of the '
                || 'model kept at each step (1 forgets nothing), got %s', opts -> 'forget_decay');
        END IF;
        keep := (opts ->> 'forget_decay')::float8;
    END IF;
    IF opts ? 'forget_window' THEN
        IF jsonb_typeof(opts -> 'forget_window') <> 'number' THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option forget_window must be an integer between 1 and 1000000000, got %s',
                opts -> 'forget_window');
        END IF;
        win := augur.view_int_option(opts, 'forget_window', 0, 1, 1000000000);
    END IF;
    IF NOT ens AND opts ? 'members' AND jsonb_typeof(opts -> 'members') <> 'null' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option members makes a classification view of an ensemble: USING a '
            || 'bagged kind (%s), not %s; USING bagged_%s', (SELECT string_agg(k.name, ', ' ORDER BY k.id) FROM augur.kinds() k WHERE k.ensemble),
            kind, kind);
    END IF;
    IF NOT ens THEN
        members := 1;
    END IF;
    FOREACH bad IN ARRAY ARRAY[p_entities, p_key, p_examples, p_examples_key, p_label] LOOP
        IF bad IS NULL OR bad !~ ident THEN
            RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = pg_catalog.format('invalid identifier ''%s'': use letters, digits and underscores',
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
            RAISE EXCEPTION USING ERRCODE = '42601', MESSAGE = pg_catalog.format('FEATURE FUNCTION must be bag_of_words(column) or (column, ...), got %s',
                p_feature_function);
        END IF;
        bow := false;
        SELECT pg_catalog.array_agg(lower(trim(c)) ORDER BY i) INTO inputs FROM pg_catalog.unnest(string_to_array(parts[1], ',')) WITH ORDINALITY u(c, i);
    END IF;
    PERFORM augur.view_require_new(nm, vschema, p_role);
    FOR i IN 1 .. 2 LOOP
        IF (CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END) IS NOT NULL
           AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END) THEN
            PERFORM augur.view_require_table(CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END,
                CASE i WHEN 1 THEN p_entities ELSE p_examples END, 'SELECT', nm, p_role);
            PERFORM augur.view_require_table(CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END,
                CASE i WHEN 1 THEN p_entities ELSE p_examples END, 'TRIGGER', nm, p_role);
        END IF;
    END LOOP;
    ent := augur.view_source_rel(p_entities_rel, p_entities, key, inputs, 'classification');
    ex := augur.view_source_rel(p_examples_rel, p_examples, ekey, ARRAY[lbl], 'classification');
    PERFORM augur.view_guard(nm, ent.rel, NULL, key || inputs);
    PERFORM augur.view_guard(nm, ex.rel, NULL, ARRAY[ekey, lbl]);
    IF bow THEN
        dim := 1 << bits;
    ELSE
        dim := pg_catalog.cardinality(inputs);
        FOR i IN 1 .. pg_catalog.cardinality(inputs) LOOP
            IF ent.categories[i] NOT IN ('N', 'B') THEN
                RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('classification view ''%s'' input ''%s'' expects a number, got '
                    || 'column %s.%s of another type; cast it in a table or view of numbers', nm, inputs[i], p_entities, inputs[i]);
            END IF;
        END LOOP;
    END IF;
    numeric_label := ex.categories[1] = 'N';
    -- the view table, every entity's features first
    vt := pg_catalog.format('%I.%I', vschema, nm);
    INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                             model_sha256, anchor_version, examples_table, examples_key, label_column, learning_rate, l2,
                             definition, view_schema, base_relation, routine, created_by, examples_relation, forget_decay, forget_window)
    VALUES (nm, 'classification', 'eager', tol, alp, p_entities, key, pg_catalog.array_to_string(inputs, ','), nm, 1, NULL, 1, p_examples, ekey,
            lbl, rate, l2, pg_catalog.format('CLASSIFICATION VIEW KEY %s ENTITIES FROM %s EXAMPLES FROM %s KEY %s LABEL %s FEATURE FUNCTION %s USING %s',
                                  key, p_entities, p_examples, ekey, lbl, p_feature_function, kind),
            vschema, ent.rel, md5(nm), p_role, ex.rel, CASE WHEN keep <> 1 THEN keep END, win)
    RETURNING * INTO v;
    l.feature_type := CASE WHEN bow THEN 'bag_of_words' ELSE 'dense' END;
    l.hash_bits := CASE WHEN bow THEN bits END;
    features := augur.cv_features_sql(v, l);
    label_text := augur.cv_label_sql(v);
    PERFORM augur.view_make_table(vt, key, ent.key_type, true, true);
    IF ens THEN
        -- an ensemble's spread, and its spread under the anchor (what the bound on the spread starts from)
        EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN spread float8, ADD COLUMN anchor_spread float8', vt);
    END IF;
    EXECUTE pg_catalog.format('INSERT INTO %s (%I, f_idx, f_val, model_version, dirty) SELECT b.%I, (f).idx, (f).val, 1, false '
        || 'FROM (SELECT b.%I, %s AS f FROM %s b OFFSET 0) b', vt, key, key, key, pg_catalog.format(features, 'b'), ent.only_base);  -- once per row
    -- the classes: the examples' two distinct labels, in numeric order for numeric labels (H2Views.classes)
    EXECUTE pg_catalog.format('SELECT count(*) FILTER (WHERE e.%I IS NULL) FROM %s e', lbl, ex.only_base) INTO cnt;
    IF cnt > 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = pg_catalog.format('an example of view ''%s'' has a NULL label; label every example', nm);
    END IF;
    EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(t ORDER BY %s) FROM (SELECT DISTINCT %s AS t FROM %s e) d',
        CASE WHEN numeric_label THEN 't::numeric' ELSE 't COLLATE "C"' END, pg_catalog.format(label_text, 'e'), ex.only_base) INTO classes;
    IF coalesce(pg_catalog.cardinality(classes), 0) <> 2 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('classification view ''%s'' starts from examples of exactly 2 classes, '
            || 'the examples have [%s]; insert examples of both classes first', nm, pg_catalog.array_to_string(coalesce(classes, '{}'), ', '));
    END IF;
    -- the examples in key order (an example must name an entity), with their entities' features
    EXECUTE pg_catalog.format($q$
        WITH j AS MATERIALIZED (
            SELECT row_number() OVER (ORDER BY e.%1$I%6$s) AS ord, e.%1$I::text AS key, %2$s AS label, v.%3$I IS NOT NULL AS found,
                   v.f_idx, v.f_val
            FROM %4$s e LEFT JOIN %5$s v ON v.%3$I = e.%1$I
        )
        SELECT (SELECT pg_catalog.array_agg(j.key ORDER BY j.ord) FROM j) AS keys,
               (SELECT pg_catalog.array_agg(pg_catalog.array_position($1, j.label) - 1 ORDER BY j.ord) FROM j) AS targets,
               (SELECT pg_catalog.array_agg(j.found ORDER BY j.ord) FROM j) AS found,
               (SELECT pg_catalog.array_agg(j.f_idx IS NOT NULL ORDER BY j.ord) FROM j) AS usable,
               (SELECT pg_catalog.array_agg(x.i ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS idx,
               (SELECT pg_catalog.array_agg(x.v ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS val,
               (SELECT pg_catalog.array_agg(s.o ORDER BY s.ord) FROM (SELECT 0::bigint AS ord, 0::bigint AS o UNION ALL
                    SELECT j.ord, sum(coalesce(pg_catalog.cardinality(j.f_idx), 0)) OVER (ORDER BY j.ord) FROM j) s) AS off$q$,
        ekey, pg_catalog.format(label_text, 'e'), key, ex.only_base, vt, CASE WHEN ex.key_type ~ '^(text|character)' THEN ' COLLATE "C"' ELSE '' END)
    INTO r USING classes;
    n := coalesce(pg_catalog.cardinality(r.keys), 0);
    FOR e IN 1 .. n LOOP
        IF NOT r.found[e] THEN
            RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = pg_catalog.format('example key %s of view ''%s'' has no entity in %s; insert the entity first',
                r.keys[e], nm, p_entities);
        END IF;
    END LOOP;
    IF ens THEN
        -- each member on its bootstrap sample, as TRAIN trains a bagged kind
        bag := augur.cv_bagged_train(kind, l2, dim, members, view_seed, epochs, rate, coalesce(r.idx, '{}'), coalesce(r.val, '{}'),
                                     coalesce(r.off::integer[], '{0}'), r.targets, r.usable);
        INSERT INTO augur.view_learners (view_name, kind, feature_type, hash_bits, inputs, classes, dimension, live_weights, live_bias,
                                         anchor_weights, anchor_bias, members, seed, live_biases, anchor_biases)
        VALUES (nm, kind, l.feature_type, l.hash_bits, inputs, classes, dim, bag.w, NULL, bag.w, NULL, members, view_seed, bag.b, bag.b);
        v := augur.view_lock(nm);
        w := augur.cv_ensemble_run(v, 'full', 0, 0);
    ELSE
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
        sh := augur.cv_sgd(kind, l2, pg_catalog.array_fill(0.0::float8, ARRAY[dim]), 0.0::float8, coalesce(r.idx, '{}'), coalesce(r.val, '{}'),
                           coalesce(r.off::integer[], '{0}'), r.targets, steps, etas);
        INSERT INTO augur.view_learners (view_name, kind, feature_type, hash_bits, inputs, classes, dimension, live_weights, live_bias,
                                         anchor_weights, anchor_bias)
        VALUES (nm, kind, CASE WHEN bow THEN 'bag_of_words' ELSE 'dense' END, CASE WHEN bow THEN bits END, inputs, classes, dim,
                sh.w, sh.b, sh.w, sh.b);
        -- score every entity
        v := augur.view_lock(nm);
        w := augur.cv_run(v, 'full', sh.w, sh.b, classes, 1, tol, 0, 0, 0, 0, 0, 0, 0.25, NULL, NULL);
    END IF;
    EXECUTE pg_catalog.format('UPDATE %s SET norm_1 = n.n1, norm_2 = n.n2, norm_inf = n.ninf FROM (SELECT v.%I AS key, '
        || 'coalesce((SELECT sum(abs(x)) FROM pg_catalog.unnest(v.f_val) x), 0) AS n1, coalesce((SELECT sqrt(sum(x * x)) FROM pg_catalog.unnest(v.f_val) x), 0) AS n2, '
        || 'coalesce((SELECT max(abs(x)) FROM pg_catalog.unnest(v.f_val) x), 0) AS ninf FROM %s v WHERE v.f_idx IS NOT NULL) n WHERE %I = n.key',
        vt, key, vt, key);
    EXECUTE pg_catalog.format('UPDATE %s SET model_version = NULL, scored_at = CURRENT_TIMESTAMP WHERE f_idx IS NULL', vt);
    EXECUTE pg_catalog.format('SELECT max(norm_1), max(norm_2), max(norm_inf), count(*) FROM %s', vt) INTO w.max_n1, w.max_n2, w.max_ninf, w.written;
    UPDATE augur.views x SET max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0),
        max_norm_inf = coalesce(w.max_ninf, 0), max_deviation = 0, incremental_cost = 0
    WHERE x.name = nm;
    PERFORM augur.view_index_table(vt, key);
    -- the triggers: entities (row level) and examples (statement level, over the statement's new rows)
    PERFORM augur.view_generate(nm);
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, millis, scorer)
    VALUES (nm, 'create', 1, w.written, w.rescored, w.written, 0, 'sql');
    RETURN w.written;
END $$;
