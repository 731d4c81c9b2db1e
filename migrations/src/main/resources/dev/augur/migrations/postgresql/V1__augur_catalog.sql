-- Tables, data and one-off data changes only: every function (and the trigger that calls it) is defined once, in
-- the PostgreSQL binding's dev/augur/udf/postgresql/functions (Flyway repeatable migrations), whose afterMigrate.sql regenerates the generated functions
-- and applies the privileges of every function after each migrate. Up to 25032aa this script also carried function
-- bodies; databases that applied it then have its old checksum, which AugurCatalog repairs (see there).

-- Augur's catalog on PostgreSQL: the same tables and columns as on H2 (schema augur; unquoted names fold to
-- lower case, so AUGUR.MODELS means the same on both), a relational form of each model that PREDICT reads,
-- the AUGUR administration functions in PL/pgSQL, and the PREDICT family in schema public.
-- Nothing here needs Java inside the server: a stock client (psql, pgjdbc, a BI tool) gets PREDICT,
-- import, export, deploy, rollback and drop. Training runs in the engine (see augur.train_model).
CREATE SCHEMA IF NOT EXISTS augur;

CREATE TABLE augur.models (
    name          varchar(63)   NOT NULL,
    version       integer       NOT NULL,
    kind          varchar(16)   NOT NULL,
    inputs        varchar(4000) NOT NULL,
    classes       varchar(100000),
    spec          varchar(100000) NOT NULL,
    sha256        char(64)      NOT NULL,
    payload_bytes integer       NOT NULL,
    source        varchar(16)   NOT NULL,
    created_at    timestamptz   DEFAULT CURRENT_TIMESTAMP NOT NULL,
    created_by    varchar(128)  DEFAULT CURRENT_USER NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE augur.model_payloads (
    name    varchar(63) NOT NULL,
    version integer     NOT NULL,
    payload bytea       NOT NULL,
    PRIMARY KEY (name, version),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);

CREATE TABLE augur.deployed (
    name        varchar(63)  NOT NULL PRIMARY KEY,
    version     integer      NOT NULL,
    sha256      char(64)     NOT NULL,
    deployed_at timestamptz  NOT NULL,
    deployed_by varchar(128) NOT NULL,
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version)
);

CREATE TABLE augur.deployments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             varchar(63)  NOT NULL,
    version          integer      NOT NULL,
    previous_version integer,
    action           varchar(16)  NOT NULL CHECK (action IN ('deploy', 'rollback')),
    rolled_back      boolean      DEFAULT FALSE NOT NULL,
    at               timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    by_user          varchar(128) DEFAULT CURRENT_USER NOT NULL
);
CREATE INDEX deployments_by_name ON augur.deployments (name, id);

-- The relational form of a model version, written by augur.register_model from the model's JSON.
CREATE TABLE augur.model_defs (
    name         varchar(63) NOT NULL,
    version      integer     NOT NULL,
    kind         text        NOT NULL,
    feature_type text        NOT NULL CHECK (feature_type IN ('dense', 'bag_of_words')),
    inputs       text[]      NOT NULL,
    classes      text[]      NOT NULL,
    outputs      integer     NOT NULL,
    dimension    integer     NOT NULL,
    bias         float8[]    NOT NULL,
    weights      float8[],            -- dense: outputs x dimension, row-major
    weighting    text,                -- bag of words: binary | tf | tfidf
    ngrams       integer,
    hash_bits    integer,
    normalize    boolean,
    PRIMARY KEY (name, version),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);

-- bag of words: feature i is a vocabulary term (term NOT NULL) or a hashed bucket with its idf (term NULL)
CREATE TABLE augur.model_terms (
    name    varchar(63) NOT NULL,
    version integer     NOT NULL,
    feature integer     NOT NULL,
    term    text,
    idf     float8,
    PRIMARY KEY (name, version, feature),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);
CREATE INDEX model_terms_by_term ON augur.model_terms (name, version, term);

-- bag of words: the nonzero weights, one row per (feature, output)
CREATE TABLE augur.model_weights (
    name    varchar(63) NOT NULL,
    version integer     NOT NULL,
    feature integer     NOT NULL,
    output  integer     NOT NULL,
    weight  float8      NOT NULL,
    PRIMARY KEY (name, version, feature, output),
    FOREIGN KEY (name, version) REFERENCES augur.models (name, version) ON DELETE CASCADE
);

-- ------------------------------------------------------------------------------------------------- roles
-- augur_admin may register, deploy, roll back and drop (through the functions, which run as the catalog's
-- owner); augur_user may PREDICT and read the catalog. Grant them to login roles.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'augur_user') THEN
        CREATE ROLE augur_user NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'augur_admin') THEN
        CREATE ROLE augur_admin NOLOGIN;
    END IF;
    IF NOT pg_has_role('augur_admin', 'augur_user', 'MEMBER') THEN
        GRANT augur_user TO augur_admin;
    END IF;
END $$;

REVOKE ALL ON SCHEMA augur FROM PUBLIC;
GRANT USAGE ON SCHEMA augur TO augur_user;
GRANT SELECT ON ALL TABLES IN SCHEMA augur TO augur_user;
