-- H2 2.3.232's pg_attribute fails (NullPointerException) as soon as the database holds a view: its rows come from
-- PgCompat.pgAttributeRows instead, the same rows without the failure
DROP ALIAS IF EXISTS pg_catalog.augur_pg_attribute_rows;
CREATE ALIAS pg_catalog.augur_pg_attribute_rows FOR 'dev.augur.udf.PgCompat.pgAttributeRows';
-- PostgreSQL catalog compatibility for stock clients (pgjdbc DatabaseMetaData, psql meta-commands, SQLAlchemy),
-- installed by augur serve on every start (PgCatalogCompat). H2's pg_catalog tables are built in and cannot gain
-- columns: where a client needs more, a view pg_catalog.augur_NAME extends pg_catalog.NAME and the PostgreSQL proxy
-- sends clients' pg_catalog.NAME there (PgCatalogCompat.OVERRIDDEN). Functions H2 lacks are aliases in pg_catalog.
-- Statements are separated by a line that ends with ;
DROP ALIAS IF EXISTS pg_catalog.current_schemas;
CREATE ALIAS pg_catalog.current_schemas FOR 'dev.augur.udf.PgCompat.currentSchemas';
DROP ALIAS IF EXISTS pg_catalog.array_upper;
CREATE ALIAS pg_catalog.array_upper FOR 'dev.augur.udf.PgCompat.arrayUpper';
DROP ALIAS IF EXISTS pg_catalog.augur_type_name;
CREATE ALIAS pg_catalog.augur_type_name FOR 'dev.augur.udf.PgCompat.typeName';
DROP ALIAS IF EXISTS pg_catalog.augur_type_oid;
CREATE ALIAS pg_catalog.augur_type_oid FOR 'dev.augur.udf.PgCompat.typeOid';
DROP ALIAS IF EXISTS pg_catalog.augur_format_type;
CREATE ALIAS pg_catalog.augur_format_type FOR 'dev.augur.udf.PgCompat.formatType';
DROP ALIAS IF EXISTS pg_catalog.pg_get_function_result;
CREATE ALIAS pg_catalog.pg_get_function_result FOR 'dev.augur.udf.PgCompat.functionResult';
DROP ALIAS IF EXISTS pg_catalog.pg_get_function_arguments;
CREATE ALIAS pg_catalog.pg_get_function_arguments FOR 'dev.augur.udf.PgCompat.functionArguments';
DROP ALIAS IF EXISTS pg_catalog.pg_get_function_identity_arguments;
CREATE ALIAS pg_catalog.pg_get_function_identity_arguments FOR 'dev.augur.udf.PgCompat.functionArguments';

CREATE OR REPLACE VIEW pg_catalog.augur_pg_namespace AS
SELECT n.id AS oid, n.id AS id, n.nspname AS nspname, (SELECT MIN(d.datdba) FROM pg_catalog.pg_database d) AS nspowner,
       CAST(NULL AS VARCHAR ARRAY) AS nspacl
  FROM pg_catalog.pg_namespace n;


CREATE OR REPLACE VIEW pg_catalog.augur_pg_database AS
SELECT d.*, 'C.UTF-8' AS datcollate, 'C.UTF-8' AS datctype, FALSE AS datistemplate, -1 AS datconnlimit,
       'c' AS datlocprovider, CAST(NULL AS VARCHAR) AS daticulocale
  FROM pg_catalog.pg_database d;

CREATE OR REPLACE VIEW pg_catalog.augur_pg_roles AS
SELECT r.oid AS oid, r.rolname AS rolname, r.rolsuper = 't' AS rolsuper, TRUE AS rolinherit,
       r.rolcreaterole = 't' AS rolcreaterole, r.rolcreatedb = 't' AS rolcreatedb, TRUE AS rolcanlogin,
       -1 AS rolconnlimit, '********' AS rolpassword, CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS rolvaliduntil,
       FALSE AS rolreplication, r.rolsuper = 't' AS rolbypassrls, CAST(NULL AS VARCHAR ARRAY) AS rolconfig
  FROM pg_catalog.pg_roles r;

CREATE OR REPLACE VIEW pg_catalog.pg_auth_members AS
SELECT 0 AS roleid, 0 AS member, 0 AS grantor, FALSE AS admin_option FROM (VALUES (1)) WHERE FALSE;

