-- Brings an eager view to its model's deployed version (its catalog row's model_version): incrementally where the
-- Hölder bound allows, else by a full re-scoring that becomes the new anchor (skiing rule: alpha; or p_full). A bound
-- covers the change only between models of the same kind, inputs and classes (bag of words: the same feature
-- function, vocabulary and idf included, so rows keep their vectors), and between ensembles of as many members
-- (augur.view_ensemble_incremental). Returns the rows written.
CREATE OR REPLACE FUNCTION augur.view_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    v augur.views := augur.view_lock(p_view);
    d augur.model_defs := augur.defs(v.model, v.model_version);
    a augur.model_defs := augur.defs(v.model, v.anchor_version);
    total bigint := (augur.view_run_live(v, 'size', 0, 0, 0, 0, 0, 0, 0)).checked;
    -- alpha = 0 means "never incremental": every model change re-scores the view
    reorganize boolean := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    step record;
    mb record;
BEGIN
    IF reorganize OR NOT augur.view_bound_covers(a, d) THEN
        RETURN augur.view_finish_change(v, p_event, p_full, t0, NULL, true, reorganize, NULL);
    END IF;
    IF augur.kind_ensemble(d.kind) THEN
        step := augur.view_ensemble_incremental(v, total, a, d);
        RETURN augur.view_finish_change(v, p_event, p_full, t0, step.w, step.full_plan, reorganize, step.bound);
    END IF;
    -- one model's bound: its only output's (as an ensemble's members', dense or sparse weights alike)
    mb := augur.ensemble_view_bounds(a, d);
    step := augur.view_incremental(v, total, mb.dl1[1], mb.dl2[1], mb.dlinf[1], mb.db[1],
                                   (SELECT k.lipschitz FROM augur.kinds() k WHERE k.name = d.kind), augur.kind_link(d.kind) <> 'identity');
    RETURN augur.view_finish_change(v, p_event, p_full, t0, step.w, step.full_plan, reorganize, step.bound);
END $$;
