-- whether a Hölder bound covers the change from a view's anchor a to its model d (as ViewBounds.between is non-null):
-- the same kind, classes and outputs, one output or an ensemble's members, and the same feature function. Only then
-- may a re-anchoring keep rows' stored values (their margins mean the same under both), and incremental maintenance run.
CREATE OR REPLACE FUNCTION augur.view_bound_covers(a augur.model_defs, d augur.model_defs) RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
BEGIN
    RETURN coalesce(a.kind = d.kind AND a.classes = d.classes AND a.outputs = d.outputs
                    AND (d.outputs = 1 OR augur.kind_ensemble(d.kind)) AND augur.view_same_features(a, d), false);
END $$;
