-- A classification view's live or anchor model (p_role) as a model definition, for the ensemble bounds and plans that
-- prediction views use (augur.ensemble_view_bounds, augur.view_ensemble_incremental): kind, members, weights, biases
CREATE OR REPLACE FUNCTION augur.cv_defs(l augur.view_learners, p_role text) RETURNS augur.model_defs LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE d augur.model_defs;
BEGIN
    d.name := l.view_name;
    d.version := 0;
    d.kind := l.kind;
    d.feature_type := l.feature_type;
    d.inputs := l.inputs;
    d.classes := l.classes;
    d.outputs := l.members;
    d.dimension := l.dimension;
    IF p_role = 'live' THEN
        d.weights := l.live_weights;
        d.bias := coalesce(l.live_biases, ARRAY[l.live_bias]);
    ELSE
        d.weights := l.anchor_weights;
        d.bias := coalesce(l.anchor_biases, ARRAY[l.anchor_bias]);
    END IF;
    RETURN d;
END $$;
