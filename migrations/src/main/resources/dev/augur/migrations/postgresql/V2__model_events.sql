-- Tables, data and one-off data changes only: every function (and the trigger that calls it) is defined once, in
-- the PostgreSQL binding's dev/augur/udf/postgresql/functions (Flyway repeatable migrations), whose afterMigrate.sql regenerates the generated functions
-- and applies the privileges of every function after each migrate. Up to 25032aa this script also carried function
-- bodies; databases that applied it then have its old checksum, which AugurCatalog repairs (see there).

-- Model events (augur.notify_model_event and its triggers) and augur.sync_predict: see the functions folder.
-- Who registered / deployed: the administration functions are SECURITY DEFINER, where CURRENT_USER is the
-- catalog's owner; SESSION_USER is the login role that called them.
ALTER TABLE augur.models ALTER COLUMN created_by SET DEFAULT SESSION_USER;
ALTER TABLE augur.deployments ALTER COLUMN by_user SET DEFAULT SESSION_USER;
