-- augur.cv_run for a classification view of an ensemble (the learner's live members; the same modes): margins from
-- each row's stored features (augur.cv_member_margins), values as augur.ensemble_view_values gives them, and the plans
-- and per-row tests of the generated scoring of an ensemble's prediction view (augur.view_ensemble_scoring_body): in
-- 'count' and 'band' each member's Hölder bound since the anchor, a row re-scored unless its label, its score and its
-- spread provably stay within the tolerance.
CREATE OR REPLACE FUNCTION augur.cv_ensemble_run(v augur.views, p_mode text, lo float8, hi float8) RETURNS augur.view_work
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r augur.view_work;
    l augur.view_learners;
    mb record;
    lip float8;
    vt text := pg_catalog.format('%I.%I', v.view_schema, v.name);
    k text := quote_ident(v.key_column);
    -- a row's members' margins under the live members; inside LATERAL (... OFFSET 0), evaluated once a row
    m text := 'augur.cv_member_margins($1, $2, $3, %1$s.f_idx, %1$s.f_val)';
    drift text := '(augur.ensemble_margin_bound($8, $9, $10, $11, $12, v.norm_1, v.norm_2, v.norm_inf) + abs(v.anchor_margin - v.margin))';
    sdrift text := '(augur.ensemble_spread_bound($8, $9, $10, $11, $12, v.norm_1, v.norm_2, v.norm_inf) + abs(v.anchor_spread - v.spread))';
    safe text := '(abs(v.margin) > %1$s AND %1$s <= $5 AND NOT ($5 = 0 AND %1$s > 0) AND %2$s <= $5 AND NOT ($5 = 0 AND %2$s > 0))';
    vals text := 'LATERAL (SELECT augur.ensemble_mean(''logistic'', mm.m) AS sc, augur.ensemble_spread(''logistic'', mm.m) AS sp OFFSET 0) z';
BEGIN
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = v.name;
    lip := (SELECT kk.lipschitz FROM augur.kinds() kk WHERE kk.name = l.kind);
    mb := augur.ensemble_view_bounds(augur.cv_defs(l, 'anchor'), augur.cv_defs(l, 'live'));
    IF p_mode = 'size' THEN
        EXECUTE pg_catalog.format('SELECT count(*) FROM %s v WHERE v.margin IS NOT NULL', vt) INTO r.checked;
    ELSIF p_mode IN ('full', 'reanchor') THEN
        -- 'full' writes every row whose values differ; 'reanchor' (ViewIndex.reanchor) only those whose label changes or
        -- whose score or spread moves past half the tolerance, the others keeping their stored values; both re-anchor
        EXECUTE pg_catalog.format($q$
            WITH q AS (
                SELECT v.%2$s AS key, z.sc - 0.5::float8 AS m, z.sc, z.sp, CASE WHEN z.sc >= 0.5::float8 THEN $4[2] ELSE $4[1] END AS lb,
                       v.margin AS om, v.score AS os, v.spread AS osp, v.label AS ol, v.model_version AS ov
                FROM %1$s v, LATERAL (SELECT %3$s AS m OFFSET 0) mm, %4$s WHERE v.f_idx IS NOT NULL
            ), s AS (
                SELECT q.*, CASE WHEN $7 = 'full' THEN %6$s OR $6 IS DISTINCT FROM q.ov ELSE %5$s
                            END AS chg
                FROM q
            ), u AS (
                UPDATE %1$s v SET anchor_margin = s.m, anchor_spread = s.sp, dirty = false,
                    margin = CASE WHEN s.chg THEN s.m ELSE v.margin END, label = CASE WHEN s.chg THEN s.lb ELSE v.label END,
                    score = CASE WHEN s.chg THEN s.sc ELSE v.score END, spread = CASE WHEN s.chg THEN s.sp ELSE v.spread END,
                    model_version = CASE WHEN s.chg THEN $6 ELSE v.model_version END,
                    scored_at = CASE WHEN s.chg THEN CURRENT_TIMESTAMP ELSE v.scored_at END
                FROM s WHERE v.%2$s = s.key
                RETURNING s.chg, CASE WHEN s.chg THEN 0 ELSE abs(s.m - s.om) END AS dev,
                          CASE WHEN s.chg THEN 0 ELSE abs(s.sp - s.osp) END AS sdev
            )
            SELECT count(*), count(*) FILTER (WHERE chg), max(dev), max(sdev) FROM u$q$,
            vt, k, pg_catalog.format(m, 'v'), vals, augur.view_must_write_sql('q.m', 'q.lb', 'q.sc', 'q.sp', 'q.om', 'q.ol', 'q.os', 'q.osp', '$5'),
            augur.view_must_write_sql('q.m', 'q.lb', 'q.sc', 'q.sp', 'q.om', 'q.ol', 'q.os', 'q.osp', '0'))
        INTO r.rescored, r.written, r.max_dev, r.max_spread_dev
        USING l.live_weights, l.live_biases, l.dimension, l.classes, v.tolerance, v.model_version, p_mode;
        EXECUTE pg_catalog.format('UPDATE %s SET dirty = false WHERE dirty', vt);
        EXECUTE pg_catalog.format('SELECT max(norm_1), max(norm_2), max(norm_inf) FROM %s', vt) INTO r.max_n1, r.max_n2, r.max_ninf;
        r.checked := r.rescored;
    ELSIF p_mode = 'count' THEN
        EXECUTE pg_catalog.format('SELECT count(*), count(*) FILTER (WHERE NOT %s) FROM %s v WHERE v.margin IS NOT NULL', pg_catalog.format(safe, drift, sdrift), vt)
        INTO r.checked, r.rescored
        USING l.live_weights, l.live_biases, l.dimension, l.classes, v.tolerance, v.model_version, NULL::float8, mb.dl1, mb.dl2, mb.dlinf,
              mb.db, lip;
    ELSE
        -- the band: rows whose anchor margin lies in [lo, hi] (an index range) or written since the anchor, re-scored
        -- where their own bounds say the label (or the score or spread beyond the tolerance) can change
        EXECUTE pg_catalog.format($q$
            WITH band AS (
                SELECT v.%2$s AS key, v.margin AS om, v.label AS ol, v.score AS os, v.spread AS osp, NOT %5$s AS unsafe, v.f_idx, v.f_val
                FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN $13 AND $14 OR v.dirty)
            ), c AS (
                SELECT band.key, band.om, band.ol, band.os, band.osp, z.sc - 0.5::float8 AS m, z.sc, z.sp,
                       CASE WHEN z.sc >= 0.5::float8 THEN $4[2] ELSE $4[1] END AS lb
                FROM band, LATERAL (SELECT %3$s AS m OFFSET 0) mm, %4$s WHERE band.unsafe
            ), u AS (
                UPDATE %1$s v SET margin = c.m, label = c.lb, score = c.sc, spread = c.sp, model_version = $6, scored_at = CURRENT_TIMESTAMP
                FROM c WHERE v.%2$s = c.key
                  AND %6$s
                RETURNING abs(v.anchor_margin - c.m) AS dev, abs(v.anchor_spread - c.sp) AS sdev
            )
            SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev), max(sdev) FROM u$q$,
            vt, k, pg_catalog.format(m, 'band'), vals, pg_catalog.format(safe, drift, sdrift),
            augur.view_must_write_sql('c.m', 'c.lb', 'c.sc', 'c.sp', 'c.om', 'c.ol', 'c.os', 'c.osp', '$5'))
        INTO r.checked, r.rescored, r.written, r.max_dev, r.max_spread_dev
        USING l.live_weights, l.live_biases, l.dimension, l.classes, v.tolerance, v.model_version, NULL::float8, mb.dl1, mb.dl2, mb.dlinf,
              mb.db, lip, lo, hi;
    END IF;
    RETURN r;
END $$;
