-- Flyway runs this after every migrate of Augur's catalog, once every function of this folder is current (Flyway
-- applies pending versioned scripts first, then the repeatable ones that changed). It does what must follow the
-- functions: (1) the one-off rebuild of views made before V7, (2) the regeneration of the functions generated from the
-- catalog (PREDICT arities, bag-of-words PREDICT, each view's triggers and scoring), so that they call the current
-- helpers, and the scores views hold kept equal to what those compute, (3) the privileges of every function, applied here for all of them rather than by each script, and (4) the
-- fingerprint of the shipped scripts, which AugurCatalog compares on connect to decide whether to migrate.

-- ================================================================================================ (1) views of V3..V6

-- Every view made by V3..V6 (created_by is NULL: V7 added the column) becomes the owner's: its creator is the owner of
-- its table (or SQL view), which must still hold what creating the view takes; its table is copied into a table of the
-- owner's (the same rows), its SQL view re-created, its functions generated in schema augur (V3..V6's, in the view's
-- schema, dropped with their triggers). Until 25032aa this was V7's; it runs here because it needs the current functions.
DO $$
DECLARE
    v augur.views;
    vname text;
    rel regclass;
    creator oid;
    src record;
    vt text;
    old text;
    cols text;
    bad text;
BEGIN
    -- the owner reads what the creators owned: never through a policy of theirs
    PERFORM set_config('row_security', 'off', true);
    FOR v IN SELECT * FROM augur.views WHERE created_by IS NULL ORDER BY name LOOP
        vname := CASE WHEN v.mode = 'hybrid' THEN v.name || '_labels' ELSE v.name END;
        rel := to_regclass(pg_catalog.format('%I.%I', v.view_schema, vname));
        IF rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = v.base_relation)
           OR v.kind = 'classification' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgname = 'augur_cl_' || v.routine) THEN
            RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('prediction view ''%s'' cannot be upgraded: its table %s.%s or a table '
                || 'it reads (%s) is gone; drop the view (SELECT AUGUR.DROP_PREDICTION_VIEW(''%s'')), then migrate again', v.name,
                v.view_schema, vname, coalesce(v.examples_table || ', ', '') || v.base_table, v.name);
        END IF;
        -- nothing changes under the migration: the view's table (it is rebuilt), the tables it reads
        EXECUTE pg_catalog.format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', rel);
        EXECUTE pg_catalog.format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', v.base_relation::regclass);
        creator := (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = rel);
        UPDATE augur.views x SET created_by = (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = creator),
            examples_relation = (SELECT t.tgrelid FROM pg_catalog.pg_trigger t WHERE t.tgname = 'augur_cl_' || v.routine LIMIT 1)
        WHERE x.name = v.name
        RETURNING * INTO v;
        IF v.examples_relation IS NOT NULL THEN
            EXECUTE pg_catalog.format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', v.examples_relation::regclass);
        END IF;
        IF NOT has_table_privilege(creator, v.base_relation, 'SELECT')
           OR v.mode <> 'lazy' AND NOT has_table_privilege(creator, v.base_relation, 'TRIGGER')
           OR v.kind = 'classification' AND (v.examples_relation IS NULL OR NOT has_table_privilege(creator, v.examples_relation, 'SELECT')
                                             OR NOT has_table_privilege(creator, v.examples_relation, 'TRIGGER')) THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('prediction view ''%s'' cannot become the catalog owner''s: its creator %s '
                || 'no longer holds SELECT and TRIGGER on %s; drop the view (AUGUR.DROP_PREDICTION_VIEW(''%s'')) or grant them back, '
                || 'then migrate again', v.name, v.created_by, coalesce(v.examples_table || ' or ', '') || v.base_table, v.name);
        END IF;
        -- its table must still be a table, the columns copied below of built-in types, and nothing else may read it
        IF v.mode <> 'lazy' THEN
            IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = rel) <> 'r' THEN
                RAISE EXCEPTION USING ERRCODE = '42809', MESSAGE = pg_catalog.format('prediction view ''%s'' cannot be upgraded: %s is no longer a table; '
                    || 'drop the view (AUGUR.DROP_PREDICTION_VIEW(''%s'')), then migrate again', v.name, rel, v.name);
            END IF;
            SELECT string_agg(pg_catalog.format('%s (%s)', a.attname, format_type(a.atttypid, a.atttypmod)), ', ') INTO bad
            FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND augur.base_type(a.atttypid) >= 16384
              AND a.attname IN (v.key_column, 'score', 'label', 'margin', 'norm_1', 'norm_2', 'norm_inf', 'model_version', 'scored_at',
                                'anchor_margin', 'dirty', 'f_idx', 'f_val');
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('prediction view ''%s'' cannot be upgraded: columns %s of its table %s '
                    || 'are no longer of the types Augur made them; drop the view (AUGUR.DROP_PREDICTION_VIEW(''%s'')), then migrate again',
                    v.name, bad, rel, v.name);
            END IF;
            SELECT string_agg(DISTINCT x.obj, ', ') INTO bad FROM (
                SELECT r.ev_class::regclass::text AS obj FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
                WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = rel AND r.ev_class <> rel
                  AND r.ev_class IS DISTINCT FROM to_regclass(pg_catalog.format('%I.%I', v.view_schema, v.name))
                UNION ALL
                SELECT c.conrelid::regclass::text FROM pg_catalog.pg_constraint c WHERE c.confrelid = rel AND c.conrelid <> rel
                UNION ALL
                SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = rel) x;
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '2BP01', MESSAGE = pg_catalog.format('prediction view ''%s'' cannot be upgraded: %s depend on its table %s, '
                    || 'which this migration rebuilds as the catalog owner''s; drop them, migrate, and create them again', v.name, bad, rel);
            END IF;
        END IF;
        IF v.mode = 'lazy' THEN
            EXECUTE pg_catalog.format('DROP VIEW %s', rel);
            PERFORM augur.view_make_sql_view(v);
            CONTINUE;
        END IF;
        IF v.mode = 'hybrid' AND to_regclass(pg_catalog.format('%I.%I', v.view_schema, v.name)) IS NOT NULL THEN
            EXECUTE pg_catalog.format('DROP VIEW %I.%I', v.view_schema, v.name);
        END IF;
        -- the same rows in a table of the owner's (nothing the creator attached to its table comes along)
        src := augur.view_source_rel(v.base_relation, v.base_table, v.key_column, '{}', v.kind);
        vt := pg_catalog.format('%I.%I', v.view_schema, vname);
        old := pg_catalog.format('%I.%I', v.view_schema, 'augur_old_' || v.routine);
        EXECUTE pg_catalog.format('ALTER TABLE %s RENAME TO %I', vt, 'augur_old_' || v.routine);
        PERFORM augur.view_make_table(vt, v.key_column, src.key_type, v.kind = 'classification', false);
        cols := 'score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty'
            || CASE WHEN v.kind = 'classification' THEN ', f_idx, f_val' ELSE '' END;
        EXECUTE pg_catalog.format('INSERT INTO %s (%I, %s) SELECT %I, %s FROM ONLY %s', vt, v.key_column, cols, v.key_column, cols, old);
        EXECUTE pg_catalog.format('DROP TABLE %s', old);
        EXECUTE pg_catalog.format('ALTER TABLE %s ADD PRIMARY KEY (%I)', vt, v.key_column);
        PERFORM augur.view_index_table(vt, v.key_column);
        PERFORM augur.view_generate(v.name);
        IF v.mode = 'hybrid' THEN
            PERFORM augur.view_make_sql_view(v);
        END IF;
    END LOOP;
