-- the examples trigger's body: the statement's new examples, in insertion order, with their entities' features
CREATE OR REPLACE FUNCTION augur.cv_examples_trigger_body(p_view text, vt text, k text, ek text, label_text text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
BEGIN
    RETURN pg_catalog.format($body$
DECLARE r record;
BEGIN
    WITH n AS MATERIALIZED (
        SELECT row_number() OVER () AS ord, e.%4$I AS key, %5$s AS label FROM augur_new_examples e
    ), j AS MATERIALIZED (
        SELECT n.ord, n.key, n.label, v.f_idx, v.f_val, v.f_idx IS NOT NULL AS found
        FROM n LEFT JOIN %2$s v ON v.%3$I = n.key
    )
    SELECT (SELECT pg_catalog.array_agg(j.key::text ORDER BY j.ord) FROM j) AS keys,
           (SELECT pg_catalog.array_agg(j.label ORDER BY j.ord) FROM j) AS labels,
           (SELECT pg_catalog.array_agg(j.found ORDER BY j.ord) FROM j) AS found,
           (SELECT pg_catalog.array_agg(x.i ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS idx,
           (SELECT pg_catalog.array_agg(x.v ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS val,
           (SELECT pg_catalog.array_agg(s.o ORDER BY s.ord) FROM (SELECT 0::bigint AS ord, 0::bigint AS o UNION ALL
                SELECT j.ord, sum(coalesce(pg_catalog.cardinality(j.f_idx), 0)) OVER (ORDER BY j.ord) FROM j) s) AS off
    INTO r;
    PERFORM augur.cv_learn(%1$L, r.keys, r.labels, r.found, coalesce(r.idx, '{}'), coalesce(r.val, '{}'), r.off::integer[]);
    RETURN NULL;
END $body$, p_view, vt, k, ek, pg_catalog.format(label_text, 'e'));
END $gen$;
