-- Model events for `augur serve --postgres`: every registration, deployment, rollback and drop is announced on
-- the channel augur_models (NOTIFY, delivered at commit, so a listener never hears of a rolled-back change), and
-- augur.sync_predict() rewrites the generated PREDICT functions from the catalog (the maintainer runs it when it
-- connects, e.g. after a server restart or a restore that brought back tables without their functions).
CREATE OR REPLACE FUNCTION augur.notify_model_event() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'deployments' THEN
        PERFORM pg_notify('augur_models', pg_catalog.json_build_object('event', NEW.action, 'name', NEW.name, 'version', NEW.version,
            'previous_version', NEW.previous_version, 'by', NEW.by_user)::text);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('augur_models', pg_catalog.json_build_object('event', 'register', 'name', NEW.name, 'version', NEW.version,
            'by', NEW.created_by)::text);
    ELSE
        PERFORM pg_notify('augur_models', pg_catalog.json_build_object('event', 'drop', 'name', OLD.name, 'version', OLD.version,
            'by', CURRENT_USER)::text);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER deployments_notify AFTER INSERT ON augur.deployments
    FOR EACH ROW EXECUTE FUNCTION augur.notify_model_event();

CREATE OR REPLACE TRIGGER models_notify AFTER INSERT OR DELETE ON augur.models
    FOR EACH ROW EXECUTE FUNCTION augur.notify_model_event();
