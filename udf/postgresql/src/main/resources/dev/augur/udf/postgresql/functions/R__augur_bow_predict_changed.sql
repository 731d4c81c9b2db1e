CREATE OR REPLACE FUNCTION augur.bow_predict_changed() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM augur.regenerate_bow_predict();
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER model_defs_bow_predict AFTER INSERT OR DELETE ON augur.model_defs
    FOR EACH STATEMENT EXECUTE FUNCTION augur.bow_predict_changed();

CREATE OR REPLACE TRIGGER deployed_bow_predict AFTER INSERT OR UPDATE OR DELETE ON augur.deployed
    FOR EACH STATEMENT EXECUTE FUNCTION augur.bow_predict_changed();
