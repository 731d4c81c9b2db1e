-- one row scored with the view's current model (and its anchor margin); all NULL when an input is NULL.
-- Called by the data trigger with the view locked; grows the view's largest norms and deviation (Hazy's water marks).
CREATE OR REPLACE FUNCTION augur.view_score_row(p_view text, x float8[], OUT margin float8, OUT score float8, OUT label text,
    OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v augur.views; d augur.model_defs; a augur.model_defs; s2 float8 := 0;
BEGIN
    IF pg_catalog.array_position(x, NULL) IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views w WHERE w.name = p_view;
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            PERFORM augur.nonfinite(d.name, d.inputs[i], x[i]);
        END IF;
    END LOOP;
    -- the same float8 operations, in the same order, as the generated PREDICT: bias + w1 x1 + w2 x2 + ...
    margin := d.bias[1];
    anchor_margin := a.bias[1];
    norm_1 := 0;
    norm_inf := 0;
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        margin := margin + d.weights[i] * x[i];
        anchor_margin := anchor_margin + a.weights[i] * x[i];
        norm_1 := norm_1 + abs(x[i]);
        s2 := s2 + x[i] * x[i];
        norm_inf := greatest(norm_inf, abs(x[i]));
    END LOOP;
    norm_2 := sqrt(s2);
    score := CASE augur.kind_link(d.kind) WHEN 'identity' THEN margin ELSE augur.sigmoid(margin) END;
    label := CASE WHEN augur.kind_link(d.kind) = 'identity' OR margin IS NULL THEN NULL WHEN margin >= 0 THEN d.classes[2] ELSE d.classes[1] END;
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation THEN
        UPDATE augur.views w SET max_norm_1 = greatest(w.max_norm_1, norm_1), max_norm_2 = greatest(w.max_norm_2, norm_2),
            max_norm_inf = greatest(w.max_norm_inf, norm_inf), max_deviation = greatest(w.max_deviation, abs(anchor_margin - margin))
        WHERE w.name = p_view;
    END IF;
END $$;
