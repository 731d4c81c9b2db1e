-- Generates, in schema augur, the functions of eager, hybrid or classification view nm from its catalog row (and the
-- tables it reads), owned by the catalog owner and executable by no other role, and (re)creates its triggers. The
-- functions of an earlier generation (in schema augur, or V3..V6's in the view's schema) are dropped first, and
-- their triggers with them. Scoring (augur_vr_): SECURITY INVOKER, called by the owner's functions only; triggers
-- (augur_vt_, augur_vi_, augur_ct_, augur_cl_): SECURITY DEFINER, so that plain writers of the tables maintain the view.
-- A view with log_served also gets the triggers augur_vsi_ and augur_vsu_ on its own table (augur.view_served_log).
CREATE OR REPLACE FUNCTION augur.view_generate(nm text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v augur.views;
    l augur.view_learners;
    h text := md5(nm);
    f regprocedure;
    base text;
    only_base text;
    ex text;
    vt text;
    key text;
    inputs text[];
    d augur.model_defs;
    bow boolean;
    ens boolean;
    definer constant text := 'SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET row_security = off';
BEGIN
    SELECT * INTO v FROM augur.views x WHERE x.name = nm;
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname IN ('augur', v.view_schema)
               AND p.proname IN ('augur_vr_' || h, 'augur_vt_' || h, 'augur_vi_' || h, 'augur_ct_' || h, 'augur_cl_' || h) LOOP
        EXECUTE pg_catalog.format('DROP FUNCTION %s CASCADE', f);
    END LOOP;
    IF v.mode = 'lazy' THEN
        RETURN;
    END IF;
    SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) INTO base FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = v.base_relation;
    IF base IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = pg_catalog.format('the table of view ''%s'' (%s) is gone; drop the view with '
            || 'AUGUR.DROP_PREDICTION_VIEW(''%s'')', nm, v.base_table, nm);
    END IF;
    only_base := 'ONLY ' || base;
    vt := pg_catalog.format('%I.%I', v.view_schema, CASE WHEN v.mode = 'hybrid' THEN nm || '_labels' ELSE nm END);
    key := v.key_column;
    inputs := string_to_array(v.input_columns, ',');
    -- log_served: the statement triggers on the view's table that record what it writes in the served log
    EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vsi_' || h, vt);
    EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_vsu_' || h, vt);
    IF v.log_served THEN
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_served_new FOR EACH STATEMENT '
            || 'EXECUTE FUNCTION augur.view_served_log(%L)', 'augur_vsi_' || h, vt, nm);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS augur_served_old NEW TABLE AS augur_served_new '
            || 'FOR EACH STATEMENT EXECUTE FUNCTION augur.view_served_log(%L)', 'augur_vsu_' || h, vt, nm);
    END IF;
    IF v.kind = 'classification' THEN
        SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = nm;
        SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) INTO ex FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = v.examples_relation;
        IF ex IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = pg_catalog.format('the examples table of view ''%s'' (%s) is gone; drop the view with '
                || 'AUGUR.DROP_PREDICTION_VIEW(''%s'')', nm, v.examples_table, nm);
        END IF;
        EXECUTE pg_catalog.format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s SET extra_float_digits = 3 AS %L', 'augur_ct_' || h,
            definer, augur.view_guarded(augur.view_row_trigger_body(nm, vt, key, inputs, pg_catalog.format('f := %s; r := augur.%s(%L, f.idx, f.val);',
                                                                   pg_catalog.format(augur.cv_features_sql(v, l), 'NEW'),
                                                                   CASE WHEN l.members > 1 THEN 'cv_score_ensemble_row' ELSE 'cv_score_row' END, nm),
                                                                   true, l.members > 1),
                                        augur.view_row_guard(nm, key || inputs)));
        EXECUTE pg_catalog.format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s SET extra_float_digits = 3 AS %L', 'augur_cl_' || h,
            definer, augur.view_guarded(augur.cv_examples_trigger_body(nm, vt, key, v.examples_key, augur.cv_label_sql(v)),
                                        pg_catalog.format('    PERFORM augur.view_guard(%L, TG_RELID, NULL, %L::text[]);', nm,
                                               ARRAY[v.examples_key, v.label_column])));
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION augur.%I() FROM PUBLIC', 'augur_ct_' || h);
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION augur.%I() FROM PUBLIC', 'augur_cl_' || h);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION augur.%I()',
            'augur_ct_' || h, base, 'augur_ct_' || h);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
            'augur_cx_' || h, base, 'augur_ct_' || h);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_new_examples FOR EACH STATEMENT '
            || 'EXECUTE FUNCTION augur.%I()', 'augur_cl_' || h, ex, 'augur_cl_' || h);
        RETURN;
    END IF;
    d := augur.defs(v.model, v.model_version);
    bow := (SELECT md.feature_type FROM augur.model_defs md WHERE md.name = v.model AND md.version = v.anchor_version) = 'bag_of_words';
    -- an ensemble's view (dense or bag of words) is kept row by row by augur_vt_, the row trigger
    ens := augur.kind_ensemble(d.kind);
    EXECUTE pg_catalog.format('CREATE FUNCTION augur.%I(p_mode text, p_kind text, p_w float8[], p_b float8, p_classes text[], p_ver integer, '
        || 'p_tol float8, p_lo float8, p_hi float8, p_dl1 float8, p_dl2 float8, p_dlinf float8, p_db float8, p_lip float8) '
        || 'RETURNS augur.view_work LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET row_security = off AS %L',
        'augur_vr_' || h, augur.view_guarded(CASE
            WHEN ens AND bow THEN augur.view_ensemble_scoring_body(nm, vt, only_base, key, NULL, pg_catalog.format('(b.%I)::text', inputs[1]))
            WHEN ens THEN augur.view_ensemble_scoring_body(nm, vt, only_base, key, augur.view_inputs_sql(v.base_relation, inputs, 'b'), NULL)
            WHEN bow THEN augur.view_bow_scoring_body(vt, only_base, key, inputs[1], v.model)
            ELSE augur.view_scoring_body(vt, only_base, key, augur.view_inputs_sql(v.base_relation, inputs, 'b'), v.model, d.inputs) END,
            pg_catalog.format('    PERFORM augur.view_guard(%L, %s::oid, %L, %L::text[]);', nm, v.base_relation, base, key || inputs)));
    EXECUTE pg_catalog.format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s AS %L', 'augur_vt_' || h, definer,
        augur.view_guarded(augur.view_row_trigger_body(nm, vt, key, inputs, CASE
                WHEN ens AND bow THEN pg_catalog.format('r := augur.view_score_ensemble_row(%L, NULL, (NEW.%I)::text);', nm, inputs[1])
                WHEN ens THEN pg_catalog.format('r := augur.view_score_ensemble_row(%L, ARRAY[%s]::float8[], NULL);', nm,
                                     pg_catalog.array_to_string(augur.view_inputs_sql(v.base_relation, inputs, 'NEW'), ', '))
                WHEN bow THEN pg_catalog.format('r := augur.view_score_text(%L, (NEW.%I)::text);', nm, inputs[1])
                ELSE pg_catalog.format('r := augur.view_score_row(%L, ARRAY[%s]::float8[]);', nm,
                            pg_catalog.array_to_string(augur.view_inputs_sql(v.base_relation, inputs, 'NEW'), ', ')) END, false, ens),
            augur.view_row_guard(nm, key || inputs)));
    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION augur.%I FROM PUBLIC', 'augur_vr_' || h);
    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION augur.%I FROM PUBLIC', 'augur_vt_' || h);
    IF bow OR ens THEN
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION augur.%I()',
            'augur_vt_' || h, base, 'augur_vt_' || h);
    ELSE
        EXECUTE pg_catalog.format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s AS %L', 'augur_vi_' || h, definer,
            augur.view_guarded(augur.view_set_trigger_body(nm, vt, key, inputs, augur.view_inputs_sql(v.base_relation, inputs, 'n'), v.model,
                                                           d.inputs),
                               pg_catalog.format('    PERFORM augur.view_guard(%L, TG_RELID, NULL, %L::text[]);', nm, key || inputs)));
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION augur.%I FROM PUBLIC', 'augur_vi_' || h);
        -- PostgreSQL takes transition tables on single-event triggers only: one per event, one function
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_new FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
            'augur_vi_' || h, base, 'augur_vi_' || h);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS augur_old NEW TABLE AS augur_new FOR EACH STATEMENT '
            || 'EXECUTE FUNCTION augur.%I()', 'augur_vu_' || h, base, 'augur_vi_' || h);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS augur_old FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
            'augur_vd_' || h, base, 'augur_vi_' || h);
    END IF;
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
        'augur_vx_' || h, base, 'augur_vt_' || h);
END $$;
