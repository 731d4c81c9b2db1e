-- Brings a classification view to its live model: incrementally where the Hölder bound allows, else by a full
-- re-scoring that becomes the new anchor (skiing rule, or p_full). V3's view_model_changed, with the models taken
-- from augur.view_learners. Returns the rows written.
CREATE OR REPLACE FUNCTION augur.cv_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    v augur.views;
    l augur.view_learners;
    w augur.view_work;
    total bigint;
    reorganize boolean;
    full_plan boolean := false;
    dl1 float8; dl2 float8; dlinf float8; db float8;
    lip constant float8 := 0.25;  -- both kinds' scores are sigmoid(margin)
    max_bound float8; band float8; bound float8;
    note text;
BEGIN
    v := augur.view_lock(p_view);
    SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = p_view;
    total := (augur.cv_run(v, 'size', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, 0, 0, 0, 0, 0, 0, lip)).checked;
    reorganize := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    IF reorganize THEN
        full_plan := true;
    ELSE
        SELECT coalesce(sum(abs(x.lw - x.aw)), 0), coalesce(sqrt(sum((x.lw - x.aw) * (x.lw - x.aw))), 0), coalesce(max(abs(x.lw - x.aw)), 0)
        INTO dl1, dl2, dlinf FROM unnest(l.live_weights, l.anchor_weights) AS x(lw, aw);
        db := abs(l.live_bias - l.anchor_bias);
        max_bound := least(dlinf * v.max_norm_1, dl2 * v.max_norm_2, dl1 * v.max_norm_inf) + db;
        bound := max_bound;
        IF lip * (max_bound + v.max_deviation) <= v.tolerance THEN
            -- only labels can change: the band |anchor margin| <= bound + 2 D (an index range) holds every candidate
            band := max_bound + 2 * v.max_deviation;
            w := augur.cv_run(v, 'band', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, -band, band,
                              dl1, dl2, dlinf, db, lip);
        ELSE
            w := augur.cv_run(v, 'count', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, 0, 0,
                              dl1, dl2, dlinf, db, lip);
            IF w.rescored > total / 2 THEN
                full_plan := true;
            ELSE
                w := augur.cv_run(v, 'band', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance,
                                  '-Infinity', 'Infinity', dl1, dl2, dlinf, db, lip);
            END IF;
        END IF;
        IF NOT full_plan THEN
            UPDATE augur.views x SET incremental_cost = x.incremental_cost + w.checked * 0.05::float8 + w.rescored,
                max_deviation = greatest(x.max_deviation, coalesce(w.max_dev, 0))
            WHERE x.name = p_view;
        END IF;
    END IF;
    IF full_plan THEN
        w := augur.cv_run(v, 'full', l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, 0, 0, 0, 0, 0, 0, lip);
        UPDATE augur.views x SET anchor_version = v.model_version, incremental_cost = 0, max_deviation = 0,
            max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0), max_norm_inf = coalesce(w.max_ninf, 0)
        WHERE x.name = p_view;
        UPDATE augur.view_learners x SET anchor_weights = x.live_weights, anchor_bias = x.live_bias WHERE x.view_name = p_view;
        bound := NULL;
        IF NOT p_full THEN
            note := CASE WHEN reorganize THEN 'incremental cost since the anchor exceeded alpha x a full re-scoring: re-anchored'
                         ELSE 'the bounds left most rows to re-score: re-scored all and re-anchored' END;
        END IF;
    END IF;
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, bound, millis, scorer, note)
    VALUES (p_view, CASE WHEN full_plan THEN CASE WHEN p_full THEN 'refresh_full' ELSE 'reorganize' END ELSE p_event END,
            v.model_version, w.checked, w.rescored, w.written, bound,
            extract(epoch FROM clock_timestamp() - t0)::float8 * 1000, 'sql', note);
    RETURN w.written;
END $$;
