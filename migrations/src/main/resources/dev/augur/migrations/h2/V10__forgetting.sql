-- Classification views forget old examples for concept drift (dev.augur.engine.train.Forgetting), by at most one
-- of two options, NULL when not given: FORGET_DECAY d in (0, 1] multiplies the model by d before each SGD step;
-- FORGET_WINDOW N keeps a second model, restarted from zero after every N-th example learned online, that becomes
-- the live model at that moment. VIEW_WINDOWS holds that restarted model (members x dimension weights, row-major, and
-- one bias per member), written in the learning statement's transaction, so a rollback restores it with the model.
ALTER TABLE AUGUR.VIEWS ADD COLUMN FORGET_DECAY DOUBLE PRECISION;
ALTER TABLE AUGUR.VIEWS ADD COLUMN FORGET_WINDOW INTEGER;
CREATE TABLE AUGUR.VIEW_WINDOWS (
    VIEW_NAME VARCHAR(63) NOT NULL PRIMARY KEY,
    WEIGHTS   DOUBLE PRECISION ARRAY NOT NULL,
    BIASES    DOUBLE PRECISION ARRAY NOT NULL,
    FOREIGN KEY (VIEW_NAME) REFERENCES AUGUR.VIEWS (NAME) ON DELETE CASCADE
);
