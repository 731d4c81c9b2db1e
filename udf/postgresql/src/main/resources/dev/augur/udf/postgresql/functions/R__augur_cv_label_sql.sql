-- a classification view's label as text (numbers as the engine writes them), format placeholder %1$s: the row's alias
CREATE OR REPLACE FUNCTION augur.cv_label_sql(v augur.views) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.format('augur.cv_label_text((%%1$s.%I)::text, %s)', v.label_column,
        CASE WHEN (SELECT t.typcategory FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = augur.base_type(a.atttypid)
                   WHERE a.attrelid = v.examples_relation AND a.attname = v.label_column AND a.attnum > 0 AND NOT a.attisdropped) = 'N'
             THEN 'true' ELSE 'false' END)
$$;
