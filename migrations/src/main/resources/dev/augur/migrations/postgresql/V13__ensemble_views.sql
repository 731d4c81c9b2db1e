-- Tables and data only (functions live in the PostgreSQL binding's functions folder).

-- Prediction views of bagged ensembles keep each row's spread (and its spread under the anchor model) beside the score;
-- the water mark of the spread is the largest |anchor spread - spread| since the anchor, as max_deviation is the
-- margin's. What one call of a view's scoring function did gains the same for the rows it wrote.
ALTER TABLE augur.views ADD COLUMN max_spread_deviation float8 NOT NULL DEFAULT 0;
ALTER TYPE augur.view_work ADD ATTRIBUTE max_spread_dev float8;