CREATE OR REPLACE VIEW pg_catalog.augur_pg_type AS
SELECT t.oid AS oid, pg_catalog.augur_type_name(t.oid, t.typname) AS typname, t.typnamespace AS typnamespace,
       t.typlen AS typlen, t.typtype AS typtype, t.typdelim AS typdelim, t.typrelid AS typrelid, t.typelem AS typelem,
       t.typbasetype AS typbasetype, t.typtypmod AS typtypmod, t.typnotnull AS typnotnull,
       CASE WHEN t.typelem <> 0 THEN 'array_in' ELSE pg_catalog.augur_type_name(t.oid, t.typname) || 'in' END AS typinput,
       (SELECT MIN(d.datdba) FROM pg_catalog.pg_database d) AS typowner, 0 AS typcollation, 0 AS typarray,
       CASE WHEN t.typelem <> 0 THEN 'A' ELSE 'U' END AS typcategory, TRUE AS typisdefined,
       CAST(NULL AS VARCHAR) AS typdefault, FALSE AS typispreferred
  FROM pg_catalog.pg_type t;

CREATE OR REPLACE VIEW pg_catalog.augur_pg_settings AS
SELECT s.oid AS oid, s.name AS name, s.setting AS setting FROM pg_catalog.pg_settings s
UNION ALL SELECT * FROM (VALUES (100, 'max_index_keys', '32'), (101, 'standard_conforming_strings', 'on'),
       (102, 'server_encoding', 'UTF8'), (103, 'client_encoding', 'UTF8'), (104, 'integer_datetimes', 'on'),
       (105, 'max_identifier_length', '63'), (106, 'server_version', '8.2.23'), (107, 'server_version_num', '80223'),
       (108, 'transaction_isolation', 'read committed'), (109, 'DateStyle', 'ISO, MDY'), (110, 'TimeZone', 'UTC'),
       (111, 'search_path', 'public'), (112, 'default_transaction_read_only', 'off'), (113, 'lc_collate', 'C.UTF-8'),
       (114, 'application_name', ''), (115, 'is_superuser', 'on'), (116, 'transaction_read_only', 'off'))
       v(oid, name, setting);

CREATE OR REPLACE VIEW pg_catalog.augur_pg_index AS
SELECT ci.oid AS oid, ci.oid AS indexrelid, ct.oid AS indrelid, FALSE AS indisclustered,
       i.index_type_name IN ('PRIMARY KEY', 'UNIQUE INDEX') AS indisunique, i.index_type_name = 'PRIMARY KEY' AS indisprimary,
       CAST(NULL AS VARCHAR) AS indexprs,
       ARRAY(SELECT ta.attnum FROM information_schema.index_columns ic JOIN pg_catalog.augur_pg_attribute_rows() ta
               ON ta.attrelid = ct.oid AND ta.attname = ic.column_name
              WHERE ic.index_schema = i.index_schema AND ic.index_name = i.index_name ORDER BY ic.ordinal_position) AS indkey,
       CAST(NULL AS VARCHAR) AS indpred, TRUE AS indisvalid, TRUE AS indisready, TRUE AS indislive,
       FALSE AS indisexclusion, TRUE AS indimmediate, FALSE AS indisreplident, FALSE AS indnullsnotdistinct,
       (SELECT CAST(COUNT(*) AS SMALLINT) FROM information_schema.index_columns ic
         WHERE ic.index_schema = i.index_schema AND ic.index_name = i.index_name) AS indnatts
  FROM information_schema.indexes i
  JOIN pg_catalog.pg_namespace n ON n.nspname = i.index_schema
  JOIN pg_catalog.pg_class ci ON ci.relname = i.index_name AND ci.relnamespace = n.id AND ci.relkind = 'i'
  JOIN pg_catalog.pg_class ct ON ct.relname = i.table_name AND ct.relnamespace = n.id AND ct.relkind IN ('r', 'v');

