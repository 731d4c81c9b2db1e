-- Privileges on PostgreSQL. Up to V6 a member of augur_admin could run code as the catalog's owner: the functions
-- generated for a view were owned by the view's creator (who could replace them, or make them SECURITY INVOKER) and
-- run from the SECURITY DEFINER deploy; the creator owned the view's table (a trigger of its own on it ran as the
-- owner when a deploy wrote it); augur_admin could UPDATE augur.views to point a deploy at any function, and EXECUTE
-- another view's scoring function with weights of its own. Any role could read every model's weights in
-- pg_proc.prosrc of the generated PREDICT functions. From V7:
--   * whatever runs as the catalog owner is the owner's, in schema augur (where only the owner creates): every object
--     Augur makes for a view (its table, SQL view, generated functions, triggers) belongs to the catalog owner; the
--     creating, refreshing and dropping functions are SECURITY DEFINER and check what the caller may do: the role it
--     creates a view as (its CURRENT_USER, which its login role must be able to SET ROLE to) needs SELECT and TRIGGER on
--     the tables the view reads and CREATE in its schema; refreshing, tuning or dropping a view takes a login role that
--     can SET ROLE to the view's creator (augur.views.created_by), or a superuser (42501 otherwise);
--   * every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp; code run as the owner reads users'
--     tables with row_security off, FROM ONLY, and only columns of built-in types (no user cast or operator runs),
--     checked again whenever it runs (a creator may ALTER its table, or rename another into its place);
--   * the catalog tables are written only through these functions (augur_admin keeps UPDATE of the tunable columns
--     tolerance, alpha, learning_rate and l2 of the views it created, checked by a trigger);
--   * the generated per-view functions are executable by no Augur role: the scoring function is reachable only
--     from the owner's functions, the trigger functions only as the triggers of the view's own tables;
--   * PREDICT and its family are executable by augur_user (and so augur_admin) only, and the generated PREDICT
--     functions hold no weights: each arm reads its coefficients through augur.coefs, an IMMUTABLE function the
--     planner folds into constants when it plans the query, so the plan is the same arithmetic as before and
--     pg_proc shows names and versions only;
--   * a model version is served only if its payload is intact: hashes to its SHA-256 and, for dense models, is the
--     encoding of the weights PREDICT serves (bag-of-words: of the definition row). Checked when a statement is
--     planned (for a constant model name; per row for a name read from a column) on every path of the PREDICT
--     family, and by DEPLOY, ROLLBACK, EXPORT and REFRESH: XX001 otherwise;
--   * view options that are not numbers are 22023 (they silently became defaults).
-- Existing views are rebuilt in place: their tables are copied into tables of the owner (rows unchanged), their
-- functions regenerated in schema augur and their triggers re-created; the functions and tables V3..V6 made in the
-- creators' schemas are dropped. This migration must run as the catalog's owner.

DO $$
DECLARE owner text := (SELECT n.nspowner::regrole::text FROM pg_catalog.pg_namespace n WHERE n.nspname = 'augur');
BEGIN
    IF (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'augur') <> current_user::regrole THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('Augur''s catalog migration V7 (privileges) must run as the catalog''s '
            || 'owner, role %s, not %s: run `augur migrate --postgres URL` (or connect through jdbc:augur:postgresql:) as %s', owner,
            current_user, owner);
    END IF;
END $$;

-- ================================================================================================ the catalog tables

REVOKE ALL ON augur.views, augur.view_models, augur.view_events, augur.view_learners FROM PUBLIC, augur_user, augur_admin;
GRANT SELECT ON augur.views, augur.view_models, augur.view_events, augur.view_learners TO augur_user;

-- who created a view (the caller's role; only roles that can SET ROLE to it, and superusers, may refresh, tune or drop it), and
-- the examples table of a classification view (by oid: names resolve differently in the owner's functions)
ALTER TABLE augur.views ADD COLUMN created_by name, ADD COLUMN examples_relation oid;
GRANT UPDATE (tolerance, alpha, learning_rate, l2) ON augur.views TO augur_admin;

CREATE FUNCTION augur.catalog_owner() RETURNS regrole LANGUAGE sql STABLE AS $$
    SELECT n.nspowner::regrole FROM pg_catalog.pg_namespace n WHERE n.nspname = 'augur'
$$;

-- 42501 unless the calling login role may write view v (for p_action: refresh, drop, tune): it can SET ROLE to the role
-- that created it (itself, a role it belongs to), or it is a superuser
CREATE FUNCTION augur.view_require_writer(v augur.views, p_action text) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE creator oid := (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = v.created_by);
BEGIN
    IF creator IS NOT NULL AND pg_catalog.pg_has_role(session_user, creator, 'MEMBER') THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = session_user AND r.rolsuper) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('permission denied to %s prediction view ''%s'': only the role that '
        || 'created it (%s), its members and superusers may; ask one of them to do it (or to GRANT %s TO %s), or create a view of your own',
        p_action, v.name, coalesce(v.created_by::text, 'unknown'), coalesce(v.created_by::text, 'it'), session_user);
END $$;

-- UPDATE of augur.views by a user: only the tunable columns (column privileges), only of a view it may write, only
-- finite numbers >= 0 (a hybrid view's tolerance is infinite by construction: labels only)
CREATE FUNCTION augur.views_tune() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE k text; x float8;
BEGIN
    -- (Augur's own functions never set these columns: every UPDATE of them is a user's)
    PERFORM augur.view_require_writer(OLD, 'tune');
    IF OLD.mode = 'hybrid' AND NEW.tolerance IS DISTINCT FROM OLD.tolerance THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option tolerance of hybrid view ''%s'' is not tunable: a hybrid '
            || 'view keeps labels only and computes its scores on read', OLD.name);
    END IF;
    FOREACH k IN ARRAY ARRAY['tolerance', 'alpha', 'learning_rate', 'l2'] LOOP
        x := CASE k WHEN 'tolerance' THEN NEW.tolerance WHEN 'alpha' THEN NEW.alpha WHEN 'learning_rate' THEN NEW.learning_rate
                    ELSE NEW.l2 END;
        IF x IS NULL OR x = 'NaN'::float8 OR x < 0 OR x = 'Infinity'::float8 AND NOT (k = 'tolerance' AND OLD.mode = 'hybrid') THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option %s of view ''%s'' must be a finite number >= 0, got %s',
                k, OLD.name, x);
        END IF;
    END LOOP;
    RETURN NEW;
END $$;

CREATE TRIGGER views_tune BEFORE UPDATE OF tolerance, alpha, learning_rate, l2 ON augur.views
    FOR EACH ROW EXECUTE FUNCTION augur.views_tune();

-- ================================================================================================ intact models

