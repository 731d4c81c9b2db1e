-- What RECORD_PREDICTION (p_score) and RECORD_PREDICTION_PROBA (p_probabilities) record: the version given or the key's
-- routing (its model's experiment, else the deployed version); a version with more than two classes takes its
-- probabilities (one finite number in [0, 1] per class summing to 1 within LiveMetrics.PROBABILITY_SUM_TOLERANCE, 1e-6;
-- the score their largest, the first such class the predicted one), a binary one the second class's as its score.
-- Returns the version. As H2's H2Feedback.record and checkServed; the checks of one score and the experiment of a given
-- version are augur.served_one_score and augur.served_experiment (R__augur_served_checks.sql), which a view's served log
-- shares.
CREATE OR REPLACE FUNCTION augur.record_served(m text, p_key text, p_score float8, p_probabilities float8[], p_version integer,
    p_served_at timestamptz) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v integer;
    exp bigint;
    d augur.model_defs;
    n integer;
    total float8 := 0;
    top integer := 1;
BEGIN
    IF p_key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'the served prediction''s key is NULL; record the key it was served for';
    END IF;
    IF p_version IS NULL THEN
        SELECT r.version, r.experiment INTO v, exp FROM augur.experiment_routed(m, p_key) r;
    ELSE
        v := augur.require_version(m, p_version);
        exp := augur.served_experiment(m, v);
    END IF;
    d := augur.defs(m, v);
    n := coalesce(pg_catalog.cardinality(d.classes), 0);
    IF p_probabilities IS NULL THEN
        PERFORM augur.served_one_score(d);
    ELSE
        IF augur.kind_link(d.kind) = 'identity' THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('model ''%s'' is a regressor: it has no class probabilities; record its '
                || 'value with AUGUR.RECORD_PREDICTION', m);
        END IF;
        IF coalesce(pg_catalog.cardinality(p_probabilities), 0) <> n OR array_ndims(p_probabilities) > 1 THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('model ''%s'' has %s classes (%s), got %s probabilities; record one per '
                || 'class, in that order', m, n, pg_catalog.array_to_string(d.classes, ', '), coalesce(pg_catalog.cardinality(p_probabilities), 0));
        END IF;
        FOR c IN 1 .. n LOOP
            IF p_probabilities[c] IS NULL THEN
                RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = pg_catalog.format('the served probability of class ''%s'' of model ''%s'' is NULL; '
                    || 'record one per class', d.classes[c], m);
            END IF;
            IF NOT (p_probabilities[c] >= 0 AND p_probabilities[c] <= 1) THEN
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('the served probability of class ''%s'' of model ''%s'' must be a '
                    || 'finite number in [0, 1], got %s', d.classes[c], m, p_probabilities[c]);
            END IF;
            total := total + p_probabilities[c];
            IF p_probabilities[c] > p_probabilities[top] THEN
                top := c;
            END IF;
        END LOOP;
        IF NOT (abs(total - 1) <= 1e-6) THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('the served probabilities of model ''%s'' sum to %s, not 1 (within '
                || '1.0E-6); record the model''s probability of each class', m, total);
        END IF;
        IF n = 2 THEN
            p_score := p_probabilities[2];
            p_probabilities := NULL;
        ELSE
            p_score := p_probabilities[top];
        END IF;
    END IF;
    INSERT INTO augur.served_predictions (model, key_text, model_version, score, experiment, served_at, probabilities)
    VALUES (m, p_key, v, p_score, exp, coalesce(p_served_at, CURRENT_TIMESTAMP), p_probabilities);
    RETURN v;
END $$;
