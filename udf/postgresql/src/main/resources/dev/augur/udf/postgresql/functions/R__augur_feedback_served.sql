-- A served prediction recorded: the keys of feedbacks on its model that it may change (a label there at or after its
-- time, or an implicit negative already due) resolve again. The trigger on augur.served_predictions is defined here, with
-- the function it calls.
CREATE OR REPLACE FUNCTION augur.feedback_served() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE f augur.feedbacks;
BEGIN
    FOR f IN SELECT * FROM augur.feedbacks x WHERE x.model = NEW.model ORDER BY x.name LOOP
        IF EXISTS (SELECT 1 FROM augur.feedback_labels l WHERE l.feedback = f.name AND l.key_text = NEW.key_text AND l.label_at >= NEW.served_at)
           OR f.clock IS NOT NULL AND NEW.served_at + f.implicit_after_us * interval '1 microsecond' <= f.clock THEN
            PERFORM augur.feedback_resolve(f, NEW.key_text);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS served_predictions_feedback ON augur.served_predictions;
CREATE TRIGGER served_predictions_feedback AFTER INSERT ON augur.served_predictions FOR EACH ROW EXECUTE FUNCTION augur.feedback_served();
