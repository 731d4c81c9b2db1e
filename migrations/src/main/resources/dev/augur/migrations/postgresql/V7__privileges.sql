-- Tables, data and one-off data changes only: every function (and the trigger that calls it) is defined once, in
-- the PostgreSQL binding's dev/augur/udf/postgresql/functions (Flyway repeatable migrations), whose afterMigrate.sql regenerates the generated functions
-- and applies the privileges of every function after each migrate. Up to 25032aa this script also carried function
-- bodies; databases that applied it then have its old checksum, which AugurCatalog repairs (see there).

-- Privileges on PostgreSQL. Up to V6 a member of augur_admin could run code as the catalog's owner: the functions
-- generated for a view were owned by the view's creator (who could replace them, or make them SECURITY INVOKER) and
-- run from the SECURITY DEFINER deploy; the creator owned the view's table (a trigger of its own on it ran as the
-- owner when a deploy wrote it); augur_admin could UPDATE augur.views to point a deploy at any function, and EXECUTE
-- another view's scoring function with weights of its own. Any role could read every model's weights in
-- pg_proc.prosrc of the generated PREDICT functions. From V7:
--   * whatever runs as the catalog owner is the owner's, in schema augur (where only the owner creates): every object
--     Augur makes for a view (its table, SQL view, generated functions, triggers) belongs to the catalog owner; the
--     creating, refreshing and dropping functions are SECURITY DEFINER and check what the caller may do: the role it
--     creates a view as (its CURRENT_USER, which its login role must be able to SET ROLE to) needs SELECT and TRIGGER on
--     the tables the view reads and CREATE in its schema; refreshing, tuning or dropping a view takes a login role that
--     can SET ROLE to the view's creator (augur.views.created_by), or a superuser (42501 otherwise);
--   * every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp; code run as the owner reads users'
--     tables with row_security off, FROM ONLY, and only columns of built-in types (no user cast or operator runs),
--     checked again whenever it runs (a creator may ALTER its table, or rename another into its place);
--   * the catalog tables are written only through these functions (augur_admin keeps UPDATE of the tunable columns
--     tolerance, alpha, learning_rate and l2 of the views it created, checked by a trigger);
--   * the generated per-view functions are executable by no Augur role: the scoring function is reachable only
--     from the owner's functions, the trigger functions only as the triggers of the view's own tables;
--   * PREDICT and its family are executable by augur_user (and so augur_admin) only, and the generated PREDICT
--     functions hold no weights: each arm reads its coefficients through augur.coefs, an IMMUTABLE function the
--     planner folds into constants when it plans the query, so the plan is the same arithmetic as before and
--     pg_proc shows names and versions only;
--   * a model version is served only if its payload is intact: hashes to its SHA-256 and, for dense models, is the
--     encoding of the weights PREDICT serves (bag-of-words: of the definition row). Checked when a statement is
--     planned (for a constant model name; per row for a name read from a column) on every path of the PREDICT
--     family, and by DEPLOY, ROLLBACK, EXPORT and REFRESH: XX001 otherwise;
--   * view options that are not numbers are 22023 (they silently became defaults).
-- Existing views are rebuilt in place: their tables are copied into tables of the owner (rows unchanged), their
-- functions regenerated in schema augur and their triggers re-created; the functions and tables V3..V6 made in the
-- creators' schemas are dropped. This migration must run as the catalog's owner.

DO $$
DECLARE owner text := (SELECT n.nspowner::regrole::text FROM pg_catalog.pg_namespace n WHERE n.nspname = 'augur');
BEGIN
    IF (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'augur') <> current_user::regrole THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('Augur''s catalog migration V7 (privileges) must run as the catalog''s '
            || 'owner, role %s, not %s: run `augur migrate --postgres URL` (or connect through jdbc:augur:postgresql:) as %s', owner,
            current_user, owner);
    END IF;
END $$;

-- ================================================================================================ the catalog tables

REVOKE ALL ON augur.views, augur.view_models, augur.view_events, augur.view_learners FROM PUBLIC, augur_user, augur_admin;
GRANT SELECT ON augur.views, augur.view_models, augur.view_events, augur.view_learners TO augur_user;

-- who created a view (the caller's role; only roles that can SET ROLE to it, and superusers, may refresh, tune or drop it), and
-- the examples table of a classification view (by oid: names resolve differently in the owner's functions)
ALTER TABLE augur.views ADD COLUMN created_by name, ADD COLUMN examples_relation oid;
GRANT UPDATE (tolerance, alpha, learning_rate, l2) ON augur.views TO augur_admin;

-- ================================================================================================ existing views

-- Views made by V3..V6 (created_by IS NULL) are rebuilt as the catalog owner's by afterMigrate.sql, which runs once the
-- current functions exist (Flyway applies versioned scripts before repeatable ones).
