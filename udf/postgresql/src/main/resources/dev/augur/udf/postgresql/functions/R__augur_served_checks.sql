-- What the served log checks of a served prediction, and what it records with it, shared by AUGUR.RECORD_PREDICTION
-- (augur.record_prediction, augur.record_served) and by the served log of prediction views (augur.view_served_log), as
-- H2's H2Feedback.recordPrediction, checkServed and H2Experiments.experimentOf.

-- a served score: a finite number (22023 otherwise); returns it
CREATE OR REPLACE FUNCTION augur.served_score(m text, p_score float8) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
BEGIN
    IF p_score IS NULL OR p_score = 'NaN'::float8 OR p_score IN ('Infinity'::float8, '-Infinity'::float8) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('the served score of model ''%s'' must be a finite number, got %s', m,
            coalesce(p_score::text, 'null'));
    END IF;
    RETURN p_score;
END $$;

-- a version served by one score: a classifier of more than two classes is served by the probability of each (22023)
CREATE OR REPLACE FUNCTION augur.served_one_score(d augur.model_defs) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE n integer := coalesce(pg_catalog.cardinality(d.classes), 0);
BEGIN
    IF n > 2 AND augur.kind_link(d.kind) <> 'identity' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('model ''%s'' version %s has %s classes (%s): record the probability of '
            || 'each with AUGUR.RECORD_PREDICTION_PROBA, not one score', d.name, d.version, n, pg_catalog.array_to_string(d.classes, ', '));
    END IF;
END $$;

-- the experiment a prediction served by version v (given, not routed) belongs to: the model's running experiment that has v
-- among its arms; NULL when none
CREATE OR REPLACE FUNCTION augur.served_experiment(m text, v integer) RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE exp bigint;
BEGIN
    SELECT x.id INTO exp FROM augur.experiments x JOIN augur.experiment_arms a ON a.experiment = x.id
    WHERE x.model = m AND x.ended_at IS NULL AND a.model_version = v;
    RETURN exp;
END $$;
