-- The served log of a prediction view with log_served (H2: dev.augur.udf.ViewServedLog): the statement triggers on the
-- view's table (augur.view_generate makes them, one after INSERT, one after UPDATE, argument: the view's name) record every
-- row the statement wrote in augur.served_predictions, in its transaction, as AUGUR.RECORD_PREDICTION(model, key, score,
-- model_version, scored_at) records one: the key as a label's key becomes text (augur.cv_label_text of its JSON value),
-- the version that scored the row, the score it now holds (augur.served_score), its scored_at (the statement's
-- CURRENT_TIMESTAMP), the experiment of a given version (augur.served_experiment), after the checks of one score
-- (augur.served_one_score); the served log's own triggers then count it in the monitoring and resolve its key's labels.
-- A row written is one inserted, or updated with another score, label, margin, spread, model version or scored_at, or by
-- a data change (the row trigger's upsert marks it dirty; maintenance never sets dirty otherwise): a re-scoring that
-- leaves a row's values and time (updating only its anchor or its dirty flag) is no write of what the row serves. Rows of NULLs (a NULL input) serve
-- nothing and are not recorded; in each statement rows are recorded in the order of their keys' text.
CREATE OR REPLACE FUNCTION augur.view_served_log() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v augur.views;
    k text;
    spread text := '';
    written text;
    ver integer;
BEGIN
    SELECT * INTO v FROM augur.views x WHERE x.name = TG_ARGV[0];
    IF NOT FOUND OR NOT v.log_served THEN
        RETURN NULL;
    END IF;
    k := quote_ident(v.key_column);
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = 'spread' AND NOT a.attisdropped) THEN
        spread := ', %1$s.spread';
    END IF;
    IF TG_OP = 'INSERT' THEN
        written := 'SELECT n.* FROM augur_served_new n WHERE n.score IS NOT NULL';
    ELSE
        written := pg_catalog.format('SELECT n.* FROM augur_served_new n JOIN augur_served_old o ON o.%1$s = n.%1$s WHERE n.score IS NOT NULL'
            || ' AND (n.dirty OR (n.score, n.label, n.margin, n.model_version, n.scored_at%2$s) IS DISTINCT FROM (o.score, o.label,'
            || ' o.margin, o.model_version, o.scored_at%3$s))', k, pg_catalog.format(spread, 'n'), pg_catalog.format(spread, 'o'));
    END IF;
    FOR ver IN EXECUTE pg_catalog.format('SELECT DISTINCT w.model_version FROM (%s) w ORDER BY 1', written) LOOP
        PERFORM augur.served_one_score(augur.defs(v.model, ver));
        EXECUTE pg_catalog.format('INSERT INTO augur.served_predictions (model, key_text, model_version, score, experiment, served_at) '
            || 'SELECT $1, t.key_text, w.model_version, augur.served_score($1, w.score), $3, w.scored_at FROM (%1$s) w, '
            || 'LATERAL (SELECT augur.cv_label_text(pg_catalog.to_jsonb(w.%2$s) #>> ''{}'', jsonb_typeof(pg_catalog.to_jsonb(w.%2$s)) = ''number'') AS key_text) t '
            || 'WHERE w.model_version = $2 ORDER BY t.key_text COLLATE "C"', written, k)
        USING v.model, ver, augur.served_experiment(v.model, ver);
    END LOOP;
    RETURN NULL;
END $$;
