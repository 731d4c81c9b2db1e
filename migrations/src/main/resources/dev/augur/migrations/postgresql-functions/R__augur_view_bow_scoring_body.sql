-- the SQL of a bag-of-words view's generated scoring function: V3's modes and plans (same signature, so
-- augur.view_run calls it alike), with the text column c of alias b scored by augur.bow_margins under the model
-- version p_ver; a full re-scoring also re-computes the norms (a new feature function gives new vectors)
CREATE OR REPLACE FUNCTION augur.view_bow_scoring_body(vt text, base text, k text, c text, model text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE
    m text := format('(augur.bow_margins(vr_def, (b.%I)::text))[1]', c);
    n text := format('augur.bow_norms(vr_def, (b.%I)::text)', c);
    lbl text := 'CASE WHEN %1$s IS NULL OR p_kind = ''linear'' THEN NULL WHEN %1$s >= 0 THEN p_classes[2] ELSE p_classes[1] END';
    scr text := 'CASE WHEN p_kind = ''linear'' THEN %1$s ELSE augur.sigmoid(%1$s) END';
    drift text := 'least(p_dlinf * v.norm_1, p_dl2 * v.norm_2, p_dl1 * v.norm_inf) + p_db + abs(v.anchor_margin - v.margin)';
    safe text := '((p_kind = ''linear'' OR abs(%1$s) > %2$s) AND p_lip * %2$s <= p_tol AND NOT (p_tol = 0 AND %2$s > 0))';
BEGIN
    RETURN format($body$
DECLARE w augur.view_work; nrows bigint; vr_def augur.model_defs := augur.defs(%4$L, p_ver);
BEGIN
    IF p_mode = 'size' THEN
        SELECT count(*) INTO w.checked FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSIF p_mode = 'create' THEN
        INSERT INTO %1$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT b.%3$I, %7$s, %8$s, mm.m, mm.n[1], mm.n[2], mm.n[3], CASE WHEN mm.m IS NULL THEN NULL ELSE p_ver END,
               CURRENT_TIMESTAMP, mm.m, false
        FROM %2$s b, LATERAL (SELECT CASE WHEN b.%9$I IS NULL THEN NULL ELSE %5$s END AS m,
                                     CASE WHEN b.%9$I IS NULL THEN NULL ELSE %6$s END AS n OFFSET 0) mm;
        GET DIAGNOSTICS nrows = ROW_COUNT;
        w.written := nrows;
        SELECT count(margin), max(norm_1), max(norm_2), max(norm_inf) INTO w.rescored, w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.written;
    ELSIF p_mode = 'full' THEN
        WITH s AS (
            SELECT v.%3$I AS k, mm.m, mm.n, %10$s AS lb, v.margin AS om, v.label AS ol, v.model_version AS ov
            FROM %1$s v JOIN %2$s b ON b.%3$I = v.%3$I, LATERAL (SELECT %5$s AS m, %6$s AS n OFFSET 0) mm
            WHERE v.margin IS NOT NULL
        ), u AS (
            UPDATE %1$s v SET margin = s.m, anchor_margin = s.m, label = s.lb, score = %11$s, model_version = p_ver, dirty = false,
                norm_1 = s.n[1], norm_2 = s.n[2], norm_inf = s.n[3],
                scored_at = CASE WHEN s.m IS DISTINCT FROM s.om OR s.lb IS DISTINCT FROM s.ol OR p_ver IS DISTINCT FROM s.ov
                                 THEN CURRENT_TIMESTAMP ELSE v.scored_at END
            FROM s WHERE v.%3$I = s.k
            RETURNING (s.m IS DISTINCT FROM s.om OR s.lb IS DISTINCT FROM s.ol OR p_ver IS DISTINCT FROM s.ov) AS chg
        )
        SELECT count(*), count(*) FILTER (WHERE chg) INTO w.rescored, w.written FROM u;
        UPDATE %1$s v SET dirty = false WHERE v.dirty;
        SELECT max(norm_1), max(norm_2), max(norm_inf) INTO w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.rescored;
    ELSIF p_mode = 'count' THEN
        SELECT count(*), count(*) FILTER (WHERE NOT %12$s) INTO w.checked, w.rescored FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSE
        -- the Hölder band, as for dense views
        WITH band AS (
            SELECT v.%3$I AS k, v.margin AS om, v.label AS ol, v.score AS os, %13$s AS drift
            FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN p_lo AND p_hi OR v.dirty)
        ), c AS (
            SELECT band.k, band.om, band.ol, band.os, mm.m
            FROM band JOIN %2$s b ON b.%3$I = band.k, LATERAL (SELECT %5$s AS m OFFSET 0) mm
            WHERE NOT %14$s
        ), s AS (
            SELECT c.*, z.lb, z.sc FROM c, LATERAL (SELECT %15$s AS lb, %16$s AS sc) z
        ), u AS (
            UPDATE %1$s v SET margin = s.m, label = s.lb, score = s.sc, model_version = p_ver, scored_at = CURRENT_TIMESTAMP
            FROM s WHERE v.%3$I = s.k
              AND (s.lb IS DISTINCT FROM s.ol OR CASE WHEN p_tol = 0 THEN s.m <> s.om ELSE abs(s.sc - s.os) > p_tol / 2 END)
            RETURNING abs(v.anchor_margin - s.m) AS dev
        )
        SELECT (SELECT count(*) FROM band), (SELECT count(*) FROM c), count(*), max(dev)
        INTO w.checked, w.rescored, w.written, w.max_dev FROM u;
    END IF;
    RETURN w;
END $body$,
        vt, base, k, model, m, n,
        format(scr, 'mm.m'), format(lbl, 'mm.m'), c,
        format(lbl, 'mm.m'), format(scr, 's.m'),
        format(safe, 'v.margin', '(' || drift || ')'),
        drift,
        format(safe, 'band.om', 'band.drift'),
        format(lbl, 'c.m'), format(scr, 'c.m'));
END $gen$;
