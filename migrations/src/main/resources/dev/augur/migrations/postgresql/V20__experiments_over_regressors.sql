-- Experiments over regressors (issue 13), as H2's V12: an experiment is rewarded by accuracy (classifiers: labels and
-- correct ones, as before) or by squared error (regressors: per arm the labels n, the sum of their squared errors and the
-- sum of those squared errors' squares, for their variance). Tables and views only; the functions are the PostgreSQL
-- binding's (R__augur_experiment_*.sql), the rules the engine's (dev.augur.engine.selection.Experiment).

-- every experiment before this one was over classifiers (regressors were refused)
ALTER TABLE augur.experiments ADD COLUMN reward varchar(16) NOT NULL DEFAULT 'accuracy'
    CHECK (reward IN ('accuracy', 'squared_error'));
ALTER TABLE augur.experiment_arms ADD COLUMN squared_error_sum float8 NOT NULL DEFAULT 0,
    ADD COLUMN squared_error_squares float8 NOT NULL DEFAULT 0;

-- per arm: the traffic it got and what it realized; accuracy (and correct) for classifiers, mse and rmse for regressors,
-- NULL where they do not apply or before the first label (the columns of V12 keep their places; the new ones follow)
CREATE OR REPLACE VIEW augur.experiment_status AS
SELECT e.id AS experiment, e.model, e.strategy, a.arm, a.model_version,
       (SELECT count(*) FROM augur.served_predictions s WHERE s.experiment = e.id AND s.model_version = a.model_version) AS routed,
       a.labels,
       CASE WHEN e.reward = 'accuracy' THEN a.correct END AS correct,
       CASE WHEN e.reward = 'accuracy' AND a.labels > 0 THEN a.correct::float8 / a.labels END AS accuracy,
       e.started_at, e.ended_at, e.outcome, e.reward,
       CASE WHEN e.reward = 'squared_error' AND a.labels > 0 THEN a.squared_error_sum / a.labels END AS mse,
       CASE WHEN e.reward = 'squared_error' AND a.labels > 0 THEN sqrt(a.squared_error_sum / a.labels) END AS rmse
FROM augur.experiments e JOIN augur.experiment_arms a ON a.experiment = e.id;
