-- A dense view's per-row norms of its input expressions x as SQL, as every plan that scores rows writes them (the
-- Hölder bound's ‖x‖_q for q = 1, 2, ∞): Σ|x|, Σx² (the caller takes its square root), the largest |x|.
CREATE OR REPLACE FUNCTION augur.view_norms_sql(x text[], OUT n1 text, OUT n2 text, OUT ninf text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
BEGIN
    n1 := '0::float8';
    n2 := '0::float8';
    ninf := '0::float8';
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        n1 := pg_catalog.format('%s + abs(%s)', n1, x[i]);
        n2 := pg_catalog.format('%s + %s * %s', n2, x[i], x[i]);
        ninf := pg_catalog.format('greatest(%s, abs(%s))', ninf, x[i]);
    END LOOP;
END $$;
