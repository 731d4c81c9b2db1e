-- AUGUR.INPUT_DRIFT runs in Augur's engine (dev.augur.engine.monitor.InputDrift over the rows of the query and the
-- version's stored reference), as TRAIN_MODEL does: through the jdbc:augur:postgresql: driver the call is answered by
-- the engine over the caller's connection. A stock client reaching this function gets a clear error naming the way.
CREATE OR REPLACE FUNCTION augur.input_drift(p_model text, p_query text, p_version integer DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format('AUGUR.INPUT_DRIFT(''%s'', ...) runs in Augur''s engine, not inside '
        || 'PostgreSQL: run it through the jdbc:augur:postgresql: driver (with literal arguments)', p_model);
END $$;