CREATE OR REPLACE VIEW pg_catalog.augur_pg_constraint AS
SELECT c.oid AS oid, c.conname AS conname, c.contype AS contype, c.conrelid AS conrelid, t.relnamespace AS connamespace,
       CASE WHEN c.contype = 'f' THEN (SELECT MIN(rt.oid) FROM information_schema.referential_constraints rc
               JOIN information_schema.table_constraints u ON u.constraint_schema = rc.unique_constraint_schema
                AND u.constraint_name = rc.unique_constraint_name
               JOIN pg_catalog.pg_namespace un ON un.nspname = u.table_schema
               JOIN pg_catalog.pg_class rt ON rt.relname = u.table_name AND rt.relnamespace = un.id AND rt.relkind = 'r'
              WHERE rc.constraint_schema = tn.nspname AND rc.constraint_name = c.conname) ELSE 0 END AS confrelid,
       c.conkey AS conkey,
       CASE WHEN c.contype = 'f' THEN ARRAY(SELECT ra.attnum FROM information_schema.referential_constraints rc
               JOIN information_schema.key_column_usage fk ON fk.constraint_schema = rc.constraint_schema
                AND fk.constraint_name = rc.constraint_name
               JOIN information_schema.key_column_usage uk ON uk.constraint_schema = rc.unique_constraint_schema
                AND uk.constraint_name = rc.unique_constraint_name AND uk.ordinal_position = fk.position_in_unique_constraint
               JOIN pg_catalog.pg_namespace un ON un.nspname = uk.table_schema
               JOIN pg_catalog.pg_class rt ON rt.relname = uk.table_name AND rt.relnamespace = un.id AND rt.relkind = 'r'
               JOIN pg_catalog.augur_pg_attribute_rows() ra ON ra.attrelid = rt.oid AND ra.attname = uk.column_name
              WHERE rc.constraint_schema = tn.nspname AND rc.constraint_name = c.conname ORDER BY fk.ordinal_position)
       END AS confkey,
       CASE WHEN c.contype = 'f' THEN (SELECT MIN(CASE rc.update_rule WHEN 'CASCADE' THEN 'c' WHEN 'SET NULL' THEN 'n'
               WHEN 'SET DEFAULT' THEN 'd' WHEN 'RESTRICT' THEN 'r' ELSE 'a' END)
               FROM information_schema.referential_constraints rc
              WHERE rc.constraint_schema = tn.nspname AND rc.constraint_name = c.conname) ELSE ' ' END AS confupdtype,
       CASE WHEN c.contype = 'f' THEN (SELECT MIN(CASE rc.delete_rule WHEN 'CASCADE' THEN 'c' WHEN 'SET NULL' THEN 'n'
               WHEN 'SET DEFAULT' THEN 'd' WHEN 'RESTRICT' THEN 'r' ELSE 'a' END)
               FROM information_schema.referential_constraints rc
              WHERE rc.constraint_schema = tn.nspname AND rc.constraint_name = c.conname) ELSE ' ' END AS confdeltype,
       's' AS confmatchtype, FALSE AS condeferrable, FALSE AS condeferred, TRUE AS convalidated, 0 AS contypid,
       COALESCE((SELECT MIN(ic.oid) FROM information_schema.table_constraints u
               JOIN pg_catalog.pg_namespace un ON un.nspname = u.index_schema
               JOIN pg_catalog.pg_class ic ON ic.relname = u.index_name AND ic.relnamespace = un.id AND ic.relkind = 'i'
              WHERE c.contype IN ('p', 'u') AND u.constraint_schema = tn.nspname AND u.constraint_name = c.conname), 0)
       AS conindid, 0 AS conparentid, TRUE AS conislocal, 0 AS coninhcount, FALSE AS connoinherit,
       CAST(NULL AS VARCHAR) AS conbin
  FROM pg_catalog.pg_constraint c
  JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
  JOIN pg_catalog.pg_namespace tn ON tn.id = t.relnamespace;

CREATE OR REPLACE VIEW pg_catalog.augur_pg_proc AS
SELECT CAST(900000 + ROW_NUMBER() OVER (ORDER BY r.specific_schema, r.specific_name) AS INTEGER) AS oid,
       r.routine_name AS proname, n.id AS pronamespace, (SELECT MIN(d.datdba) FROM pg_catalog.pg_database d) AS proowner,
       0 AS prolang, pg_catalog.augur_type_oid(r.data_type) AS prorettype,
       CAST(ARRAY[] AS INTEGER ARRAY) AS proargtypes, CASE WHEN r.routine_type = 'AGGREGATE' THEN 'a' ELSE 'f' END AS prokind,
       r.routine_type = 'AGGREGATE' AS proisagg, FALSE AS proiswindow, FALSE AS proretset, FALSE AS proisstrict,
       'v' AS provolatile, CAST(NULL AS VARCHAR) AS prosrc, r.remarks AS augur_remarks,
       r.specific_schema AS specific_schema, r.specific_name AS specific_name
  FROM information_schema.routines r
  JOIN pg_catalog.pg_namespace n ON n.nspname = r.routine_schema;

