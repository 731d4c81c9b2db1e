-- ================================================================================================ PREDICT

-- the generated PREDICT(model, x1 .. xn) of arity n, an arm per dense model version of n inputs, each arm served
-- only while its version is intact. An arm is augur.affine(augur.coefs(name, version), x1, .., xn): the planner folds
-- the coefficients into a constant array, inlines augur.affine (c[1] + c[2] * x1 + ...) and folds each subscript, so the
-- plan holds the model's arithmetic with its weights as constants, and pg_proc holds none. PREDICT_LABEL and
-- PREDICT_PROBA of arity n likewise, with arms for the binary classifiers (single or ensembles): the label and the
-- class probability from the same inlined margins, by the engine's rules (ModelKind.Link), and for the softmax models
-- of at most augur.softmax_sql_classes() classes: their K margins inlined as arguments of the engine's softmax rendered
-- as augur.softmax_score/_label/_proba (R__augur_kinds.sql), so each is computed once per row; every other call (linear,
-- a class the model lacks, more classes) takes the general path, which answers or raises as before.
CREATE OR REPLACE FUNCTION augur.regenerate_predict(n integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE
    params text;
    args text;
    types text;
    arms text := '';
    label_arms text := '';
    proba_arms text := '';
    expr text;
    margin text;
    margins text;
    lbl text;
    prb text;
    intact text;
    r record;
BEGIN
    SELECT string_agg(pg_catalog.format('x%s float8', i), ', ' ORDER BY i), string_agg(pg_catalog.format('x%s', i), ', ' ORDER BY i), string_agg('float8', ', ')
    INTO params, args, types FROM generate_series(1, n) i;
    FOR r IN SELECT md.name, md.version, md.kind, md.inputs, md.outputs, md.classes, m.sha256, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md JOIN augur.models m ON m.name = md.name AND m.version = md.version
             LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'dense' AND pg_catalog.cardinality(md.inputs) = n
               AND (augur.kind_link(md.kind) <> 'softmax' OR pg_catalog.cardinality(md.classes) <= augur.softmax_sql_classes())
               -- a posterior's or a quantile model's rows after the first are no members: the general path scores them
               AND augur.kind_uncertainty(md.kind) IN ('none', 'members')
             ORDER BY md.name, md.version LOOP
        -- one member's score: its margin through the link (a single model is its one member); an ensemble's is the
        -- members' scores summed in member order, over K (BaggedEnsemble.score)
        -- (a softmax model's: one margin per class, in class order, its softmax by the engine's rendering)
        expr := NULL;
        margins := NULL;
        lbl := NULL;
        prb := NULL;
        FOR o IN 1 .. CASE WHEN augur.kind_ensemble(r.kind) OR augur.kind_link(r.kind) = 'softmax' THEN r.outputs ELSE 1 END LOOP
            margin := pg_catalog.format(
                'coalesce(nullif(nullif(nullif(%s, float8 ''NaN''), float8 ''Infinity''), float8 ''-Infinity''), '
                || 'augur.nonfinite_any(%L, %L::text[], ARRAY[%s]::float8[]))',
                CASE WHEN r.outputs > 1 THEN pg_catalog.format('augur.affine(augur.member_coefs(%L, %s, %s), %s)', r.name, r.version, o, args)
                     ELSE pg_catalog.format('augur.affine(augur.coefs(%L, %s), %s)', r.name, r.version, args) END,
                r.name, r.inputs, args);
            IF augur.kind_link(r.kind) = 'softmax' THEN
                margins := CASE WHEN margins IS NULL THEN '' ELSE margins || ', ' END || margin;
            ELSE
                expr := CASE WHEN expr IS NULL THEN '' ELSE expr || ' + ' END || augur.link_score_sql(augur.kind_link(r.kind), margin);
            END IF;
        END LOOP;
        IF margins IS NOT NULL THEN
            expr := pg_catalog.format('augur.softmax_score(%s)', margins);
        END IF;
        IF augur.kind_ensemble(r.kind) THEN
            expr := pg_catalog.format('(%s) / %s::float8', expr, r.outputs);
        END IF;
        intact := pg_catalog.format('augur.intact(%L, %s, %L)', r.name, r.version, r.sha256);
        IF margins IS NOT NULL THEN
            lbl := pg_catalog.format('augur.softmax_label(%L::text[], %s)', r.classes, margins);
            -- a class the model lacks (or NULL) is the general path's to answer
            prb := pg_catalog.format('CASE WHEN clazz = ANY (%1$L::text[]) THEN augur.softmax_proba(pg_catalog.array_position(%1$L::text[], clazz), %2$s) '
                || 'ELSE augur.proba_any(model, clazz, ARRAY[%3$s], NULL) END', r.classes, margins, args);
        END IF;
        IF augur.kind_link(r.kind) = 'logistic' THEN
            -- a single classifier's label is its margin's sign, an ensemble's its mean's side of 1/2 (BaggedEnsemble)
            lbl := CASE WHEN augur.kind_ensemble(r.kind) THEN pg_catalog.format('(%L::text[])[2 - CAST(%s < 0.5::float8 AS INTEGER)]', r.classes, expr)
                        ELSE augur.link_label_sql('logistic', margin, pg_catalog.format('%L::text[]', r.classes)) END;
            prb := pg_catalog.format('CASE clazz WHEN %L THEN %s WHEN %L THEN 1::float8 - %s ELSE augur.proba_any(model, clazz, ARRAY[%s], NULL) END',
                r.classes[2], expr, r.classes[1], expr, args);
        END IF;
        IF lbl IS NOT NULL THEN
            lbl := pg_catalog.format('CASE WHEN %s THEN %s ELSE augur.corrupt(%L, %s)::text END', intact, lbl, r.name, r.version);
            prb := pg_catalog.format('CASE WHEN %s THEN %s ELSE augur.corrupt(%L, %s) END', intact, prb, r.name, r.version);
            label_arms := label_arms || augur.model_arms(r.name, r.version, r.is_deployed, lbl);
            proba_arms := proba_arms || augur.model_arms(r.name, r.version, r.is_deployed, prb);
        END IF;
        expr := pg_catalog.format('CASE WHEN %s THEN %s ELSE augur.corrupt(%L, %s) END', intact, expr, r.name, r.version);
        arms := arms || augur.model_arms(r.name, r.version, r.is_deployed, expr);
    END LOOP;
    IF arms <> '' AND to_regprocedure(pg_catalog.format('augur.affine(float8[], %s)', types)) IS NULL THEN
        EXECUTE pg_catalog.format('CREATE FUNCTION augur.affine(c float8[], %s) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L', params,
            'SELECT c[1]' || (SELECT string_agg(pg_catalog.format(' + c[%s] * x%s', i + 1, i), '' ORDER BY i) FROM generate_series(1, n) i));
    END IF;
    PERFORM augur.generated_function(pg_catalog.format('public.predict(text, %s)', types),
        pg_catalog.format('public.predict(model text, %s) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE', params), arms,
        pg_catalog.format('CASE WHEN augur.intact_ref(model) THEN augur.predict_any(model, ARRAY[%s], NULL) ELSE augur.corrupt_ref(model) END', args));
    PERFORM augur.generated_function(pg_catalog.format('public.predict_label(text, %s)', types),
        pg_catalog.format('public.predict_label(model text, %s) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE', params), label_arms,
        pg_catalog.format('CASE WHEN augur.intact_ref(model) THEN augur.label_any(model, ARRAY[%s], NULL) ELSE augur.corrupt_ref(model)::text END', args));
    -- PostgreSQL passes a function at most 100 arguments: PREDICT_PROBA of 99 inputs keeps its VARIADIC form only
    IF n + 2 <= 100 THEN
        PERFORM augur.generated_function(pg_catalog.format('public.predict_proba(text, text, %s)', types),
            pg_catalog.format('public.predict_proba(model text, clazz text, %s) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE', params), proba_arms,
            pg_catalog.format('CASE WHEN augur.intact_ref(model) THEN augur.proba_any(model, clazz, ARRAY[%s], NULL) ELSE augur.corrupt_ref(model) END', args));
    END IF;
END $$;
