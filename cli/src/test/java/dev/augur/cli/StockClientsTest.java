package dev.augur.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stock PostgreSQL clients against {@code augur serve}'s PostgreSQL port: pgjdbc (simple and extended protocol,
 * DatabaseMetaData), psql's meta-commands and the Python clients (psycopg2, SQLAlchemy, pandas; skipped where they
 * are not installed: {@code apt-get install -y python3-psycopg2 python3-sqlalchemy python3-pandas}).
 */
class StockClientsTest {
    @TempDir
    static Path dir;
    static AugurServer server;
    static int pgPort;
    static String password;

    @BeforeAll
    static void start() throws Exception {
        Path migrations = dir.resolve("migrations");
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("V1__shop.sql"), """
                CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, score DOUBLE PRECISION);
                CREATE TABLE orders (oid INT PRIMARY KEY, cid INT REFERENCES customers(id), amount NUMERIC(10,2));
                CREATE INDEX orders_cid ON orders(cid);
                CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 100;
                INSERT INTO customers VALUES (1, 'ann', 0.5), (2, 'bob', 0.7);
                INSERT INTO orders VALUES (10, 1, 50.00), (11, 2, 150.00);
                CREATE TABLE copied_psql (id INT PRIMARY KEY, label VARCHAR(20), x DOUBLE PRECISION);
                CREATE TABLE copied_jdbc (id INT PRIMARY KEY, label VARCHAR(20), x DOUBLE PRECISION);
                CREATE TABLE copied_py (id INT PRIMARY KEY, label VARCHAR(20), x DOUBLE PRECISION);
                """);
        pgPort = dev.augur.testkit.Sockets.freePort();
        server = new AugurServer(dir.resolve("data"), migrations, "127.0.0.1", dev.augur.testkit.Sockets.freePort(), pgPort, "sa", null);
        password = server.password();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Connection pg(String options) throws SQLException {
        return DriverManager.getConnection(server.pgUrl() + options, "sa", password);
    }

    // ---- 1. statements ending in ; and whitespace