-- the payload ModelCodec writes for a dense model version, from the relational form PREDICT serves (as
-- augur.register_model writes it, element by element: a loop here costs less than augur.strs/f64s's subqueries)
CREATE FUNCTION augur.encode_dense(d augur.model_defs) RETURNS bytea LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE b bytea; s text; w float8;
BEGIN
    IF d.inputs IS NULL OR d.classes IS NULL OR d.weights IS NULL OR d.bias IS NULL THEN
        RETURN NULL;  -- a damaged row: no payload encodes it
    END IF;
    b := '\x4155474d'::bytea || int2send(1::int2)
        || augur.u8(CASE d.kind WHEN 'linear' THEN 1 WHEN 'logistic' THEN 2 WHEN 'svm' THEN 3 ELSE 4 END) || augur.u8(1)
        || augur.str(d.name) || int4send(cardinality(d.inputs));
    FOREACH s IN ARRAY d.inputs LOOP
        b := b || augur.str(s);
    END LOOP;
    b := b || int4send(cardinality(d.classes));
    FOREACH s IN ARRAY d.classes LOOP
        b := b || augur.str(s);
    END LOOP;
    b := b || int4send(d.outputs) || int4send(d.dimension);
    FOREACH w IN ARRAY d.weights LOOP
        b := b || float8send(w);
    END LOOP;
    FOREACH w IN ARRAY d.bias LOOP
        b := b || float8send(w);
    END LOOP;
    RETURN b;
END $$;

-- What is wrong with a model version's stored form, or NULL when it is intact (or there is no such version): the
-- payload must exist and hash to the recorded SHA-256, and describe what PREDICT serves: for a dense model, be the
-- encoding of its augur.model_defs row; for a bag-of-words model, begin with its feature function and end with its
-- shape and bias as that row has them (its terms and weights are written with it, by augur.register_model only).
CREATE FUNCTION augur.payload_problem(nm text, ver integer) RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE expected text; p bytea; actual text; d augur.model_defs; head bytea; n integer; shape bigint;
BEGIN
    SELECT m.sha256, pl.payload INTO expected, p
    FROM augur.models m LEFT JOIN augur.model_payloads pl ON pl.name = m.name AND pl.version = m.version
    WHERE m.name = nm AND m.version = ver;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p IS NULL THEN
        RETURN format('model payload is corrupt or truncated: the payload of model ''%s'' version %s is missing; '
            || 're-import the model from its source file', nm, ver);
    END IF;
    actual := encode(sha256(p), 'hex');
    IF lower(expected) <> actual THEN
        RETURN format('model ''%s'' version %s is corrupt: stored sha256 %s but payload hashes to %s; '
            || 're-import the model from its source file', nm, ver, expected, actual);
    END IF;
    SELECT * INTO d FROM augur.model_defs x WHERE x.name = nm AND x.version = ver;
    IF NOT FOUND THEN
        RETURN format('model ''%s'' version %s is corrupt: its definition (augur.model_defs) is missing; '
            || 're-import the model from its source file', nm, ver);
    END IF;
    IF d.feature_type = 'dense' THEN
        IF augur.encode_dense(d) IS DISTINCT FROM p THEN
            RETURN format('model ''%s'' version %s is corrupt or truncated: its payload (sha256 %s) does not encode the weights '
                || 'PREDICT serves from augur.model_defs; re-import the model from its source file', nm, ver, actual);
        END IF;
        RETURN NULL;
    END IF;
    head := '\x4155474d'::bytea || int2send(1::int2)
        || augur.u8(CASE d.kind WHEN 'linear' THEN 1 WHEN 'logistic' THEN 2 WHEN 'svm' THEN 3 ELSE 4 END) || augur.u8(2)
        || augur.str(d.name) || augur.str(d.inputs[1])
        || augur.u8(CASE d.weighting WHEN 'binary' THEN 1 WHEN 'tf' THEN 2 ELSE 3 END) || augur.u8(d.ngrams) || augur.u8(d.hash_bits)
        || augur.u8(CASE WHEN d.normalize THEN 1 ELSE 0 END);
    n := length(p);
    shape := n - 8::bigint * d.outputs * (d.dimension + 1) - 7;  -- where outputs and dimension are, before weights and bias
    IF coalesce(substr(p, 1, length(head)) IS DISTINCT FROM head
                OR substr(p, n - 8 * d.outputs + 1) IS DISTINCT FROM augur.f64s(d.bias)
                OR shape < 1
                OR substr(p, shape::integer, 8) IS DISTINCT FROM int4send(d.outputs) || int4send(d.dimension), true) THEN
        RETURN format('model ''%s'' version %s is corrupt or truncated: its payload (sha256 %s) does not describe the model '
            || 'PREDICT serves from augur.model_defs; re-import the model from its source file', nm, ver, actual);
    END IF;
    RETURN NULL;
END $$;

-- the stored payload must be intact before anyone can deploy, roll back to, export, refresh or PREDICT with it
CREATE OR REPLACE FUNCTION augur.check_payload(nm text, ver integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE problem text := augur.payload_problem(nm, ver);
BEGIN
    IF problem IS NOT NULL THEN
        PERFORM augur.err('XX001', problem);
    END IF;
END $$;

-- Whether version ver of model nm, registered with SHA-256 sha, may be served. IMMUTABLE so that the planner evaluates
-- it once, when it plans a statement whose model is a constant (its result is part of the plan, as the generated
-- PREDICT's arms are); with a name read from a column it runs per row. Never raises: a corrupt version fails where it
-- is served (augur.corrupt). The generated arms pass the SHA-256 they were made for, so that their text, and with it
-- every plan that inlined them, changes when a name@version is registered anew.
CREATE FUNCTION augur.intact(nm text, ver integer, sha text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM augur.models m WHERE m.name = nm AND m.version = ver AND lower(m.sha256::text) = lower(sha))
        AND augur.payload_problem(nm, ver) IS NULL;
END $$;

-- the same for a model reference ('name' = the deployed version, or 'name@version'); true for what does not resolve
-- (the PREDICT family then raises what it always raised: 22023, 42602, 42704)
CREATE FUNCTION augur.intact_ref(ref text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE at integer; nm text; ver integer;
BEGIN
    IF ref IS NULL THEN
        RETURN true;
    END IF;
    at := position('@' IN ref);
    IF at = 0 THEN
        nm := lower(ref);
        SELECT dp.version INTO ver FROM augur.deployed dp WHERE dp.name = nm;
    ELSE
        nm := lower(substr(ref, 1, at - 1));
        IF substr(ref, at + 1) !~ '^[+-]?[0-9]{1,9}$' THEN
            RETURN true;
        END IF;
        ver := substr(ref, at + 1)::integer;
    END IF;
    IF ver IS NULL THEN
        RETURN true;
    END IF;
    RETURN augur.payload_problem(nm, ver) IS NULL;
END $$;

-- where a corrupt version would be served: XX001 (STABLE: evaluated when reached, never folded into a plan)
CREATE FUNCTION augur.corrupt(nm text, ver integer) RETURNS float8 LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    PERFORM augur.check_payload(nm, ver);
    RAISE EXCEPTION USING ERRCODE = 'XX001', MESSAGE = format('model ''%s'' version %s was corrupt when this statement was planned '
        || '(it is intact now); run the statement again, and re-import the model from its source file if it recurs', nm, ver);
END $$;

CREATE FUNCTION augur.corrupt_ref(ref text) RETURNS float8 LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record;
BEGIN
    r := augur.resolve(ref);
    RETURN augur.corrupt(r.name, r.version);
END $$;

-- the coefficients of a dense, single-output version: ARRAY[bias, w1, .., wn]. IMMUTABLE: a version's weights never
-- change (a re-registered name@version follows a DROP, which regenerates PREDICT and so invalidates every plan that
-- inlined it), so the planner folds the call in the generated PREDICT into a constant.
CREATE FUNCTION augur.coefs(nm text, ver integer) RETURNS float8[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE c float8[];
BEGIN
    SELECT d.bias[1:1] || d.weights INTO c FROM augur.model_defs d WHERE d.name = nm AND d.version = ver;
    RETURN c;
END $$;

-- a version's definition row, folded likewise into the generated PREDICT(model, text)
CREATE FUNCTION augur.def_of(nm text, ver integer) RETURNS augur.model_defs LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE d augur.model_defs;
BEGIN
    SELECT * INTO d FROM augur.model_defs x WHERE x.name = nm AND x.version = ver;
    RETURN d;
END $$;

-- ================================================================================================ PREDICT

-- V3's generated PREDICT(model, x1 .. xn), with the same float8 operations in the same order, and each arm served
-- only while its version is intact. An arm is augur.affine(augur.coefs(name, version), x1, .., xn): the planner folds
-- the coefficients into a constant array, inlines augur.affine (c[1] + c[2] * x1 + ...) and folds each subscript, so the
-- plan holds the model's arithmetic with its weights as constants, and pg_proc holds none.
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
    FOR r IN SELECT md.name, md.version, md.kind, md.inputs, m.sha256, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md JOIN augur.models m ON m.name = md.name AND m.version = md.version
             LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'dense' AND md.kind <> 'softmax' AND cardinality(md.inputs) = n
             ORDER BY md.name, md.version LOOP
        expr := format('augur.affine(augur.coefs(%L, %s), %s)', r.name, r.version, args);
        expr := format('coalesce(nullif(nullif(nullif(%s, float8 ''NaN''), float8 ''Infinity''), float8 ''-Infinity''), '
            || 'augur.nonfinite_any(%L, %L::text[], ARRAY[%s]::float8[]))', expr, r.name, r.inputs, args);
        IF r.kind <> 'linear' THEN
            -- the logistic function as tanh, which neither overflows nor swallows a NULL (as least/greatest would)
            expr := format('0.5::float8 + 0.5::float8 * tanh(0.5::float8 * %s)', expr);
        END IF;
        expr := format('CASE WHEN augur.intact(%L, %s, %L) THEN %s ELSE augur.corrupt(%L, %s) END', r.name, r.version, r.sha256, expr,
            r.name, r.version);
        arms := arms || format(' WHEN %L THEN %s', r.name || '@' || r.version, expr);
        IF r.is_deployed THEN
            arms := arms || format(' WHEN %L THEN %s', r.name, expr);
        END IF;
    END LOOP;
    IF arms <> '' AND to_regprocedure(format('augur.affine(float8[], %s)', (SELECT string_agg('float8', ', ') FROM generate_series(1, n))))
                      IS NULL THEN
        EXECUTE format('CREATE FUNCTION augur.affine(c float8[], %s) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L', params,
            'SELECT c[1]' || (SELECT string_agg(format(' + c[%s] * x%s', i + 1, i), '' ORDER BY i) FROM generate_series(1, n) i));
    END IF;
    EXECUTE format('CREATE OR REPLACE FUNCTION public.predict(model text, %s) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS %L',
        params, 'SELECT ' || CASE WHEN arms = '' THEN '' ELSE 'CASE model' || arms || ' ELSE ' END
            || format('CASE WHEN augur.intact_ref(model) THEN augur.predict_any(model, ARRAY[%s], NULL) ELSE augur.corrupt_ref(model) END',
                      args) || CASE WHEN arms = '' THEN '' ELSE ' END' END);
END $$;

-- V4's generated PREDICT(model, text), with each version's definition folded in by augur.def_of
CREATE OR REPLACE FUNCTION augur.regenerate_bow_predict() RETURNS void LANGUAGE plpgsql SET extra_float_digits = 3 AS $$
DECLARE
    arms text := '';
    expr text;
    body text;
    r record;
BEGIN
    FOR r IN SELECT md.name, md.version, md.kind, m.sha256, (dp.version IS NOT NULL) AS is_deployed
             FROM augur.model_defs md JOIN augur.models m ON m.name = md.name AND m.version = md.version
             LEFT JOIN augur.deployed dp ON dp.name = md.name AND dp.version = md.version
             WHERE md.feature_type = 'bag_of_words' AND md.kind <> 'softmax'
             ORDER BY md.name, md.version LOOP
        expr := format('(augur.bow_margins(augur.def_of(%L, %s), x1))[1]', r.name, r.version);
        IF r.kind <> 'linear' THEN
            expr := format('augur.sigmoid(%s)', expr);
        END IF;
        expr := format('CASE WHEN augur.intact(%L, %s, %L) THEN CASE WHEN x1 IS NULL THEN NULL::float8 ELSE %s END '
            || 'ELSE augur.corrupt(%L, %s) END', r.name, r.version, r.sha256, expr, r.name, r.version);
        arms := arms || format(' WHEN %L THEN %s', r.name || '@' || r.version, expr);
        IF r.is_deployed THEN
            arms := arms || format(' WHEN %L THEN %s', r.name, expr);
        END IF;
    END LOOP;
    body := 'SELECT ' || CASE WHEN arms = '' THEN '' ELSE 'CASE model' || arms || ' ELSE ' END
        || 'CASE WHEN augur.intact_ref(model) THEN augur.predict_any(model, NULL, x1) ELSE augur.corrupt_ref(model) END'
        || CASE WHEN arms = '' THEN '' ELSE ' END' END;
    IF body IS DISTINCT FROM (SELECT p.prosrc FROM pg_catalog.pg_proc p
                              WHERE p.oid = 'public.predict(text, text)'::pg_catalog.regprocedure) THEN
        EXECUTE format('CREATE OR REPLACE FUNCTION public.predict(model text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS %L',
            body);
    END IF;
END $$;

-- the general path of PREDICT_LABEL and PREDICT_PROBA (V1's bodies), behind SQL wrappers that check the version first
CREATE FUNCTION augur.label_any(model text, x float8[], body text) RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    RETURN augur.label(d, augur.margins(d, x, body));
END $$;

CREATE FUNCTION augur.proba_any(model text, clazz text, x float8[], body text) RETURNS float8 LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; m float8[];
BEGIN
    IF clazz IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    m := augur.margins(d, x, body);
    IF m IS NULL THEN RETURN NULL; END IF;
    RETURN augur.proba(d, clazz, m);
END $$;

CREATE OR REPLACE FUNCTION public.predict_label(model text, x1 text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.label_any(model, NULL, x1) ELSE augur.corrupt_ref(model)::text END
$$;

CREATE OR REPLACE FUNCTION public.predict_label(model text, VARIADIC x float8[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.label_any(model, x, NULL) ELSE augur.corrupt_ref(model)::text END
$$;

CREATE OR REPLACE FUNCTION public.predict_proba(model text, clazz text, x1 text) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.proba_any(model, clazz, NULL, x1) ELSE augur.corrupt_ref(model) END
$$;

CREATE OR REPLACE FUNCTION public.predict_proba(model text, clazz text, VARIADIC x float8[]) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.proba_any(model, clazz, x, NULL) ELSE augur.corrupt_ref(model) END
$$;

CREATE OR REPLACE FUNCTION public.predict_explain(model text, k integer, x1 text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.explain(model, k, NULL, x1) ELSE augur.corrupt_ref(model)::text END
$$;

CREATE OR REPLACE FUNCTION public.predict_explain(model text, k integer, VARIADIC x float8[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.intact_ref(model) THEN augur.explain(model, k, x, NULL) ELSE augur.corrupt_ref(model)::text END
$$;

DO $$
BEGIN
    FOR n IN 1 .. 99 LOOP
        PERFORM augur.regenerate_predict(n);
    END LOOP;
    PERFORM augur.regenerate_bow_predict();
END $$;

-- the PREDICT family: augur_user's (and so augur_admin's), no one else's
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = augur.catalog_owner()
               AND p.proname IN ('predict', 'predict_label', 'predict_proba', 'predict_explain') LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO augur_user', f);
    END LOOP;
END $$;

-- ================================================================================================ views: helpers

-- a view option: a number (or a numeric string, as the extension statements pass them, or a boolean as 1/0), finite
-- and >= 0; anything else is 22023 naming the option and the range (it silently became the default up to V6)
CREATE OR REPLACE FUNCTION augur.view_option(opts jsonb, key text, dflt float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j jsonb := opts -> key; v float8 := dflt;
BEGIN
    -- (NaN is not below 0 in PostgreSQL's ordering: it is tested for by name)
    IF j IS NOT NULL AND jsonb_typeof(j) <> 'null' THEN
        IF jsonb_typeof(j) = 'number' THEN
            v := (j #>> '{}')::float8;
        ELSIF jsonb_typeof(j) = 'boolean' THEN
            v := CASE WHEN (j #>> '{}')::boolean THEN 1 ELSE 0 END;
        ELSIF jsonb_typeof(j) = 'string' AND (j #>> '{}') ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN
            v := trim(j #>> '{}')::float8;
        ELSE
            v := 'NaN';
        END IF;
    END IF;
    IF v = 'NaN'::float8 OR v < 0 OR v = 'Infinity'::float8 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option %s must be a finite number >= 0, got %s', key, coalesce(j::text, 'null'));
    END IF;
    RETURN v;
END $$;

-- an integer option between lo and hi (hi NULL: no upper bound)
CREATE FUNCTION augur.view_int_option(opts jsonb, key text, dflt integer, lo integer, hi integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j jsonb := opts -> key; v float8 := dflt;
BEGIN
    IF j IS NOT NULL AND jsonb_typeof(j) <> 'null' THEN
        IF jsonb_typeof(j) = 'number' THEN
            v := (j #>> '{}')::float8;
        ELSIF jsonb_typeof(j) = 'string' AND (j #>> '{}') ~ '^\s*[-+]?[0-9]{1,9}(\.0*)?\s*$' THEN
            v := trim(j #>> '{}')::float8;
        ELSE
            v := 'NaN';
        END IF;
    END IF;
    IF v = 'NaN'::float8 OR v <> trunc(v) OR v < lo OR v > coalesce(hi, 2147483647) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option %s must be an integer %s, got %s', key,
            CASE WHEN hi IS NULL THEN format('>= %s', lo) ELSE format('between %s and %s', lo, hi) END, coalesce(j::text, 'null'));
    END IF;
    RETURN v::integer;
END $$;

-- the seed option: a 64-bit integer
CREATE FUNCTION augur.view_seed_option(opts jsonb, dflt bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j jsonb := opts -> 'seed';
BEGIN
    IF j IS NULL OR jsonb_typeof(j) = 'null' THEN
        RETURN dflt;
    END IF;
    IF jsonb_typeof(j) IN ('number', 'string') AND trim(j #>> '{}') ~ '^[-+]?[0-9]{1,18}$' THEN
        RETURN trim(j #>> '{}')::bigint;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option seed must be an integer (a 64-bit seed of the epochs'' shuffle), '
        || 'got %s', j::text);
END $$;

-- the type a column's values have once its domains are peeled off
CREATE FUNCTION augur.base_type(t oid) RETURNS oid LANGUAGE plpgsql STABLE AS $$
DECLARE b oid := t; d "char"; nb oid;
BEGIN
    LOOP
        SELECT y.typtype, y.typbasetype INTO d, nb FROM pg_catalog.pg_type y WHERE y.oid = b;
        EXIT WHEN d IS DISTINCT FROM 'd';
        b := nb;
    END LOOP;
    RETURN b;
END $$;

-- V6's augur.view_source for a table already resolved (by the caller's search_path, before the owner's functions
-- pin theirs): relkind, columns, key unique and never NULL. Also: every column read is of a built-in type (or a
-- domain over one), since the owner's functions cast and compare these values and a user's type could bring casts
-- of its own; key_type is the key's base type (no domain constraint runs when the owner writes a view's table).
-- base: the table (for triggers); only_base: ONLY the table (what the owner's functions read, not inheritors).
CREATE FUNCTION augur.view_source_rel(p_rel oid, tbl text, key text, cols text[], p_kind text, OUT base text, OUT only_base text,
    OUT rel oid, OUT key_type text, OUT categories text[]) LANGUAGE plpgsql AS $$
DECLARE att record; col text; cnt record; relkind "char";
BEGIN
    IF p_rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_rel) THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = format('cannot read %s, %s from %s: table "%s" does not exist', key,
            array_to_string(cols, ', '), tbl, lower(tbl));
    END IF;
    SELECT c.relkind INTO relkind FROM pg_catalog.pg_class c WHERE c.oid = p_rel;
    IF relkind <> 'r' THEN
        RAISE EXCEPTION USING ERRCODE = '42809', MESSAGE = format('cannot maintain a %s view over %s: it is not a table', p_kind, tbl);
    END IF;
    rel := p_rel;
    SELECT format('%I.%I', n.nspname, c.relname) INTO base FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = p_rel;
    only_base := 'ONLY ' || base;
    EXECUTE format('LOCK TABLE %s IN ACCESS SHARE MODE', only_base);  -- its columns stay as they are read below until commit
    categories := '{}';
    FOR i IN 0 .. cardinality(cols) LOOP
        col := CASE WHEN i = 0 THEN key ELSE cols[i] END;
        SELECT a.atttypid, augur.base_type(a.atttypid) AS bt, a.atttypmod, t.typtype INTO att
        FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = p_rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = format('cannot read %s, %s from %s: column "%s" does not exist', key,
                array_to_string(cols, ', '), tbl, col);
        END IF;
        IF att.bt >= 16384 THEN
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('cannot maintain a %s view over column %s.%s of type %s: Augur reads '
                || 'columns of built-in types (or domains over them) only; cast it in a table of a built-in type', p_kind, tbl, col,
                format_type(att.atttypid, att.atttypmod));
        END IF;
        IF i = 0 THEN
            key_type := format_type(att.bt, CASE WHEN att.typtype = 'd' THEN -1 ELSE att.atttypmod END);
        ELSE
            categories := categories || (SELECT t.typcategory::text FROM pg_catalog.pg_type t WHERE t.oid = att.bt);
        END IF;
    END LOOP;
    EXECUTE format('SELECT count(*) AS n, count(%1$I) AS nn, count(DISTINCT %1$I) AS nd FROM %2$s', key, only_base) INTO cnt;
    IF cnt.nn <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23502', MESSAGE = format('key column %s.%s has NULLs; a view needs a key on every row', tbl, key);
    END IF;
    IF cnt.nd <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = format('key column %s.%s is not unique (%s rows, %s distinct keys); '
            || 'a view needs one row per key', tbl, key, cnt.n, cnt.nd);
    END IF;
END $$;

-- 42501 unless role p_role (the one a view is created as) holds privilege priv on table rel (what creating the view over
-- it takes), and the catalog's owner too (a superuser always does; another owner needs the grant the message names)
CREATE FUNCTION augur.view_require_table(rel oid, tbl text, priv text, p_view text, p_role name) RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT has_table_privilege(p_role, rel, priv) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('permission denied for table %s: creating view ''%s'' over it takes '
            || '%s on it, which role %s does not have; ask its owner to GRANT %s ON %s TO %s', tbl, p_view, priv, p_role, priv,
            rel::regclass, quote_ident(p_role));
    END IF;
    IF NOT has_table_privilege(current_user, rel, priv) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('permission denied for table %s: Augur''s catalog owner %s maintains view '
            || '''%s'' and needs %s on it; GRANT %s ON %s TO %s', tbl, current_user, p_view, priv, priv, rel::regclass, current_user);
    END IF;
END $$;

-- the role a view is created as: the caller's CURRENT_USER, which its login role must be able to SET ROLE to (the
-- functions below are granted to augur_admin and could be called with any name)
CREATE FUNCTION augur.view_require_role(p_role name) RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_role IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_role)
       OR NOT pg_catalog.pg_has_role(session_user, p_role, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('permission denied to create a view as role %s: login role %s cannot SET '
            || 'ROLE to it; call AUGUR.CREATE_PREDICTION_VIEW as yourself (or SET ROLE to a role you belong to first)',
            coalesce(p_role::text, 'null'), session_user);
    END IF;
END $$;

CREATE FUNCTION augur.view_require_schema(p_schema name, p_view text, p_role name) RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT has_schema_privilege(p_role, p_schema, 'CREATE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('permission denied for schema %s: creating view ''%s'' there takes CREATE '
            || 'on it, which role %s does not have; create it in a schema of yours (SET search_path), or ask for GRANT CREATE ON SCHEMA %s TO %s',
            p_schema, p_view, p_role, quote_ident(p_schema), quote_ident(p_role));
    END IF;
    IF NOT has_schema_privilege(current_user, p_schema, 'CREATE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('permission denied for schema %s: Augur''s catalog owner %s creates the '
            || 'tables of view ''%s'' there and needs CREATE on it; GRANT CREATE ON SCHEMA %s TO %s', p_schema, current_user, p_view,
            quote_ident(p_schema), current_user);
    END IF;
END $$;

-- the input expressions of a view over columns cols of rel, for alias a (booleans as 0/1)
CREATE FUNCTION augur.view_inputs_sql(rel oid, cols text[], a text) RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(format(CASE WHEN t.typcategory = 'B' THEN '(%s.%I)::integer::float8' ELSE '(%s.%I)::float8' END, a, c.col)
                              ORDER BY c.i), '{}')
    FROM unnest(cols) WITH ORDINALITY AS c(col, i)
    JOIN pg_catalog.pg_attribute at ON at.attrelid = rel AND at.attname = c.col AND at.attnum > 0 AND NOT at.attisdropped
    JOIN pg_catalog.pg_type t ON t.oid = augur.base_type(at.atttypid)
$$;

-- the feature expression of a classification view (format placeholder %1$s: the row's alias), as V6 built it
CREATE FUNCTION augur.cv_features_sql(v augur.views, l augur.view_learners) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE inputs text[] := string_to_array(v.input_columns, ',');
BEGIN
    IF l.feature_type = 'bag_of_words' THEN
        RETURN format('augur.cv_bow((%%1$s.%I)::text, %s)', inputs[1], l.hash_bits);
    END IF;
    RETURN format('augur.cv_dense(%L, %L, ARRAY[%s]::float8[])', v.name, inputs,
        array_to_string(augur.view_inputs_sql(v.base_relation, inputs, '%1$s'), ', '));
END $$;

-- a classification view's label as text (numbers as the engine writes them), format placeholder %1$s: the row's alias
CREATE FUNCTION augur.cv_label_sql(v augur.views) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('augur.cv_label_text((%%1$s.%I)::text, %s)', v.label_column,
        CASE WHEN (SELECT t.typcategory FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = augur.base_type(a.atttypid)
                   WHERE a.attrelid = v.examples_relation AND a.attname = v.label_column AND a.attnum > 0 AND NOT a.attisdropped) = 'N'
             THEN 'true' ELSE 'false' END)
$$;

-- runs the view's generated scoring function with model d (in schema augur, named after the view, whatever the catalog says)
CREATE OR REPLACE FUNCTION augur.view_run(v augur.views, p_mode text, d augur.model_defs, lo float8, hi float8, dl1 float8, dl2 float8,
    dlinf float8, db float8, lip float8) RETURNS augur.view_work LANGUAGE plpgsql AS $$
DECLARE w augur.view_work;
BEGIN
    EXECUTE format('SELECT * FROM augur.%I($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)', 'augur_vr_' || md5(v.name))
    INTO w USING p_mode, d.kind, d.weights, d.bias[1], d.classes, d.version, v.tolerance, lo, hi, dl1, dl2, dlinf, db, lip;
    RETURN w;
END $$;

-- the table of an eager or hybrid view (or of a classification view: with_features), the catalog owner's
CREATE FUNCTION augur.view_make_table(vt text, key text, key_type text, with_features boolean, with_key boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE %s (%I %s NOT NULL%s, score float8, label varchar(256), margin float8, norm_1 float8, '
        || 'norm_2 float8, norm_inf float8, model_version integer, scored_at timestamptz, anchor_margin float8, '
        || 'dirty boolean NOT NULL DEFAULT false%s)', vt, key, key_type, CASE WHEN with_key THEN ' PRIMARY KEY' ELSE '' END,
        CASE WHEN with_features THEN ', f_idx integer[], f_val float8[]' ELSE '' END);
END $$;

CREATE FUNCTION augur.view_index_table(vt text, key text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE INDEX ON %s (margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (anchor_margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (%I) WHERE dirty', vt, key);
    EXECUTE format('GRANT SELECT ON %s TO augur_user', vt);
END $$;

-- the SQL view of a lazy view (scores on read) or of a hybrid view (labels kept in NAME_labels, scores on read)
CREATE FUNCTION augur.view_make_sql_view(v augur.views) RETURNS void LANGUAGE plpgsql AS $$
DECLARE inputs text[] := string_to_array(v.input_columns, ','); d augur.model_defs := augur.defs(v.model, v.model_version);
    base text := (SELECT format('ONLY %I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = v.base_relation);
    args text;
BEGIN
    IF v.mode = 'lazy' THEN
        args := (SELECT string_agg(format('%I', c), ', ' ORDER BY i) FROM unnest(inputs) WITH ORDINALITY u(c, i));
        EXECUTE format('CREATE VIEW %I.%I AS SELECT %I, public.predict(%L, %s) AS score%s FROM %s', v.view_schema, v.name, v.key_column,
            v.model, args, CASE WHEN d.kind <> 'linear' THEN format(', public.predict_label(%L, %s) AS label', v.model, args) ELSE '' END, base);
    ELSE
        EXECUTE format('CREATE VIEW %I.%I AS SELECT r.%I, public.predict(%L, %s) AS score, r.label, r.model_version, r.scored_at '
            || 'FROM %I.%I r JOIN %s b ON b.%I = r.%I', v.view_schema, v.name, v.key_column, v.model,
            (SELECT string_agg(format('b.%I', c), ', ' ORDER BY i) FROM unnest(inputs) WITH ORDINALITY u(c, i)),
            v.view_schema, v.name || '_labels', base, v.key_column, v.key_column);
    END IF;
    EXECUTE format('GRANT SELECT ON %I.%I TO augur_user', v.view_schema, v.name);
END $$;

-- Raised at the start of every generated function, before it touches a value of a user's table: the columns it reads
-- must still be of built-in types (or domains over them), as they were when the view was created; a creator could
-- ALTER one to a type of its own, whose casts would then run as the catalog owner. The table is locked first (no ALTER
-- until commit), and the types are those the executor will use (pg_typeof of the table's row type, not a snapshot of
-- pg_attribute, which in REPEATABLE READ could predate an ALTER). p_table (the scoring function, which reads the table
-- by name): still the table the view was created over, not one renamed into its place.
CREATE FUNCTION augur.view_guard(p_view text, p_rel oid, p_table text, cols text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t oid;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_rel) THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = format('the table prediction view ''%s'' was created over is gone; drop the view '
            || 'with AUGUR.DROP_PREDICTION_VIEW(''%s'')', p_view, p_view);
    END IF;
    EXECUTE format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', p_rel::regclass);
    IF p_table IS NOT NULL AND to_regclass(p_table) IS DISTINCT FROM p_rel THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = format('table %s is no longer the table prediction view ''%s'' was created '
            || 'over (that one was dropped or renamed); drop the view with AUGUR.DROP_PREDICTION_VIEW(''%s'') and create it again',
            p_table, p_view, p_view);
    END IF;
    FOR i IN 1 .. cardinality(cols) LOOP
        BEGIN
            EXECUTE format('SELECT pg_typeof((NULL::%s).%I)::oid', p_rel::regclass, cols[i]) INTO t;
        EXCEPTION WHEN undefined_column THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = format('column "%s" of %s, which prediction view ''%s'' reads, is gone; '
                || 'drop the view with AUGUR.DROP_PREDICTION_VIEW(''%s'')', cols[i], p_rel::regclass, p_view, p_view);
        END;
        IF t >= 16384 AND augur.base_type(t) >= 16384 THEN
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('column %s.%s, which prediction view ''%s'' reads, is now of type %s: '
                || 'Augur reads columns of built-in types (or domains over them) only; ALTER it back, or drop the view with '
                || 'AUGUR.DROP_PREDICTION_VIEW(''%s'')', p_rel::regclass, cols[i], p_view, format_type(t, NULL), p_view);
        END IF;
    END LOOP;
END $$;

-- a generated function's body with a guard as its first statement
CREATE FUNCTION augur.view_guarded(body text, guard text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(body, E'\nBEGIN\n', E'\nBEGIN\n' || guard || E'\n')
$$;

-- the guard of a row trigger: a look at the row's own types (pg_typeof, no query) and the catalog only for a domain or
-- a changed type; statement-level calls (TRUNCATE) read no value of the table
CREATE FUNCTION augur.view_row_guard(p_view text, cols text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('    IF TG_LEVEL = ''ROW'' THEN
        IF %s THEN
            PERFORM augur.view_guard(%L, TG_RELID, NULL, %L::text[]);
        END IF;
    END IF;', (SELECT string_agg(format('pg_typeof(NEW.%1$I)::oid >= 16384', c), ' OR ') FROM unnest(cols) c), p_view, cols)
$$;

-- Generates, in schema augur, the functions of eager, hybrid or classification view nm from its catalog row (and the
-- tables it reads), owned by the catalog owner and executable by no other role, and (re)creates its triggers. The
-- functions of an earlier generation (in schema augur, or V3..V6's in the view's schema) are dropped first, and
-- their triggers with them. Scoring (augur_vr_): SECURITY INVOKER, called by the owner's functions only; triggers
-- (augur_vt_, augur_vi_, augur_ct_, augur_cl_): SECURITY DEFINER, so that plain writers of the tables maintain the view.
CREATE FUNCTION augur.view_generate(nm text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v augur.views;
    l augur.view_learners;
    h text := md5(nm);
    f regprocedure;
    base text;
    only_base text;
    ex text;
    vt text;
    key text;
    inputs text[];
    d augur.model_defs;
    bow boolean;
    definer constant text := 'SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET row_security = off';
BEGIN
    SELECT * INTO v FROM augur.views x WHERE x.name = nm;
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname IN ('augur', v.view_schema)
               AND p.proname IN ('augur_vr_' || h, 'augur_vt_' || h, 'augur_vi_' || h, 'augur_ct_' || h, 'augur_cl_' || h) LOOP
        EXECUTE format('DROP FUNCTION %s CASCADE', f);
    END LOOP;
    IF v.mode = 'lazy' THEN
        RETURN;
    END IF;
    SELECT format('%I.%I', n.nspname, c.relname) INTO base FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = v.base_relation;
    IF base IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = format('the table of view ''%s'' (%s) is gone; drop the view with '
            || 'AUGUR.DROP_PREDICTION_VIEW(''%s'')', nm, v.base_table, nm);
    END IF;
    only_base := 'ONLY ' || base;
    vt := format('%I.%I', v.view_schema, CASE WHEN v.mode = 'hybrid' THEN nm || '_labels' ELSE nm END);
    key := v.key_column;
    inputs := string_to_array(v.input_columns, ',');
    IF v.kind = 'classification' THEN
        SELECT * INTO l FROM augur.view_learners x WHERE x.view_name = nm;
        SELECT format('%I.%I', n.nspname, c.relname) INTO ex FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = v.examples_relation;
        IF ex IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = format('the examples table of view ''%s'' (%s) is gone; drop the view with '
                || 'AUGUR.DROP_PREDICTION_VIEW(''%s'')', nm, v.examples_table, nm);
        END IF;
        EXECUTE format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s SET extra_float_digits = 3 AS %L', 'augur_ct_' || h,
            definer, augur.view_guarded(augur.cv_entity_trigger_body(nm, vt, key, inputs, augur.cv_features_sql(v, l)),
                                        augur.view_row_guard(nm, key || inputs)));
        EXECUTE format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s SET extra_float_digits = 3 AS %L', 'augur_cl_' || h,
            definer, augur.view_guarded(augur.cv_examples_trigger_body(nm, vt, key, v.examples_key, augur.cv_label_sql(v)),
                                        format('    PERFORM augur.view_guard(%L, TG_RELID, NULL, %L::text[]);', nm,
                                               ARRAY[v.examples_key, v.label_column])));
        EXECUTE format('REVOKE ALL ON FUNCTION augur.%I() FROM PUBLIC', 'augur_ct_' || h);
        EXECUTE format('REVOKE ALL ON FUNCTION augur.%I() FROM PUBLIC', 'augur_cl_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION augur.%I()',
            'augur_ct_' || h, base, 'augur_ct_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
            'augur_cx_' || h, base, 'augur_ct_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_new_examples FOR EACH STATEMENT '
            || 'EXECUTE FUNCTION augur.%I()', 'augur_cl_' || h, ex, 'augur_cl_' || h);
        RETURN;
    END IF;
    d := augur.defs(v.model, v.model_version);
    bow := (SELECT md.feature_type FROM augur.model_defs md WHERE md.name = v.model AND md.version = v.anchor_version) = 'bag_of_words';
    EXECUTE format('CREATE FUNCTION augur.%I(p_mode text, p_kind text, p_w float8[], p_b float8, p_classes text[], p_ver integer, '
        || 'p_tol float8, p_lo float8, p_hi float8, p_dl1 float8, p_dl2 float8, p_dlinf float8, p_db float8, p_lip float8) '
        || 'RETURNS augur.view_work LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET row_security = off AS %L',
        'augur_vr_' || h, augur.view_guarded(CASE WHEN bow THEN augur.view_bow_scoring_body(vt, only_base, key, inputs[1], v.model)
            ELSE augur.view_scoring_body(vt, only_base, key, augur.view_inputs_sql(v.base_relation, inputs, 'b'), v.model, d.inputs) END,
            format('    PERFORM augur.view_guard(%L, %s::oid, %L, %L::text[]);', nm, v.base_relation, base, key || inputs)));
    EXECUTE format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s AS %L', 'augur_vt_' || h, definer,
        augur.view_guarded(CASE WHEN bow THEN augur.view_bow_trigger_body(nm, vt, key, inputs[1])
            ELSE augur.view_trigger_body(nm, vt, key, inputs, augur.view_inputs_sql(v.base_relation, inputs, 'NEW')) END,
            augur.view_row_guard(nm, key || inputs)));
    EXECUTE format('REVOKE ALL ON FUNCTION augur.%I FROM PUBLIC', 'augur_vr_' || h);
    EXECUTE format('REVOKE ALL ON FUNCTION augur.%I FROM PUBLIC', 'augur_vt_' || h);
    IF bow THEN
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION augur.%I()',
            'augur_vt_' || h, base, 'augur_vt_' || h);
    ELSE
        EXECUTE format('CREATE FUNCTION augur.%I() RETURNS trigger LANGUAGE plpgsql %s AS %L', 'augur_vi_' || h, definer,
            augur.view_guarded(augur.view_set_trigger_body(nm, vt, key, inputs, augur.view_inputs_sql(v.base_relation, inputs, 'n'), v.model,
                                                           d.inputs),
                               format('    PERFORM augur.view_guard(%L, TG_RELID, NULL, %L::text[]);', nm, key || inputs)));
        EXECUTE format('REVOKE ALL ON FUNCTION augur.%I FROM PUBLIC', 'augur_vi_' || h);
        -- PostgreSQL takes transition tables on single-event triggers only: one per event, one function
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS augur_new FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
            'augur_vi_' || h, base, 'augur_vi_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS augur_old NEW TABLE AS augur_new FOR EACH STATEMENT '
            || 'EXECUTE FUNCTION augur.%I()', 'augur_vu_' || h, base, 'augur_vi_' || h);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS augur_old FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
            'augur_vd_' || h, base, 'augur_vi_' || h);
    END IF;
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION augur.%I()',
        'augur_vx_' || h, base, 'augur_vt_' || h);
END $$;

REVOKE EXECUTE ON FUNCTION augur.view_generate(text), augur.view_make_table(text, text, text, boolean, boolean),
    augur.view_index_table(text, text), augur.view_make_sql_view(augur.views) FROM PUBLIC;

-- ================================================================================================ views: the AUGUR functions

-- CREATE PREDICTION VIEW, run as the catalog's owner: V6's function, with the table and schema resolved by the caller
-- (augur.create_prediction_view) and what the calling login role may do checked. Every object it makes is the owner's.
CREATE FUNCTION augur.view_create(p_name text, p_query text, p_options text, p_schema text, p_rel oid, p_role name) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 SET row_security = off AS $$
DECLARE
    ident constant text := '[A-Za-z_][A-Za-z0-9_]*';
    nm text := augur.view_name(p_name);
    parts text[];
    key text;
    model text;
    inputs text[];
    tbl text;
    opts jsonb;
    mode text;
    tol float8;
    alp float8;
    src record;
    vschema name := p_schema;
    vt text;
    col text;
    cats text[];
    bow boolean;
    ver integer;
    sha text;
    d augur.model_defs;
    w augur.view_work;
    v augur.views;
BEGIN
    IF p_query IS NOT NULL THEN
        parts := regexp_match(p_query, '^\s*SELECT\s+(' || ident || ')\s*,\s*PREDICT\s*\(\s*''([^'']+)''\s*((?:,\s*' || ident
            || '\s*)+)\)\s*(?:AS\s+' || ident || '\s*)?FROM\s+(' || ident || '(?:\.' || ident || ')?)\s*;?\s*$', 'i');
    END IF;
    IF parts IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42601', MESSAGE = 'a prediction view is defined as SELECT key, PREDICT(''model'', column, ...)'
            || ' FROM table (plain column names), got: ' || coalesce(p_query, 'null');
    END IF;
    key := lower(parts[1]);
    model := augur.check_name(parts[2]);
    SELECT array_agg(lower(trim(c)) ORDER BY i) INTO inputs
    FROM unnest(string_to_array(parts[3], ',')) WITH ORDINALITY u(c, i) WHERE trim(c) <> '';
    tbl := parts[4];
    -- options
    IF p_options IS NULL OR trim(p_options) = '' THEN
        opts := '{}';
    ELSE
        BEGIN
            opts := p_options::jsonb;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options are not valid JSON: ' || p_options;
        END;
        IF jsonb_typeof(opts) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options must be a JSON object, got: ' || p_options;
        END IF;
    END IF;
    SELECT k INTO col FROM jsonb_object_keys(opts) k WHERE k NOT IN ('mode', 'tolerance', 'alpha') LIMIT 1;
    IF col IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown view option ''%s''; options: mode, tolerance, alpha', col);
    END IF;
    mode := lower(coalesce(opts ->> 'mode', 'eager'));
    IF mode NOT IN ('eager', 'lazy', 'hybrid') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('option mode must be eager, lazy or hybrid, got ''%s''', mode);
    END IF;
    tol := augur.view_option(opts, 'tolerance', 0);
    IF mode = 'hybrid' THEN
        -- the table keeps labels only (scores come from PREDICT on read): no score tolerance to keep
        tol := 'Infinity';
    END IF;
    alp := augur.view_option(opts, 'alpha', 1.0);
    -- a new name
    IF EXISTS (SELECT 1 FROM augur.views x WHERE x.name = nm) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('prediction view ''%s'' already exists; drop it first', nm);
    END IF;
    IF vschema IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '3F000', MESSAGE = 'no schema to create the view in: set search_path';
    END IF;
    PERFORM augur.view_require_role(p_role);
    PERFORM augur.view_require_schema(vschema, nm, p_role);
    IF to_regclass(format('%I.%I', vschema, nm)) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a table or view named ''%s'' already exists; choose another view name', nm);
    END IF;
    IF mode = 'hybrid' AND length(nm) > 56 THEN
        RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = format('hybrid view name ''%s'' is too long: at most 56 characters, as its '
            || 'labels live in table NAME_labels', nm);
    END IF;
    IF mode = 'hybrid' AND to_regclass(format('%I.%I', vschema, nm || '_labels')) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a table or view named ''%s_labels'' already exists; a hybrid view keeps '
            || 'its labels there: choose another view name', nm);
    END IF;
    -- the source: a table with the key and input columns, the key unique and never NULL, readable (and, for views
    -- kept by triggers, triggerable) by the caller and by the owner
    IF p_rel IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_rel) THEN
        PERFORM augur.view_require_table(p_rel, tbl, 'SELECT', nm, p_role);
        IF mode <> 'lazy' THEN
            PERFORM augur.view_require_table(p_rel, tbl, 'TRIGGER', nm, p_role);
        END IF;
    END IF;
    src := augur.view_source_rel(p_rel, tbl, key, inputs, 'prediction');
    PERFORM augur.view_guard(nm, src.rel, NULL, key || inputs);
    cats := src.categories;
    -- the model
    ver := augur.require_deployed(model);
    d := augur.defs(model, ver);
    SELECT m.sha256 INTO sha FROM augur.models m WHERE m.name = model AND m.version = ver;
    IF cardinality(d.inputs) <> cardinality(inputs) THEN
        PERFORM augur.wrong_arity(d, cardinality(inputs));
    END IF;
    IF d.outputs <> 1 THEN
        PERFORM augur.view_check_model(nm, d, cardinality(inputs), true);
    END IF;
    IF mode = 'lazy' THEN
        INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                                 model_sha256, anchor_version, learning_rate, l2, definition, view_schema, base_relation, created_by)
        VALUES (nm, 'prediction', mode, tol, alp, tbl, key, array_to_string(inputs, ','), model, ver, sha, ver, 0, 0, p_query, vschema,
                src.rel, p_role)
        RETURNING * INTO v;
        PERFORM augur.view_make_sql_view(v);
        RETURN 0;
    END IF;
    PERFORM augur.check_payload(model, ver);
    PERFORM augur.view_check_model(nm, d, cardinality(inputs), true);
    bow := d.feature_type = 'bag_of_words';
    IF bow AND cats[1] <> 'S' THEN
        SELECT format_type(a.atttypid, a.atttypmod) INTO col FROM pg_catalog.pg_attribute a WHERE a.attrelid = src.rel AND a.attname = inputs[1];
        RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('model ''%s'' input ''%s'' expects text, got column %s.%s of type %s; '
            || 'cast it in a table or view of text', model, d.inputs[1], tbl, inputs[1], col);
    END IF;
    FOR i IN 1 .. cardinality(inputs) LOOP
        IF cats[i] NOT IN ('N', 'B') AND NOT bow THEN
            SELECT format_type(a.atttypid, a.atttypmod) INTO col FROM pg_catalog.pg_attribute a WHERE a.attrelid = src.rel AND a.attname = inputs[i];
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('model ''%s'' input ''%s'' expects a number, got column %s.%s of type %s; '
                || 'cast it in a table or view of numbers', model, d.inputs[i], tbl, inputs[i], col);
        END IF;
    END LOOP;
    vt := format('%I.%I', vschema, CASE WHEN mode = 'hybrid' THEN nm || '_labels' ELSE nm END);
    INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                             model_sha256, anchor_version, learning_rate, l2, definition, view_schema, base_relation, routine, created_by)
    VALUES (nm, 'prediction', mode, tol, alp, tbl, key, array_to_string(inputs, ','), model, ver, sha, ver, 0, 0, p_query, vschema, src.rel,
            md5(nm), p_role)
    RETURNING * INTO v;
    PERFORM augur.view_save_anchor(nm, model, ver);
    PERFORM augur.view_make_table(vt, key, src.key_type, false, true);
    PERFORM augur.view_index_table(vt, key);
    PERFORM augur.view_generate(nm);
    -- score every row
    v := augur.view_lock(nm);
    w := augur.view_run(v, 'create', d, 0, 0, 0, 0, 0, 0, 0);
    UPDATE augur.views x SET max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0),
        max_norm_inf = coalesce(w.max_ninf, 0), max_deviation = 0, incremental_cost = 0
    WHERE x.name = nm;
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, millis, scorer)
    VALUES (nm, 'create', ver, w.written, w.rescored, w.written, 0, 'sql');
    IF mode = 'hybrid' THEN
        -- scores computed on read (always exact), labels kept eagerly
        PERFORM augur.view_make_sql_view(v);
    END IF;
    RETURN w.written;
END $$;

-- the entry point (as before): resolves the view's table and schema with the caller's search_path, then creates
CREATE OR REPLACE FUNCTION augur.create_prediction_view(p_name text, p_query text, p_options text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    ident constant text := '[A-Za-z_][A-Za-z0-9_]*';
    tbl text := (regexp_match(p_query, 'FROM\s+(' || ident || '(?:\.' || ident || ')?)\s*;?\s*$', 'i'))[1];
BEGIN
    RETURN augur.view_create(p_name, p_query, p_options, current_schema()::text, CASE WHEN tbl IS NOT NULL THEN to_regclass(lower(tbl)) END,
        current_user);
END $$;

-- CREATE CLASSIFICATION VIEW, run as the catalog's owner: V6's function, with the tables and schema resolved by the caller
-- (augur.create_classification_view), what the calling login role may do checked, and the options checked.
CREATE FUNCTION augur.cv_create(p_name text, p_entities text, p_key text, p_examples text, p_examples_key text, p_label text,
    p_feature_function text, p_kind text, p_options text, p_schema text, p_entities_rel oid, p_examples_rel oid, p_role name) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 SET row_security = off AS $$
DECLARE
    ident constant text := '^[A-Za-z_][A-Za-z0-9_]*$';
    nm text := augur.view_name(p_name);
    kind text := lower(coalesce(p_kind, 'logistic'));
    opts jsonb;
    bad text;
    rate float8; l2 float8; tol float8; alp float8; bits integer; epochs integer; seed bigint;
    parts text[];
    bow boolean;
    inputs text[];
    ent record;
    ex record;
    vschema name := p_schema;
    vt text;
    key text := lower(p_key);
    ekey text := lower(p_examples_key);
    lbl text := lower(p_label);
    features text;
    label_text text;
    numeric_label boolean;
    classes text[];
    dim integer;
    n integer;
    cnt bigint;
    r record;
    order_ids integer[];
    steps integer[] := '{}';
    etas float8[] := '{}';
    sh record;
    w augur.view_work;
    v augur.views;
    l augur.view_learners;
BEGIN
    IF kind NOT IN ('logistic', 'svm') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('a classification view learns a binary classifier: USING logistic or svm, got %s', p_kind);
    END IF;
    IF p_options IS NULL OR trim(p_options) = '' THEN
        opts := '{}';
    ELSE
        BEGIN
            opts := p_options::jsonb;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options are not valid JSON: ' || p_options;
        END;
        IF jsonb_typeof(opts) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options must be a JSON object, got: ' || p_options;
        END IF;
    END IF;
    SELECT o INTO bad FROM jsonb_object_keys(opts) o
    WHERE o NOT IN ('learning_rate', 'l2', 'hash_bits', 'epochs', 'tolerance', 'alpha', 'seed') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown view option ''%s''; options: learning_rate, l2, hash_bits, '
            || 'epochs, tolerance, alpha, seed', bad);
    END IF;
    rate := augur.view_option(opts, 'learning_rate', 0.5);
    l2 := augur.view_option(opts, 'l2', 1e-6);
    tol := augur.view_option(opts, 'tolerance', 0.01);
    alp := augur.view_option(opts, 'alpha', 1.0);
    bits := augur.view_int_option(opts, 'hash_bits', 18, 1, 24);
    epochs := augur.view_int_option(opts, 'epochs', 10, 0, NULL);
    seed := augur.view_seed_option(opts, 42);
    FOREACH bad IN ARRAY ARRAY[p_entities, p_key, p_examples, p_examples_key, p_label] LOOP
        IF bad IS NULL OR bad !~ ident THEN
            RAISE EXCEPTION USING ERRCODE = '42602', MESSAGE = format('invalid identifier ''%s'': use letters, digits and underscores',
                coalesce(bad, 'null'));
        END IF;
    END LOOP;
    parts := regexp_match(coalesce(p_feature_function, ''), '^\s*bag_of_words\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$', 'i');
    IF parts IS NOT NULL THEN
        bow := true;
        inputs := ARRAY[lower(parts[1])];
    ELSE
        parts := regexp_match(coalesce(p_feature_function, ''), '^\s*\(\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\)\s*$');
        IF parts IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '42601', MESSAGE = format('FEATURE FUNCTION must be bag_of_words(column) or (column, ...), got %s',
                p_feature_function);
        END IF;
        bow := false;
        SELECT array_agg(lower(trim(c)) ORDER BY i) INTO inputs FROM unnest(string_to_array(parts[1], ',')) WITH ORDINALITY u(c, i);
    END IF;
    IF EXISTS (SELECT 1 FROM augur.views x WHERE x.name = nm) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('prediction view ''%s'' already exists; drop it first', nm);
    END IF;
    IF vschema IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '3F000', MESSAGE = 'no schema to create the view in: set search_path';
    END IF;
    PERFORM augur.view_require_role(p_role);
    PERFORM augur.view_require_schema(vschema, nm, p_role);
    IF to_regclass(format('%I.%I', vschema, nm)) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a table or view named ''%s'' already exists; choose another view name', nm);
    END IF;
    FOR i IN 1 .. 2 LOOP
        IF (CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END) IS NOT NULL
           AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END) THEN
            PERFORM augur.view_require_table(CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END,
                CASE i WHEN 1 THEN p_entities ELSE p_examples END, 'SELECT', nm, p_role);
            PERFORM augur.view_require_table(CASE i WHEN 1 THEN p_entities_rel ELSE p_examples_rel END,
                CASE i WHEN 1 THEN p_entities ELSE p_examples END, 'TRIGGER', nm, p_role);
        END IF;
    END LOOP;
    ent := augur.view_source_rel(p_entities_rel, p_entities, key, inputs, 'classification');
    ex := augur.view_source_rel(p_examples_rel, p_examples, ekey, ARRAY[lbl], 'classification');
    PERFORM augur.view_guard(nm, ent.rel, NULL, key || inputs);
    PERFORM augur.view_guard(nm, ex.rel, NULL, ARRAY[ekey, lbl]);
    IF bow THEN
        dim := 1 << bits;
    ELSE
        dim := cardinality(inputs);
        FOR i IN 1 .. cardinality(inputs) LOOP
            IF ent.categories[i] NOT IN ('N', 'B') THEN
                RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('classification view ''%s'' input ''%s'' expects a number, got '
                    || 'column %s.%s of another type; cast it in a table or view of numbers', nm, inputs[i], p_entities, inputs[i]);
            END IF;
        END LOOP;
    END IF;
    numeric_label := ex.categories[1] = 'N';
    -- the view table, every entity's features first
    vt := format('%I.%I', vschema, nm);
    INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, model_version,
                             model_sha256, anchor_version, examples_table, examples_key, label_column, learning_rate, l2,
                             definition, view_schema, base_relation, routine, created_by, examples_relation)
    VALUES (nm, 'classification', 'eager', tol, alp, p_entities, key, array_to_string(inputs, ','), nm, 1, NULL, 1, p_examples, ekey,
            lbl, rate, l2, format('CLASSIFICATION VIEW KEY %s ENTITIES FROM %s EXAMPLES FROM %s KEY %s LABEL %s FEATURE FUNCTION %s USING %s',
                                  key, p_entities, p_examples, ekey, lbl, p_feature_function, kind),
            vschema, ent.rel, md5(nm), p_role, ex.rel)
    RETURNING * INTO v;
    l.feature_type := CASE WHEN bow THEN 'bag_of_words' ELSE 'dense' END;
    l.hash_bits := CASE WHEN bow THEN bits END;
    features := augur.cv_features_sql(v, l);
    label_text := augur.cv_label_sql(v);
    PERFORM augur.view_make_table(vt, key, ent.key_type, true, true);
    EXECUTE format('INSERT INTO %s (%I, f_idx, f_val, model_version, dirty) SELECT b.%I, (f).idx, (f).val, 1, false '
        || 'FROM (SELECT b.%I, %s AS f FROM %s b OFFSET 0) b', vt, key, key, key, format(features, 'b'), ent.only_base);  -- once per row
    -- the classes: the examples' two distinct labels, in numeric order for numeric labels (H2Views.classes)
    EXECUTE format('SELECT count(*) FILTER (WHERE e.%I IS NULL) FROM %s e', lbl, ex.only_base) INTO cnt;
    IF cnt > 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = format('an example of view ''%s'' has a NULL label; label every example', nm);
    END IF;
    EXECUTE format('SELECT array_agg(t ORDER BY %s) FROM (SELECT DISTINCT %s AS t FROM %s e) d',
        CASE WHEN numeric_label THEN 't::numeric' ELSE 't COLLATE "C"' END, format(label_text, 'e'), ex.only_base) INTO classes;
    IF coalesce(cardinality(classes), 0) <> 2 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('classification view ''%s'' starts from examples of exactly 2 classes, '
            || 'the examples have [%s]; insert examples of both classes first', nm, array_to_string(coalesce(classes, '{}'), ', '));
    END IF;
    -- the examples in key order (an example must name an entity), with their entities' features
    EXECUTE format($q$
        WITH j AS MATERIALIZED (
            SELECT row_number() OVER (ORDER BY e.%1$I%6$s) AS ord, e.%1$I::text AS key, %2$s AS label, v.%3$I IS NOT NULL AS found,
                   v.f_idx, v.f_val
            FROM %4$s e LEFT JOIN %5$s v ON v.%3$I = e.%1$I
        )
        SELECT (SELECT array_agg(j.key ORDER BY j.ord) FROM j) AS keys,
               (SELECT array_agg(array_position($1, j.label) - 1 ORDER BY j.ord) FROM j) AS targets,
               (SELECT array_agg(j.found ORDER BY j.ord) FROM j) AS found,
               (SELECT array_agg(j.f_idx IS NOT NULL ORDER BY j.ord) FROM j) AS usable,
               (SELECT array_agg(x.i ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS idx,
               (SELECT array_agg(x.v ORDER BY j.ord, x.o) FROM j, unnest(j.f_idx, j.f_val) WITH ORDINALITY AS x(i, v, o)) AS val,
               (SELECT array_agg(s.o ORDER BY s.ord) FROM (SELECT 0::bigint AS ord, 0::bigint AS o UNION ALL
                    SELECT j.ord, sum(coalesce(cardinality(j.f_idx), 0)) OVER (ORDER BY j.ord) FROM j) s) AS off$q$,
        ekey, format(label_text, 'e'), key, ex.only_base, vt, CASE WHEN ex.key_type ~ '^(text|character)' THEN ' COLLATE "C"' ELSE '' END)
    INTO r USING classes;
    n := coalesce(cardinality(r.keys), 0);
    FOR e IN 1 .. n LOOP
        IF NOT r.found[e] THEN
            RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('example key %s of view ''%s'' has no entity in %s; insert the entity first',
                r.keys[e], nm, p_entities);
        END IF;
    END LOOP;
    -- the initial training: epochs over the examples, each epoch in the order java.util.Random shuffles them to
    order_ids := ARRAY(SELECT generate_series(0, n - 1));
    seed := (seed # 25214903917) & 281474976710655;
    FOR epoch IN 0 .. epochs - 1 LOOP
        sh := augur.cv_shuffle(order_ids, seed);
        order_ids := sh.items;
        seed := sh.seed;
        FOR s IN 1 .. n LOOP
            IF r.usable[order_ids[s] + 1] THEN
                steps := steps || (order_ids[s] + 1);
                etas := etas || (rate / sqrt(1.0::float8 + epoch));
            END IF;
        END LOOP;
    END LOOP;
    sh := augur.cv_sgd(kind, l2, array_fill(0.0::float8, ARRAY[dim]), 0.0::float8, coalesce(r.idx, '{}'), coalesce(r.val, '{}'),
                       coalesce(r.off::integer[], '{0}'), r.targets, steps, etas);
    INSERT INTO augur.view_learners (view_name, kind, feature_type, hash_bits, inputs, classes, dimension, live_weights, live_bias,
                                     anchor_weights, anchor_bias)
    VALUES (nm, kind, CASE WHEN bow THEN 'bag_of_words' ELSE 'dense' END, CASE WHEN bow THEN bits END, inputs, classes, dim,
            sh.w, sh.b, sh.w, sh.b);
    -- score every entity
    v := augur.view_lock(nm);
    w := augur.cv_run(v, 'full', sh.w, sh.b, classes, 1, tol, 0, 0, 0, 0, 0, 0, 0.25);
    EXECUTE format('UPDATE %s SET norm_1 = n.n1, norm_2 = n.n2, norm_inf = n.ninf FROM (SELECT v.%I AS key, '
        || 'coalesce((SELECT sum(abs(x)) FROM unnest(v.f_val) x), 0) AS n1, coalesce((SELECT sqrt(sum(x * x)) FROM unnest(v.f_val) x), 0) AS n2, '
        || 'coalesce((SELECT max(abs(x)) FROM unnest(v.f_val) x), 0) AS ninf FROM %s v WHERE v.f_idx IS NOT NULL) n WHERE %I = n.key',
        vt, key, vt, key);
    EXECUTE format('UPDATE %s SET model_version = NULL, scored_at = CURRENT_TIMESTAMP WHERE f_idx IS NULL', vt);
    EXECUTE format('SELECT max(norm_1), max(norm_2), max(norm_inf), count(*) FROM %s', vt) INTO w.max_n1, w.max_n2, w.max_ninf, w.written;
    UPDATE augur.views x SET max_norm_1 = coalesce(w.max_n1, 0), max_norm_2 = coalesce(w.max_n2, 0),
        max_norm_inf = coalesce(w.max_ninf, 0), max_deviation = 0, incremental_cost = 0
    WHERE x.name = nm;
    PERFORM augur.view_index_table(vt, key);
    -- the triggers: entities (row level) and examples (statement level, over the statement's new rows)
    PERFORM augur.view_generate(nm);
    INSERT INTO augur.view_events (view_name, event, model_version, rows_checked, rows_rescored, rows_written, millis, scorer)
    VALUES (nm, 'create', 1, w.written, w.rescored, w.written, 0, 'sql');
    RETURN w.written;
END $$;

CREATE OR REPLACE FUNCTION augur.create_classification_view(p_name text, p_entities text, p_key text, p_examples text,
    p_examples_key text, p_label text, p_feature_function text, p_kind text DEFAULT 'logistic', p_options text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE ident constant text := '^[A-Za-z_][A-Za-z0-9_]*$';
BEGIN
    RETURN augur.cv_create(p_name, p_entities, p_key, p_examples, p_examples_key, p_label, p_feature_function, p_kind, p_options,
        current_schema()::text, CASE WHEN p_entities ~ ident THEN to_regclass(lower(p_entities)) END,
        CASE WHEN p_examples ~ ident THEN to_regclass(lower(p_examples)) END, current_user);
END $$;

-- V6's REFRESH, run as the owner for the view's creator (and its members, and superusers); the model checked first
CREATE OR REPLACE FUNCTION augur.refresh_prediction_view(p_name text, p_full boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; ver integer; d augur.model_defs;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    PERFORM augur.view_require_writer(v, 'refresh');
    IF v.mode NOT IN ('eager', 'hybrid') THEN
        RETURN 0;
    END IF;
    IF v.kind = 'classification' THEN
        RETURN augur.cv_model_changed(nm, 'refresh', coalesce(p_full, false));
    END IF;
    ver := augur.require_deployed(v.model);
    PERFORM augur.check_payload(v.model, ver);
    d := augur.defs(v.model, ver);
    PERFORM augur.view_check_model(nm, d, cardinality(string_to_array(v.input_columns, ',')), false);
    PERFORM augur.view_move_to(nm, ver);
    RETURN augur.view_model_changed(nm, 'refresh', coalesce(p_full, false));
END $$;

-- V6's DROP, run as the owner for the view's creator (and its members, and superusers): the generated functions go with
-- their triggers (DROP FUNCTION ... CASCADE, which needs no ownership of the tables they are on), then the owner's tables
CREATE OR REPLACE FUNCTION augur.drop_prediction_view(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; h text := md5(nm); f regprocedure; rel regclass;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    PERFORM augur.view_require_writer(v, 'drop');
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'augur'::regnamespace
               AND p.proname IN ('augur_vr_' || h, 'augur_vt_' || h, 'augur_vi_' || h, 'augur_ct_' || h, 'augur_cl_' || h) LOOP
        EXECUTE format('DROP FUNCTION %s CASCADE', f);
    END LOOP;
    -- only what is the owner's: never a table someone put in the place of the view's
    IF v.mode IN ('lazy', 'hybrid') THEN
        rel := to_regclass(format('%I.%I', v.view_schema, nm));
        IF rel IS NOT NULL AND (SELECT c.relowner = current_user::regrole AND c.relkind = 'v' FROM pg_catalog.pg_class c WHERE c.oid = rel) THEN
            EXECUTE format('DROP VIEW %s', rel);
        END IF;
    END IF;
    IF v.mode <> 'lazy' THEN
        rel := to_regclass(format('%I.%I', v.view_schema, CASE WHEN v.mode = 'hybrid' THEN nm || '_labels' ELSE nm END));
        IF rel IS NOT NULL AND (SELECT c.relowner = current_user::regrole AND c.relkind = 'r' FROM pg_catalog.pg_class c WHERE c.oid = rel) THEN
            EXECUTE format('DROP TABLE %s', rel);
        END IF;
    END IF;
    DELETE FROM augur.view_events WHERE view_name = nm;
    DELETE FROM augur.views WHERE name = nm;
    RETURN 1;
END $$;

REVOKE EXECUTE ON FUNCTION augur.view_create(text, text, text, text, oid, name),
    augur.cv_create(text, text, text, text, text, text, text, text, text, text, oid, oid, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION augur.view_create(text, text, text, text, oid, name),
    augur.cv_create(text, text, text, text, text, text, text, text, text, text, oid, oid, name) TO augur_admin;

-- ================================================================================================ existing views

-- Every view made by V3..V6 becomes the owner's: its creator is the owner of its table (or SQL view), which must still
-- hold what creating the view takes; its table is copied into a table of the owner's (the same rows), its SQL view
-- re-created, its functions generated in schema augur (V3..V6's, in the view's schema, dropped with their triggers).
DO $$
DECLARE
    v augur.views;
    vname text;
    rel regclass;
    creator oid;
    src record;
    vt text;
    old text;
    cols text;
    bad text;
BEGIN
    -- the owner reads what the creators owned: never through a policy of theirs
    PERFORM set_config('row_security', 'off', true);
    FOR v IN SELECT * FROM augur.views ORDER BY name LOOP
        vname := CASE WHEN v.mode = 'hybrid' THEN v.name || '_labels' ELSE v.name END;
        rel := to_regclass(format('%I.%I', v.view_schema, vname));
        IF rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = v.base_relation)
           OR v.kind = 'classification' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgname = 'augur_cl_' || v.routine) THEN
            RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = format('prediction view ''%s'' cannot be upgraded: its table %s.%s or a table '
                || 'it reads (%s) is gone; drop the view (SELECT AUGUR.DROP_PREDICTION_VIEW(''%s'')), then migrate again', v.name,
                v.view_schema, vname, coalesce(v.examples_table || ', ', '') || v.base_table, v.name);
        END IF;
        -- nothing changes under the migration: the view's table (it is rebuilt), the tables it reads
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', rel);
        EXECUTE format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', v.base_relation::regclass);
        creator := (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = rel);
        UPDATE augur.views x SET created_by = (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = creator),
            examples_relation = (SELECT t.tgrelid FROM pg_catalog.pg_trigger t WHERE t.tgname = 'augur_cl_' || v.routine LIMIT 1)
        WHERE x.name = v.name
        RETURNING * INTO v;
        IF v.examples_relation IS NOT NULL THEN
            EXECUTE format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', v.examples_relation::regclass);
        END IF;
        IF NOT has_table_privilege(creator, v.base_relation, 'SELECT')
           OR v.mode <> 'lazy' AND NOT has_table_privilege(creator, v.base_relation, 'TRIGGER')
           OR v.kind = 'classification' AND (v.examples_relation IS NULL OR NOT has_table_privilege(creator, v.examples_relation, 'SELECT')
                                             OR NOT has_table_privilege(creator, v.examples_relation, 'TRIGGER')) THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('prediction view ''%s'' cannot become the catalog owner''s: its creator %s '
                || 'no longer holds SELECT and TRIGGER on %s; drop the view (AUGUR.DROP_PREDICTION_VIEW(''%s'')) or grant them back, '
                || 'then migrate again', v.name, v.created_by, coalesce(v.examples_table || ' or ', '') || v.base_table, v.name);
        END IF;
        -- its table must still be a table, the columns copied below of built-in types, and nothing else may read it
        IF v.mode <> 'lazy' THEN
            IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = rel) <> 'r' THEN
                RAISE EXCEPTION USING ERRCODE = '42809', MESSAGE = format('prediction view ''%s'' cannot be upgraded: %s is no longer a table; '
                    || 'drop the view (AUGUR.DROP_PREDICTION_VIEW(''%s'')), then migrate again', v.name, rel, v.name);
            END IF;
            SELECT string_agg(format('%s (%s)', a.attname, format_type(a.atttypid, a.atttypmod)), ', ') INTO bad
            FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND augur.base_type(a.atttypid) >= 16384
              AND a.attname IN (v.key_column, 'score', 'label', 'margin', 'norm_1', 'norm_2', 'norm_inf', 'model_version', 'scored_at',
                                'anchor_margin', 'dirty', 'f_idx', 'f_val');
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = format('prediction view ''%s'' cannot be upgraded: columns %s of its table %s '
                    || 'are no longer of the types Augur made them; drop the view (AUGUR.DROP_PREDICTION_VIEW(''%s'')), then migrate again',
                    v.name, bad, rel, v.name);
            END IF;
            SELECT string_agg(DISTINCT x.obj, ', ') INTO bad FROM (
                SELECT r.ev_class::regclass::text AS obj FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
                WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = rel AND r.ev_class <> rel
                  AND r.ev_class IS DISTINCT FROM to_regclass(format('%I.%I', v.view_schema, v.name))
                UNION ALL
                SELECT c.conrelid::regclass::text FROM pg_catalog.pg_constraint c WHERE c.confrelid = rel AND c.conrelid <> rel
                UNION ALL
                SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = rel) x;
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '2BP01', MESSAGE = format('prediction view ''%s'' cannot be upgraded: %s depend on its table %s, '
                    || 'which this migration rebuilds as the catalog owner''s; drop them, migrate, and create them again', v.name, bad, rel);
            END IF;
        END IF;
        IF v.mode = 'lazy' THEN
            EXECUTE format('DROP VIEW %s', rel);
            PERFORM augur.view_make_sql_view(v);
            CONTINUE;
        END IF;
        IF v.mode = 'hybrid' AND to_regclass(format('%I.%I', v.view_schema, v.name)) IS NOT NULL THEN
            EXECUTE format('DROP VIEW %I.%I', v.view_schema, v.name);
        END IF;
        -- the same rows in a table of the owner's (nothing the creator attached to its table comes along)
        src := augur.view_source_rel(v.base_relation, v.base_table, v.key_column, '{}', v.kind);
        vt := format('%I.%I', v.view_schema, vname);
        old := format('%I.%I', v.view_schema, 'augur_old_' || v.routine);
        EXECUTE format('ALTER TABLE %s RENAME TO %I', vt, 'augur_old_' || v.routine);
        PERFORM augur.view_make_table(vt, v.key_column, src.key_type, v.kind = 'classification', false);
        cols := 'score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty'
            || CASE WHEN v.kind = 'classification' THEN ', f_idx, f_val' ELSE '' END;
        EXECUTE format('INSERT INTO %s (%I, %s) SELECT %I, %s FROM ONLY %s', vt, v.key_column, cols, v.key_column, cols, old);
        EXECUTE format('DROP TABLE %s', old);
        EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (%I)', vt, v.key_column);
        PERFORM augur.view_index_table(vt, v.key_column);
        PERFORM augur.view_generate(v.name);
        IF v.mode = 'hybrid' THEN
            PERFORM augur.view_make_sql_view(v);
        END IF;
    END LOOP;
END $$;
