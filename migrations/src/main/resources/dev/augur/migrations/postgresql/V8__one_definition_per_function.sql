-- From V8 every function is defined once, in the PostgreSQL binding's dev/augur/udf/postgresql/functions (repeatable scripts, applied after this one).
-- What those scripts no longer define is dropped here: the data-trigger generators of dense, bag-of-words and
-- classification views, one generator since (augur.view_row_trigger_body). afterMigrate.sql then regenerates every
-- view's functions with the current generators.
DROP FUNCTION IF EXISTS augur.view_trigger_body(text, text, text, text[], text[]);
DROP FUNCTION IF EXISTS augur.view_bow_trigger_body(text, text, text, text);
DROP FUNCTION IF EXISTS augur.cv_entity_trigger_body(text, text, text, text[], text);
