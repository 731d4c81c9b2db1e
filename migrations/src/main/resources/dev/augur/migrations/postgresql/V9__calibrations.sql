-- Tables and data only (functions live in the PostgreSQL binding's functions folder).

-- Conformal calibrations, as on H2: a calibrated model version (made by AUGUR.CALIBRATE_MODEL from another version,
-- with the same payload) keeps its nonconformity scores on the calibration set here, sorted, in one pool ('split',
-- stratum 0) or one list per true class ('mondrian', stratum 1..k in the model's class order).
-- AUGUR.MODELS.CALIBRATION says which versions are calibrated and how (NULL: not calibrated).
ALTER TABLE augur.models ADD COLUMN calibration varchar(16) CHECK (calibration IN ('split', 'mondrian', 'normalized'));

CREATE TABLE augur.calibrations (
    name             varchar(63) NOT NULL,
    version          integer     NOT NULL,
    method           varchar(16) NOT NULL CHECK (method IN ('split', 'mondrian', 'normalized')),
    calibrated_from  integer     NOT NULL,
    rows_used        integer     NOT NULL,
    spread_offset    float8,     -- normalized: the median spread added to every spread
    created_at       timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (name, version),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);

CREATE TABLE augur.calibration_scores (
    name        varchar(63) NOT NULL,
    version     integer     NOT NULL,
    stratum     integer     NOT NULL,
    class_label varchar(100000),
    n           integer     NOT NULL,
    scores      float8[]    NOT NULL,
    PRIMARY KEY (name, version, stratum),
    FOREIGN KEY (name, version) REFERENCES augur.calibrations (name, version) ON DELETE CASCADE
);

-- readable by any Augur client, as the other catalog tables; written only by the catalog owner's functions
REVOKE ALL ON augur.calibrations, augur.calibration_scores FROM PUBLIC;
GRANT SELECT ON augur.calibrations, augur.calibration_scores TO augur_user;
