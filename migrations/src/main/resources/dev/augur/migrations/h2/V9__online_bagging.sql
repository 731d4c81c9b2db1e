-- Classification views of ensembles (USING bagged_logistic | bagged_svm) learn by online bagging: member k takes
-- n_k ~ Poisson(1) SGD steps on an example, n_k drawn from a hash of the view's seed, k and the example's ordinal
-- (dev.augur.engine.train.OnlineBagging). The ordinal is the number of examples the view learned online before it,
-- kept here in the learning statement's transaction (a rollback restores it with the model); SEED is the view's seed
-- option (NULL for views created before this migration, none of which is an ensemble).
ALTER TABLE AUGUR.VIEWS ADD COLUMN EXAMPLES_LEARNED BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE AUGUR.VIEWS ADD COLUMN SEED BIGINT;
