-- Tables, data and one-off data changes only: every function (and the trigger that calls it) is defined once, in
-- the PostgreSQL binding's dev/augur/udf/postgresql/functions (Flyway repeatable migrations), whose afterMigrate.sql regenerates the generated functions
-- and applies the privileges of every function after each migrate. Up to 25032aa this script also carried function
-- bodies; databases that applied it then have its old checksum, which AugurCatalog repairs (see there).

-- Eager prediction views on PostgreSQL, in PL/pgSQL only: the same functions, return values and SQLSTATEs as
-- H2's (AUGUR.CREATE_PREDICTION_VIEW / REFRESH_PREDICTION_VIEW / DROP_PREDICTION_VIEW), the same catalog tables
-- (augur.views, augur.view_models, augur.view_events), and the same maintenance rules (ViewIndex on H2):
--   * data changes: a row trigger on the base table re-scores the changed row in the same transaction;
--   * model changes: DEPLOY_MODEL / ROLLBACK_MODEL maintain every eager
--     view of the model in the same transaction, re-scoring only rows whose Hölder bound says their label (or
--     their score beyond the tolerance) can change, as one set-based UPDATE; the skiing rule (alpha) re-anchors.
-- Dense linear, logistic and svm models only: eager views of bag-of-words models are refused with 0A000 (a lazy
-- view, a plain SQL view over PREDICT, works for every model PREDICT takes).
--
-- Per view, CREATE_PREDICTION_VIEW generates two functions next to the view table, owned by the view's creator
-- (SECURITY DEFINER with a fixed search_path, so any writer of the base table and the catalog owner running
-- DEPLOY can maintain the creator's table; EXECUTE only for augur_admin and the catalog owner):
--   augur_vt_<md5(view)>()    the data trigger (row level for INSERT/UPDATE/DELETE, statement level for TRUNCATE);
--   augur_vr_<md5(view)>(...) the set-based scoring of the view (create, full re-scoring, Hölder-band re-scoring),
--                             with the base table, key and input columns compiled in and the model passed as arrays.
-- The view table has two columns beyond H2's: anchor_margin (the row's margin under the anchor model, the one of
-- the last full scoring; indexed, so the band |anchor_margin| <= bound is an index range) and dirty (written by the
-- data trigger since the anchor: Hazy's "unsorted" rows, always checked by the band).

CREATE TABLE augur.views (
    name             varchar(63)   NOT NULL PRIMARY KEY,
    kind             varchar(16)   NOT NULL CHECK (kind IN ('prediction', 'classification')),
    mode             varchar(8)    NOT NULL CHECK (mode IN ('eager', 'lazy')),
    tolerance        float8        NOT NULL,
    alpha            float8        NOT NULL,
    base_table       varchar(128)  NOT NULL,
    key_column       varchar(128)  NOT NULL,
    input_columns    varchar(4000) NOT NULL,
    model            varchar(63)   NOT NULL,
    model_version    integer,
    model_sha256     char(64),
    anchor_version   integer,
    examples_table   varchar(128),
    examples_key     varchar(128),
    label_column     varchar(128),
    learning_rate    float8,
    l2               float8,
    tx_token         varchar(36)   NOT NULL DEFAULT gen_random_uuid()::text,
    definition       varchar(10000) NOT NULL,
    created_at       timestamptz   DEFAULT CURRENT_TIMESTAMP NOT NULL,
    -- PostgreSQL only: where the view lives, its generated functions, and the maintenance state H2 keeps in memory
    view_schema      name,
    base_relation    oid,
    routine          varchar(32),
    incremental_cost float8        NOT NULL DEFAULT 0,
    max_norm_1       float8        NOT NULL DEFAULT 0,
    max_norm_2       float8        NOT NULL DEFAULT 0,
    max_norm_inf     float8        NOT NULL DEFAULT 0,
    max_deviation    float8        NOT NULL DEFAULT 0
);

-- the models a view is maintained against: 'anchor' (its last full scoring)
CREATE TABLE augur.view_models (
    view_name varchar(63) NOT NULL REFERENCES augur.views (name) ON DELETE CASCADE,
    role      varchar(8)  NOT NULL CHECK (role IN ('anchor', 'live')),
    version   integer     NOT NULL,
    sha256    char(64)    NOT NULL,
    payload   bytea       NOT NULL,
    PRIMARY KEY (view_name, role)
);

CREATE TABLE augur.view_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name     varchar(63) NOT NULL,
    at            timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    event         varchar(16) NOT NULL,
    model_version integer,
    rows_checked  bigint NOT NULL,
    rows_rescored bigint NOT NULL,
    rows_written  bigint NOT NULL,
    bound         float8,
    millis        float8 NOT NULL,
    scorer        varchar(16),
    note          varchar(1000)
);
CREATE INDEX view_events_by_view ON augur.view_events (view_name, id);

-- what one call of a view's generated scoring function did
CREATE TYPE augur.view_work AS (checked bigint, rescored bigint, written bigint, max_dev float8,
                                max_n1 float8, max_n2 float8, max_ninf float8);

-- ------------------------------------------------------------------------------------------------- roles
-- augur_user reads the view catalog (and each view table); augur_admin creates, refreshes and drops views.
GRANT SELECT ON augur.views, augur.view_models, augur.view_events TO augur_user;
GRANT INSERT, UPDATE, DELETE ON augur.views, augur.view_models, augur.view_events TO augur_admin;
