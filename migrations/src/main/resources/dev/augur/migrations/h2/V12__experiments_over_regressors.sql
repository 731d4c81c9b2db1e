-- Experiments over regressors (issue 13): an experiment is rewarded by accuracy (classifiers: labels and correct ones,
-- as before) or by squared error (regressors: per arm the labels n, the sum of their squared errors and the sum of those
-- squared errors' squares, for their variance). The rules are the engine's (dev.augur.engine.selection.Experiment); the
-- H2 binding (dev.augur.udf.H2Experiments) keeps the sums in the label's transaction. PostgreSQL's V20 is the same.

-- every experiment before this one was over classifiers (regressors were refused)
ALTER TABLE AUGUR.EXPERIMENTS ADD COLUMN REWARD VARCHAR(16) DEFAULT 'accuracy' NOT NULL
    CHECK (REWARD IN ('accuracy', 'squared_error'));
ALTER TABLE AUGUR.EXPERIMENT_ARMS ADD COLUMN SQUARED_ERROR_SUM DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE AUGUR.EXPERIMENT_ARMS ADD COLUMN SQUARED_ERROR_SQUARES DOUBLE PRECISION DEFAULT 0 NOT NULL;

-- per arm: the traffic it got and what it realized; accuracy (and correct) for classifiers, mse and rmse for regressors,
-- NULL where they do not apply or before the first label
DROP VIEW AUGUR.EXPERIMENT_STATUS;
CREATE VIEW AUGUR.EXPERIMENT_STATUS AS
SELECT e.ID AS EXPERIMENT, e.MODEL, e.STRATEGY, a.ARM, a.MODEL_VERSION,
       (SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS s WHERE s.EXPERIMENT = e.ID AND s.MODEL_VERSION = a.MODEL_VERSION) AS ROUTED,
       a.LABELS,
       CASE WHEN e.REWARD = 'accuracy' THEN a.CORRECT END AS CORRECT,
       CASE WHEN e.REWARD = 'accuracy' AND a.LABELS > 0 THEN CAST(a.CORRECT AS DOUBLE PRECISION) / a.LABELS END AS ACCURACY,
       e.STARTED_AT, e.ENDED_AT, e.OUTCOME, e.REWARD,
       CASE WHEN e.REWARD = 'squared_error' AND a.LABELS > 0 THEN a.SQUARED_ERROR_SUM / a.LABELS END AS MSE,
       CASE WHEN e.REWARD = 'squared_error' AND a.LABELS > 0 THEN SQRT(a.SQUARED_ERROR_SUM / a.LABELS) END AS RMSE
FROM AUGUR.EXPERIMENTS e JOIN AUGUR.EXPERIMENT_ARMS a ON a.EXPERIMENT = e.ID;
