-- PREDICT(model, text), generated: an arm per bag-of-words version, with its definition folded in by augur.def_of.
-- A single-output vocabulary version is scored by a function of its own, augur.bow_score_<md5 of name@version:sha256>,
-- made here: one PL/pgSQL simple expression whose plan the session keeps, with the version's definition and its
-- vocabulary as a jsonb object folded in as constants (augur.def_of, augur.bow_lookup), so that each term is an
-- in-memory lookup (no weights in pg_proc: the function names the version, the plan holds the rest). Hashed
-- versions keep augur.bow_margins. Functions of versions no longer registered are dropped. PREDICT_LABEL(model, text)
-- and PREDICT_PROBA(model, class, text) likewise, with arms for the binary classifiers: the label and the class
-- probability of the same margin by the engine's rules (ModelKind.Link, rendered in R__augur_kinds.sql); a NULL body,
-- a class the model lacks and every other model take the general path (augur.label_any, augur.proba_any), which
-- answers or raises as before. This generator is the one definition of those three functions.
CREATE OR REPLACE FUNCTION augur.regenerate_bow_predict() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE
    arms text := '';
    label_arms text := '';
    proba_arms text := '';
    expr text;
    margin text;
    lbl text;
    prb text;
    intact text;
    r record;
    scorer text;
    scorers text[] := '{}';
BEGIN
    FOR r IN SELECT md.name, md.version, md.kind, md.hash_bits, md.outputs, md.ngrams, md.weighting, md.classes, m.sha256,
                    (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md JOIN augur.models m ON m.name = md.name AND m.version = md.version
             LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'bag_of_words' AND augur.kind_link(md.kind) <> 'softmax' AND augur.kind_uncertainty(md.kind) = 'none'
             ORDER BY md.name, md.version LOOP
        IF r.hash_bits = 0 AND r.outputs = 1 THEN
            scorer := 'bow_score_' || md5(r.name || '@' || r.version || ':' || lower(r.sha256::text));
            IF pg_catalog.to_regprocedure(pg_catalog.format('augur.%I(text)', scorer)) IS NULL THEN
                EXECUTE pg_catalog.format('CREATE FUNCTION augur.%I(body text) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS %L', scorer,
                    pg_catalog.format('BEGIN RETURN augur.%s(augur.bow_lookup(%L, %s), augur.def_of(%L, %s), %s); END',
                           CASE WHEN r.weighting = 'binary' THEN 'bow_margin_binary' ELSE 'bow_margin' END, r.name, r.version,
                           r.name, r.version, CASE WHEN r.ngrams = 1 THEN 'augur.tokens(body)' ELSE pg_catalog.format('augur.term_array(body, %s)', r.ngrams) END));
            END IF;
            scorers := scorers || scorer;
            margin := pg_catalog.format('augur.%I(x1)', scorer);
        ELSE
            margin := pg_catalog.format('(augur.bow_margins(augur.def_of(%L, %s), x1))[1]', r.name, r.version);
        END IF;
        intact := pg_catalog.format('augur.intact(%L, %s, %L)', r.name, r.version, r.sha256);
        expr := augur.link_score_sql(augur.kind_link(r.kind), margin);
        IF augur.kind_link(r.kind) = 'logistic' AND r.outputs = 1 THEN
            -- the label is the margin's side of 0, the probability of the positive class its sigmoid (PREDICT's score)
            lbl := augur.link_label_sql('logistic', margin, pg_catalog.format('%L::text[]', r.classes));
            prb := pg_catalog.format('CASE clazz WHEN %L THEN %s WHEN %L THEN 1::float8 - %s ELSE augur.proba_any(model, clazz, NULL, x1) END',
                r.classes[2], expr, r.classes[1], expr);
            lbl := pg_catalog.format('CASE WHEN x1 IS NULL THEN augur.label_any(model, NULL, x1) WHEN %s THEN %s ELSE augur.corrupt(%L, %s)::text END',
                intact, lbl, r.name, r.version);
            prb := pg_catalog.format('CASE WHEN x1 IS NULL THEN augur.proba_any(model, clazz, NULL, x1) WHEN %s THEN %s ELSE augur.corrupt(%L, %s) END',
                intact, prb, r.name, r.version);
            label_arms := label_arms || augur.model_arms(r.name, r.version, r.is_deployed, lbl);
            proba_arms := proba_arms || augur.model_arms(r.name, r.version, r.is_deployed, prb);
        END IF;
        expr := pg_catalog.format('CASE WHEN %s THEN CASE WHEN x1 IS NULL THEN NULL::float8 ELSE %s END ELSE augur.corrupt(%L, %s) END',
            intact, expr, r.name, r.version);
        arms := arms || augur.model_arms(r.name, r.version, r.is_deployed, expr);
    END LOOP;
    -- this generator is these three functions' one definition (afterMigrate.sql runs it on every migrate)
    PERFORM augur.generated_function('public.predict(text, text)',
        'public.predict(model text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE', arms,
        'CASE WHEN augur.intact_ref(model) THEN augur.predict_any(model, NULL, x1) ELSE augur.corrupt_ref(model) END');
    PERFORM augur.generated_function('public.predict_label(text, text)',
        'public.predict_label(model text, x1 text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE', label_arms,
        'CASE WHEN augur.intact_ref(model) THEN augur.label_any(model, NULL, x1) ELSE augur.corrupt_ref(model)::text END');
    PERFORM augur.generated_function('public.predict_proba(text, text, text)',
        'public.predict_proba(model text, clazz text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE', proba_arms,
        'CASE WHEN augur.intact_ref(model) THEN augur.proba_any(model, clazz, NULL, x1) ELSE augur.corrupt_ref(model) END');
    FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'augur'::regnamespace AND p.proname ~ '^bow_score_[0-9a-f]{32}$' AND NOT p.proname = ANY (scorers) LOOP
        EXECUTE pg_catalog.format('DROP FUNCTION %s', r.sig);
    END LOOP;
END $$;
