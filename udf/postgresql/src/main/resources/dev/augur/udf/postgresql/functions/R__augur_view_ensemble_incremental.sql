-- The incremental step of the plan that brings an ensemble's view from anchor version a to version d (ViewIndex's, as
-- augur.view_incremental is for one model): the bounds on the view margin and the spread at the view's largest norms
-- (ViewBounds); when neither score nor spread can move beyond the tolerance and the kind has labels, re-scores the
-- band of anchor margins that holds every candidate; else the rows their own bounds leave, unless those are most of
-- the view: then full_plan and nothing is done. bound: the largest change of a view margin (of a score).
CREATE OR REPLACE FUNCTION augur.view_ensemble_incremental(v augur.views, total bigint, a augur.model_defs, d augur.model_defs,
    OUT w augur.view_work, OUT full_plan boolean, OUT bound float8) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mb record := augur.ensemble_view_bounds(a, d);
    lip float8 := (SELECT k.lipschitz FROM augur.kinds() k WHERE k.name = d.kind);
    labelled boolean := augur.kind_link(d.kind) <> 'identity';
    band float8;
BEGIN
    full_plan := false;
    bound := augur.ensemble_margin_bound(mb.dl1, mb.dl2, mb.dlinf, mb.db, lip, v.max_norm_1, v.max_norm_2, v.max_norm_inf);
    IF bound + v.max_deviation <= v.tolerance AND labelled
       AND augur.ensemble_spread_bound(mb.dl1, mb.dl2, mb.dlinf, mb.db, lip, v.max_norm_1, v.max_norm_2, v.max_norm_inf)
           + v.max_spread_deviation <= v.tolerance THEN
        -- only labels can change: the band |anchor margin| <= bound + 2 D (an index range) holds every candidate
        band := bound + 2 * v.max_deviation;
        w := augur.view_run_live(v, 'band', -band, band, 0, 0, 0, 0, lip);
    ELSE
        w := augur.view_run_live(v, 'count', 0, 0, 0, 0, 0, 0, lip);
        IF w.rescored > total / 2 THEN
            full_plan := true;
            RETURN;
        END IF;
        w := augur.view_run_live(v, 'band', '-Infinity', 'Infinity', 0, 0, 0, 0, lip);
    END IF;
    UPDATE augur.views x SET incremental_cost = x.incremental_cost + (w.checked * 0.05::float8 + w.rescored),
        max_deviation = greatest(x.max_deviation, coalesce(w.max_dev, 0)),
        max_spread_deviation = greatest(x.max_spread_deviation, coalesce(w.max_spread_dev, 0))
    WHERE x.name = v.name;
END $$;
