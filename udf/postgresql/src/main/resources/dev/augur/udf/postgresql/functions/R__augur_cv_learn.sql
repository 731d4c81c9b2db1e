-- After an INSERT of examples (the statement trigger, view locked): checks every example in insertion order as H2's
-- ExampleTrigger does (NULL label 22004, a label outside the classes 22023, no entity or NULL features 23503), runs
-- one SGD step per example at the view's learning rate, makes the result the next version and maintains the view.
CREATE OR REPLACE FUNCTION augur.cv_learn(p_view text, keys text[], labels text[], p_found boolean[], p_idx integer[], p_val float8[],
    p_off integer[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v augur.views; l augur.view_learners; targets integer[] := '{}'; t integer; r record; st integer[]; nw float8[]; nb float8[];
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
    IF l.members > 1 THEN
        -- online bagging (OnlineBagging): member m takes augur.cv_bag_steps(seed, m, ordinal) steps on each example, the
        -- ordinals continuing from the examples learned before this statement
        nw := '{}';
        nb := '{}';
        FOR m IN 0 .. l.members - 1 LOOP
            st := '{}';
            FOR e IN 1 .. cardinality(keys) LOOP
                FOR s IN 1 .. augur.cv_bag_steps(l.seed, m, l.examples + e - 1) LOOP
                    st := st || e;
                END LOOP;
            END LOOP;
            r := augur.cv_sgd(l.kind, v.l2, l.live_weights[m * l.dimension + 1 : (m + 1) * l.dimension], l.live_biases[m + 1], p_idx, p_val,
                              p_off, targets, st, array_fill(v.learning_rate, ARRAY[cardinality(st)]));
            nw := nw || r.w;
            nb := nb || r.b;
        END LOOP;
        UPDATE augur.view_learners x SET live_weights = nw, live_biases = nb, examples = x.examples + cardinality(keys)
        WHERE x.view_name = p_view;
        UPDATE augur.views x SET model_version = x.model_version + 1 WHERE x.name = p_view;
        PERFORM augur.cv_model_changed(p_view, 'learn', false);
        RETURN;
    END IF;
    r := augur.cv_sgd(l.kind, v.l2, l.live_weights, l.live_bias, p_idx, p_val, p_off, targets,
                      ARRAY(SELECT generate_series(1, cardinality(keys))), array_fill(v.learning_rate, ARRAY[cardinality(keys)]));
    UPDATE augur.view_learners x SET live_weights = r.w, live_bias = r.b, examples = x.examples + cardinality(keys)
    WHERE x.view_name = p_view;
    UPDATE augur.views x SET model_version = x.model_version + 1 WHERE x.name = p_view;
    PERFORM augur.cv_model_changed(p_view, 'learn', false);
END $$;
