-- The last step of the plan that brings a view to its live model (augur.view_model_changed, augur.cv_model_changed):
-- the full re-scoring when the plan chose it (full_plan: p_full, the skiing rule when reorganize, or bounds that
-- leave most rows), which makes the live model the anchor (a re-anchoring writes only what the tolerance requires);
-- then the event of the change (started at t0), with w, the work done incrementally otherwise. Returns the rows written.
CREATE OR REPLACE FUNCTION augur.view_finish_change(v augur.views, p_event text, p_full boolean, t0 timestamptz, w augur.view_work,
    full_plan boolean, reorganize boolean, bound float8) RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    note text;
    -- as on H2: another feature function is what makes a change a full re-scoring, whatever else would have
    refeatured boolean := full_plan AND v.kind <> 'classification'
        AND augur.view_same_features(augur.defs(v.model, v.anchor_version), augur.defs(v.model, v.model_version)) IS NOT TRUE;
    -- as on H2 (ViewMaintenance, ViewIndex.reanchor): a refresh asked FULL, alpha = 0 ("never incremental"), an exact view
    -- (tolerance 0) and a change no bound covers write every row that differs; the skiing rule's re-anchoring and bounds that leave most rows write only
    -- what the tolerance requires
    tolerant boolean;
BEGIN
    IF full_plan THEN
        tolerant := NOT p_full AND v.alpha <> 0 AND v.tolerance <> 0 AND CASE WHEN v.kind = 'classification' THEN true
            ELSE augur.view_bound_covers(augur.defs(v.model, v.anchor_version), augur.defs(v.model, v.model_version)) END;
        w := augur.view_run_live(v, CASE WHEN tolerant THEN 'reanchor' ELSE 'full' END, 0, 0, 0, 0, 0, 0, 0);
        UPDATE augur.views x SET anchor_version = v.model_version, incremental_cost = 0,
            max_deviation = coalesce(w.max_dev, 0), max_spread_deviation = coalesce(w.max_spread_dev, 0),
            max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0), max_norm_inf = coalesce(w.max_ninf, 0)
        WHERE x.name = v.name;
        IF v.kind = 'classification' THEN
            UPDATE augur.view_learners x SET anchor_weights = x.live_weights, anchor_bias = x.live_bias,
                anchor_biases = x.live_biases WHERE x.view_name = v.name;
        ELSE
            PERFORM augur.view_save_anchor(v.name, v.model, v.model_version);
        END IF;
        bound := NULL;
        IF refeatured THEN
            note := 'the model''s feature function changed: features recomputed, re-scored all and re-anchored';
        ELSIF NOT p_full THEN
            note := CASE WHEN reorganize THEN 'incremental cost since the anchor exceeded alpha x a full re-scoring: re-anchored'
                         ELSE 'the bounds left most rows to re-score: re-scored all and re-anchored' END;
        END IF;
    END IF;
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, bound, millis, scorer, note)
    VALUES (v.name, CASE WHEN full_plan THEN CASE WHEN p_full THEN 'refresh_full' ELSE 'reorganize' END ELSE p_event END,
            v.model_version, w.checked, w.rescored, w.written, bound,
            extract(epoch FROM clock_timestamp() - t0)::float8 * 1000, 'sql', note);
    RETURN w.written;
END $$;
