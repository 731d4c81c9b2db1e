-- Classification views forget old examples for concept drift (dev.augur.engine.train.Forgetting), by at most one
-- of two options, NULL when not given: FORGET_DECAY d in (0, 1] multiplies the model by d before each SGD step;
-- FORGET_WINDOW N keeps a second model, restarted from zero after every N-th example learned online, that becomes
-- the live model at that moment. VIEW_WINDOWS holds that restarted model (members x dimension weights, row-major, and
-- one bias per member), written in the learning statement's transaction, so a rollback restores it with the model.
ALTER TABLE AUGUR.VIEWS ADD COLUMN FORGET_DECAY DOUBLE PRECISION;
ALTER TABLE AUGUR.VIEWS ADD COLUMN FORGET_WINDOW INTEGER;
-- what Forgetting.fromOptions takes, so that no UPDATE leaves a value the learner would not take
ALTER TABLE AUGUR.VIEWS ADD CONSTRAINT VIEWS_FORGETTING_CHECK CHECK (
    (FORGET_DECAY IS NULL OR (FORGET_DECAY > 0 AND FORGET_DECAY <= 1))
    AND (FORGET_WINDOW IS NULL OR FORGET_WINDOW BETWEEN 1 AND 1000000000)
    AND (FORGET_DECAY IS NULL OR FORGET_WINDOW IS NULL));
CREATE TABLE AUGUR.VIEW_WINDOWS (
    VIEW_NAME VARCHAR(63) NOT NULL PRIMARY KEY,
    WEIGHTS   DOUBLE PRECISION ARRAY NOT NULL,
    BIASES    DOUBLE PRECISION ARRAY NOT NULL,
    FOREIGN KEY (VIEW_NAME) REFERENCES AUGUR.VIEWS (NAME) ON DELETE CASCADE
);
