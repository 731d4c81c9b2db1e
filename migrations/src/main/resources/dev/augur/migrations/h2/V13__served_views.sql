-- Prediction views that log what they serve (option log_served): every row such a view writes (creation, data-change
-- maintenance, deploy and rollback re-scoring, REFRESH) is appended to AUGUR.SERVED_PREDICTIONS in the writing
-- statement's transaction, as AUGUR.RECORD_PREDICTION would record it (the H2 binding's dev.augur.udf.ViewServedLog),
-- so that feedback joins labels to what the view served. Set when the view is created; FALSE for views made before.
ALTER TABLE AUGUR.VIEWS ADD COLUMN LOG_SERVED BOOLEAN DEFAULT FALSE NOT NULL;
