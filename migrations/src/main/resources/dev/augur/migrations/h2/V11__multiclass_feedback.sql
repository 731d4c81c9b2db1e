-- Feedback on models with more than two classes: a served prediction of such a model carries the probability of each
-- class, in the model's order (AUGUR.RECORD_PREDICTION_PROBA, PREDICT_SERVED, or an INSERT here); SCORE stays the largest
-- of them (what PREDICT serves for it). NULL for binary classifiers and regressors, whose SCORE says it all. Checked by
-- the H2 binding's trigger on the served log (dev.augur.udf.H2Feedback), the metrics' definitions the engine's
-- (dev.augur.engine.feedback.LiveMetrics).
ALTER TABLE AUGUR.SERVED_PREDICTIONS ADD COLUMN PROBABILITIES DOUBLE PRECISION ARRAY;
