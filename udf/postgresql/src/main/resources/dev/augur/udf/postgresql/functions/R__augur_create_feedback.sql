-- AUGUR.CREATE_FEEDBACK: the entry point. Resolves the label table with the caller's search_path, has the catalog owner
-- create the feedback (augur.feedback_create), then hands the labels already there to it as the caller (as the trigger
-- does for those inserted later); returns their number.
CREATE OR REPLACE FUNCTION augur.create_feedback(p_name text, p_model text, p_labels text, p_key text, p_label text, p_at text DEFAULT NULL,
    p_implicit_after_seconds double precision DEFAULT NULL, p_window_seconds double precision DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    RETURN augur.create_feedback_in(p_name, p_model, p_labels,
        CASE WHEN p_labels OPERATOR(pg_catalog.~) '^[A-Za-z_][A-Za-z0-9_]*$' THEN pg_catalog.to_regclass(pg_catalog.lower(p_labels)) END,
        p_key, p_label, p_at, p_implicit_after_seconds, p_window_seconds);
END $$;

-- the rest of CREATE_FEEDBACK, as the caller, in a pinned search_path
CREATE OR REPLACE FUNCTION augur.create_feedback_in(p_name text, p_model text, p_labels text, rel oid, p_key text, p_label text,
    p_at text, p_implicit_after_seconds double precision, p_window_seconds double precision) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    nm text;
    r jsonb;
    n integer := 0;
BEGIN
    nm := augur.feedback_create(p_name, p_model, p_labels, rel, p_key, p_label, p_at, p_implicit_after_seconds, p_window_seconds, current_user);
    FOR r IN EXECUTE pg_catalog.format('SELECT pg_catalog.to_jsonb(t) FROM %s t', rel::regclass) LOOP
        PERFORM augur.feedback_label(nm, rel, r ->> lower(p_key), jsonb_typeof(r -> lower(p_key)) = 'number', r ->> lower(p_label),
            jsonb_typeof(r -> lower(p_label)) = 'number', CASE WHEN p_at IS NOT NULL THEN (r ->> lower(p_at))::timestamptz END);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
