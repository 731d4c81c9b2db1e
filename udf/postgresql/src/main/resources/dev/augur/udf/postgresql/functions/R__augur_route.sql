-- AUGUR.ROUTE: the version that serves p_key (its model's experiment's routing, else the deployed version)
CREATE OR REPLACE FUNCTION augur.route(p_model text, p_key text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN (augur.experiment_routed(augur.check_name(p_model), p_key)).version;
END $$;
