-- Training runs in Augur's engine, not in PL/pgSQL: through the jdbc:augur:postgresql: driver (and so
-- `augur migrate --postgres`, TRAIN MODEL statements in migrations) the call is executed by the engine,
-- which then registers the model with augur.register_model. A stock client reaching this function gets a
-- clear error naming the ways to train.
CREATE OR REPLACE FUNCTION augur.train_model(p_name text, p_kind text, p_query text, p_options text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('AUGUR.TRAIN_MODEL(''%s'', ...) runs in Augur''s engine, not inside '
        || 'PostgreSQL: run it through the jdbc:augur:postgresql: driver (with literal arguments) or in a migration applied by '
        || '`augur migrate --postgres URL`; or train elsewhere and register the JSON with AUGUR.IMPORT_MODEL', p_name);
END $$;
