-- V3's view maintenance on a model change, with the compatibility test and the Hölder deltas of bag-of-words models
CREATE OR REPLACE FUNCTION augur.view_model_changed(p_view text, p_event text, p_full boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    v augur.views;
    d augur.model_defs;
    a augur.model_defs;
    w augur.view_work;
    total bigint;
    compatible boolean;
    reorganize boolean;
    full_plan boolean := false;
    dl1 float8 := 0; dl2 float8 := 0; dlinf float8 := 0; db float8; dd float8;
    lip float8; max_bound float8; band float8; bound float8;
    note text;
BEGIN
    v := augur.view_lock(p_view);
    d := augur.defs(v.model, v.model_version);
    a := augur.defs(v.model, v.anchor_version);
    total := (augur.view_run(v, 'size', d, 0, 0, 0, 0, 0, 0, 0)).checked;
    -- a bound covers the change only between models of the same kind, inputs and classes
    -- (for bag-of-words models: the same feature function, vocabulary and idf included, so rows keep their vectors)
    compatible := a.kind = d.kind AND a.classes = d.classes AND a.outputs = 1 AND d.outputs = 1 AND augur.view_same_features(a, d);
    -- alpha = 0 means "never incremental": every model change re-scores the view
    reorganize := p_full OR v.alpha = 0 OR v.incremental_cost > v.alpha * greatest(1, total);
    IF reorganize OR NOT coalesce(compatible, false) THEN
        full_plan := true;
    ELSE
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
        db := abs(d.bias[1] - a.bias[1]);
        lip := CASE WHEN d.kind = 'linear' THEN 1.0 ELSE 0.25 END;
        max_bound := least(dlinf * v.max_norm_1, dl2 * v.max_norm_2, dl1 * v.max_norm_inf) + db;
        bound := max_bound;
        IF lip * (max_bound + v.max_deviation) <= v.tolerance AND d.kind <> 'linear' THEN
            -- only labels can change: the band |anchor margin| <= bound + 2 D (an index range) holds every candidate
            band := max_bound + 2 * v.max_deviation;
            w := augur.view_run(v, 'band', d, -band, band, dl1, dl2, dlinf, db, lip);
        ELSE
            -- when the bounds leave most rows to re-score, a full re-scoring (which also re-anchors) costs less
            w := augur.view_run(v, 'count', d, 0, 0, dl1, dl2, dlinf, db, lip);
            IF w.rescored > total / 2 THEN
                full_plan := true;
            ELSE
                w := augur.view_run(v, 'band', d, '-Infinity', 'Infinity', dl1, dl2, dlinf, db, lip);
            END IF;
        END IF;
        IF NOT full_plan THEN
            UPDATE augur.views x SET incremental_cost = x.incremental_cost + w.checked * 0.05::float8 + w.rescored,
                max_deviation = greatest(x.max_deviation, coalesce(w.max_dev, 0))
            WHERE x.name = p_view;
        END IF;
    END IF;
    IF full_plan THEN
        w := augur.view_run(v, 'full', d, 0, 0, 0, 0, 0, 0, 0);
        UPDATE augur.views x SET anchor_version = v.model_version, incremental_cost = 0, max_deviation = 0,
            max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0), max_norm_inf = coalesce(w.max_ninf, 0)
        WHERE x.name = p_view;
        PERFORM augur.view_save_anchor(p_view, v.model, v.model_version);
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
