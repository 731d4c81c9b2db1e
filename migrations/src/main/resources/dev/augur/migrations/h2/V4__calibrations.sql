-- Conformal calibrations: a calibrated model version (made by AUGUR.CALIBRATE_MODEL from another version, with the same
-- payload) keeps its nonconformity scores on the calibration set here, sorted, in one pool ('split', stratum 0) or one
-- list per true class ('mondrian', stratum 1..k in the model's class order). AUGUR.MODELS.CALIBRATION says which
-- versions are calibrated and how (NULL: not calibrated).
ALTER TABLE AUGUR.MODELS ADD COLUMN CALIBRATION VARCHAR(16) CHECK (CALIBRATION IN ('split', 'mondrian', 'normalized'));

CREATE TABLE AUGUR.CALIBRATIONS (
    NAME             VARCHAR(63) NOT NULL,
    VERSION          INTEGER     NOT NULL,
    METHOD           VARCHAR(16) NOT NULL CHECK (METHOD IN ('split', 'mondrian', 'normalized')),
    CALIBRATED_FROM  INTEGER     NOT NULL,
    ROWS_USED        INTEGER     NOT NULL,
    SPREAD_OFFSET    DOUBLE PRECISION, -- normalized: the median spread added to every spread
    CREATED_AT       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (NAME, VERSION),
    FOREIGN KEY (NAME, VERSION) REFERENCES AUGUR.MODELS (NAME, VERSION) ON DELETE CASCADE
);

CREATE TABLE AUGUR.CALIBRATION_SCORES (
    NAME        VARCHAR(63) NOT NULL,
    VERSION     INTEGER     NOT NULL,
    STRATUM     INTEGER     NOT NULL,
    CLASS_LABEL VARCHAR(100000),
    N           INTEGER     NOT NULL,
    SCORES      DOUBLE PRECISION ARRAY NOT NULL,
    PRIMARY KEY (NAME, VERSION, STRATUM),
    FOREIGN KEY (NAME, VERSION) REFERENCES AUGUR.CALIBRATIONS (NAME, VERSION) ON DELETE CASCADE
);
