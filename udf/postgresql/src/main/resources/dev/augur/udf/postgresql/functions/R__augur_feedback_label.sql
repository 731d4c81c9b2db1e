-- One label received by feedback p_name (from the label trigger, as the inserting role): checked, stored, its key resolved
-- again, and with implicit negatives the clock moved on (the keys whose intervals it passed resolved too). Run as the catalog
-- owner; a caller must be able to INSERT into the feedback's label table (so calling it directly adds nothing an INSERT
-- could not), or be the feedback's creator (CREATE FEEDBACK hands it the labels already there).
CREATE OR REPLACE FUNCTION augur.feedback_label(p_name text, p_rel oid, p_key text, p_key_numeric boolean, p_label text,
    p_label_numeric boolean, p_at timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f augur.feedbacks;
    k text;
    lbl text;
    at timestamptz := coalesce(p_at, CURRENT_TIMESTAMP);
    old_clock timestamptz;
    after interval;
    other text;
    seq bigint;
BEGIN
    SELECT * INTO f FROM augur.feedbacks x WHERE x.name = p_name FOR UPDATE;
    IF NOT FOUND OR f.label_relation <> p_rel OR NOT (has_table_privilege(session_user, p_rel, 'INSERT')
                                                      OR pg_catalog.pg_has_role(session_user, f.created_by, 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied to add labels to feedback ''%s'': only an INSERT '
            || 'into its label table does', p_name);
    END IF;
    IF f.at_column IS NULL AND p_at IS NOT NULL THEN
        -- neither the trigger nor CREATE FEEDBACK passes a time then: the caller would be choosing which prediction the
        -- label joins (the latest served at or before it), which an INSERT into the label table cannot
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied to time a label of feedback ''%s'': it has '
            || 'no AT column, so its labels are timed when they arrive', p_name);
    END IF;
    IF p_key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = pg_catalog.format('a label for feedback ''%s'' has a NULL key; give every label the key '
            || 'of its prediction', f.name);
    END IF;
    k := augur.cv_label_text(p_key, p_key_numeric);
    IF p_label IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = pg_catalog.format('the label for key %s of feedback ''%s'' is NULL; insert the class (or '
            || 'value) that came true', k, f.name);
    END IF;
    IF f.at_column IS NOT NULL AND p_at IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = pg_catalog.format('the label for key %s of feedback ''%s'' has a NULL time (%s); give every '
            || 'label its time', k, f.name, f.at_column);
    END IF;
    lbl := augur.cv_label_text(p_label, p_label_numeric);
    BEGIN
        -- only the label is checked here: with more than two classes, against a uniform vector
        PERFORM augur.feedback_terms(f.target, f.classes, 0.5, lbl, CASE WHEN pg_catalog.cardinality(f.classes) > 2
            THEN pg_catalog.array_fill(1::float8 / pg_catalog.cardinality(f.classes), ARRAY[pg_catalog.cardinality(f.classes)]) END);
    EXCEPTION WHEN invalid_parameter_value THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('feedback ''%s'', key %s: %s', f.name, k, SQLERRM);
    END;
    INSERT INTO augur.feedback_labels (feedback, key_text, label, label_at, implicit, outcome) VALUES (f.name, k, lbl, at, false, 'unmatched')
    RETURNING feedback_labels.seq INTO seq;
    IF f.implicit_after_us IS NULL OR (f.clock IS NOT NULL AND at <= f.clock) THEN
        PERFORM augur.feedback_resolve(f, k, seq);
        RETURN;
    END IF;
    old_clock := f.clock;
    UPDATE augur.feedbacks x SET clock = at WHERE x.name = f.name RETURNING * INTO f;
    after := f.implicit_after_us * interval '1 microsecond';
    PERFORM augur.feedback_resolve(f, k, seq);
    FOR other IN SELECT DISTINCT s.key_text FROM augur.served_predictions s WHERE s.model = f.model AND s.key_text <> k
                 AND (old_clock IS NULL OR s.served_at > old_clock - after) AND s.served_at <= at - after LOOP
        PERFORM augur.feedback_resolve(f, other);
    END LOOP;
END $$;
