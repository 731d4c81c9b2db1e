-- AUGUR.CAPTURE_REFERENCE runs in Augur's engine, as TRAIN_MODEL does (it scores the rows and bins them by the engine's
-- dev.augur.engine.monitor.Reference): through the jdbc:augur:postgresql: driver the call becomes augur.store_reference
-- with the reference the engine made. A stock client reaching this function gets a clear error naming the way.
CREATE OR REPLACE FUNCTION augur.capture_reference(p_model text, p_query text, p_version integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('AUGUR.CAPTURE_REFERENCE(''%s'', ...) runs in Augur''s engine, not inside '
        || 'PostgreSQL: run it through the jdbc:augur:postgresql: driver (with literal arguments) or in a migration applied by '
        || '`augur migrate --postgres URL`', p_model);
END $$;
