-- One key of a feedback resolved again by the engine's rule (dev.augur.engine.feedback.FeedbackRule): each label joins the
-- latest prediction served for its key at or before its time (ties: the last recorded); each served prediction takes the
-- earliest label (ties: the first to arrive), the others are duplicates; with implicit negatives, a served prediction no
-- label reached by served_at + interval (inclusive) counts the negative class once the clock has passed that time.
-- Outcomes are updated, implicit negatives added or removed, and the metrics moved by the difference. Monitoring's error
-- detector sees a label once, as it arrives (p_incoming: the label just received, if it joins) or as an implicit negative
-- falls due; a later re-resolution that moves a label does not feed it again (as H2's H2Feedback).
DROP FUNCTION IF EXISTS augur.feedback_resolve(augur.feedbacks, text);
CREATE OR REPLACE FUNCTION augur.feedback_resolve(f augur.feedbacks, p_key text, p_incoming bigint DEFAULT NULL) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r record;
    after interval := f.implicit_after_us * interval '1 microsecond';
BEGIN
    FOR r IN
        WITH lab AS (
            SELECT l.seq, l.label, l.label_at, l.outcome, l.served_id AS old_sid,
                   (SELECT s.id FROM augur.served_predictions s WHERE s.model = f.model AND s.key_text = p_key AND s.served_at <= l.label_at
                    ORDER BY s.served_at DESC, s.id DESC LIMIT 1) AS sid
            FROM augur.feedback_labels l WHERE l.feedback = f.name AND l.key_text = p_key AND NOT l.implicit),
        win AS (SELECT DISTINCT ON (lab.sid) lab.sid, lab.seq, lab.label_at FROM lab WHERE lab.sid IS NOT NULL ORDER BY lab.sid, lab.label_at, lab.seq),
        imp AS (SELECT s.id AS sid FROM augur.served_predictions s LEFT JOIN win w ON w.sid = s.id
                WHERE f.implicit_after_us IS NOT NULL AND f.clock IS NOT NULL AND s.model = f.model AND s.key_text = p_key
                  AND s.served_at + after <= f.clock AND (w.sid IS NULL OR w.label_at > s.served_at + after))
        SELECT lab.seq, lab.label, lab.label_at, lab.outcome, lab.old_sid, lab.sid,
               CASE WHEN lab.sid IS NULL THEN 'unmatched' WHEN w.seq = lab.seq AND i.sid IS NULL THEN 'joined' ELSE 'duplicate' END AS now
        FROM lab LEFT JOIN win w ON w.sid = lab.sid LEFT JOIN imp i ON i.sid = lab.sid
    LOOP
        IF r.outcome = 'joined' AND (r.now <> 'joined' OR r.sid IS DISTINCT FROM r.old_sid) THEN
            PERFORM augur.feedback_contribute(f, r.old_sid, r.label, -1);
        END IF;
        IF r.now = 'joined' AND (r.outcome <> 'joined' OR r.sid IS DISTINCT FROM r.old_sid) THEN
            PERFORM augur.feedback_contribute(f, r.sid, r.label, 1);
            IF r.seq = p_incoming THEN
                PERFORM augur.monitor_label_joined(f, r.sid, r.label, r.label_at);
            END IF;
        END IF;
        IF r.now <> r.outcome OR r.sid IS DISTINCT FROM r.old_sid THEN
            UPDATE augur.feedback_labels SET outcome = r.now, served_id = r.sid WHERE seq = r.seq;
        END IF;
    END LOOP;
    IF f.implicit_after_us IS NULL THEN
        RETURN;
    END IF;
    -- implicit negatives: those no longer due go, those newly due come
    FOR r IN
        WITH lab AS (
            SELECT l.seq, l.label_at,
                   (SELECT s.id FROM augur.served_predictions s WHERE s.model = f.model AND s.key_text = p_key AND s.served_at <= l.label_at
                    ORDER BY s.served_at DESC, s.id DESC LIMIT 1) AS sid
            FROM augur.feedback_labels l WHERE l.feedback = f.name AND l.key_text = p_key AND NOT l.implicit),
        win AS (SELECT DISTINCT ON (lab.sid) lab.sid, lab.label_at FROM lab WHERE lab.sid IS NOT NULL ORDER BY lab.sid, lab.label_at, lab.seq),
        imp AS (SELECT s.id AS sid, s.served_at + after AS due FROM augur.served_predictions s LEFT JOIN win w ON w.sid = s.id
                WHERE f.clock IS NOT NULL AND s.model = f.model AND s.key_text = p_key
                  AND s.served_at + after <= f.clock AND (w.sid IS NULL OR w.label_at > s.served_at + after)),
        have AS (SELECT l.seq, l.served_id AS sid, l.label FROM augur.feedback_labels l WHERE l.feedback = f.name AND l.key_text = p_key AND l.implicit)
        SELECT h.seq, h.label, coalesce(h.sid, i.sid) AS sid, i.due, h.seq IS NOT NULL AS had, i.sid IS NOT NULL AS wanted
        FROM have h FULL JOIN imp i ON i.sid = h.sid
    LOOP
        IF r.had AND NOT r.wanted THEN
            PERFORM augur.feedback_contribute(f, r.sid, r.label, -1);
            DELETE FROM augur.feedback_labels WHERE seq = r.seq;
        ELSIF r.wanted AND NOT r.had THEN
            INSERT INTO augur.feedback_labels (feedback, key_text, label, label_at, implicit, outcome, served_id)
            VALUES (f.name, p_key, f.classes[1], r.due, true, 'joined', r.sid);
            PERFORM augur.feedback_contribute(f, r.sid, f.classes[1], 1);
            PERFORM augur.monitor_label_joined(f, r.sid, f.classes[1], r.due);
        END IF;
    END LOOP;
END $$;
