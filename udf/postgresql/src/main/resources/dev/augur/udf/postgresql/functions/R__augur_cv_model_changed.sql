-- Brings a classification view to its learner's live model, with augur.view_model_changed's plan: the change since
-- the anchor is that of the learner's weights (a bound always covers it: the features stay). Returns the rows written.
CREATE OR REPLACE FUNCTION augur.cv_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    v augur.views := augur.view_lock(p_view);
    l augur.view_learners;
    total bigint := (augur.view_run_live(v, 'size', 0, 0, 0, 0, 0, 0, 0)).checked;
    reorganize boolean := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    step record;
    dl1 float8; dl2 float8; dlinf float8;
BEGIN
    IF reorganize THEN
        RETURN augur.view_finish_change(v, p_event, p_full, t0, NULL, true, reorganize, NULL);
    END IF;
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    IF l.members > 1 THEN
        -- an ensemble: each member's bound since the anchor, as for an ensemble's prediction view
        step := augur.view_ensemble_incremental(v, total, augur.cv_defs(l, 'anchor'), augur.cv_defs(l, 'live'));
        RETURN augur.view_finish_change(v, p_event, p_full, t0, step.w, step.full_plan, reorganize, step.bound);
    END IF;
    SELECT coalesce(sum(abs(x.lw - x.aw)), 0), coalesce(sqrt(sum((x.lw - x.aw) * (x.lw - x.aw))), 0), coalesce(max(abs(x.lw - x.aw)), 0)
    INTO dl1, dl2, dlinf FROM unnest(l.live_weights, l.anchor_weights) AS x(lw, aw);
    -- both kinds' scores are sigmoid(margin): Lipschitz 1/4
    step := augur.view_incremental(v, total, dl1, dl2, dlinf, abs(l.live_bias - l.anchor_bias), 0.25, true);
    RETURN augur.view_finish_change(v, p_event, p_full, t0, step.w, step.full_plan, reorganize, step.bound);
END $$;
