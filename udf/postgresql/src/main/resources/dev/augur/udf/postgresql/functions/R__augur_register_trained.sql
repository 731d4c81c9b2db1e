-- TRAIN MODEL's registration through the jdbc:augur:postgresql: driver (PgTrainCall): the model the engine trained,
-- registered as AUGUR.IMPORT_MODEL does, with the monitoring reference the engine captured from its training rows.
-- Returns the new version. augur_admin's; runs as its caller (register_model and store_reference check their own rights).
CREATE OR REPLACE FUNCTION augur.register_trained(p_name text, p_json text, p_options text, p_reference text) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v integer := augur.register_model(p_name, p_json, 'train', p_options);
BEGIN
    PERFORM augur.store_reference(p_name, v, 'train', p_reference);
    RETURN v;
END $$;
