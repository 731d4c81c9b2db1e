-- The SQL of the generated scoring function augur_vr_<md5(view)> of an ensemble's view (the same signature and
-- modes as augur.view_scoring_body's). Each row's margins come from augur.margins, its stored values from
-- augur.ensemble_view_values; the bounds of 'count' and 'band' are each member's since the anchor (the views row says
-- which version that is), as ViewIndex checks them: a row is re-scored unless its label, its score and its spread
-- provably stay within p_tol. p_w, p_b and p_dl1 .. p_db, one model's, are unused. x: the input expressions over alias
-- b (dense), or body: the text expression over b (a bag of words, whose norms are augur.bow_norms' of the model's
-- feature vector, PREDICT's: a full re-scoring re-computes them, as a new feature function gives new vectors).
DROP FUNCTION IF EXISTS augur.view_ensemble_scoring_body(text, text, text, text, text[]);
CREATE OR REPLACE FUNCTION augur.view_ensemble_scoring_body(p_view text, vt text, base text, k text, x text[], body text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
DECLARE
    ms text := CASE WHEN body IS NULL THEN pg_catalog.format('augur.margins(d, ARRAY[%s]::float8[], NULL)', pg_catalog.array_to_string(x, ', '))
                    ELSE pg_catalog.format('augur.margins(d, NULL, %s)', body) END;
    nn record;
    ns text;
    -- a full re-scoring's norms: a bag of words' follow the feature function, a dense row's do not change
    full_n text := CASE WHEN body IS NULL THEN '' ELSE ', ' || pg_catalog.format('augur.bow_norms(d, %s)', body) || ' AS n' END;
    full_set text := CASE WHEN body IS NULL THEN '' ELSE ' norm_1 = s.n[1], norm_2 = s.n[2], norm_inf = s.n[3],' END;
    -- the row's drift of margin and of spread (v: the view's row), and whether its stored values are safe
    drift text := '(augur.ensemble_margin_bound(mb.dl1, mb.dl2, mb.dlinf, mb.db, p_lip, v.norm_1, v.norm_2, v.norm_inf)'
        || ' + abs(v.anchor_margin - v.margin))';
    sdrift text := '(augur.ensemble_spread_bound(mb.dl1, mb.dl2, mb.dlinf, mb.db, p_lip, v.norm_1, v.norm_2, v.norm_inf)'
        || ' + abs(v.anchor_spread - v.spread))';
    safe text := '((NOT cls OR abs(%1$s) > %2$s) AND %2$s <= p_tol AND NOT (p_tol = 0 AND %2$s > 0) AND %3$s <= p_tol'
        || ' AND NOT (p_tol = 0 AND %3$s > 0))';
BEGIN
    IF body IS NULL THEN
        nn := augur.view_norms_sql(x);
        ns := pg_catalog.format('ARRAY[%s, sqrt(%s), %s]', nn.n1, nn.n2, nn.ninf);
    ELSE
        ns := pg_catalog.format('augur.bow_norms(d, %s)', body);
    END IF;
    RETURN pg_catalog.format($body$
DECLARE w augur.view_work; nrows bigint; vw augur.views; d augur.model_defs; cls boolean; mb record;
BEGIN
    SELECT * INTO vw FROM augur.views y WHERE y.name = %1$L;
    d := augur.defs(vw.model, p_ver);
    cls := augur.kind_link(d.kind) <> 'identity';
    IF p_mode = 'size' THEN
        SELECT count(*) INTO w.checked FROM %2$s v WHERE v.margin IS NOT NULL;
    ELSIF p_mode = 'create' THEN
        INSERT INTO %2$s AS v (%4$I, score, label, margin, spread, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin,
                               anchor_spread, dirty)
        SELECT b.%4$I, s.score, s.label, s.margin, s.spread, nn.n[1], nn.n[2], nn.n[3],
               CASE WHEN mm.m IS NULL THEN NULL ELSE p_ver END, CURRENT_TIMESTAMP, s.margin, s.spread, false
        FROM %3$s b, LATERAL (SELECT %5$s AS m OFFSET 0) mm, LATERAL augur.ensemble_view_values(d, mm.m) s,
             LATERAL (SELECT CASE WHEN mm.m IS NULL THEN NULL ELSE %6$s END AS n OFFSET 0) nn;
        GET DIAGNOSTICS nrows = ROW_COUNT;
        w.written := nrows;
        SELECT count(margin), max(norm_1), max(norm_2), max(norm_inf) INTO w.rescored, w.max_n1, w.max_n2, w.max_ninf FROM %2$s;
        w.checked := w.written;
    ELSIF p_mode IN ('full', 'reanchor') THEN
        -- 'full' writes every row whose values differ; 'reanchor' (ViewIndex.reanchor) only those whose label changes or
        -- whose score or spread moves past half the tolerance, the others keeping their stored values; both re-anchor
        WITH q AS (
            SELECT v.%4$I AS k, z.margin AS m, z.label AS lb, z.score AS sc, z.spread AS sp, v.margin AS om, v.label AS ol,
                   v.score AS os, v.spread AS osp, v.model_version AS ov%8$s
            FROM %2$s v JOIN %3$s b ON b.%4$I = v.%4$I, LATERAL (SELECT %5$s AS m%9$s OFFSET 0) mm,
                 LATERAL augur.ensemble_view_values(d, mm.m) z
            WHERE v.margin IS NOT NULL
        ), s AS (
            SELECT q.*, CASE WHEN p_mode = 'full' THEN %13$s OR p_ver IS DISTINCT FROM q.ov ELSE %11$s
                        END AS chg
            FROM q
        ), u AS (
            UPDATE %2$s v SET anchor_margin = s.m, anchor_spread = s.sp, dirty = false,%10$s
                margin = CASE WHEN s.chg THEN s.m ELSE v.margin END, label = CASE WHEN s.chg THEN s.lb ELSE v.label END,
                score = CASE WHEN s.chg THEN s.sc ELSE v.score END, spread = CASE WHEN s.chg THEN s.sp ELSE v.spread END,
                model_version = CASE WHEN s.chg THEN p_ver ELSE v.model_version END,
                scored_at = CASE WHEN s.chg THEN CURRENT_TIMESTAMP ELSE v.scored_at END
            FROM s WHERE v.%4$I = s.k
            RETURNING s.chg, CASE WHEN s.chg THEN 0 ELSE abs(s.m - s.om) END AS dev, CASE WHEN s.chg THEN 0 ELSE abs(s.sp - s.osp) END AS sdev
        )
        SELECT count(*), count(*) FILTER (WHERE chg), max(dev), max(sdev) INTO w.rescored, w.written, w.max_dev, w.max_spread_dev FROM u;
        UPDATE %2$s v SET dirty = false WHERE v.dirty;
        SELECT max(norm_1), max(norm_2), max(norm_inf) INTO w.max_n1, w.max_n2, w.max_ninf FROM %2$s;
        w.checked := w.rescored;
    ELSE
        mb := augur.ensemble_view_bounds(augur.defs(vw.model, vw.anchor_version), d);
        IF p_mode = 'count' THEN
            SELECT count(*), count(*) FILTER (WHERE NOT %7$s) INTO w.checked, w.rescored FROM %2$s v WHERE v.margin IS NOT NULL;
        ELSE
            -- the band: rows whose anchor margin lies in [p_lo, p_hi] (an index range) or written since the anchor,
            -- re-scored where their own bounds say the label (or the score or spread beyond p_tol) can change
            WITH band AS (
                SELECT v.%4$I AS k, v.margin AS om, v.label AS ol, v.score AS os, v.spread AS osp, NOT %7$s AS unsafe
                FROM %2$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN p_lo AND p_hi OR v.dirty)
            ), c AS (
                SELECT band.*, z.margin AS m, z.label AS lb, z.score AS sc, z.spread AS sp
                FROM band JOIN %3$s b ON b.%4$I = band.k, LATERAL (SELECT %5$s AS m OFFSET 0) mm,
                     LATERAL augur.ensemble_view_values(d, mm.m) z
                WHERE band.unsafe
            ), u AS (
                UPDATE %2$s v SET margin = c.m, label = c.lb, score = c.sc, spread = c.sp, model_version = p_ver,
                    scored_at = CURRENT_TIMESTAMP
                FROM c WHERE v.%4$I = c.k
                  AND %12$s
                RETURNING abs(v.anchor_margin - c.m) AS dev, abs(v.anchor_spread - c.sp) AS sdev
            )
            SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev), max(sdev)
            INTO w.checked, w.rescored, w.written, w.max_dev, w.max_spread_dev FROM u;
        END IF;
    END IF;
    RETURN w;
END $body$,
        p_view, vt, base, k, ms, ns, pg_catalog.format(safe, 'v.margin', drift, sdrift),
        CASE WHEN body IS NULL THEN '' ELSE ', mm.n' END, full_n, full_set,
        augur.view_must_write_sql('q.m', 'q.lb', 'q.sc', 'q.sp', 'q.om', 'q.ol', 'q.os', 'q.osp', 'p_tol'),
        augur.view_must_write_sql('c.m', 'c.lb', 'c.sc', 'c.sp', 'c.om', 'c.ol', 'c.os', 'c.osp', 'p_tol'),
        augur.view_must_write_sql('q.m', 'q.lb', 'q.sc', 'q.sp', 'q.om', 'q.ol', 'q.os', 'q.osp', '0'));
END $gen$;
