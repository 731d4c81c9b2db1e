-- the SQL of a bag-of-words view's generated scoring function: the dense view's modes and plans (same signature, so
-- augur.view_run calls it alike), with the text column c of alias b scored by augur.bow_margins under the model
-- version p_ver; a full re-scoring also re-computes the norms (a new feature function gives new vectors)
CREATE OR REPLACE FUNCTION augur.view_bow_scoring_body(vt text, base text, k text, c text, model text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
DECLARE
    m text := pg_catalog.format('(augur.bow_margins(vr_def, (b.%I)::text))[1]', c);
    n text := pg_catalog.format('augur.bow_norms(vr_def, (b.%I)::text)', c);
    lbl text := augur.link_label_case_sql('augur.kind_link(p_kind)', '%1$s', 'p_classes');
    scr text := augur.link_score_case_sql('augur.kind_link(p_kind)', '%1$s');
BEGIN
    RETURN pg_catalog.format($body$
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
%10$s    END IF;
    RETURN w;
END $body$,
        vt, base, k, model, m, n,
        pg_catalog.format(scr, 'mm.m'), pg_catalog.format(lbl, 'mm.m'), c,
        augur.view_rescoring_sql(vt, base, k, m, n));
END $gen$;
