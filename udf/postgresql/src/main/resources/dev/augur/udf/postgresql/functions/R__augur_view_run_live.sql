-- runs a mode of view v's scoring under its live model: an eager view's generated scoring function with the definition
-- of its model version, a classification view's augur.cv_run with the learner's live weights and its screen (an ensemble's:
-- augur.cv_ensemble_run, whose bounds are its members')
CREATE OR REPLACE FUNCTION augur.view_run_live(v augur.views, p_mode text, lo float8, hi float8, dl1 float8, dl2 float8, dlinf float8,
    db float8, lip float8) RETURNS augur.view_work LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE l augur.view_learners; sp integer[]; st float8[];
BEGIN
    IF v.kind = 'classification' THEN
        SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = v.name;
        IF l.members > 1 THEN
            RETURN augur.cv_ensemble_run(v, p_mode, lo, hi);
        END IF;
        -- a step of online learning is screened where the view is dense (ViewIndex's learning views)
        IF p_mode IN ('count', 'band', 'screen') THEN
            SELECT x.sp, x.st INTO sp, st FROM augur.view_screen(l) x;
        END IF;
        RETURN augur.cv_run(v, p_mode, l.live_weights, l.live_bias, l.classes, v.model_version, v.tolerance, lo, hi, dl1, dl2, dlinf, db, lip,
            sp, st);
    END IF;
    RETURN augur.view_run(v, p_mode, augur.defs(v.model, v.model_version), lo, hi, dl1, dl2, dlinf, db, lip);
END $$;
