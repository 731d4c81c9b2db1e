-- Model events for `augur serve --postgres`: every registration, deployment, rollback and drop is announced on
-- the channel augur_models (NOTIFY, delivered at commit, so a listener never hears of a rolled-back change), and
-- augur.sync_predict() rewrites the generated PREDICT functions from the catalog (the maintainer runs it when it
-- connects, e.g. after a server restart or a restore that brought back tables without their functions).

CREATE FUNCTION augur.notify_model_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deployments' THEN
        PERFORM pg_notify('augur_models', json_build_object('event', NEW.action, 'name', NEW.name, 'version', NEW.version,
            'previous_version', NEW.previous_version, 'by', NEW.by_user)::text);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('augur_models', json_build_object('event', 'register', 'name', NEW.name, 'version', NEW.version,
            'by', NEW.created_by)::text);
    ELSE
        PERFORM pg_notify('augur_models', json_build_object('event', 'drop', 'name', OLD.name, 'version', OLD.version,
            'by', CURRENT_USER)::text);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER deployments_notify AFTER INSERT ON augur.deployments
    FOR EACH ROW EXECUTE FUNCTION augur.notify_model_event();
CREATE TRIGGER models_notify AFTER INSERT OR DELETE ON augur.models
    FOR EACH ROW EXECUTE FUNCTION augur.notify_model_event();

-- regenerates PREDICT(model, x1 .. xn) for every arity that has a dense model; returns the arities rewritten
CREATE FUNCTION augur.sync_predict() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE n integer; k integer := 0;
BEGIN
    PERFORM augur.lock();
    FOR n IN SELECT DISTINCT cardinality(inputs) FROM augur.model_defs WHERE feature_type = 'dense' ORDER BY 1 LOOP
        PERFORM augur.regenerate_predict(n);
        k := k + 1;
    END LOOP;
    RETURN k;
END $$;

REVOKE EXECUTE ON FUNCTION augur.sync_predict() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION augur.sync_predict() TO augur_admin;

-- Cheaper generated PREDICT: V1 guarded every input with CASE WHEN abs(x) > max THEN error; now the margin is
-- checked once. A NaN or infinite input always makes the margin non-finite (PostgreSQL raises 22003 rather than
-- overflow from finite inputs), so NULLIF turns a non-finite margin into NULL and only then does COALESCE look
-- for the culprit: NULL when an input is NULL (as on H2), else the same 22023 naming the first bad input.
CREATE FUNCTION augur.nonfinite_any(p_name text, inputs text[], x float8[]) RETURNS float8
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF array_position(x, NULL) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. cardinality(x) LOOP
        IF NOT (abs(x[i]) <= 1.7976931348623157e308) THEN
            RETURN augur.nonfinite(p_name, inputs[i], x[i]);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION augur.regenerate_predict(n integer) RETURNS void LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    params text;
    args text;
    arms text := '';
    expr text;
    r record;
BEGIN
    SELECT string_agg(format('x%s float8', i), ', ' ORDER BY i), string_agg(format('x%s', i), ', ' ORDER BY i)
    INTO params, args FROM generate_series(1, n) i;
    FOR r IN SELECT md.*, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'dense' AND md.kind <> 'softmax' AND cardinality(md.inputs) = n
             ORDER BY md.name, md.version LOOP
        expr := format('float8 %L', r.bias[1]::text);
        FOR i IN 1 .. n LOOP
            expr := expr || format(' + float8 %L * x%s', r.weights[i]::text, i);
        END LOOP;
        expr := format('coalesce(nullif(nullif(nullif(%s, float8 ''NaN''), float8 ''Infinity''), float8 ''-Infinity''), '
            || 'augur.nonfinite_any(%L, %L::text[], ARRAY[%s]::float8[]))', expr, r.name, r.inputs, args);
        IF r.kind <> 'linear' THEN
            -- the logistic function as tanh, which neither overflows nor swallows a NULL (as least/greatest would)
            expr := format('0.5::float8 + 0.5::float8 * tanh(0.5::float8 * %s)', expr);
        END IF;
        arms := arms || format(' WHEN %L THEN %s', r.name || '@' || r.version, expr);
        IF r.is_deployed THEN
            arms := arms || format(' WHEN %L THEN %s', r.name, expr);
        END IF;
    END LOOP;
    EXECUTE format('CREATE OR REPLACE FUNCTION public.predict(model text, %s) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS %L',
        params, 'SELECT ' || CASE WHEN arms = '' THEN '' ELSE 'CASE model' || arms || ' ELSE ' END
            || format('augur.predict_any(model, ARRAY[%s], NULL)', args) || CASE WHEN arms = '' THEN '' ELSE ' END' END);
END $$;

DO $$
BEGIN
    FOR n IN 1 .. 99 LOOP
        PERFORM augur.regenerate_predict(n);
    END LOOP;
END $$;

-- Who registered / deployed: the administration functions are SECURITY DEFINER, where CURRENT_USER is the
-- catalog's owner; SESSION_USER is the login role that called them.
ALTER TABLE augur.models ALTER COLUMN created_by SET DEFAULT SESSION_USER;
ALTER TABLE augur.deployments ALTER COLUMN by_user SET DEFAULT SESSION_USER;

CREATE OR REPLACE FUNCTION augur.set_deployed(nm text, ver integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE sha text := (SELECT m.sha256 FROM augur.models m WHERE m.name = nm AND m.version = ver);
BEGIN
    UPDATE augur.deployed SET version = ver, sha256 = sha, deployed_at = CURRENT_TIMESTAMP, deployed_by = SESSION_USER WHERE name = nm;
    IF NOT FOUND THEN
        INSERT INTO augur.deployed (name, version, sha256, deployed_at, deployed_by) VALUES (nm, ver, sha, CURRENT_TIMESTAMP, SESSION_USER);
    END IF;
END $$;
