-- Brings an eager view to its model's deployed version (its catalog row's model_version): incrementally where the
-- Hölder bound allows, else by a full re-scoring that becomes the new anchor (skiing rule: alpha; or p_full). A bound
-- covers the change only between models of the same kind, inputs and classes (bag of words: the same feature
-- function, vocabulary and idf included, so rows keep their vectors), and between ensembles of as many members
-- (augur.view_ensemble_incremental). Returns the rows written.
CREATE OR REPLACE FUNCTION augur.view_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    v augur.views := augur.view_lock(p_view);
    d augur.model_defs := augur.defs(v.model, v.model_version);
    a augur.model_defs := augur.defs(v.model, v.anchor_version);
    total bigint := (augur.view_run_live(v, 'size', 0, 0, 0, 0, 0, 0, 0)).checked;
    -- alpha = 0 means "never incremental": every model change re-scores the view
    reorganize boolean := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    step record;
    dl1 float8 := 0; dl2 float8 := 0; dlinf float8 := 0; dd float8;
BEGIN
    IF reorganize OR NOT coalesce(a.kind = d.kind AND a.classes = d.classes AND a.outputs = d.outputs
                                  AND (d.outputs = 1 OR augur.kind_ensemble(d.kind)) AND augur.view_same_features(a, d), false) THEN
        RETURN augur.view_finish_change(v, p_event, p_full, t0, NULL, true, reorganize, NULL);
    END IF;
    IF augur.kind_ensemble(d.kind) THEN
        step := augur.view_ensemble_incremental(v, total, a, d);
        RETURN augur.view_finish_change(v, p_event, p_full, t0, step.w, step.full_plan, reorganize, step.bound);
    END IF;
    IF d.feature_type = 'dense' THEN
        FOR i IN 1 .. d.dimension LOOP
            dd := abs(d.weights[i] - a.weights[i]);
            dl1 := dl1 + dd;
            dl2 := dl2 + dd * dd;
            dlinf := greatest(dlinf, dd);
        END LOOP;
        dl2 := sqrt(dl2);
    ELSE
        -- bag of words: the weights are stored sparse (nonzero only); a feature missing on one side weighs 0
        SELECT coalesce(sum(z.dd), 0), sqrt(coalesce(sum(z.dd * z.dd), 0)), coalesce(max(z.dd), 0) INTO dl1, dl2, dlinf
        FROM (SELECT abs(coalesce(y.weight, 0.0::float8) - coalesce(x.weight, 0.0::float8)) AS dd
              FROM (SELECT mw.feature, mw.weight FROM augur.model_weights mw
                    WHERE mw.name = a.name AND mw.version = a.version AND mw.output = 0) x
              FULL JOIN (SELECT mw.feature, mw.weight FROM augur.model_weights mw
                         WHERE mw.name = d.name AND mw.version = d.version AND mw.output = 0) y ON y.feature = x.feature) z;
    END IF;
    step := augur.view_incremental(v, total, dl1, dl2, dlinf, abs(d.bias[1] - a.bias[1]),
                                   (SELECT k.lipschitz FROM augur.kinds() k WHERE k.name = d.kind), augur.kind_link(d.kind) <> 'identity');
    RETURN augur.view_finish_change(v, p_event, p_full, t0, step.w, step.full_plan, reorganize, step.bound);
END $$;
