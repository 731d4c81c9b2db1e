-- The margin screen's step for a classification view's learner (ViewIndex.screenStep): the change of its live weights
-- since the anchor (augur.screen_step, sp its steps, st [scale, steps' norm, rest's norm, bias change, weight norms,
-- bias magnitude]) where the view is dense with one learner, else NULLs (bag of words and ensembles keep the Hölder
-- bounds alone).
CREATE OR REPLACE FUNCTION augur.view_screen(l augur.view_learners, OUT sp integer[], OUT st float8[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE s record;
BEGIN
    IF l.feature_type IS DISTINCT FROM 'dense' OR l.members <> 1 THEN
        RETURN;
    END IF;
    s := augur.screen_step(l.anchor_weights, l.live_weights, l.anchor_bias, l.live_bias);
    IF s.steps IS NOT NULL THEN
        sp := s.steps;
        st := ARRAY[s.step_scale, s.steps_norm, s.rest_norm, s.delta_bias, s.weight_norms, s.bias_magnitude];
    END IF;
END $$;
