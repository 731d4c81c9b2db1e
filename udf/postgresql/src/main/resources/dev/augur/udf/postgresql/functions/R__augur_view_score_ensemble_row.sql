-- one row of an ensemble's view scored with the view's current model (and its anchor's margin and spread): dense
-- inputs x, or the text body of a bag of words (x NULL; the norms of its feature vector, as augur.view_score_text's);
-- all NULL when an input is NULL. Called by the data trigger with the view locked; grows the view's largest norms and
-- deviations (Hazy's water marks), as augur.view_score_row does for one model.
DROP FUNCTION IF EXISTS augur.view_score_ensemble_row(text, float8[]);
CREATE OR REPLACE FUNCTION augur.view_score_ensemble_row(p_view text, x float8[], body text, OUT margin float8, OUT score float8,
    OUT label text, OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8,
    OUT spread float8, OUT anchor_spread float8)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; cur record; anc record; s2 float8 := 0; n float8[];
BEGIN
    IF x IS NULL AND body IS NULL OR pg_catalog.array_position(x, NULL) IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views w WHERE w.name = p_view;
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    cur := augur.ensemble_view_values(d, augur.margins(d, x, body));
    anc := augur.ensemble_view_values(a, augur.margins(a, x, body));
    margin := cur.margin; score := cur.score; label := cur.label; spread := cur.spread;
    anchor_margin := anc.margin; anchor_spread := anc.spread;
    IF body IS NOT NULL THEN
        n := augur.bow_norms(d, body);
        norm_1 := n[1];
        norm_2 := n[2];
        norm_inf := n[3];
    ELSE
        norm_1 := 0;
        norm_inf := 0;
        FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
            norm_1 := norm_1 + abs(x[i]);
            s2 := s2 + x[i] * x[i];
            norm_inf := greatest(norm_inf, abs(x[i]));
        END LOOP;
        norm_2 := sqrt(s2);
    END IF;
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation
       OR abs(anchor_spread - spread) > v.max_spread_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, norm_1), max_norm_2 = greatest(w.max_norm_2, norm_2),
            max_norm_inf = greatest(w.max_norm_inf, norm_inf), max_deviation = greatest(w.max_deviation, abs(anchor_margin - margin)),
            max_spread_deviation = greatest(w.max_spread_deviation, abs(anchor_spread - spread))
        WHERE w.name = p_view;
    END IF;
END $$;
