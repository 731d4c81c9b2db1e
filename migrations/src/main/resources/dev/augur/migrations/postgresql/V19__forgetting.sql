-- Tables and data only (functions live in the PostgreSQL binding's functions folder).

-- Classification views forget old examples for concept drift, as on H2 (its V10; dev.augur.engine.train.Forgetting),
-- by at most one of two options, NULL when not given: forget_decay d in (0, 1] multiplies the model by d before each
-- SGD step; forget_window N keeps a second model, restarted from zero after every N-th example learned online, that
-- becomes the live model at that moment. The learner holds that restarted model (members x dimension weights,
-- row-major, and one bias per member), updated in the learning statement's transaction.
ALTER TABLE augur.views ADD COLUMN forget_decay float8, ADD COLUMN forget_window integer;
-- what Forgetting.fromOptions takes, so that no UPDATE leaves a value the learner would not take
ALTER TABLE augur.views ADD CONSTRAINT views_forgetting_check CHECK (
    (forget_decay IS NULL OR (forget_decay > 0 AND forget_decay <= 1))
    AND (forget_window IS NULL OR forget_window BETWEEN 1 AND 1000000000)
    AND (forget_decay IS NULL OR forget_window IS NULL));
ALTER TABLE augur.view_learners ADD COLUMN restarted_weights float8[], ADD COLUMN restarted_biases float8[];
