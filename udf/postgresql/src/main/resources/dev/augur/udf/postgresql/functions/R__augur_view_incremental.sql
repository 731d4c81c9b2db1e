-- The incremental step of the plan that brings a view to its live model (augur.view_model_changed,
-- augur.cv_model_changed), given the change since the anchor: the L1, L2 and L-infinity norms of the weights' change
-- (dl1, dl2, dlinf) and the bias's (db); lip, the score's Lipschitz constant in the margin; labelled, whether the
-- model has labels (not linear). When only labels can change, re-scores the band of anchor margins that holds every
-- candidate; else the rows their own bounds leave, unless those are most of the view: then full_plan (a full
-- re-scoring, which also re-anchors, costs less) and nothing is done. bound: the largest margin change.
CREATE OR REPLACE FUNCTION augur.view_incremental(v augur.views, total bigint, dl1 float8, dl2 float8, dlinf float8, db float8,
    lip float8, labelled boolean, OUT w augur.view_work, OUT full_plan boolean, OUT bound float8) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    band float8;
    -- what checking a row costs toward re-anchoring, as a share of re-scoring one (ViewIndex.modelChanged)
    check_cost float8 := 0.05;
BEGIN
    full_plan := false;
    bound := least(dlinf * v.max_norm_1, dl2 * v.max_norm_2, dl1 * v.max_norm_inf) + db;
    IF lip * (bound + v.max_deviation) <= v.tolerance AND labelled THEN
        -- only labels can change: the band |anchor margin| <= bound + 2 D (an index range) holds every candidate
        band := bound + 2 * v.max_deviation;
        w := augur.view_run_live(v, 'band', -band, band, dl1, dl2, dlinf, db, lip);
    ELSIF v.kind = 'classification' AND (SELECT (augur.view_screen(l)).sp IS NOT NULL FROM augur.view_learners l WHERE l.view_name = v.name) THEN
        -- a screened pass over every row (ViewIndex.screenAll): it costs the same whatever the anchor, so only what it
        -- leaves to re-score counts toward re-anchoring
        w := augur.view_run_live(v, 'screen', '-Infinity', 'Infinity', dl1, dl2, dlinf, db, lip);
        IF w.rescored > total / 2 THEN
            full_plan := true;
            RETURN;
        END IF;
        check_cost := 0;
    ELSE
        w := augur.view_run_live(v, 'count', 0, 0, dl1, dl2, dlinf, db, lip);
        IF w.rescored > total / 2 THEN
            full_plan := true;
            RETURN;
        END IF;
        w := augur.view_run_live(v, 'band', '-Infinity', 'Infinity', dl1, dl2, dlinf, db, lip);
    END IF;
    UPDATE augur.views x SET incremental_cost = x.incremental_cost + (w.checked * check_cost + w.rescored),
        max_deviation = greatest(x.max_deviation, coalesce(w.max_dev, 0))
    WHERE x.name = v.name;
END $$;
