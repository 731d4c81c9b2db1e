-- AUGUR.DROP_FEEDBACK: its trigger, labels and metrics go (the served log stays); run as the catalog owner, by a login role
-- that can SET ROLE to the feedback's creator (or a superuser); returns 1
CREATE OR REPLACE FUNCTION augur.drop_feedback(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE f augur.feedbacks;
BEGIN
    SELECT * INTO f FROM augur.feedbacks x WHERE x.name = lower(p_name);
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = pg_catalog.format('feedback ''%s'' does not exist; known feedbacks: %s', coalesce(p_name, 'null'),
            coalesce((SELECT string_agg(x.name, ', ' ORDER BY x.name) FROM augur.feedbacks x),
                     'none (CREATE FEEDBACK name FOR MODEL m FROM labels KEY k LABEL y)'));
    END IF;
    IF NOT pg_catalog.pg_has_role(session_user, f.created_by, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = pg_catalog.format('permission denied to drop feedback ''%s'': it is %s''s, and login role %s '
            || 'cannot SET ROLE to it', f.name, f.created_by, session_user);
    END IF;
    IF EXISTS (SELECT 1 FROM augur.experiments x WHERE x.feedback = f.name AND x.ended_at IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('feedback ''%s'' rewards the running experiment on model ''%s''; end it with '
            || 'ROLLBACK MODEL %s first', f.name, (SELECT x.model FROM augur.experiments x WHERE x.feedback = f.name AND x.ended_at IS NULL),
            (SELECT x.model FROM augur.experiments x WHERE x.feedback = f.name AND x.ended_at IS NULL));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = f.label_relation) THEN
        EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS %I ON %s', 'augur_fb_' || md5(f.name), f.label_relation::regclass);
    END IF;
    DELETE FROM augur.feedbacks x WHERE x.name = f.name;
    RETURN 1;
END $$;
