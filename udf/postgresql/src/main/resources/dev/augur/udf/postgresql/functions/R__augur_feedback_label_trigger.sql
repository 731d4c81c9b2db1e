-- The trigger on a feedback's label table (arguments: the feedback, its key, label and time columns). It runs as the
-- inserting role, so whatever reading the row takes (casts of its columns' types) runs with that role's rights, and hands
-- the values to augur.feedback_label.
CREATE OR REPLACE FUNCTION augur.feedback_label_trigger() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE r jsonb := pg_catalog.to_jsonb(NEW);
BEGIN
    PERFORM augur.feedback_label(TG_ARGV[0], TG_RELID, r ->> TG_ARGV[1], jsonb_typeof(r -> TG_ARGV[1]) = 'number', r ->> TG_ARGV[2],
        jsonb_typeof(r -> TG_ARGV[2]) = 'number', CASE WHEN TG_NARGS > 3 THEN (r ->> TG_ARGV[3])::timestamptz END);
    RETURN NULL;
END $$;