DROP ALIAS IF EXISTS pg_catalog.augur_regtype;
CREATE ALIAS pg_catalog.augur_regtype FOR 'dev.augur.udf.PgCompat.regtype';

CREATE OR REPLACE VIEW pg_catalog.pg_depend AS
SELECT (SELECT MIN(k.oid) FROM pg_catalog.pg_class k WHERE k.relname = 'pg_constraint' AND k.relnamespace = -1000) AS classid,
       con.oid AS objid, 0 AS objsubid,
       (SELECT MIN(k.oid) FROM pg_catalog.pg_class k WHERE k.relname = 'pg_class' AND k.relnamespace = -1000) AS refclassid,
       ic.oid AS refobjid, 0 AS refobjsubid, 'n' AS deptype
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class t ON t.oid = con.conrelid
  JOIN pg_catalog.pg_namespace tn ON tn.id = t.relnamespace
  JOIN information_schema.referential_constraints rc ON rc.constraint_schema = tn.nspname AND rc.constraint_name = con.conname
  JOIN information_schema.table_constraints u ON u.constraint_schema = rc.unique_constraint_schema
   AND u.constraint_name = rc.unique_constraint_name
  JOIN pg_catalog.pg_namespace un ON un.nspname = u.index_schema
  JOIN pg_catalog.pg_class ic ON ic.relname = u.index_name AND ic.relnamespace = un.id AND ic.relkind = 'i'
 WHERE con.contype = 'f';
DROP ALIAS IF EXISTS pg_catalog.pg_function_is_visible;
CREATE ALIAS pg_catalog.pg_function_is_visible FOR 'dev.augur.udf.PgCompat.functionIsVisible';

CREATE OR REPLACE VIEW pg_catalog.pg_collation AS
SELECT 100 AS oid, 'default' AS collname, -1000 AS collnamespace, 0 AS collowner, 'd' AS collprovider,
       TRUE AS collisdeterministic, -1 AS collencoding, CAST(NULL AS VARCHAR) AS collcollate,
       CAST(NULL AS VARCHAR) AS collctype FROM (VALUES (1)) WHERE FALSE;

CREATE OR REPLACE VIEW pg_catalog.augur_pg_attribute AS
SELECT a.oid AS oid, a.attrelid AS attrelid, a.attname AS attname, a.atttypid AS atttypid, a.attlen AS attlen,
       a.attnum AS attnum,
       COALESCE((SELECT MIN(CASE WHEN a.atttypid IN (1042, 1043) AND col.character_maximum_length < 1000000
                         THEN col.character_maximum_length + 4
                    WHEN a.atttypid = 1700 AND col.numeric_precision IS NOT NULL
                         THEN col.numeric_precision * 65536 + COALESCE(col.numeric_scale, 0) + 4 END)
           FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace n ON n.id = t.relnamespace
           JOIN information_schema.columns col ON col.table_schema = n.nspname AND col.table_name = t.relname
            AND col.column_name = a.attname
          WHERE t.oid = a.attrelid AND a.atttypid IN (1042, 1043, 1700)), a.atttypmod) AS atttypmod,
       a.attnotnull AS attnotnull, a.attisdropped AS attisdropped, a.atthasdef AS atthasdef, 0 AS attcollation, '' AS attidentity, '' AS attgenerated, -1 AS attstattarget, 'p' AS attstorage,
       0 AS attndims, TRUE AS attislocal, 0 AS attinhcount, CAST(NULL AS VARCHAR ARRAY) AS attacl,
       CAST(NULL AS VARCHAR ARRAY) AS attoptions, CAST(NULL AS VARCHAR ARRAY) AS attfdwoptions,
       CAST(NULL AS VARCHAR) AS attcompression, FALSE AS atthasmissing
  FROM pg_catalog.augur_pg_attribute_rows() a;
