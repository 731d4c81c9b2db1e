-- ------------------------------------------------------------------------------------------------ maintenance

-- what a full or incremental pass over a classification view's rows does, with weights w and bias b; the same
-- plans and per-row tests as the views' generated scoring functions, margins computed from the stored features
CREATE OR REPLACE FUNCTION augur.cv_run(v augur.views, p_mode text, w float8[], b float8, classes text[], ver integer, tol float8,
    lo float8, hi float8, dl1 float8, dl2 float8, dlinf float8, db float8, lip float8) RETURNS augur.view_work
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r augur.view_work;
    vt text := pg_catalog.format('%I.%I', v.view_schema, v.name);
    k text := quote_ident(v.key_column);
    -- a row's margin under weights $1 and bias $2, from its stored features; always inside LATERAL (... OFFSET 0), which
    -- PostgreSQL does not flatten: an inlined expression would be evaluated once per reference (8 times a row)
    m text := '$2 + coalesce((SELECT sum($1[x.i + 1] * x.v) FROM unnest(%1$s.f_idx, %1$s.f_val) AS x(i, v)), 0::float8)';
    lbl text := 'CASE WHEN %1$s >= 0 THEN $3[2] ELSE $3[1] END';
    scr text := 'augur.sigmoid(%1$s)';
    drift text := 'least($10 * v.norm_1, $9 * v.norm_2, $8 * v.norm_inf) + $11 + abs(v.anchor_margin - v.margin)';
    safe text := '(abs(%1$s) > %2$s AND $12 * %2$s <= $5 AND NOT ($5 = 0 AND %2$s > 0))';
BEGIN
    IF pg_catalog.cardinality(w) > 0 THEN
        w[1] := w[1];  -- expanded: each $1[i] below is O(1), whatever the array's size or storage
    END IF;
    IF p_mode = 'size' THEN
        EXECUTE pg_catalog.format('SELECT count(*) FROM %s v WHERE v.margin IS NOT NULL', vt) INTO r.checked;
    ELSIF p_mode IN ('full', 'reanchor') THEN
        -- 'full' writes every row whose values differ; 'reanchor' (ViewIndex.reanchor) only those whose label changes or
        -- whose score moves past half the tolerance, the others keeping their stored values; both re-anchor every row
        EXECUTE pg_catalog.format($q$
            WITH q AS (
                SELECT v.%2$s AS key, mm.m, v.margin AS om, v.label AS ol, v.model_version AS ov, v.score AS os
                FROM %1$s v, LATERAL (SELECT %3$s AS m OFFSET 0) mm WHERE v.f_idx IS NOT NULL
            ), z AS (
                SELECT q.*, %4$s AS lb, %5$s AS sc FROM q
            ), s AS (
                SELECT z.*, CASE WHEN $13 = 'full' THEN %7$s OR $4 IS DISTINCT FROM z.ov ELSE %6$s
                            END AS chg
                FROM z
            ), u AS (
                UPDATE %1$s v SET anchor_margin = s.m, dirty = false,
                    margin = CASE WHEN s.chg THEN s.m ELSE v.margin END, label = CASE WHEN s.chg THEN s.lb ELSE v.label END,
                    score = CASE WHEN s.chg THEN s.sc ELSE v.score END, model_version = CASE WHEN s.chg THEN $4 ELSE v.model_version END,
                    scored_at = CASE WHEN s.chg THEN CURRENT_TIMESTAMP ELSE v.scored_at END
                FROM s WHERE v.%2$s = s.key
                RETURNING s.chg, CASE WHEN s.chg THEN 0 ELSE abs(s.m - s.om) END AS dev
            )
            SELECT count(*), count(*) FILTER (WHERE chg), max(dev) FROM u$q$,
            vt, k, pg_catalog.format(m, 'v'), pg_catalog.format(lbl, 'q.m'), pg_catalog.format(scr, 'q.m'),
            augur.view_must_write_sql('z.m', 'z.lb', 'z.sc', NULL, 'z.om', 'z.ol', 'z.os', NULL, '$5'),
            augur.view_must_write_sql('z.m', 'z.lb', 'z.sc', NULL, 'z.om', 'z.ol', 'z.os', NULL, '0'))
        INTO r.rescored, r.written, r.max_dev USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip, p_mode;
        EXECUTE pg_catalog.format('UPDATE %s SET dirty = false WHERE dirty', vt);
        EXECUTE pg_catalog.format('SELECT max(norm_1), max(norm_2), max(norm_inf) FROM %s', vt) INTO r.max_n1, r.max_n2, r.max_ninf;
        r.checked := r.rescored;
    ELSIF p_mode = 'count' THEN
        EXECUTE pg_catalog.format('SELECT count(*), count(*) FILTER (WHERE NOT %s) FROM %s v WHERE v.margin IS NOT NULL',
            pg_catalog.format(safe, 'v.margin', '(' || drift || ')'), vt)
        INTO r.checked, r.rescored USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip;
    ELSE
        -- the Hölder band: rows whose anchor margin lies in [lo, hi] (an index range) or written since the anchor,
        -- re-scored where their own bound says the label (or the score beyond the tolerance) can change
        EXECUTE pg_catalog.format($q$
            WITH band AS (
                SELECT v.%2$s AS key, v.margin AS om, v.label AS ol, v.score AS os, %3$s AS drift, v.f_idx, v.f_val
                FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN $6 AND $7 OR v.dirty)
            ), c AS (
                SELECT band.key, band.om, band.ol, band.os, mm.m FROM band, LATERAL (SELECT %4$s AS m OFFSET 0) mm WHERE NOT %5$s
            ), s AS (
                SELECT c.*, %6$s AS lb, %7$s AS sc FROM c
            ), u AS (
                UPDATE %1$s v SET margin = s.m, label = s.lb, score = s.sc, model_version = $4, scored_at = CURRENT_TIMESTAMP
                FROM s WHERE v.%2$s = s.key
                  AND %8$s
                RETURNING abs(v.anchor_margin - s.m) AS dev
            )
            SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev) FROM u$q$,
            vt, k, drift, pg_catalog.format(m, 'band'), pg_catalog.format(safe, 'band.om', 'band.drift'), pg_catalog.format(lbl, 'c.m'), pg_catalog.format(scr, 'c.m'),
            augur.view_must_write_sql('s.m', 's.lb', 's.sc', NULL, 's.om', 's.ol', 's.os', NULL, '$5'))
        INTO r.checked, r.rescored, r.written, r.max_dev USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip;
    END IF;
    RETURN r;
END $$;
