package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prediction views on PostgreSQL only: what H2 has no counterpart for (roles). Every behaviour both databases share is
 * in {@link PredictionViewsTest}, run on both.
 */
class PgPredictionViewsTest {
    @Test
    void anAdminsViewIsMaintainedForPlainWritersAndReadableByUsers() throws Exception {
        String url = PgServer.newDatabase("vroles");
        String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        String admin = "vadmin" + suffix;
        String writer = "vwriter" + suffix;
        String reader = "vreader" + suffix;
        try (Connection su = DriverManager.getConnection("jdbc:augur:" + url.substring("jdbc:".length()))) {
            H2Db.exec(su, "CREATE ROLE " + admin + " LOGIN", "GRANT augur_admin TO " + admin, "GRANT CREATE ON SCHEMA public TO " + admin,
                    "CREATE ROLE " + writer + " LOGIN", "CREATE ROLE " + reader + " LOGIN", "GRANT augur_user TO " + reader);
        }
        try (Connection a = DriverManager.getConnection(url.replace("user=postgres", "user=" + admin)); Statement st = a.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 50) g");
            st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON t TO " + writer + ", " + reader);
            model(st, "m", 1, -1, 0.1);
            model(st, "m", 1.1, -0.9, 0.0);
            st.execute("SELECT AUGUR.DEPLOY_MODEL('m', 1)");
            assertThat(intValue(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')")).isEqualTo(50);
        }
        try (Connection w = DriverManager.getConnection(url.replace("user=postgres", "user=" + writer)); Statement st = w.createStatement()) {
            // no Augur role at all: the view's trigger runs as the view's owner
            st.execute("INSERT INTO t VALUES (100, 0.5, -0.25), (101, NULL, 1)");
            st.execute("UPDATE t SET a = -a WHERE MOD(id, 4) = 0");
            st.execute("DELETE FROM t WHERE MOD(id, 9) = 0");
            assertThatThrownBy(() -> st.execute("SELECT * FROM v"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        try (Connection a = DriverManager.getConnection(url.replace("user=postgres", "user=" + admin)); Statement st = a.createStatement()) {
            st.execute("SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            st.execute("SELECT AUGUR.ROLLBACK_MODEL('m')");
            st.execute("SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            st.execute("SELECT AUGUR.REFRESH_PREDICTION_VIEW('v', TRUE)");
        }
        try (Connection r = DriverManager.getConnection(url.replace("user=postgres", "user=" + reader)); Statement st = r.createStatement()) {
            ViewsDatabase.POSTGRESQL.assertViewEqualsFullRescoring(st, "v", "m");
            assertThat(intValue(st, "SELECT COUNT(*) FROM augur.view_events WHERE view_name = 'v'")).isEqualTo(5);
            assertThatThrownBy(() -> st.execute("SELECT AUGUR.DROP_PREDICTION_VIEW('v')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            assertThatThrownBy(() -> st.execute("SELECT AUGUR.CREATE_PREDICTION_VIEW('w', 'SELECT id, PREDICT(''m'', a, b) FROM t')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        try (Connection a = DriverManager.getConnection(url.replace("user=postgres", "user=" + admin)); Statement st = a.createStatement()) {
            assertThat(intValue(st, "SELECT AUGUR.DROP_PREDICTION_VIEW('v')")).isEqualTo(1);
        }
    }

    /**
     * A key with a unique index of its own is taken as unique without a scan; every index that does not promise what
     * the scan checks (partial, deferred, over another equality) still gets the scan and its 23505.
     */
    @Test
    void onlyAKeysOwnImmediateUniqueIndexSkipsTheUniquenessScan() throws Exception {
        try (Connection c = ViewsDatabase.POSTGRESQL.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0.1);
            st.execute("SELECT AUGUR.DEPLOY_MODEL('m', 1)");
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, g, -g FROM generate_series(1, 20) g");
            assertThat(intValue(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v_pk', 'SELECT id, PREDICT(''m'', a, b) FROM t', "
                    + "'{\"mode\": \"hybrid\"}')")).isEqualTo(20);
            ViewsDatabase.POSTGRESQL.assertViewEqualsFullRescoring(st, "v_pk", "m");
            // unique where a > 0 only: the duplicate 1s have a <= 0
            st.execute("CREATE TABLE part (id INT NOT NULL, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("CREATE UNIQUE INDEX ON part (id) WHERE a > 0");
            st.execute("INSERT INTO part VALUES (1, -1, 0), (1, -2, 0), (2, 1, 1)");
            ViewsDatabase.assertSqlState(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v_part', 'SELECT id, PREDICT(''m'', a, b) FROM part')",
                    "23505", "not unique (3 rows, 2 distinct keys)");
            // unique over lower(id) is an expression index, not the key's own
            st.execute("CREATE TABLE expr (id TEXT NOT NULL, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("CREATE UNIQUE INDEX ON expr (lower(id))");
            st.execute("INSERT INTO expr VALUES ('x', 1, 1), ('y', 2, 2)");
            assertThat(intValue(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v_expr', 'SELECT id, PREDICT(''m'', a, b) FROM expr')"))
                    .isEqualTo(2);
            // a deferred unique constraint may hold duplicates until commit: the scan sees them
            c.setAutoCommit(false);
            st.execute("CREATE TABLE def (id INT NOT NULL UNIQUE DEFERRABLE INITIALLY DEFERRED, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO def VALUES (1, 1, 1), (1, 2, 2)");
            ViewsDatabase.assertSqlState(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v_def', 'SELECT id, PREDICT(''m'', a, b) FROM def')",
                    "23505", "not unique (2 rows, 1 distinct keys)");
            c.rollback();
            // a unique key that allows NULLs: the scan names them
            c.setAutoCommit(true);
            st.execute("CREATE TABLE nul (id INT UNIQUE, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO nul VALUES (1, 1, 1), (NULL, 2, 2)");
            ViewsDatabase.assertSqlState(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v_nul', 'SELECT id, PREDICT(''m'', a, b) FROM nul')",
                    "23502", "has NULLs");
        }
    }
}