DROP ALIAS IF EXISTS pg_catalog.col_description;
CREATE ALIAS pg_catalog.col_description FOR 'dev.augur.udf.PgCompat.columnDescription';
DROP ALIAS IF EXISTS pg_catalog.pg_table_size;
CREATE ALIAS pg_catalog.pg_table_size FOR 'dev.augur.udf.PgCompat.relationSize';
DROP ALIAS IF EXISTS pg_catalog.pg_database_size;
CREATE ALIAS pg_catalog.pg_database_size FOR 'dev.augur.udf.PgCompat.relationSize';
DROP ALIAS IF EXISTS pg_catalog.pg_size_pretty;
CREATE ALIAS pg_catalog.pg_size_pretty FOR 'dev.augur.udf.PgCompat.sizePretty';
DROP ALIAS IF EXISTS pg_catalog.pg_type_is_visible;
CREATE ALIAS pg_catalog.pg_type_is_visible FOR 'dev.augur.udf.PgCompat.functionIsVisible';

-- after augur_pg_index, which it reads
CREATE OR REPLACE VIEW pg_catalog.augur_pg_class AS
SELECT c.oid AS oid, c.relname AS relname, c.relnamespace AS relnamespace, c.relkind AS relkind, c.relam AS relam,
       c.reltuples AS reltuples, c.reltablespace AS reltablespace, c.relpages AS relpages,
       c.relhasindex OR c.relkind <> 'i' AND EXISTS(SELECT 1 FROM pg_catalog.augur_pg_index i WHERE i.indrelid = c.oid) AS relhasindex,
       c.relhasrules AS relhasrules, c.relhasoids AS relhasoids, c.relchecks AS relchecks, c.reltriggers AS reltriggers,
       (SELECT MIN(d.datdba) FROM pg_catalog.pg_database d) AS relowner, 'p' AS relpersistence,
       FALSE AS relispartition, CAST(NULL AS VARCHAR ARRAY) AS relacl, CAST(NULL AS VARCHAR ARRAY) AS reloptions,
       FALSE AS relhassubclass, FALSE AS relrowsecurity, FALSE AS relforcerowsecurity, 'd' AS relreplident,
       0 AS reltoastrelid, (c.reltriggers > 0 OR c.relkind = 'r' AND EXISTS(SELECT 1 FROM pg_catalog.augur_pg_constraint f
         WHERE f.contype = 'f' AND (f.conrelid = c.oid OR f.confrelid = c.oid))) AS relhastriggers, CAST(NULL AS VARCHAR) AS relpartbound, 0 AS reltype,
       0 AS reloftype, c.oid AS relfilenode, FALSE AS relisshared, FALSE AS relispopulated,
       (SELECT CAST(COUNT(*) AS SMALLINT) FROM pg_catalog.augur_pg_attribute_rows() a WHERE a.attrelid = c.oid) AS relnatts
  FROM pg_catalog.pg_class c;
DROP ALIAS IF EXISTS pg_catalog.pg_get_constraintdef;
CREATE ALIAS pg_catalog.pg_get_constraintdef FOR 'dev.augur.udf.PgCompat.constraintDef';
DROP ALIAS IF EXISTS pg_catalog.augur_pg_get_indexdef;
CREATE ALIAS pg_catalog.augur_pg_get_indexdef FOR 'dev.augur.udf.PgCompat.indexDef';

-- H2's pg_trigger has no rows and no tgname: psql's \d lists no triggers (Augur's own are internal)
CREATE OR REPLACE VIEW pg_catalog.augur_pg_trigger AS
SELECT 0 AS oid, 0 AS tgrelid, 0 AS tgparentid, '' AS tgname, 0 AS tgfoid, 0 AS tgtype, 'O' AS tgenabled,
       TRUE AS tgisinternal, 0 AS tgconstrrelid, 0 AS tgconstrindid, 0 AS tgconstraint, FALSE AS tgdeferrable,
       FALSE AS tginitdeferred, 0 AS tgnargs FROM (VALUES (1)) WHERE FALSE;
DROP ALIAS IF EXISTS pg_catalog.pg_get_triggerdef;
CREATE ALIAS pg_catalog.pg_get_triggerdef FOR 'dev.augur.udf.PgCompat.triggerDef';
DROP ALIAS IF EXISTS pg_catalog.augur_regclass;
CREATE ALIAS pg_catalog.augur_regclass FOR 'dev.augur.udf.PgCompat.regclass';
