-- the SQL view of a lazy view (scores on read) or of a hybrid view (labels kept in NAME_labels, scores on read)
CREATE OR REPLACE FUNCTION augur.view_make_sql_view(v augur.views) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE inputs text[] := string_to_array(v.input_columns, ','); d augur.model_defs := augur.defs(v.model, v.model_version);
    base text := (SELECT pg_catalog.format('ONLY %I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = v.base_relation);
    args text;
BEGIN
    IF v.mode = 'lazy' THEN
        args := (SELECT string_agg(pg_catalog.format('%I', c), ', ' ORDER BY i) FROM pg_catalog.unnest(inputs) WITH ORDINALITY u(c, i));
        EXECUTE pg_catalog.format('CREATE VIEW %I.%I AS SELECT %I, public.predict(%L, %s) AS score%s%s FROM %s', v.view_schema, v.name, v.key_column,
            v.model, args, CASE WHEN augur.kind_link(d.kind) <> 'identity' THEN pg_catalog.format(', public.predict_label(%L, %s) AS label', v.model, args) ELSE '' END,
            CASE WHEN augur.kind_ensemble(d.kind) THEN pg_catalog.format(', public.predict_stddev(%L, %s) AS spread', v.model, args) ELSE '' END, base);
    ELSE
        args := (SELECT string_agg(pg_catalog.format('b.%I', c), ', ' ORDER BY i) FROM pg_catalog.unnest(inputs) WITH ORDINALITY u(c, i));
        EXECUTE pg_catalog.format('CREATE VIEW %I.%I AS SELECT r.%I, public.predict(%L, %s) AS score, r.label,%s r.model_version, r.scored_at '
            || 'FROM %I.%I r JOIN %s b ON b.%I = r.%I', v.view_schema, v.name, v.key_column, v.model, args,
            CASE WHEN augur.kind_ensemble(d.kind) THEN pg_catalog.format(' public.predict_stddev(%L, %s) AS spread,', v.model, args) ELSE '' END,
            v.view_schema, v.name || '_labels', base, v.key_column, v.key_column);
    END IF;
    EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO augur_user', v.view_schema, v.name);
END $$;
