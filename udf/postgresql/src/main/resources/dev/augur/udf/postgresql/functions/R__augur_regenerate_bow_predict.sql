-- PREDICT(model, text), generated: an arm per bag-of-words version, with its definition folded in by augur.def_of.
-- A single-output vocabulary version is scored by a function of its own, augur.bow_score_<md5 of name@version:sha256>,
-- made here: one PL/pgSQL simple expression whose plan the session keeps, with the version's definition and its
-- vocabulary as a jsonb object folded in as constants (augur.def_of, augur.bow_lookup), so that each term is an
-- in-memory lookup (no weights in pg_proc: the function names the version, the plan holds the rest). Hashed
-- versions keep augur.bow_margins. Functions of versions no longer registered are dropped.
CREATE OR REPLACE FUNCTION augur.regenerate_bow_predict() RETURNS void LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    arms text := '';
    expr text;
    body text;
    r record;
    scorer text;
    scorers text[] := '{}';
BEGIN
    FOR r IN SELECT md.name, md.version, md.kind, md.hash_bits, md.outputs, md.ngrams, md.weighting, m.sha256, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md JOIN augur.models m ON m.name = md.name AND m.version = md.version
             LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'bag_of_words' AND augur.kind_link(md.kind) <> 'softmax' AND augur.kind_uncertainty(md.kind) = 'none'
             ORDER BY md.name, md.version LOOP
        IF r.hash_bits = 0 AND r.outputs = 1 THEN
            scorer := 'bow_score_' || md5(r.name || '@' || r.version || ':' || lower(r.sha256::text));
            IF pg_catalog.to_regprocedure(format('augur.%I(text)', scorer)) IS NULL THEN
                EXECUTE format('CREATE FUNCTION augur.%I(body text) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS %L', scorer,
                    format('BEGIN RETURN augur.%s(augur.bow_lookup(%L, %s), augur.def_of(%L, %s), %s); END',
                           CASE WHEN r.weighting = 'binary' THEN 'bow_margin_binary' ELSE 'bow_margin' END, r.name, r.version,
                           r.name, r.version, CASE WHEN r.ngrams = 1 THEN 'augur.tokens(body)' ELSE format('augur.term_array(body, %s)', r.ngrams) END));
            END IF;
            scorers := scorers || scorer;
            expr := format('augur.%I(x1)', scorer);
        ELSE
            expr := format('(augur.bow_margins(augur.def_of(%L, %s), x1))[1]', r.name, r.version);
        END IF;
        expr := augur.link_score_sql(augur.kind_link(r.kind), expr);
        expr := format('CASE WHEN augur.intact(%L, %s, %L) THEN CASE WHEN x1 IS NULL THEN NULL::float8 ELSE %s END '
            || 'ELSE augur.corrupt(%L, %s) END', r.name, r.version, r.sha256, expr, r.name, r.version);
        arms := arms || format(' WHEN %L THEN %s', r.name || '@' || r.version, expr);
        IF r.is_deployed THEN
            arms := arms || format(' WHEN %L THEN %s', r.name, expr);
        END IF;
    END LOOP;
    body := 'SELECT ' || CASE WHEN arms = '' THEN '' ELSE 'CASE model' || arms || ' ELSE ' END
        || 'CASE WHEN augur.intact_ref(model) THEN augur.predict_any(model, NULL, x1) ELSE augur.corrupt_ref(model) END'
        || CASE WHEN arms = '' THEN '' ELSE ' END' END;
    -- this generator is PREDICT(model, text)'s one definition (afterMigrate.sql runs it on every migrate)
    IF body IS DISTINCT FROM (SELECT p.prosrc FROM pg_catalog.pg_proc p
                              WHERE p.oid = pg_catalog.to_regprocedure('public.predict(text, text)')) THEN
        EXECUTE format('CREATE OR REPLACE FUNCTION public.predict(model text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS %L',
            body);
    END IF;
    FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'augur'::regnamespace AND p.proname ~ '^bow_score_[0-9a-f]{32}$' AND NOT p.proname = ANY (scorers) LOOP
        EXECUTE format('DROP FUNCTION %s', r.sig);
    END LOOP;
END $$;
