-- Tables and data only (functions live in the PostgreSQL binding's functions folder).

-- Robust predictions, as on H2: quantile models are calibrated by conformalized quantile regression (method 'cqr'), and
-- augur.models.interval_source says what answers PREDICT_INTERVAL for a version: 'conformal' (a calibrated regressor),
-- 'model' (an uncalibrated Bayesian or quantile regressor's own interval) or NULL (none: a classifier, or a plain
-- regressor before CALIBRATE_MODEL).
ALTER TABLE augur.models DROP CONSTRAINT models_calibration_check;
ALTER TABLE augur.models ADD CONSTRAINT models_calibration_check CHECK (calibration IN ('split', 'mondrian', 'normalized', 'cqr'));
ALTER TABLE augur.calibrations DROP CONSTRAINT calibrations_method_check;
ALTER TABLE augur.calibrations ADD CONSTRAINT calibrations_method_check CHECK (method IN ('split', 'mondrian', 'normalized', 'cqr'));

ALTER TABLE augur.models ADD COLUMN interval_source varchar(16) CHECK (interval_source IN ('conformal', 'model'));
-- the versions before this migration: the calibrated regressors (kinds linear and bagged_linear then) are conformal
UPDATE augur.models SET interval_source = 'conformal' WHERE calibration IS NOT NULL AND kind IN ('linear', 'bagged_linear');
