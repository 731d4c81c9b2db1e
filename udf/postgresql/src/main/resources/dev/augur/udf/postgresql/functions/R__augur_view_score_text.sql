-- one document scored with the view's current model (and its anchor margin); all NULL for a NULL text. Called by
-- the data trigger of a bag-of-words view with the view locked; grows the view's water marks as view_score_row does.
CREATE OR REPLACE FUNCTION augur.view_score_text(p_view text, body text, OUT margin float8, OUT score float8, OUT label text,
    OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; n float8[];
BEGIN
    IF body IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views w WHERE w.name = p_view;
    d := augur.defs(v.model, v.model_version);
    -- PREDICT's own scoring: the same function, the same float8 operations
    margin := (augur.bow_margins(d, body))[1];
    IF v.anchor_version = v.model_version THEN
        anchor_margin := margin;
    ELSE
        a := augur.defs(v.model, v.anchor_version);
        anchor_margin := (augur.bow_margins(a, body))[1];
    END IF;
    n := augur.bow_norms(d, body);
    norm_1 := n[1];
    norm_2 := n[2];
    norm_inf := n[3];
    score := CASE augur.kind_link(d.kind) WHEN 'identity' THEN margin ELSE augur.sigmoid(margin) END;
    label := CASE WHEN augur.kind_link(d.kind) = 'identity' OR margin IS NULL THEN NULL WHEN margin >= 0 THEN d.classes[2] ELSE d.classes[1] END;
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, norm_1), max_norm_2 = greatest(w.max_norm_2, norm_2),
            max_norm_inf = greatest(w.max_norm_inf, norm_inf), max_deviation = greatest(w.max_deviation, abs(anchor_margin - margin))
        WHERE w.name = p_view;
    END IF;
END $$;
