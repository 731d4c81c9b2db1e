-- ------------------------------------------------------------------------------------------ generation

-- the SQL of a view's generated scoring function (see the header); x: the input expressions over alias b
CREATE OR REPLACE FUNCTION augur.view_scoring_body(vt text, base text, k text, x text[], model text, inputs text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
DECLARE
    m text := 'p_b';
    n1 text := '0::float8';
    n2 text := '0::float8';
    ninf text := '0::float8';
    finite text := '';
    lbl text := 'CASE WHEN %1$s IS NULL OR p_kind = ''linear'' THEN NULL WHEN %1$s >= 0 THEN p_classes[2] ELSE p_classes[1] END';
    scr text := 'CASE WHEN p_kind = ''linear'' THEN %1$s ELSE 0.5::float8 + 0.5::float8 * tanh(0.5::float8 * %1$s) END';
    drift text := 'least(p_dlinf * v.norm_1, p_dl2 * v.norm_2, p_dl1 * v.norm_inf) + p_db + abs(v.anchor_margin - v.margin)';
    safe text := '((p_kind = ''linear'' OR abs(%1$s) > %2$s) AND p_lip * %2$s <= p_tol AND NOT (p_tol = 0 AND %2$s > 0))';
BEGIN
    FOR i IN 1 .. cardinality(x) LOOP
        m := format('%s + p_w[%s] * %s', m, i, x[i]);
        n1 := format('%s + abs(%s)', n1, x[i]);
        n2 := format('%s + %s * %s', n2, x[i], x[i]);
        ninf := format('greatest(%s, abs(%s))', ninf, x[i]);
        finite := finite || format('
        SELECT %s INTO bad FROM %s b WHERE NOT (abs(%s) <= 1.7976931348623157e308) LIMIT 1;
        IF FOUND THEN
            PERFORM augur.nonfinite(%L, %L, bad);
        END IF;', x[i], base, x[i], model, inputs[i]);
    END LOOP;
    RETURN format($body$
DECLARE w augur.view_work; bad float8; nrows bigint;
BEGIN
    IF p_mode = 'size' THEN
        SELECT count(*) INTO w.checked FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSIF p_mode = 'create' THEN%4$s
        INSERT INTO %1$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT b.%3$I, %6$s, %7$s, mm.m, CASE WHEN mm.m IS NULL THEN NULL ELSE mm.n1 END,
               CASE WHEN mm.m IS NULL THEN NULL ELSE mm.n2 END, CASE WHEN mm.m IS NULL THEN NULL ELSE mm.ninf END, CASE WHEN mm.m IS NULL THEN NULL ELSE p_ver END, CURRENT_TIMESTAMP, mm.m, false
        FROM %2$s b, LATERAL (SELECT %5$s AS m, %8$s AS n1, sqrt(%9$s) AS n2, %10$s AS ninf) mm;
        GET DIAGNOSTICS nrows = ROW_COUNT;
        w.written := nrows;
        SELECT count(margin), max(norm_1), max(norm_2), max(norm_inf) INTO w.rescored, w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.written;
    ELSIF p_mode = 'full' THEN
        WITH s AS (
            SELECT v.%3$I AS k, mm.m, %11$s AS lb, v.margin AS om, v.label AS ol, v.model_version AS ov
            FROM %1$s v JOIN %2$s b ON b.%3$I = v.%3$I, LATERAL (SELECT %5$s AS m) mm
            WHERE v.margin IS NOT NULL
        ), u AS (
            UPDATE %1$s v SET margin = s.m, anchor_margin = s.m, label = s.lb, score = %12$s, model_version = p_ver, dirty = false,
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
        SELECT count(*), count(*) FILTER (WHERE NOT %13$s) INTO w.checked, w.rescored FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSE
        -- the Hölder band: rows whose anchor margin lies in [p_lo, p_hi] (an index range) or written since the
        -- anchor, re-scored where their own bound says the label (or the score beyond p_tol) can change
        WITH band AS (
            SELECT v.%3$I AS k, v.margin AS om, v.label AS ol, v.score AS os, %14$s AS drift
            FROM %1$s v WHERE v.margin IS NOT NULL AND (v.anchor_margin BETWEEN p_lo AND p_hi OR v.dirty)
        ), c AS (
            SELECT band.k, band.om, band.ol, band.os, mm.m
            FROM band JOIN %2$s b ON b.%3$I = band.k, LATERAL (SELECT %5$s AS m) mm
            WHERE NOT %15$s
        ), s AS (
            SELECT c.*, z.lb, z.sc FROM c, LATERAL (SELECT %16$s AS lb, %17$s AS sc) z
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
        vt, base, k, finite, m,
        format(scr, 'mm.m'), format(lbl, 'mm.m'), n1, n2, ninf,
        format(lbl, 'mm.m'), format(scr, 's.m'),
        format(safe, 'v.margin', '(' || drift || ')'),
        drift,
        format(safe, 'band.om', 'band.drift'),
        format(lbl, 'c.m'), format(scr, 'c.m'));
END $gen$;