END $$;

-- ================================================================================================ (2) generated functions

DO $$
DECLARE v record;
BEGIN
    FOR n IN 1 .. 99 LOOP
        PERFORM augur.regenerate_predict(n);
    END LOOP;
    PERFORM augur.regenerate_bow_predict();
    FOR v IN SELECT x.name FROM augur.views x WHERE x.mode <> 'lazy' ORDER BY x.name LOOP
        PERFORM augur.view_generate(v.name);
    END LOOP;
    -- the scores an eager view holds for a logistic or svm model are augur.sigmoid of its margins, as PREDICT's are;
    -- bag-of-words views scored with another formula of the logistic function up to 25032aa (the last bits differ)
    FOR v IN SELECT x.name, x.view_schema FROM augur.views x JOIN augur.model_defs d ON d.name = x.model AND d.version = x.model_version
             WHERE x.kind = 'prediction' AND x.mode = 'eager' AND d.feature_type = 'bag_of_words' AND augur.kind_link(d.kind) <> 'identity' ORDER BY x.name LOOP
        EXECUTE pg_catalog.format('UPDATE %I.%I SET score = augur.sigmoid(margin) WHERE score IS DISTINCT FROM augur.sigmoid(margin)',
                       v.view_schema, v.name);
    END LOOP;
