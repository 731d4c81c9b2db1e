-- PREDICT(model, text), generated: an arm per bag-of-words version, with its definition folded in by augur.def_of
CREATE OR REPLACE FUNCTION augur.regenerate_bow_predict() RETURNS void LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    arms text := '';
    expr text;
    body text;
    r record;
BEGIN
    FOR r IN SELECT md.name, md.version, md.kind, m.sha256, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md JOIN augur.models m ON m.name = md.name AND m.version = md.version
             LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'bag_of_words' AND augur.kind_link(md.kind) <> 'softmax' AND augur.kind_uncertainty(md.kind) = 'none'
             ORDER BY md.name, md.version LOOP
        expr := format('(augur.bow_margins(augur.def_of(%L, %s), x1))[1]', r.name, r.version);
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
END $$;
