-- Tables and data only (functions live in the PostgreSQL binding's functions folder).

-- Prediction views that log what they serve (option log_served), as on H2 (its V13): every row such a view writes
-- (creation, data-change maintenance, deploy and rollback re-scoring, REFRESH) is appended to augur.served_predictions in
-- the writing statement's transaction, by the catalog owner's trigger on the view's table (augur.view_served_log), with
-- the checks and the experiment rule of AUGUR.RECORD_PREDICTION. Set when the view is created; false for views made before.
ALTER TABLE augur.views ADD COLUMN log_served boolean NOT NULL DEFAULT false;