END $$;

-- ================================================================================================ (3) privileges

-- Only the catalog owner creates in schema augur, so everything there is its code: a function of another role there is
-- refused, not adopted (SECURITY DEFINER code calls functions of schema augur). The administration entry points are
-- augur_admin's; what writes the catalog or generates code is the owner's alone (the generated per-view functions
-- too); the other helpers keep the default (PUBLIC, reached through USAGE on schema augur: augur_user). The PREDICT
-- family in schema public is augur_user's only. Every SECURITY DEFINER function pins search_path (only
-- pg_catalog, then pg_temp: nothing its caller can create is found first), and so does every other PL/pgSQL function
-- but the entry points that resolve the caller's own names (PgSearchPathTest); the SQL ones must not set it, or the
-- planner would no longer inline them (PREDICT, augur.sigmoid, augur.affine): they qualify what they call instead.
DO $$
DECLARE
    owner regrole := augur.catalog_owner();
    f record;
    admin constant text[] := ARRAY['register_model', 'import_model', 'train_model', 'deploy_model', 'rollback_model', 'drop_model',
        'sync_predict', 'create_prediction_view', 'refresh_prediction_view', 'drop_prediction_view', 'create_classification_view',
        'view_create', 'cv_create', 'calibrate_model', 'calibrate_model_in', 'calibration_register',
        'create_feedback', 'create_feedback_in', 'feedback_create', 'drop_feedback',  -- feedback (issue 13)
        'start_experiment',  -- experiments (issue 13)
        'set_monitor', 'set_adaptive_conformal', 'store_reference', 'register_trained', 'capture_reference'];  -- monitoring (issue 13)
    owner_only constant text[] := ARRAY['regenerate_predict', 'regenerate_bow_predict', 'generated_function', 'view_generate', 'view_make_table',
        'view_index_table', 'view_make_sql_view', 'view_served_log',
        'feedback_served', 'feedback_resolve', 'feedback_contribute', 'record_served',  -- feedback (issue 13)
        'experiment_rewarded',  -- experiments (issue 13)
        'monitor_served', 'monitor_observe', 'monitor_label_joined', 'monitor_adaptive', 'monitor_recount',
        'monitor_copy_reference'];  -- monitoring (issue 13)
    -- what serving takes: augur_user's, as the PREDICT family (issue 13)
    users constant text[] := ARRAY['record_prediction', 'record_prediction_proba', 'route', 'serve'];
BEGIN
    SELECT string_agg(pg_catalog.format('%s (%s)', p.oid::regprocedure, p.proowner::regrole), ', ') INTO STRICT f
    FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'augur'::regnamespace AND p.proowner <> owner;
    IF f.string_agg IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('functions in schema augur that are not the catalog owner''s (%s): %s; '
            || 'only %s may create there: drop them, then migrate again', owner, f.string_agg, owner);
    END IF;
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname, p.prosecdef, p.proacl,
                    coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false) AS pinned
             FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'augur'::regnamespace LOOP
        IF f.prosecdef AND NOT f.pinned THEN
            EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp', f.sig);
        END IF;
        IF f.proname = ANY (admin) THEN
            EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, augur_user', f.sig);
            EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO augur_admin', f.sig);
        ELSIF f.proname = ANY (users) THEN
            EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, augur_admin', f.sig);
            EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO augur_user', f.sig);
        ELSIF f.proname = ANY (owner_only) OR f.proname ~ '^augur_(v[rtix]|c[tl])_[0-9a-f]{32}$' THEN
            EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, augur_user, augur_admin', f.sig);
        ELSIF f.proacl IS NOT NULL THEN
            -- a helper someone granted or revoked by hand: back to the default
            EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM augur_user, augur_admin', f.sig);
            EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', f.sig);
        END IF;
    END LOOP;
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = owner
               AND p.proname IN ('predict', 'predict_label', 'predict_proba', 'predict_explain', 'predict_stddev', 'predict_set',
                                 'predict_label_if_certain', 'predict_interval', 'predict_served') LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO augur_user', f.sig);
    END LOOP;
END $$;

-- ================================================================================================ (4) fingerprint

COMMENT ON TABLE "${flyway:defaultSchema}"."${flyway:table}" IS 'Augur catalog scripts ${augur_scripts}';
