-- the input expressions of a view over columns cols of rel, for alias a (booleans as 0/1)
CREATE OR REPLACE FUNCTION augur.view_inputs_sql(rel oid, cols text[], a text) RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(pg_catalog.array_agg(pg_catalog.format(CASE WHEN t.typcategory = 'B' THEN '(%s.%I)::integer::float8' ELSE '(%s.%I)::float8' END, a, c.col)
                              ORDER BY c.i), '{}')
    FROM pg_catalog.unnest(cols) WITH ORDINALITY AS c(col, i)
    JOIN pg_catalog.pg_attribute at ON at.attrelid = rel AND at.attname = c.col AND at.attnum > 0 AND NOT at.attisdropped
    JOIN pg_catalog.pg_type t ON t.oid = augur.base_type(at.atttypid)
$$;
