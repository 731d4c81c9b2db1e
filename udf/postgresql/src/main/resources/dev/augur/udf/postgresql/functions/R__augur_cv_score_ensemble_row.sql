-- One entity of a classification view of an ensemble scored with the learner's live and anchor members, for the data
-- trigger (view locked): the values augur.cv_score_row gives for one model, and the spread and its anchor's; grows
-- the view's largest norms and deviations as augur.view_score_ensemble_row does. All NULL when the features are NULL.
CREATE OR REPLACE FUNCTION augur.cv_score_ensemble_row(p_view text, f_idx integer[], f_val float8[], OUT margin float8, OUT score float8,
    OUT label text, OUT norm_1 float8, OUT norm_2 float8, OUT norm_inf float8, OUT model_version integer, OUT anchor_margin float8,
    OUT spread float8, OUT anchor_spread float8)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v augur.views; l augur.view_learners; cur float8[]; anc float8[]; anchor_score float8;
BEGIN
    IF f_idx IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM augur.views x WHERE x.name = p_view;
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    cur := augur.cv_member_margins(l.live_weights, l.live_biases, l.dimension, f_idx, f_val);
    anc := augur.cv_member_margins(l.anchor_weights, l.anchor_biases, l.dimension, f_idx, f_val);
    score := augur.ensemble_mean('logistic', cur);
    spread := augur.ensemble_spread('logistic', cur);
    margin := score - 0.5::float8;
    label := CASE WHEN score >= 0.5::float8 THEN l.classes[2] ELSE l.classes[1] END;
    anchor_score := augur.ensemble_mean('logistic', anc);
    anchor_margin := anchor_score - 0.5::float8;
    anchor_spread := augur.ensemble_spread('logistic', anc);
    SELECT coalesce(sum(abs(x.v)), 0), coalesce(sqrt(sum(x.v * x.v)), 0), coalesce(max(abs(x.v)), 0)
    INTO norm_1, norm_2, norm_inf FROM unnest(f_idx, f_val) AS x(i, v);
    model_version := v.model_version;
    IF norm_1 > v.max_norm_1 OR norm_2 > v.max_norm_2 OR norm_inf > v.max_norm_inf OR abs(anchor_margin - margin) > v.max_deviation
       OR abs(anchor_spread - spread) > v.max_spread_deviation THEN
        UPDATE augur.views x SET max_norm_1 = greatest(x.max_norm_1, norm_1), max_norm_2 = greatest(x.max_norm_2, norm_2),
            max_norm_inf = greatest(x.max_norm_inf, norm_inf), max_deviation = greatest(x.max_deviation, abs(anchor_margin - margin)),
            max_spread_deviation = greatest(x.max_spread_deviation, abs(anchor_spread - spread))
        WHERE x.name = p_view;
    END IF;
END $$;
