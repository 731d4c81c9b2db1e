-- The modes of a view's generated scoring function that re-score the rows the view holds, the same plans for every
-- feature type (see augur.view_scoring_body, augur.view_bow_scoring_body): a full re-scoring, the count of rows the
-- Hölder band must check, and the band itself (the ELSIF arms of its IF on p_mode). m_sql is the margin of base row b under the model passed in (p_w, p_b
-- or p_ver); norms_sql, when the norms change with the model (bag of words: a new feature function), their float8[3]
-- of row b, written by a full re-scoring. Each margin's subquery is fenced with OFFSET 0, so that it is computed once a
-- row (pulled up, m_sql would be copied into every place that reads it).
DROP FUNCTION IF EXISTS augur.view_rescoring_sql(text, text, text, text, text, text);
CREATE OR REPLACE FUNCTION augur.view_rescoring_sql(vt text, base text, k text, m_sql text, norms_sql text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
DECLARE
    lbl text := augur.link_label_case_sql('augur.kind_link(p_kind)', '%1$s', 'p_classes');
    scr text := augur.link_score_case_sql('augur.kind_link(p_kind)', '%1$s');
    drift text := 'least(p_dlinf * v.norm_1, p_dl2 * v.norm_2, p_dl1 * v.norm_inf) + p_db + abs(v.anchor_margin - v.margin)';
    safe text := '((augur.kind_link(p_kind) = ''identity'' OR abs(%1$s) > %2$s) AND p_lip * %2$s <= p_tol AND NOT (p_tol = 0 AND %2$s > 0))';
    full_m text := m_sql || ' AS m' || CASE WHEN norms_sql IS NULL THEN '' ELSE ', ' || norms_sql || ' AS n' END || ' OFFSET 0';
    full_n text := CASE WHEN norms_sql IS NULL THEN '' ELSE ', mm.n' END;
    full_set text := CASE WHEN norms_sql IS NULL THEN '' ELSE '
                norm_1 = s.n[1], norm_2 = s.n[2], norm_inf = s.n[3],' END;
BEGIN
    RETURN pg_catalog.format($body$
    ELSIF p_mode IN ('full', 'reanchor') THEN
        -- 'full' writes every row whose values differ; 'reanchor' (ViewIndex.reanchor) only those whose label changes or
        -- whose score moves past half the tolerance, the others keeping their stored values; both re-anchor every row
        WITH r AS (
            SELECT v.%3$I AS k, mm.m%13$s, %6$s AS lb, v.margin AS om, v.label AS ol, v.model_version AS ov, v.score AS os
            FROM %1$s v JOIN %2$s b ON b.%3$I = v.%3$I, LATERAL (SELECT %14$s) mm
            WHERE v.margin IS NOT NULL
        ), s AS (
            SELECT r.*, z.sc, CASE WHEN p_mode = 'full' THEN %18$s OR p_ver IS DISTINCT FROM r.ov ELSE %16$s
                              END AS chg
            FROM r, LATERAL (SELECT %7$s AS sc) z
        ), u AS (
            UPDATE %1$s v SET anchor_margin = s.m, dirty = false,%15$s
                margin = CASE WHEN s.chg THEN s.m ELSE v.margin END, label = CASE WHEN s.chg THEN s.lb ELSE v.label END,
                score = CASE WHEN s.chg THEN s.sc ELSE v.score END, model_version = CASE WHEN s.chg THEN p_ver ELSE v.model_version END,
                scored_at = CASE WHEN s.chg THEN CURRENT_TIMESTAMP ELSE v.scored_at END
            FROM s WHERE v.%3$I = s.k
            RETURNING s.chg, CASE WHEN s.chg THEN 0 ELSE abs(s.m - s.om) END AS dev
        )
        SELECT count(*), count(*) FILTER (WHERE chg), max(dev) INTO w.rescored, w.written, w.max_dev FROM u;
        UPDATE %1$s v SET dirty = false WHERE v.dirty;
        SELECT max(norm_1), max(norm_2), max(norm_inf) INTO w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.rescored;
    ELSIF p_mode = 'count' THEN
        SELECT count(*), count(*) FILTER (WHERE NOT %8$s) INTO w.checked, w.rescored FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSE
        -- the Hölder band: rows whose anchor margin lies in [p_lo, p_hi] (an index range) or written since the
        -- anchor, re-scored where their own bound says the label (or the score beyond p_tol) can change
        WITH band AS (
            SELECT v.%3$I AS k, v.margin AS om, v.label AS ol, v.score AS os, %9$s AS drift
            FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN p_lo AND p_hi OR v.dirty)
        ), c AS (
            SELECT band.k, band.om, band.ol, band.os, mm.m
            FROM band JOIN %2$s b ON b.%3$I = band.k, LATERAL (SELECT %5$s AS m OFFSET 0) mm
            WHERE NOT %10$s
        ), s AS (
            SELECT c.*, z.lb, z.sc FROM c, LATERAL (SELECT %11$s AS lb, %12$s AS sc) z
        ), u AS (
            UPDATE %1$s v SET margin = s.m, label = s.lb, score = s.sc, model_version = p_ver, scored_at = CURRENT_TIMESTAMP
            FROM s WHERE v.%3$I = s.k
              AND %17$s
            RETURNING abs(v.anchor_margin - s.m) AS dev
        )
        SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev)
        INTO w.checked, w.rescored, w.written, w.max_dev FROM u;
$body$,
        vt, base, k, NULL, m_sql,  -- argument 4: not referenced
        pg_catalog.format(lbl, 'mm.m'), pg_catalog.format(scr, 'r.m'),
        pg_catalog.format(safe, 'v.margin', '(' || drift || ')'),
        drift,
        pg_catalog.format(safe, 'band.om', 'band.drift'),
        pg_catalog.format(lbl, 'c.m'), pg_catalog.format(scr, 'c.m'),
        full_n, full_m, full_set,
        augur.view_must_write_sql('r.m', 'r.lb', 'z.sc', NULL, 'r.om', 'r.ol', 'r.os', NULL, 'p_tol'),
        augur.view_must_write_sql('s.m', 's.lb', 's.sc', NULL, 's.om', 's.ol', 's.os', NULL, 'p_tol'),
        augur.view_must_write_sql('r.m', 'r.lb', 'z.sc', NULL, 'r.om', 'r.ol', 'r.os', NULL, '0'));
END $gen$;
