-- Tables and data only (functions live in the PostgreSQL binding's functions folder).

-- Classification views of ensembles (USING bagged_logistic | bagged_svm, dense features), as on H2 (its V9): the
-- learner holds every member's weights (members x dimension, row-major, in live_weights and anchor_weights) and
-- biases (live_biases, anchor_biases; live_bias and anchor_bias stay NULL), and the seed of the view's online bagging:
-- member k takes n_k ~ Poisson(1) SGD steps on an example, n_k drawn from a hash of the seed, k and the example's
-- ordinal, which is the examples column (the examples learned online before it, restored by a rollback).
ALTER TABLE augur.view_learners DROP CONSTRAINT view_learners_kind_check;
ALTER TABLE augur.view_learners ADD CONSTRAINT view_learners_kind_check
    CHECK (kind IN ('logistic', 'svm', 'bagged_logistic', 'bagged_svm'));
ALTER TABLE augur.view_learners ALTER COLUMN live_bias DROP NOT NULL, ALTER COLUMN anchor_bias DROP NOT NULL;
ALTER TABLE augur.view_learners ADD COLUMN members integer NOT NULL DEFAULT 1, ADD COLUMN seed bigint,
    ADD COLUMN live_biases float8[], ADD COLUMN anchor_biases float8[];
ALTER TABLE augur.view_learners ADD CONSTRAINT view_learners_members_check
    CHECK ((members = 1 AND live_bias IS NOT NULL AND anchor_bias IS NOT NULL)
        OR (members >= 2 AND seed IS NOT NULL AND cardinality(live_biases) = members AND cardinality(anchor_biases) = members));
