-- Tables, data and one-off data changes only: every function (and the trigger that calls it) is defined once, in
-- the PostgreSQL binding's dev/augur/udf/postgresql/functions (Flyway repeatable migrations), whose afterMigrate.sql regenerates the generated functions
-- and applies the privileges of every function after each migrate. Up to 25032aa this script also carried function
-- bodies; databases that applied it then have its old checksum, which AugurCatalog repairs (see there).

-- Classification views on PostgreSQL, in PL/pgSQL only: the same function, options, return values, SQLSTATEs
-- and semantics as H2's AUGUR.CREATE_CLASSIFICATION_VIEW. A view of every entity's predicted class, trained on an
-- examples table when created and learning online from every INSERT into it:
--   * creation: the examples present train the first model, as the engine's SgdTrainer-free loop in H2Views does
--     (examples in key order, shuffled per epoch by java.util.Random's algorithm with the same seed, learning rate
--     rate / sqrt(1 + epoch), LinearSgd's steps: logistic or hinge loss, L2 decay through a lazy scale);
--   * an INSERT into the examples table: a statement trigger runs one SGD step per example, in insertion order, at
--     the constant learning rate, on the live model; the model becomes the view's next version and the view is
--     maintained by the Hölder bound (V3's plans and skiing rule), in the same transaction;
--   * entities: a row trigger keeps each entity's features and scores in the same transaction.
-- Unlike prediction views, each row keeps its feature vector (f_idx: 0-based feature numbers, f_val: values), as
-- H2 keeps it in memory, so learning and re-scoring never re-tokenize a text. The live and anchor models are
-- float8 arrays in augur.view_learners (H2 keeps encoded payloads in VIEW_MODELS; views.model_sha256 stays NULL).

CREATE TABLE augur.view_learners (
    view_name      varchar(63) NOT NULL PRIMARY KEY REFERENCES augur.views (name) ON DELETE CASCADE,
    kind           varchar(16) NOT NULL CHECK (kind IN ('logistic', 'svm')),
    feature_type   varchar(16) NOT NULL CHECK (feature_type IN ('dense', 'bag_of_words')),
    hash_bits      integer,
    inputs         text[]      NOT NULL,
    classes        text[]      NOT NULL,
    dimension      integer     NOT NULL,
    live_weights   float8[]    NOT NULL,
    live_bias      float8      NOT NULL,
    anchor_weights float8[]    NOT NULL,
    anchor_bias    float8      NOT NULL,
    examples       bigint      NOT NULL DEFAULT 0
);
GRANT SELECT ON augur.view_learners TO augur_user;
GRANT INSERT, UPDATE, DELETE ON augur.view_learners TO augur_admin;

-- ================================================================================================ hybrid views

-- Hybrid prediction views on PostgreSQL, as on H2: WITH (mode = hybrid) keeps labels eagerly in table NAME_labels
-- (maintained like an eager view with an infinite score tolerance, so a model change re-scores only the rows whose
-- label its Hölder bound says can flip) behind a view NAME (key, score, label, model_version, scored_at) whose scores
-- PREDICT computes on read, hence always exact. Here: the mode the views table accepts.
--
-- Bulk changes: a dense view created from now on follows INSERT, UPDATE and DELETE with statement-level triggers over
-- the statement's transition tables (set-based, the same float8 operations as the row trigger's view_score_row)
-- instead of a row trigger running per row (~90 us a row against ~2 us for the INSERT itself); TRUNCATE as before.

ALTER TABLE augur.views DROP CONSTRAINT views_mode_check;
ALTER TABLE augur.views ADD CONSTRAINT views_mode_check CHECK (mode IN ('eager', 'lazy', 'hybrid'));
