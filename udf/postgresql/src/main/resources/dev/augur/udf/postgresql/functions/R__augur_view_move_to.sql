-- the view now follows version p_version of its model (not yet maintained: view_model_changed does that)
CREATE OR REPLACE FUNCTION augur.view_move_to(p_view text, p_version integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE augur.views w SET model_version = p_version,
        model_sha256 = (SELECT m.sha256 FROM augur.models m WHERE m.name = w.model AND m.version = p_version)
    WHERE w.name = p_view;
END $$;
