-- ------------------------------------------------------------------------------------------------ maintenance

-- what a full or incremental pass over a classification view's rows does, with weights w and bias b; the same
-- plans and per-row tests as the views' generated scoring functions, margins computed from the stored features. sp and
-- st: the margin screen's step since the anchor (augur.view_screen) of a dense view, or NULL; the rows the Hölder bound
-- leaves are then re-scored only where the screen does not prove them safe too (ViewIndex.screenedSafe). Mode
-- 'screen' is 'count' and a 'band' over every row at once (ViewIndex.screenAll): it screens each row once, and stops
-- after the count when it leaves more than half of them (the caller then re-anchors).
DROP FUNCTION IF EXISTS augur.cv_run(augur.views, text, float8[], float8, text[], integer, float8, float8, float8, float8, float8, float8,
    float8, float8);
CREATE OR REPLACE FUNCTION augur.cv_run(v augur.views, p_mode text, w float8[], b float8, classes text[], ver integer, tol float8,
    lo float8, hi float8, dl1 float8, dl2 float8, dlinf float8, db float8, lip float8, sp integer[], st float8[]) RETURNS augur.view_work
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
    -- the Hölder bound's proof that row v keeps its label and its score within the tolerance
    safe text := pg_catalog.format('(abs(v.margin) > (%1$s) AND $12 * (%1$s) <= $5 AND NOT ($5 = 0 AND (%1$s) > 0))', drift);
    -- the rows to re-score, less those the screen proves safe ($14, $15: its step); the screen codes only the rows the
    -- Hölder bound leaves (augur.screen_interval_sql's gate)
    leaves text := CASE WHEN sp IS NULL THEN 'NOT ' || safe
        ELSE pg_catalog.format('CASE WHEN %s THEN false ELSE NOT augur.screen_safe(scr.lo, scr.hi, v.margin, v.label, v.score, $3, $5, $12) END', safe) END;
    screened text := CASE WHEN sp IS NULL THEN '' ELSE ', ' || augur.screen_interval_sql('NOT ' || safe, 'v.f_val', 'v.norm_inf', 'v.norm_2',
        'v.anchor_margin', '$14', '$15') END;
    -- the scored rows with their test; a band's: anchor margins in [$6, $7] (an index range) or written since the anchor
    scored text := pg_catalog.format('SELECT v.%s AS key, v.ctid AS row_id, v.margin AS om, v.label AS ol, v.score AS os, v.f_idx, v.f_val, %s AS leaves'
        || ' FROM %s v%s WHERE v.margin IS NOT NULL', k, leaves, vt, screened);
    band text := scored || ' AND (v.anchor_margin BETWEEN $6 AND $7 OR v.dirty)';
    tids tid[];
    total bigint;
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
        EXECUTE pg_catalog.format('SELECT count(*), count(*) FILTER (WHERE b.leaves) FROM (%s) b', scored)
        INTO r.checked, r.rescored USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip, p_mode, sp, st;
    ELSE
        IF p_mode = 'screen' THEN
            EXECUTE pg_catalog.format('SELECT count(*), array_agg(b.row_id) FILTER (WHERE b.leaves) FROM (%s) b', scored)
            INTO r.checked, tids USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip, p_mode, sp, st;
            r.rescored := coalesce(pg_catalog.cardinality(tids), 0);
            total := r.checked;
            IF r.rescored > r.checked / 2 THEN
                RETURN r;
            END IF;
            -- the rows left, found again by their row ids (the view is locked, and nothing here changed it since)
            band := pg_catalog.format('SELECT v.%s AS key, v.margin AS om, v.label AS ol, v.score AS os, v.f_idx, v.f_val, true AS leaves'
                || ' FROM %s v WHERE v.ctid = ANY ($16)', k, vt);
        END IF;
        -- the band's rows re-scored where their own bound (and the screen) say the label, or the score beyond the
        -- tolerance, can change
        EXECUTE pg_catalog.format($q$
            WITH band AS (%3$s), c AS (
                SELECT band.key, band.om, band.ol, band.os, mm.m FROM band, LATERAL (SELECT %4$s AS m OFFSET 0) mm WHERE band.leaves
            ), s AS (
                SELECT c.*, %5$s AS lb, %6$s AS sc FROM c
            ), u AS (
                UPDATE %1$s v SET margin = s.m, label = s.lb, score = s.sc, model_version = $4, scored_at = CURRENT_TIMESTAMP
                FROM s WHERE v.%2$s = s.key
                  AND %7$s
                RETURNING abs(v.anchor_margin - s.m) AS dev
            )
            SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev) FROM u$q$,
            vt, k, band, pg_catalog.format(m, 'band'), pg_catalog.format(lbl, 'c.m'), pg_catalog.format(scr, 'c.m'),
            augur.view_must_write_sql('s.m', 's.lb', 's.sc', NULL, 's.om', 's.ol', 's.os', NULL, '$5'))
        INTO r.checked, r.rescored, r.written, r.max_dev USING w, b, classes, ver, tol, lo, hi, dl1, dl2, dlinf, db, lip, p_mode, sp, st, tids;
        IF p_mode = 'screen' THEN
            r.checked := total;  -- every row was screened: the count's, not the rows left
        END IF;
    END IF;
    RETURN r;
END $$;
