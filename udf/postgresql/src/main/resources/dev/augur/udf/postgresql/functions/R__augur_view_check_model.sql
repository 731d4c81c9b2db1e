-- a model version an eager view can hold: V3's checks, bag-of-words models (and their ensembles) now included; an existing view keeps
-- the kind of features it was created with (its scoring functions are compiled for dense inputs or for a text)
CREATE OR REPLACE FUNCTION augur.view_check_model(p_view text, d augur.model_defs, n_inputs integer, creating boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE had text;
BEGIN
    IF pg_catalog.cardinality(d.inputs) <> n_inputs THEN
        IF creating THEN
            PERFORM augur.wrong_arity(d, n_inputs);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('version %s of model ''%s'' takes %s inputs but prediction view ''%s'' '
            || 'passes %s; drop the view or deploy a model with the same inputs', d.version, d.name, pg_catalog.cardinality(d.inputs), p_view, n_inputs);
    END IF;
    IF d.outputs <> 1 AND NOT augur.kind_ensemble(d.kind) THEN
        IF creating THEN
            RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('prediction views hold linear, logistic and svm models and their '
                || 'bagged ensembles; model ''%s'' is %s: query it with PREDICT instead', d.name, d.kind);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('version %s of model ''%s'' is %s, which prediction view ''%s'' cannot hold; '
            || 'drop the view first', d.version, d.name, d.kind, p_view);
    END IF;
    IF NOT creating THEN
        -- the view's table has a spread column exactly when it holds an ensemble
        SELECT md.kind INTO had FROM augur.views v JOIN augur.model_defs md ON md.name = v.model AND md.version = v.anchor_version
        WHERE v.name = p_view;
        IF had IS NOT NULL AND augur.kind_ensemble(had) <> augur.kind_ensemble(d.kind) THEN
            RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('version %s of model ''%s'' is %s, which prediction view ''%s'' cannot hold; '
                || 'drop the view first', d.version, d.name, d.kind, p_view);
        END IF;
        SELECT md.feature_type INTO had FROM augur.views v JOIN augur.model_defs md ON md.name = v.model AND md.version = v.anchor_version
        WHERE v.name = p_view;
        IF had IS NOT NULL AND had <> d.feature_type THEN
            RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('version %s of model ''%s'' is a %s model but prediction view ''%s'' '
                || 'holds a %s model; drop the view and create it again', d.version, d.name, replace(d.feature_type, '_', '-'), p_view,
                replace(had, '_', '-'));
        END IF;
    END IF;
END $$;
