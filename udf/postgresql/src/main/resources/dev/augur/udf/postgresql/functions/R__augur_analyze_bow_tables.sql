-- The probes above are planned from the catalog's statistics: fresh statistics as soon as a model's weights are
-- written, so the first query after a registration does not plan with the empty tables' (seq scans per term).
CREATE OR REPLACE FUNCTION augur.analyze_bow_tables() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ANALYZE augur.model_terms;
    ANALYZE augur.model_weights;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER model_weights_analyze AFTER INSERT ON augur.model_weights
    FOR EACH STATEMENT EXECUTE FUNCTION augur.analyze_bow_tables();
