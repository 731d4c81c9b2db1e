-- the data trigger's body of a dense view at statement level (INSERT over transition table augur_new; UPDATE over
-- augur_old and augur_new; DELETE over augur_old): V3's row trigger for every changed row at once. Rows whose key or
-- inputs changed (or went) leave the view, then the new rows with a changed key or inputs are scored set-based
-- with the same float8 operations as view_score_row. cols: the key's and inputs' columns; x: input expressions over n.
CREATE OR REPLACE FUNCTION augur.view_set_trigger_body(p_view text, vt text, k text, cols text[], x text[], model text, inputs text[]) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
DECLARE
    m text := 'd.bias[1]';
    am text := 'a.bias[1]';
    nn record := augur.view_norms_sql(x);
    anynull text := 'false';
    finite text := augur.view_nonfinite_sql(x, '%1$s n', model, inputs);
    tuple text := 't.' || quote_ident(k);  -- qualified: the function's variable a would clash with a column a
    changed text;
    score text;
BEGIN
    FOR i IN 1 .. pg_catalog.cardinality(cols) LOOP
        tuple := tuple || ', t.' || quote_ident(cols[i]);
    END LOOP;
    -- the new rows to score: all of an INSERT's, those of an UPDATE whose key or inputs changed. EXCEPT ALL (hashed,
    -- NULLs and -0.0 equal) rather than NOT EXISTS with IS NOT DISTINCT FROM, which only a nested loop can run
    changed := pg_catalog.format('(SELECT %1$s FROM augur_new t EXCEPT ALL SELECT %1$s FROM augur_old t)', tuple);
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        m := pg_catalog.format('%s + d.weights[%s] * %s', m, i, x[i]);
        am := pg_catalog.format('%s + a.weights[%s] * %s', am, i, x[i]);
        anynull := pg_catalog.format('%s OR %s IS NULL', anynull, x[i]);
    END LOOP;
    anynull := '(' || anynull || ')';
    -- scoring the rows of source %1$s (alias n) into the view
    score := pg_catalog.format($score$
    -- a key twice: already in the view, or twice among the rows (a base table without a unique key)
    SELECT n.%2$I::text INTO dup FROM %%1$s n WHERE EXISTS (SELECT 1 FROM %1$s w WHERE w.%2$I = n.%2$I) LIMIT 1;
    IF dup IS NULL THEN
        SELECT n.%2$I::text INTO dup FROM %%1$s n WHERE n.%2$I IS NOT NULL GROUP BY n.%2$I HAVING count(*) > 1 LIMIT 1;
    END IF;
    IF dup IS NOT NULL THEN
        PERFORM augur.view_duplicate(v.name, dup);
    END IF;%3$s
    WITH s AS (
        INSERT INTO %1$s AS w (%2$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT n.%2$I, CASE augur.kind_link(d.kind) WHEN 'identity' THEN mm.m ELSE augur.sigmoid(mm.m) END,
               CASE WHEN mm.m IS NULL OR augur.kind_link(d.kind) = 'identity' THEN NULL WHEN mm.m >= 0 THEN d.classes[2] ELSE d.classes[1] END,
               mm.m, mm.n1, mm.n2, mm.ninf, CASE WHEN mm.m IS NULL THEN NULL ELSE v.model_version END, CURRENT_TIMESTAMP, mm.am, true
        FROM %%1$s n, LATERAL (SELECT CASE WHEN %9$s THEN NULL ELSE %4$s END AS m, CASE WHEN %9$s THEN NULL ELSE %5$s END AS am,
                                       CASE WHEN %9$s THEN NULL ELSE %6$s END AS n1, CASE WHEN %9$s THEN NULL ELSE sqrt(%7$s) END AS n2,
                                       CASE WHEN %9$s THEN NULL ELSE %8$s END AS ninf OFFSET 0) mm
        WHERE n.%2$I IS NOT NULL
        RETURNING w.norm_1, w.norm_2, w.norm_inf, abs(w.anchor_margin - w.margin) AS dev
    )
    SELECT max(s.norm_1) AS n1, max(s.norm_2) AS n2, max(s.norm_inf) AS ninf, max(s.dev) AS dev INTO r FROM s;$score$,
        vt, k, finite, m, am, nn.n1, nn.n2, nn.ninf, anynull);
    RETURN pg_catalog.format($body$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; dup text; bad float8; r record;
BEGIN
    v := augur.view_lock(%1$L);
    IF TG_OP = 'DELETE' THEN
        DELETE FROM %2$s w USING augur_old o WHERE w.%3$I = o.%3$I;
        RETURN NULL;
    END IF;
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    IF TG_OP = 'UPDATE' THEN
        -- rows whose key or inputs changed leave the view (an update of other columns changes no prediction)
        DELETE FROM %2$s w USING (SELECT %4$s FROM augur_old t EXCEPT ALL SELECT %4$s FROM augur_new t) o
        WHERE w.%3$I = o.%3$I;%5$s
    ELSE%6$s
    END IF;
    IF r.n1 > v.max_norm_1 OR r.n2 > v.max_norm_2 OR r.ninf > v.max_norm_inf OR r.dev > v.max_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, r.n1), max_norm_2 = greatest(w.max_norm_2, r.n2),
            max_norm_inf = greatest(w.max_norm_inf, r.ninf), max_deviation = greatest(w.max_deviation, r.dev)
        WHERE w.name = %1$L;
    END IF;
    RETURN NULL;
END $body$, p_view, vt, k, tuple, pg_catalog.format(score, changed), pg_catalog.format(score, 'augur_new'));
END $gen$;
