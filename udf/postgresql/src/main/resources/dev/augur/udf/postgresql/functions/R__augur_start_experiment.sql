-- AUGUR.START_EXPERIMENT (DEPLOY MODEL m STRATEGY bandit|best OVER VERSIONS (...)): an experiment over versions of one
-- kind with the same inputs and classes, rewarded by the labels of one feedback of the model (classifiers by accuracy,
-- regressors by squared error); the deployed
-- version keeps serving PREDICT and views meanwhile; returns the experiment's id
CREATE OR REPLACE FUNCTION augur.start_experiment(p_model text, p_strategy text, p_versions text, p_options text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text := augur.check_name(p_model);
    strategy text := lower(trim(coalesce(p_strategy, '')));
    versions integer[] := '{}';
    part text;
    opts jsonb;
    bad text;
    first augur.model_defs;
    d augur.model_defs;
    fb text;
    all_fb text[];
    running augur.experiments;
    exp_id bigint;
    reward text;
    fb_target text;
BEGIN
    PERFORM augur.lock();
    IF strategy NOT IN ('bandit', 'best') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('unknown strategy ''%s''; use bandit (Thompson sampling) or best '
            || '(promote the best version once significant)', coalesce(p_strategy, 'null'));
    END IF;
    IF p_versions IS NULL OR trim(p_versions) = '' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('the versions of the experiment on model ''%s'' are missing; pass them as ''3,4''', m);
    END IF;
    FOREACH part IN ARRAY string_to_array(p_versions, ',') LOOP
        IF trim(part) !~ '^\d{1,10}$' OR trim(part)::bigint < 1 OR trim(part)::bigint > 2147483647 THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('''%s'' is not a list of version numbers for model ''%s''; pass them as ''3,4''',
                left(p_versions, 60), m);
        END IF;
        versions := versions || trim(part)::integer;
    END LOOP;
    IF pg_catalog.cardinality(versions) < 2 OR pg_catalog.cardinality(versions) > 16 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('an experiment on model ''%s'' needs 2 to 16 versions, got %s [%s]; write OVER VERSIONS (3, 4)',
            m, pg_catalog.cardinality(versions), pg_catalog.array_to_string(versions, ', '));
    END IF;
    IF pg_catalog.cardinality(versions) <> (SELECT count(DISTINCT v) FROM pg_catalog.unnest(versions) v) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('version %s of model ''%s'' is listed twice in OVER VERSIONS [%s]; list each version once',
            (SELECT v FROM pg_catalog.unnest(versions) v GROUP BY v HAVING count(*) > 1 LIMIT 1), m, pg_catalog.array_to_string(versions, ', '));
    END IF;
    BEGIN
        opts := coalesce(nullif(trim(p_options), ''), '{}')::jsonb;
    EXCEPTION WHEN invalid_text_representation THEN
        RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = pg_catalog.format('experiment options are not valid JSON: %s (example: {"floor": 0.1, "seed": 1})',
            left(p_options, 80));
    END;
    IF jsonb_typeof(opts) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = pg_catalog.format('experiment options must be a JSON object, got: %s (example: {"floor": 0.1, "seed": 1})',
            left(p_options, 80));
    END IF;
    SELECT k INTO bad FROM jsonb_object_keys(opts) k WHERE k NOT IN ('floor', 'seed', 'min_labels', 'confidence', 'feedback') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('unknown experiment option ''%s''; options: floor, seed, min_labels, confidence, feedback', bad);
    END IF;
    IF opts ? 'feedback' AND jsonb_typeof(opts -> 'feedback') <> 'string' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('experiment option ''feedback'' must be a feedback''s name as text, got %s',
            left((opts -> 'feedback')::text, 40));
    END IF;
    PERFORM augur.experiment_option(opts, 'floor', 0.1, 0, 0.9, false, 'a share from 0 to 0.9');
    PERFORM augur.experiment_option(opts, 'seed', 1, -9223372036854775808, 9223372036854775807, true, 'a 64-bit integer');
    PERFORM augur.experiment_option(opts, 'min_labels', 100, 1, 1000000000, true, 'an integer between 1 and 1000000000');
    PERFORM augur.experiment_option(opts, 'confidence', 0.95, 0.5, 0.9999, false, 'a confidence from 0.5 to 0.9999');
    PERFORM augur.require_deployed(m);
    SELECT * INTO running FROM augur.experiments x WHERE x.model = m AND x.ended_at IS NULL;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('model ''%s'' already has an experiment (%s); end it with ROLLBACK MODEL %s '
            || 'before starting another', m, augur.experiment_describe(running.id), m);
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(versions) LOOP
        PERFORM augur.require_version(m, versions[i]);
        PERFORM augur.check_payload(m, versions[i]);
        d := augur.defs(m, versions[i]);
        IF i = 1 THEN
            first := d;
        ELSIF d.kind <> first.kind OR d.inputs <> first.inputs OR d.classes <> first.classes OR d.feature_type <> first.feature_type THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('an experiment compares versions of one kind with the same inputs and classes: '
                || 'version %s of model ''%s'' is a %s on [%s] with classes [%s], version %s a %s on [%s] with classes [%s]',
                first.version, m, first.kind, pg_catalog.array_to_string(first.inputs, ', '), pg_catalog.array_to_string(first.classes, ', '),
                d.version, d.kind, pg_catalog.array_to_string(d.inputs, ', '), pg_catalog.array_to_string(d.classes, ', '));
        END IF;
    END LOOP;
    SELECT coalesce(pg_catalog.array_agg(f.name ORDER BY f.name), '{}') INTO all_fb FROM augur.feedbacks f WHERE f.model = m;
    IF opts ? 'feedback' THEN
        fb := lower(opts ->> 'feedback');
        IF NOT fb = ANY (all_fb) THEN
            RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = pg_catalog.format('model ''%s'' has no feedback ''%s''%s', m, opts ->> 'feedback',
                CASE WHEN pg_catalog.cardinality(all_fb) = 0 THEN '' ELSE '; its feedbacks: ' || pg_catalog.array_to_string(all_fb, ', ') END);
        END IF;
    ELSIF pg_catalog.cardinality(all_fb) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('model ''%s'' has no feedback to reward the versions of an experiment; '
            || 'CREATE FEEDBACK ... FOR MODEL %s first', m, m);
    ELSIF pg_catalog.cardinality(all_fb) > 1 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('model ''%s'' has feedbacks [%s]; name the one that rewards the experiment: '
            || 'WITH (feedback = ''%s'')', m, pg_catalog.array_to_string(all_fb, ', '), all_fb[1]);
    ELSE
        fb := all_fb[1];
    END IF;
    -- classifiers are rewarded by accuracy, regressors by squared error (Experiment.Reward), from labels of the matching kind
    reward := CASE WHEN augur.kind_link(first.kind) = 'identity' THEN 'squared_error' ELSE 'accuracy' END;
    SELECT f.target INTO fb_target FROM augur.feedbacks f WHERE f.name = fb;
    IF fb_target <> (CASE WHEN reward = 'accuracy' THEN 'class' ELSE 'value' END) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('feedback ''%s'' of model ''%s'' takes %s, but an experiment over %s; '
            || 'create a feedback for these versions and name it: WITH (feedback = ''...'')', fb, m,
            CASE WHEN fb_target = 'class' THEN 'class labels' ELSE 'numeric labels' END,
            CASE WHEN reward = 'accuracy' THEN 'classifiers is rewarded by accuracy and needs class labels'
                 ELSE 'regressors is rewarded by squared error and needs numeric labels' END);
    END IF;
    INSERT INTO augur.experiments (model, strategy, feedback, exploration_floor, seed, min_labels, confidence, reward)
    VALUES (m, strategy, fb, augur.experiment_option(opts, 'floor', 0.1, 0, 0.9, false, ''),
            augur.experiment_option(opts, 'seed', 1, -9223372036854775808, 9223372036854775807, true, ''),
            augur.experiment_option(opts, 'min_labels', 100, 1, 1000000000, true, ''),
            augur.experiment_option(opts, 'confidence', 0.95, 0.5, 0.9999, false, ''), reward)
    RETURNING experiments.id INTO exp_id;
    INSERT INTO augur.experiment_arms (experiment, arm, model_version)
    SELECT exp_id, o - 1, v FROM pg_catalog.unnest(versions) WITH ORDINALITY AS t(v, o);
    RETURN exp_id::integer;
END $$;