    @Test
    void trailingSemicolonAndNewlineOverSimpleAndExtendedProtocol() throws SQLException {
        for (String mode : new String[]{"?preferQueryMode=simple", "?preferQueryMode=extended", ""}) {
            try (Connection c = pg(mode)) {
                for (String sql : new String[]{"SELECT 1;", "SELECT 1;\n", "SELECT 1 ;  \n\n", "SELECT 1;;\n"}) {
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                        assertThat(rs.next()).as(mode + " " + sql).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(1);
                    }
                    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as(mode + " prepared " + sql).isTrue();
                    }
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT ';' AS s;\n")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo(";");
                }
            }
        }
    }

    @Test
    void psycopg2RunsAStatementEndingInASemicolonAndNewline() throws Exception {
        String out = python("psycopg2", """
                cur = psycopg2.connect(%s).cursor()
                cur.execute("SELECT 1;\\n")
                print(cur.fetchone()[0])
                cur.execute("SELECT name FROM customers ORDER BY id;")
                print([r[0] for r in cur.fetchall()])
                """.formatted(pyDsn()));
        assertThat(out).contains("1\n", "['ann', 'bob']");
    }

    @Test
    void quotedColumnLabelsKeepTheirCase() throws Exception {
        for (String mode : new String[]{"?preferQueryMode=simple", ""}) {
            try (Connection c = pg(mode); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1 AS \"MyCol\", 2 AS plain, 3 AS \"x\"\"Y\"")) {
                assertThat(rs.getMetaData().getColumnLabel(1)).as(mode).isEqualTo("MyCol");
                assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("plain");
                assertThat(rs.getMetaData().getColumnLabel(3)).isEqualTo("x\"Y");
            }
        }
        assertThat(psql(false, "\\dt")).contains("Schema|Name|Type|Owner");
    }

    // ---- 2. pgjdbc DatabaseMetaData

    static List<String> column(ResultSet rs, String name) throws SQLException {
        List<String> values = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                values.add(rs.getString(name));
            }
        }
        return values;
    }

    @Test
    void pgjdbcDatabaseMetaDataBrowsesTheCatalog() throws SQLException {
        for (String mode : new String[]{"", "?preferQueryMode=simple"}) {
            try (Connection c = pg(mode)) {
                DatabaseMetaData m = c.getMetaData();
                assertThat(column(m.getSchemas(), "TABLE_SCHEM")).as(mode).contains("public", "augur");
                assertThat(column(m.getCatalogs(), "TABLE_CAT")).containsExactly("augur");
                assertThat(column(m.getTables(null, "public", "%", new String[]{"TABLE"}), "TABLE_NAME"))
                        .contains("customers", "orders").doesNotContain("big_orders");
                assertThat(column(m.getTables(null, "public", "%", new String[]{"VIEW"}), "TABLE_NAME")).contains("big_orders");
                assertThat(column(m.getColumns(null, "public", "customers", "%"), "COLUMN_NAME"))
                        .containsExactly("id", "name", "score");
                assertThat(column(m.getColumns(null, "public", "customers", "%"), "TYPE_NAME"))
                        .containsExactly("int4", "varchar", "float8");
                try (ResultSet pk = m.getPrimaryKeys(null, "public", "customers")) {
                    assertThat(pk.next()).isTrue();
                    assertThat(pk.getString("COLUMN_NAME")).isEqualTo("id");
                    assertThat(pk.getInt("KEY_SEQ")).isEqualTo(1);
                    assertThat(pk.getString("PK_NAME")).isNotBlank();
                    assertThat(pk.next()).isFalse();
                }
                assertThat(column(m.getIndexInfo(null, "public", "orders", false, false), "INDEX_NAME")).contains("orders_cid");
                try (ResultSet fk = m.getImportedKeys(null, "public", "orders")) {
                    assertThat(fk.next()).isTrue();
                    assertThat(fk.getString("PKTABLE_NAME")).isEqualTo("customers");
                    assertThat(fk.getString("PKCOLUMN_NAME")).isEqualTo("id");
                    assertThat(fk.getString("FKCOLUMN_NAME")).isEqualTo("cid");
                    assertThat(fk.getInt("KEY_SEQ")).isEqualTo(1);
                    assertThat(fk.next()).isFalse();
                }
                assertThat(column(m.getExportedKeys(null, "public", "customers"), "FKTABLE_NAME")).containsExactly("orders");
                assertThat(column(m.getTypeInfo(), "TYPE_NAME")).contains("int4", "varchar", "float8", "bool", "numeric");
                assertThat(column(m.getFunctions(null, null, "predict%"), "FUNCTION_NAME"))
                        .contains("predict", "predict_label", "predict_proba");
                assertThat(column(m.getFunctions(null, "augur", "%"), "FUNCTION_NAME")).contains("train_model", "deploy_model");
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT typname FROM pg_catalog.pg_type WHERE oid IN (23, 1043, 701) ORDER BY oid")) {
                    assertThat(column(rs, "typname")).containsExactly("int4", "float8", "varchar");
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW standard_conforming_strings")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("on");
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW search_path")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).contains("public");
                }
            }
        }
    }

    // ---- 3. psql meta-commands

    @Test
    void psqlListsTablesViewsSchemasDatabasesRolesAndFunctions() throws Exception {
        assertThat(psql("\\dt")).contains("public|customers|table|sa", "public|orders|table|sa").doesNotContain("big_orders");
        assertThat(psql("\\dt+")).contains("public|customers|table|sa|permanent|");
        assertThat(psql("\\dv")).contains("public|big_orders|view|sa");
        assertThat(psql("\\di")).contains("public|orders_cid|index|sa|orders");
        assertThat(psql("\\dn")).contains("public|sa", "augur|sa");
        assertThat(psql("\\l")).contains("augur|sa|UTF8|");
        assertThat(psql("\\du")).contains("sa|Superuser");
        assertThat(psql("\\df predict*")).contains("public|predict|double precision|", "public|predict_label|");
        assertThat(psql("\\df augur.*")).contains("augur|train_model|", "augur|deploy_model|");
    }

    @Test
    void psqlDescribesATableAndAView() throws Exception {
        assertThat(psql(false, "\\d customers")).contains("id|integer||not null|", "name|character varying(40)||not null|",
                "score|double precision|||", "Indexes:", "PRIMARY KEY, btree (id)",
                "Referenced by:", "TABLE \"orders\" CONSTRAINT");
        assertThat(psql(false, "\\d+ orders")).contains("oid|integer||not null||plain||", "cid|integer|||", "amount|numeric(10,2)|||",
                "\"orders_cid\" btree (cid)", "Foreign-key constraints:", "FOREIGN KEY (cid) REFERENCES customers(id)");
        assertThat(psql(false, "\\d big_orders")).contains("View \"public.big_orders\"", "amount|numeric(10,2)|||");
    }

    // ---- 4. Python: SQLAlchemy (its hstore probe, SHOW standard_conforming_strings, the inspector) and pandas

    @Test
    void sqlalchemyConnectsAndInspectsTheCatalog() throws Exception {
        String out = python("sqlalchemy", """
                engine = sqlalchemy.create_engine(%s)
                with engine.connect() as conn:
                    print("one", conn.execute(sqlalchemy.text("SELECT 1")).scalar())
                i = sqlalchemy.inspect(engine)
                print("tables", sorted(i.get_table_names()))
                print("views", sorted(i.get_view_names()))
                print("columns", [(c["name"], str(c["type"]), c["nullable"]) for c in i.get_columns("customers")])
                print("pk", i.get_pk_constraint("customers")["constrained_columns"])
                """.formatted(pyUrl()));
        assertThat(out).contains("one 1", "'customers'", "'orders'", "views ['big_orders']",
                "columns [('id', 'INTEGER', False), ('name', 'VARCHAR(40)', False), ('score', 'DOUBLE_PRECISION', True)]",
                "pk ['id']");
    }

    @Test
    void pandasReadSqlThroughSqlalchemy() throws Exception {
        String out = python("sqlalchemy, pandas", """
                engine = sqlalchemy.create_engine(%s)
                df = pandas.read_sql("SELECT id, name, score FROM customers ORDER BY id", engine)
                print(list(df.columns), list(df["name"]), len(df))
                """.formatted(pyUrl()));
        assertThat(out).contains("['id', 'name', 'score'] ['ann', 'bob'] 2");
    }

    // ---- 5. COPY FROM STDIN / TO STDOUT

    @Test
    void psqlCopiesInAndOut() throws Exception {
        Path data = dir.resolve("in.tsv");
        Files.writeString(data, "1\tone\t0.5\n2\ttab\\there\t\\N\n3\t\"q,x\"\t2\n");
        assertThat(psql("\\copy copied_psql from '" + data + "'")).contains("COPY 3");
        assertThat(psql("\\copy copied_psql to stdout")).isEqualTo("1\tone\t0.5\n2\ttab\\there\t\\N\n3\t\"q,x\"\t2.0\n");
        assertThat(psql("\\copy (SELECT id, label FROM copied_psql WHERE id > 1 ORDER BY id) to stdout with (format csv, header)"))
                .isEqualTo("id,label\n2,tab\there\n3,\"\"\"q,x\"\"\"\n");
        assertThat(psql("SELECT label FROM copied_psql WHERE x IS NULL")).isEqualTo("tab\there\n");
    }

    @Test
    void pgjdbcCopyManagerCopiesInAndOutAndAFailedCopyLeavesTheConnectionUsable() throws Exception {
        try (Connection c = pg("")) {
            org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            long in = copy.copyIn("COPY copied_jdbc FROM STDIN WITH (FORMAT csv)", new java.io.StringReader("1,a,1.5\n2,,\n"));
            assertThat(in).isEqualTo(2);
            java.io.StringWriter out = new java.io.StringWriter();
            assertThat(copy.copyOut("COPY (SELECT * FROM copied_jdbc ORDER BY id) TO STDOUT", out)).isEqualTo(2);
            assertThat(out.toString()).isEqualTo("1\ta\t1.5\n2\t\\N\t\\N\n");
            assertThatThrownBy(() -> copy.copyIn("COPY no_such_table FROM STDIN", new java.io.StringReader("1\n")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no_such_table");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM copied_jdbc")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void psycopg2CopyExpert() throws Exception {
        String out = python("psycopg2, io", """
                c = psycopg2.connect(%s)
                cur = c.cursor()
                cur.copy_expert("COPY copied_py FROM STDIN", io.StringIO("7\\tseven\\t7.5\\n8\\t\\\\N\\t1\\n"))
                c.commit()
                buf = io.StringIO()
                cur.copy_expert("COPY (SELECT id, label FROM copied_py ORDER BY id) TO STDOUT WITH CSV HEADER", buf)
                print(repr(buf.getvalue()))
                """.formatted(pyDsn()));
        assertThat(out).contains("'id,label\\n7,seven\\n8,\\n'");
    }

    // ---- 5. cursors: DECLARE / FETCH / CLOSE

    @Test
    void psycopg2NamedCursorsFetchInBatches() throws Exception {
        String out = python("psycopg2", """
                c = psycopg2.connect(%s)
                cur = c.cursor(name="big")
                cur.itersize = 1
                cur.execute("SELECT id FROM customers ORDER BY id")
                print("iter", [r[0] for r in cur])
                cur.close()
                cur = c.cursor(name="b2")
                cur.execute("SELECT id, name FROM customers ORDER BY id")
                print("many", cur.fetchmany(1), cur.fetchone(), cur.fetchall())
                cur.close()
                c.commit()
                """.formatted(pyDsn()));
        assertThat(out).contains("iter [1, 2]", "many [(1, 'ann')] (2, 'bob') []");
    }

    @Test
    void declareFetchAndCloseOverPgjdbc() throws SQLException {
        try (Connection c = pg("?preferQueryMode=simple"); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("DECLARE cur CURSOR WITHOUT HOLD FOR SELECT name FROM customers ORDER BY id");
            assertThat(column(st.executeQuery("FETCH FORWARD 1 FROM cur"), "name")).containsExactly("ann");
            assertThat(column(st.executeQuery("FETCH ALL FROM cur"), "name")).containsExactly("bob");
            assertThat(column(st.executeQuery("FETCH 5 FROM cur"), "name")).isEmpty();
            st.execute("CLOSE cur");
            c.commit();
        }
    }

    // ---- helpers

    static String pyDsn() {
        return "host='127.0.0.1', port=" + pgPort + ", user='sa', password='" + password + "', dbname='augur'";
    }

    static String pyUrl() {
        return "'postgresql+psycopg2://sa:" + password + "@127.0.0.1:" + pgPort + "/augur'";
    }

    /** The Python that has these modules: Debian's /usr/bin/python3 first (a pyenv one on PATH may lack them). */
    static String pythonWith(String modules) throws Exception {
        for (String python : new String[]{"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import " + modules).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not there
            }
        }
        return null;
    }

    /** Runs a Python script (after {@code import modules}); skips the test where no Python has them. */
    static String python(String modules, String script) throws Exception {
        String python = pythonWith(modules);
        assumeTrue(python != null, "Python modules " + modules + " not installed (apt-get install -y python3-psycopg2"
                + " python3-sqlalchemy python3-pandas)");
        Process p = new ProcessBuilder(python, "-c", "import " + modules + "\n" + script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** {@code psql -X -A -t -c COMMAND}: its output, asserting exit code 0 and no error. */
    static String psql(String... commands) throws Exception {
        return psql(true, commands);
    }

    /** {@code psql -X -A [-t] -c COMMAND} (without -t, \\d's footers: indexes, foreign keys). */
    static String psql(boolean tuplesOnly, String... commands) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed at /usr/bin/psql");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/psql", "-X", "-A", tuplesOnly ? "-t" : "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(pgPort), "-U", "sa", "-d", "augur"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", commands) + ":\n" + out).isZero();
        assertThat(out).as(String.join(" ", commands)).doesNotContain("ERROR");
        return out;
    }
}
