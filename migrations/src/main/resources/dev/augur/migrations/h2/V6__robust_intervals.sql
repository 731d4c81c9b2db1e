-- Robust predictions: quantile models are calibrated by conformalized quantile regression (method 'cqr'), and
-- AUGUR.MODELS.INTERVAL_SOURCE says what answers PREDICT_INTERVAL for a version: 'conformal' (a calibrated regressor),
-- 'model' (an uncalibrated Bayesian or quantile regressor's own interval) or NULL (none: a classifier, or a plain
-- regressor before CALIBRATE_MODEL).
-- H2 names a column's CHECK itself, so a column whose check widens is replaced in place (dropping a column drops its check).
ALTER TABLE AUGUR.MODELS ADD COLUMN CALIBRATION_WIDER VARCHAR(16)
    CHECK (CALIBRATION_WIDER IN ('split', 'mondrian', 'normalized', 'cqr')) AFTER CALIBRATION;
UPDATE AUGUR.MODELS SET CALIBRATION_WIDER = CALIBRATION;
ALTER TABLE AUGUR.MODELS DROP COLUMN CALIBRATION;
ALTER TABLE AUGUR.MODELS ALTER COLUMN CALIBRATION_WIDER RENAME TO CALIBRATION;

ALTER TABLE AUGUR.CALIBRATIONS ADD COLUMN METHOD_WIDER VARCHAR(16)
    CHECK (METHOD_WIDER IN ('split', 'mondrian', 'normalized', 'cqr')) AFTER METHOD;
UPDATE AUGUR.CALIBRATIONS SET METHOD_WIDER = METHOD;
ALTER TABLE AUGUR.CALIBRATIONS DROP COLUMN METHOD;
ALTER TABLE AUGUR.CALIBRATIONS ALTER COLUMN METHOD_WIDER RENAME TO METHOD;
ALTER TABLE AUGUR.CALIBRATIONS ALTER COLUMN METHOD SET NOT NULL;

ALTER TABLE AUGUR.MODELS ADD COLUMN INTERVAL_SOURCE VARCHAR(16) CHECK (INTERVAL_SOURCE IN ('conformal', 'model'));
-- the versions before this migration: the calibrated regressors (kinds linear and bagged_linear then) are conformal
UPDATE AUGUR.MODELS SET INTERVAL_SOURCE = 'conformal' WHERE CALIBRATION IS NOT NULL AND KIND IN ('linear', 'bagged_linear');
