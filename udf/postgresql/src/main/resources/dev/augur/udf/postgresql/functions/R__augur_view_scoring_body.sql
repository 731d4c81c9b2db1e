-- ------------------------------------------------------------------------------------------ generation

-- the SQL of a dense view's generated scoring function augur_vr_<md5(view)>: size and create here, the re-scoring
-- modes from augur.view_rescoring_sql; x: the input expressions over alias b
-- (every plan fences the margin's subquery with OFFSET 0: pulled up, its expression would be copied into each of the
-- seven places that read it and computed seven times a row; 1M rows of 16 inputs: 2.1 s of arithmetic instead of 1.1)
CREATE OR REPLACE FUNCTION augur.view_scoring_body(vt text, base text, k text, x text[], model text, inputs text[]) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
DECLARE
    m text := 'p_b';
    nn record := augur.view_norms_sql(x);
    finite text;
    all_finite text := 'true';
    lbl text := augur.link_label_case_sql('augur.kind_link(p_kind)', '%1$s', 'p_classes');
    scr text := augur.link_score_case_sql('augur.kind_link(p_kind)', '%1$s');
BEGIN
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        m := pg_catalog.format('%s + p_w[%s] * %s', m, i, x[i]);
        all_finite := pg_catalog.format('%s AND abs(%s) <= 1.7976931348623157e308', all_finite, x[i]);
    END LOOP;
    -- one scan finds whether any input is not finite; only then one scan per input names the first (a full scan each)
    finite := pg_catalog.format('
        PERFORM FROM %s b WHERE NOT (%s) LIMIT 1;
        IF FOUND THEN%s
        END IF;', base, all_finite, augur.view_nonfinite_sql(x, base || ' b', model, inputs));
    RETURN pg_catalog.format($body$
DECLARE w augur.view_work; bad float8; nrows bigint;
BEGIN
    IF p_mode = 'size' THEN
        SELECT count(*) INTO w.checked FROM %1$s v WHERE v.margin IS NOT NULL;
    ELSIF p_mode = 'create' THEN%4$s
        INSERT INTO %1$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
        SELECT mm.k, %6$s, %7$s, mm.m, CASE WHEN mm.m IS NULL THEN NULL ELSE mm.n1 END,
               CASE WHEN mm.m IS NULL THEN NULL ELSE mm.n2 END, CASE WHEN mm.m IS NULL THEN NULL ELSE mm.ninf END, CASE WHEN mm.m IS NULL THEN NULL ELSE p_ver END, CURRENT_TIMESTAMP, mm.m, false
        FROM (SELECT b.%3$I AS k, %5$s AS m, %8$s AS n1, sqrt(%9$s) AS n2, %10$s AS ninf FROM %2$s b OFFSET 0) mm;
        GET DIAGNOSTICS nrows = ROW_COUNT;
        w.written := nrows;
        SELECT count(margin), max(norm_1), max(norm_2), max(norm_inf) INTO w.rescored, w.max_n1, w.max_n2, w.max_ninf FROM %1$s;
        w.checked := w.written;
%11$s    END IF;
    RETURN w;
END $body$,
        vt, base, k, finite, m,
        pg_catalog.format(scr, 'mm.m'), pg_catalog.format(lbl, 'mm.m'), nn.n1, nn.n2, nn.ninf,
        augur.view_rescoring_sql(vt, base, k, m, NULL));
END $gen$;
