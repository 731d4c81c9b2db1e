-- CREATE FEEDBACK, run as the catalog owner: checks the name, the model (a classifier or a regressor), the intervals
-- (the engine's FeedbackRule.intervalMicros) and the label table (its columns; the time a timestamp; SELECT and TRIGGER on it
-- for the creating role and the owner), records the feedback and puts its trigger on the label table; returns its name.
CREATE OR REPLACE FUNCTION augur.feedback_create(p_name text, p_model text, p_labels text, p_rel oid, p_key text, p_label text, p_at text,
    p_implicit double precision, p_window double precision, p_role name) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    nm text;
    m text := augur.check_name(p_model);
    ver integer;
    d augur.model_defs;
    tgt text;
    imp bigint;
    win bigint;
    col text;
    typ oid;
    priv text;
BEGIN
    IF p_name IS NULL OR p_name !~ '^[A-Za-z][A-Za-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = pg_catalog.format('invalid feedback name ''%s'': use letters, digits and underscores, '
            || 'starting with a letter, at most 63 characters', coalesce(p_name, 'null'));
    END IF;
    nm := lower(p_name);
    FOREACH col IN ARRAY ARRAY[p_labels, p_key, p_label, coalesce(p_at, 'x')] LOOP
        IF col IS NULL OR col !~ '^[A-Za-z_][A-Za-z0-9_]*$' THEN
            RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = pg_catalog.format('invalid identifier ''%s'': use a plain table or column name',
                coalesce(col, 'null'));
        END IF;
    END LOOP;
    IF EXISTS (SELECT 1 FROM augur.feedbacks x WHERE x.name = nm) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = pg_catalog.format('feedback ''%s'' already exists; drop it first (DROP FEEDBACK %s)', nm, nm);
    END IF;
    PERFORM augur.view_require_role(p_role);
    SELECT version INTO ver FROM augur.deployed WHERE name = m;
    IF ver IS NULL THEN
        ver := augur.latest(m);  -- 42704 naming the known models when there is none
    END IF;
    d := augur.defs(m, ver);
    IF augur.kind_link(d.kind) = 'identity' THEN
        tgt := 'value';
    ELSE
        tgt := 'class';
    END IF;
    IF p_implicit IS NOT NULL THEN
        IF NOT (p_implicit > 0) OR p_implicit > 100 * 366 * 86400.0 OR round(p_implicit * 1e6) <= 0 THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('IMPLICIT NEGATIVE AFTER must be a positive interval (at least 1 '
                || 'microsecond, at most 100 years), got %s seconds; e.g. IMPLICIT NEGATIVE AFTER 1 HOUR', p_implicit);
        END IF;
        imp := round(p_implicit * 1e6)::bigint;
        IF tgt = 'value' THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('IMPLICIT NEGATIVE needs a classifier; model ''%s'' is %s (a regressor '
                || 'has no negative class): leave the clause out', m, d.kind);
        END IF;
        IF pg_catalog.cardinality(d.classes) > 2 THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('IMPLICIT NEGATIVE needs a binary classifier; model ''%s'' has %s classes '
                || '(%s), none of them the negative one: leave the clause out', m, pg_catalog.cardinality(d.classes), pg_catalog.array_to_string(d.classes, ', '));
        END IF;
    END IF;
    p_window := coalesce(p_window, 86400);
    IF NOT (p_window > 0) OR p_window > 100 * 366 * 86400.0 OR round(p_window * 1e6) <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('WINDOW must be a positive interval (at least 1 microsecond, at most 100 '
            || 'years), got %s seconds; e.g. WINDOW 1 HOUR', p_window);
    END IF;
    win := round(p_window * 1e6)::bigint;
    IF p_rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_rel AND c.relkind IN ('r', 'p')) THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = pg_catalog.format('feedback ''%s'' cannot read labels from %s: no such table', nm, p_labels);
    END IF;
    FOREACH priv IN ARRAY ARRAY['SELECT', 'TRIGGER'] LOOP
        IF NOT has_table_privilege(p_role, p_rel, priv) OR NOT has_table_privilege(current_user, p_rel, priv) THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied for table %s: creating feedback ''%s'' over it takes '
                || '%s on it for role %s and for Augur''s catalog owner %s; ask its owner to GRANT %s ON %s TO them', p_rel::regclass, nm,
                priv, p_role, current_user, priv, p_rel::regclass);
        END IF;
    END LOOP;
    FOREACH col IN ARRAY ARRAY[p_key, p_label, p_at] LOOP
        CONTINUE WHEN col IS NULL;
        SELECT a.atttypid INTO typ FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_rel AND a.attname = lower(col) AND a.attnum > 0
            AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = pg_catalog.format('feedback ''%s'' cannot read column %s of %s: no such column', nm, col,
                p_rel::regclass);
        END IF;
        IF col = p_at AND typ NOT IN ('timestamptz'::regtype, 'timestamp'::regtype) THEN
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('feedback ''%s'': the label time %s.%s is %s, not a timestamp; make it '
                || 'timestamp with time zone (or timestamp), or leave AT out to time labels when they are inserted', nm, p_labels, p_at,
                format_type(typ, NULL));
        END IF;
    END LOOP;
    INSERT INTO augur.feedbacks (name, model, label_table, label_relation, key_column, label_column, at_column, target, classes,
                                 implicit_after_us, window_us, created_by)
    VALUES (nm, m, p_labels, p_rel, lower(p_key), lower(p_label), lower(p_at), tgt, CASE WHEN tgt = 'class' THEN d.classes END, imp, win,
            p_role);
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON %s FOR EACH ROW EXECUTE FUNCTION augur.feedback_label_trigger(%L, %L, %L%s)',
        'augur_fb_' || md5(nm), p_rel::regclass, nm, lower(p_key), lower(p_label), CASE WHEN p_at IS NULL THEN '' ELSE pg_catalog.format(', %L', lower(p_at)) END);
    RETURN nm;
END $$;
