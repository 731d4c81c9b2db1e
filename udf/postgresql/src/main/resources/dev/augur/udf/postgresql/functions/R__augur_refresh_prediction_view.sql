-- REFRESH PREDICTION VIEW, run as the owner for the view's creator (and its members, and superusers); the model checked first
CREATE OR REPLACE FUNCTION augur.refresh_prediction_view(p_name text, p_full boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; ver integer; d augur.model_defs;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    PERFORM augur.view_require_writer(v, 'refresh');
    IF v.mode NOT IN ('eager', 'hybrid') THEN
        RETURN 0;
    END IF;
    IF v.kind = 'classification' THEN
        RETURN augur.cv_model_changed(nm, 'refresh', coalesce(p_full, false));
    END IF;
    ver := augur.require_deployed(v.model);
    PERFORM augur.check_payload(v.model, ver);
    d := augur.defs(v.model, ver);
    PERFORM augur.view_check_model(nm, d, pg_catalog.cardinality(string_to_array(v.input_columns, ',')), false);
    PERFORM augur.view_move_to(nm, ver);
    RETURN augur.view_model_changed(nm, 'refresh', coalesce(p_full, false));
END $$;
