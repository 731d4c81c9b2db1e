-- After an INSERT of examples (the statement trigger, view locked): checks every example in insertion order as H2's
-- ExampleTrigger does (NULL label 22004, a label outside the classes 22023, no entity or NULL features 23503), runs
-- the SGD steps of each example at the view's learning rate (augur.cv_online), makes the result the next version and
-- maintains the view.
CREATE OR REPLACE FUNCTION augur.cv_learn(p_view text, keys text[], labels text[], p_found boolean[], p_idx integer[], p_val float8[],
    p_off integer[]) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v augur.views; l augur.view_learners; targets integer[] := '{}'; t integer; r record;
BEGIN
    IF coalesce(pg_catalog.cardinality(keys), 0) = 0 THEN
        RETURN;
    END IF;
    v := augur.view_lock(p_view);
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    FOR e IN 1 .. pg_catalog.cardinality(keys) LOOP
        IF labels[e] IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = pg_catalog.format('example %s for view ''%s'' has a NULL label; label every example',
                keys[e], p_view);
        END IF;
        t := pg_catalog.array_position(l.classes, labels[e]) - 1;
        IF t IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('example %s for view ''%s'' has label ''%s'', not one of the '
                || 'view''s classes (%s)', keys[e], p_view, labels[e], pg_catalog.array_to_string(l.classes, ', '));
        END IF;
        IF NOT p_found[e] THEN
            RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = pg_catalog.format('example key %s for view ''%s'' has no entity in %s '
                || '(or its features are NULL); insert the entity first', keys[e], p_view, v.base_table);
        END IF;
        targets := targets || t;
    END LOOP;
    -- online bagging (OnlineBagging) for an ensemble, forgetting (Forgetting) when asked: augur.cv_online, the ordinals
    -- continuing from the examples learned before this statement
    r := augur.cv_online(l.kind, v.l2, v.learning_rate, coalesce(v.forget_decay, 1), coalesce(v.forget_window, 0), l.seed, l.members,
                         l.examples, l.dimension, l.live_weights, coalesce(l.live_biases, ARRAY[l.live_bias]),
                         CASE WHEN v.forget_window > 0 THEN coalesce(l.restarted_weights, pg_catalog.array_fill(0.0::float8, ARRAY[l.members * l.dimension])) END,
                         CASE WHEN v.forget_window > 0 THEN coalesce(l.restarted_biases, pg_catalog.array_fill(0.0::float8, ARRAY[l.members])) END,
                         p_idx, p_val, p_off, targets);
    UPDATE augur.view_learners x SET live_weights = r.w,
        live_bias = CASE WHEN x.members = 1 THEN r.b[1] END, live_biases = CASE WHEN x.members > 1 THEN r.b END,
        restarted_weights = r.rw, restarted_biases = r.rb, examples = x.examples + pg_catalog.cardinality(keys)
    WHERE x.view_name = p_view;
    UPDATE augur.views x SET model_version = x.model_version + 1 WHERE x.name = p_view;
    PERFORM augur.cv_model_changed(p_view, 'learn', false);
END $$;
