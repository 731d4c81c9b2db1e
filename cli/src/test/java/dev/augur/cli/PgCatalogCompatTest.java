package dev.augur.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL proxy's rewriting of clients' catalog queries, and what it leaves alone. */
class PgCatalogCompatTest {
    @Test
    void overriddenCatalogTablesGoToTheirViewsKeepingOrAddingTheirName() {
        assertThat(PgCatalogCompat.rewrite("SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 1"))
                .isEqualTo("SELECT c.relowner FROM pg_catalog.augur_pg_class c WHERE c.oid = 1");
        assertThat(PgCatalogCompat.rewrite("SELECT pg_type.oid FROM pg_catalog.pg_type LEFT JOIN pg_namespace as ns ON true"))
                .isEqualTo("SELECT pg_type.oid FROM pg_catalog.augur_pg_type pg_type LEFT JOIN pg_catalog.augur_pg_namespace as ns ON true");
        assertThat(PgCatalogCompat.rewrite("SELECT pg_catalog.format_type(23, -1)"))
                .isEqualTo("SELECT pg_catalog.augur_format_type(23, -1)");
        // not a table reference: a literal, a quoted name, a column, another schema's table
        assertThat(PgCatalogCompat.rewrite("SELECT 'pg_class'::regclass, \"pg_class\", t.pg_class FROM myschema.pg_class t"))
                .isEqualTo("SELECT 'pg_class'::regclass, \"pg_class\", t.pg_class FROM myschema.pg_class t");
        assertThat(PgCatalogCompat.rewrite("SELECT * FROM customers WHERE name = 'FROM pg_catalog.pg_class'"))
                .isEqualTo("SELECT * FROM customers WHERE name = 'FROM pg_catalog.pg_class'");
    }

    @Test
    void postgresqlSyntaxH2LacksIsRewritten() {
        assertThat(PgCatalogCompat.rewrite("WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default"))
                .isEqualTo("WHERE c.relname  ~  '^(t)$' ");
        assertThat(PgCatalogCompat.rewrite("SELECT typinput='pg_catalog.array_in'::regproc, 'pg_catalog.trigger'::pg_catalog.regtype"))
                .isEqualTo("SELECT typinput='array_in', pg_catalog.augur_regtype('pg_catalog.trigger')");
        assertThat(PgCatalogCompat.rewrite("SELECT c.reloftype::pg_catalog.regtype::pg_catalog.text"))
                .isEqualTo("SELECT c.reloftype::INTEGER::pg_catalog.text");
        assertThat(PgCatalogCompat.rewrite("SELECT con.confkey[pos.n], ARRAY[1, 2], '{a[1]}'"))
                .isEqualTo("SELECT CASE WHEN (pos.n) BETWEEN 1 AND CARDINALITY(con.confkey) THEN con.confkey[pos.n] END, ARRAY[1, 2], '{a[1]}'");
        assertThat(PgCatalogCompat.rewrite("select array(select 'toast.' || x from pg_catalog.unnest(a) x)"))
                .isEqualTo("select array(select 'toast.' || x from unnest(a) x(x))");
        assertThat(PgCatalogCompat.rewrite("SELECT d.adsrc AS DEFAULT, 1 AS one")).isEqualTo("SELECT d.adsrc AS \"default\", 1 AS one");
        assertThat(PgCatalogCompat.rewrite("WHERE ix.indisprimary = 't' AND name = 't'"))
                .isEqualTo("WHERE ix.indisprimary = TRUE AND name = 't'");
        assertThat(PgCatalogCompat.rewrite("SELECT conrelid::pg_catalog.regclass, 'pg_class'::regclass::oid"))
                .isEqualTo("SELECT pg_catalog.augur_regclass(conrelid), 'pg_class'::regclass::oid");
        assertThat(PgCatalogCompat.rewrite("show standard_conforming_strings"))
                .isEqualTo("SELECT setting AS \"standard_conforming_strings\" FROM pg_catalog.augur_pg_settings"
                        + " WHERE LOWER(name) = 'standard_conforming_strings'");
        assertThat(PgCatalogCompat.rewrite("SHOW TABLES")).isEqualTo("SHOW TABLES");
    }

    @Test
    void aSimpleQueryLosesItsTrailingSemicolonsOnly() {
        assertThat(PgAuthProxy.rewriteSql('Q', "SELECT 1;\n")).isEqualTo("SELECT 1");
        assertThat(PgAuthProxy.rewriteSql('Q', "SELECT 1; SELECT 2;;  ")).isEqualTo("SELECT 1; SELECT 2");
        assertThat(PgAuthProxy.rewriteSql('Q', "SELECT 1\n")).isEqualTo("SELECT 1\n");
        assertThat(PgAuthProxy.rewriteSql('Q', ";")).isEqualTo(";");
        assertThat(PgAuthProxy.rewriteSql('Q', "SET extra_float_digits = 3")).isEqualTo("SET DATESTYLE ISO");
    }
}
