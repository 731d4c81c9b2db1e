-- One entity scored with the view's live and anchor models, for the data trigger (view locked); grows the
-- view's largest norms and deviation as view_score_row does. All NULL when the features are NULL.
CREATE OR REPLACE FUNCTION augur.cv_score_row(p_view text, f_idx integer[], f_val float8[], OUT margin float8, OUT score float8,
    OUT label text, OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v augur.views; l augur.view_learners; lw float8[]; aw float8[];
BEGIN
    IF f_idx IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views x WHERE x.name = p_view;
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    -- expanded copies: a subscript of a stored (compressed) array would decompress all of it each time
    lw := l.live_weights;
    lw[1] := lw[1];
    aw := l.anchor_weights;
    aw[1] := aw[1];
    SELECT l.live_bias + coalesce(sum(lw[x.i + 1] * x.v), 0), l.anchor_bias + coalesce(sum(aw[x.i + 1] * x.v), 0),
           coalesce(sum(abs(x.v)), 0), coalesce(sqrt(sum(x.v * x.v)), 0), coalesce(max(abs(x.v)), 0)
    INTO margin, anchor_margin, norm_1, norm_2, norm_inf
    FROM unnest(f_idx, f_val) AS x(i, v);
    score := augur.sigmoid(margin);
    label := CASE WHEN margin >= 0 THEN l.classes[2] ELSE l.classes[1] END;
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation THEN
        UPDATE augur.views x SET max_norm_1 = greatest(x.max_norm_1, norm_1), max_norm_2 = greatest(x.max_norm_2, norm_2),
            max_norm_inf = greatest(x.max_norm_inf, norm_inf), max_deviation = greatest(x.max_deviation, abs(anchor_margin - margin))
        WHERE x.name = p_view;
    END IF;
END $$;
