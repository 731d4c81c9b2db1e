-- Feedback on models with more than two classes: a served prediction of such a model carries the probability of each
-- class, in the model's order (augur.record_prediction_proba, PREDICT_SERVED); score stays the largest of them (what
-- PREDICT serves for it). NULL for binary classifiers and regressors, whose score says it all. As H2's V11.
ALTER TABLE augur.served_predictions ADD COLUMN probabilities float8[];
