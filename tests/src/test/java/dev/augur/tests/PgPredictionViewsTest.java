package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Eager prediction views on PostgreSQL (migration V3, PL/pgSQL only): the scenarios of {@link PredictionViewsH2Test},
 * equal to a full re-scoring by PREDICT after every committed change.
 */
class PgPredictionViewsTest {
    static String newUrl() throws SQLException {
        return "jdbc:augur:" + PgServer.newDatabase("views").substring("jdbc:".length());
    }

    static Connection open() throws SQLException {
        return DriverManager.getConnection(newUrl());
    }

    static void model(Statement st, String name, double wa, double wb, double bias) throws SQLException {
        model(st, name, "logistic", wa, wb, bias);
    }

    static void model(Statement st, String name, String kind, double wa, double wb, double bias) throws SQLException {
        String json = "{\"name\": \"" + name + "\", \"kind\": \"" + kind + "\", \"features\": {\"type\": \"dense\", \"inputs\": [\"a\", \"b\"]},"
                + " \"weights\": [" + wa + ", " + wb + "], \"bias\": " + bias + "}";
        st.executeQuery("SELECT AUGUR.IMPORT_MODEL('" + name + "', '" + json + "')").close();
    }

    static void assertViewEqualsFullRescoring(Statement st, String view, String model) throws SQLException {
        assertViewWithinTolerance(st, view, model, 0);
    }

    /**
     * The view's rows against PREDICT / PREDICT_LABEL over the base table with the deployed model: the same keys, the
     * same labels, scores within {@code tolerance} (0: within 1e-12; the view computes the same float8 arithmetic).
     */
    static void assertViewWithinTolerance(Statement st, String view, String model, double tolerance) throws SQLException {
        Map<Object, String> labels = new HashMap<>();
        Map<Object, Double> scores = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, label, score FROM " + view)) {
            while (rs.next()) {
                labels.put(rs.getObject(1), rs.getString(2));
                scores.put(rs.getObject(1), (Double) rs.getObject(3));
            }
        }
        Map<Object, String> fullLabels = new HashMap<>();
        boolean linear;
        try (ResultSet rs = st.executeQuery("SELECT d.kind FROM augur.model_defs d JOIN augur.deployed p ON p.name = d.name"
                + " AND p.version = d.version WHERE d.name = '" + model + "'")) {
            rs.next();
            linear = rs.getString(1).equals("linear");
        }
        String label = linear ? "CAST(NULL AS TEXT)" : "PREDICT_LABEL('" + model + "', a, b)";
        try (ResultSet rs = st.executeQuery("SELECT id, " + label + ", PREDICT('" + model + "', a, b) FROM t")) {
            while (rs.next()) {
                Object key = rs.getObject(1);
                fullLabels.put(key, rs.getString(2));
                assertThat(scores).as("view row for key " + key).containsKey(key);
                Double stored = scores.get(key);
                Double full = (Double) rs.getObject(3);
                if (full == null) {
                    assertThat(stored).as("score of key " + key + " (NULL input)").isNull();
                } else {
                    assertThat(stored).as("score of key " + key).isNotNull();
                    assertThat(Math.abs(stored - full)).as("score of key " + key).isLessThanOrEqualTo(Math.max(tolerance, 1e-12));
                }
            }
        }
        assertThat(labels).isEqualTo(fullLabels);
    }

    static int intValue(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void eagerViewFollowsDataAndDeploysAndRollbacks() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, note VARCHAR(10))");
            st.execute("INSERT INTO t SELECT g, sin(g), cos(g * 3), 'n' FROM generate_series(1, 500) g");
            model(st, "m", 1.0, -0.5, 0.1);
            model(st, "m", 1.01, -0.49, 0.1);
            model(st, "m", -1.0, 2.0, 0.0);
            st.execute("DEPLOY MODEL m VERSION 1");
            assertThat(intValue(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')")).isEqualTo(500);
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("INSERT INTO t VALUES (1000, 0.3, 0.2, 'x'), (1002, NULL, 1, 'y')");
            st.execute("UPDATE t SET a = -a WHERE MOD(id, 7) = 0");
            st.execute("UPDATE t SET note = 'z' WHERE MOD(id, 5) = 0");
            st.execute("DELETE FROM t WHERE MOD(id, 11) = 0");
            assertViewEqualsFullRescoring(st, "v", "m");
            try (ResultSet rs = st.executeQuery("SELECT score, label, margin, norm_1, model_version FROM v WHERE id = 1002")) {
                assertThat(rs.next()).isTrue();
                for (int i = 1; i <= 5; i++) {
                    assertThat(rs.getObject(i)).as("column %s of a NULL input's row", i).isNull();
                }
            }
            st.execute("DEPLOY MODEL m VERSION 2");
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("DEPLOY MODEL m VERSION 3");
            assertViewEqualsFullRescoring(st, "v", "m");
            c.setAutoCommit(false);
            st.execute("INSERT INTO t VALUES (2000, 1, 1, 'r')");
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("DELETE FROM t WHERE id < 100");
            c.rollback();
            c.setAutoCommit(true);
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("UPDATE t SET b = b + 0.5 WHERE MOD(id, 3) = 0");
            assertViewEqualsFullRescoring(st, "v", "m");
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT IN ('deploy', 'reorganize')"))
                    .isEqualTo(2);
            st.execute("ROLLBACK MODEL m");
            assertThat(intValue(st, "SELECT MAX(model_version) FROM v")).isEqualTo(2);
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("UPDATE t SET id = id + 10000 WHERE id BETWEEN 200 AND 210");
            assertViewEqualsFullRescoring(st, "v", "m");
            assertThat(st.executeUpdate("REFRESH PREDICTION VIEW v")).isZero();
            st.execute("REFRESH PREDICTION VIEW v FULL");
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT = 'refresh_full'")).isEqualTo(1);
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("TRUNCATE t");
            assertThat(intValue(st, "SELECT COUNT(*) FROM v")).isZero();
            st.execute("INSERT INTO t VALUES (1, 0.5, -0.5, 'a')");
            assertViewEqualsFullRescoring(st, "v", "m");
            assertThat(st.executeUpdate("DROP PREDICTION VIEW v")).isEqualTo(1);
            st.execute("INSERT INTO t VALUES (2, 0.5, -0.5, 'a')");  // no trigger left behind
            assertThat(intValue(st, "SELECT COUNT(*) FROM pg_proc WHERE proname LIKE 'augur\\_v%'")).isZero();
        }
    }

    @Test
    void randomInterleavingsKeepTheViewEqualToAFullRescoring() throws Exception {
        randomInterleavings(7, 0);
    }

    @Test
    void randomInterleavingsWithAToleranceKeepLabelsExactAndScoresClose() throws Exception {
        randomInterleavings(11, 0.02);
    }

    private void randomInterleavings(long seed, double tolerance) throws Exception {
        Random rnd = new Random(seed);
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g * 12.9898), cos(g * 78.233) FROM generate_series(1, 300) g");
            for (int v = 0; v < 6; v++) {
                model(st, "m", 1 + rnd.nextGaussian() * 0.05, -1 + rnd.nextGaussian() * 0.05, rnd.nextGaussian() * 0.05);
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (tolerance = " + tolerance + ", alpha = 0.5)");
            int nextId = 1000;
            for (int step = 0; step < 150; step++) {
                boolean rollback = rnd.nextInt(6) == 0;
                c.setAutoCommit(false);
                int ops = 1 + rnd.nextInt(3);
                for (int o = 0; o < ops; o++) {
                    switch (rnd.nextInt(4)) {
                        case 0 -> st.execute("INSERT INTO t VALUES (" + (nextId++) + ", " + (rnd.nextDouble() * 2 - 1) + ", "
                                + (rnd.nextDouble() * 2 - 1) + ")");
                        case 1 -> st.execute("UPDATE t SET a = " + (rnd.nextDouble() * 2 - 1) + " WHERE MOD(id, 17) = " + rnd.nextInt(17));
                        case 2 -> st.execute("DELETE FROM t WHERE id = " + (1 + rnd.nextInt(nextId)));
                        default -> st.execute("DEPLOY MODEL m VERSION " + (1 + rnd.nextInt(6)));
                    }
                }
                if (rollback) {
                    c.rollback();
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
                assertViewWithinTolerance(st, "v", "m", tolerance);
            }
            // the bound let some deploys re-score only part of the view
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT = 'deploy'"
                    + " AND ROWS_RESCORED < ROWS_CHECKED")).isPositive();
            // and the skiing rule re-anchored now and then
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT = 'reorganize'")).isPositive();
        }
    }

    @Test
    void aToleranceBandIsAnIndexRangeAndSkipsMostRows() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g * 12.9898) * 3, cos(g * 78.233) * 3 FROM generate_series(1, 5000) g");
            model(st, "m", 1.0, -1.0, 0.0);
            model(st, "m", 1.001, -1.0, 0.001);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (tolerance = 0.01)");
            st.execute("ANALYZE v");
            st.execute("DEPLOY MODEL m VERSION 2");
            assertViewWithinTolerance(st, "v", "m", 0.01);
            try (ResultSet rs = st.executeQuery("SELECT rows_checked, rows_rescored, bound FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v'"
                    + " AND EVENT = 'deploy'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isPositive().isLessThan(500);
                assertThat(rs.getLong(2)).isLessThanOrEqualTo(rs.getLong(1));
                assertThat(rs.getDouble(3)).isPositive();
            }
        }
    }

    @Test
    void badDefinitionsGetClearErrors() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT, a DOUBLE PRECISION, b DOUBLE PRECISION, c TEXT)");
            st.execute("INSERT INTO t VALUES (1, 1, 1, 'x'), (1, 2, 2, 'y')");
            model(st, "m", 1, 1, 0);
            st.execute("DEPLOY MODEL m");
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM missing"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42P01");
                        assertThat(e.getMessage()).contains("missing");
                    });
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, nope) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42703"));
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("not unique");
                    });
            st.execute("UPDATE t SET id = NULL WHERE a = 2");
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23502"));
            st.execute("DELETE FROM t WHERE a = 2");
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("model 'm' expects 2 inputs (a, b), got 1");
                    });
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('nope', a, b) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, c) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42804"));
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (mode = sometimes)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("eager, lazy or hybrid");
                    });
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (tolerance = -1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
            // names and the query are validated and quoted: no injection
            assertThatThrownBy(() -> st.execute("SELECT AUGUR.CREATE_PREDICTION_VIEW('v\"; DROP TABLE t; --', 'SELECT id, PREDICT(''m'', a, b) FROM t')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42602"));
            assertThatThrownBy(() -> st.execute("SELECT AUGUR.CREATE_PREDICTION_VIEW('v', 'SELECT id, PREDICT(''m'', a, b) FROM t; DROP TABLE t')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42601"));
            assertThatThrownBy(() -> st.execute("SELECT AUGUR.CREATE_PREDICTION_VIEW('v', 'SELECT id, PREDICT(''m''''); DROP TABLE t; --'', a, b) FROM t')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isIn("42602", "42601"));
            assertThat(intValue(st, "SELECT COUNT(*) FROM t")).isEqualTo(1);
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t");
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42710"));
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW t AS SELECT id, PREDICT('m', a, b) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42710"));
            assertThatThrownBy(() -> st.execute("INSERT INTO t VALUES (1, 5, 5, 'z')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("unique");
                    });
            assertThatThrownBy(() -> st.execute("INSERT INTO t VALUES (2, 'NaN', 5, 'z')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
            assertThatThrownBy(() -> st.execute("DROP MODEL m"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2BP01"));
            assertThat(st.executeUpdate("DROP PREDICTION VIEW v")).isEqualTo(1);
            assertThatThrownBy(() -> st.execute("DROP PREDICTION VIEW v"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
            assertThatThrownBy(() -> st.execute("REFRESH PREDICTION VIEW v"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
            assertThatThrownBy(() -> st.execute("CREATE CLASSIFICATION VIEW cv KEY id ENTITIES FROM t EXAMPLES FROM t KEY id LABEL a"
                    + " FEATURE FUNCTION (a, b)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("exactly 2 classes");
                    });
        }
    }

    @Test
    void bagOfWordsViewsAreEagerOrLazyAndLazyViewsScoreOnRead() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE docs (id INT PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO docs VALUES (1, 'buy now cheap'), (2, 'hello meeting'), (3, NULL)");
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('spam', '" + ConformanceTest.BOW + "')").close();
            st.execute("DEPLOY MODEL spam");
            // eager (migration V5; PgBagOfWordsViewsTest covers maintenance)
            assertThat(st.executeUpdate("CREATE PREDICTION VIEW e AS SELECT id, PREDICT('spam', body) FROM docs")).isEqualTo(3);
            try (ResultSet rs = st.executeQuery("SELECT e.id, e.score, e.label, PREDICT('spam', d.body), PREDICT_LABEL('spam', d.body)"
                    + " FROM e JOIN docs d ON d.id = e.id ORDER BY e.id")) {
                int n = 0;
                while (rs.next()) {
                    assertThat(rs.getObject(2)).isEqualTo(rs.getObject(4));
                    assertThat(rs.getObject(3)).isEqualTo(rs.getObject(5));
                    n++;
                }
                assertThat(n).isEqualTo(3);
            }
            assertThat(st.executeUpdate("DROP PREDICTION VIEW e")).isEqualTo(1);
            assertThat(st.executeUpdate("CREATE PREDICTION VIEW s AS SELECT id, PREDICT('spam', body) FROM docs WITH (mode = lazy)")).isZero();
            try (ResultSet rs = st.executeQuery("SELECT s.id, s.score, s.label, PREDICT('spam', d.body), PREDICT_LABEL('spam', d.body)"
                    + " FROM s JOIN docs d ON d.id = s.id ORDER BY s.id")) {
                int n = 0;
                while (rs.next()) {
                    assertThat(rs.getObject(2)).isEqualTo(rs.getObject(4));
                    assertThat(rs.getObject(3)).isEqualTo(rs.getObject(5));
                    n++;
                }
                assertThat(n).isEqualTo(3);
            }
            assertThat(st.executeUpdate("REFRESH PREDICTION VIEW s")).isZero();
            assertThat(st.executeUpdate("DROP PREDICTION VIEW s")).isEqualTo(1);
        }
    }

    @Test
    void aDeployTheViewCannotTakeFailsWholeAndLeavesTheViewAsItWas() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 100) g");
            model(st, "m", 1, -1, 0);
            String threeInputs = "{\"name\": \"m\", \"kind\": \"logistic\", \"features\": {\"type\": \"dense\", \"inputs\": [\"a\", \"b\", \"c\"]},"
                    + " \"weights\": [1, 1, 1], \"bias\": 0}";
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('m', '" + threeInputs + "')").close();
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t");
            assertThatThrownBy(() -> st.execute("DEPLOY MODEL m VERSION 2"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("prediction view 'v'");
                    });
            assertThat(intValue(st, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'm'")).isEqualTo(1);
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("INSERT INTO t VALUES (500, 0.25, 0.5)");
            assertViewEqualsFullRescoring(st, "v", "m");
            // a model of another kind with the same inputs: everything re-scored
            model(st, "m", "linear", 0.5, 0.25, 1);
            st.execute("DEPLOY MODEL m VERSION 3");
            assertViewEqualsFullRescoring(st, "v", "m");
            assertThat(intValue(st, "SELECT COUNT(*) FROM v WHERE label IS NOT NULL")).isZero();
        }
    }

    @Test
    void concurrentWritersAndADeployAreSerializedPerView() throws Exception {
        String url = newUrl();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 200) g");
            model(st, "m", 1, -1, 0.1);
            model(st, "m", 1.1, -0.9, 0.0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t");
            java.util.List<Thread> writers = new java.util.ArrayList<>();
            java.util.List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(new Thread(() -> {
                    try (Connection wc = DriverManager.getConnection(url); Statement ws = wc.createStatement()) {
                        for (int i = 0; i < 30; i++) {
                            int id = 1000 + writer * 100 + i;
                            ws.execute("INSERT INTO t VALUES (" + id + ", " + Math.sin(id) + ", " + Math.cos(id) + ")");
                            if (writer == 0 && i % 10 == 5) {
                                ws.execute("DEPLOY MODEL m VERSION " + (1 + (i / 10) % 2));
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread t : writers) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertViewEqualsFullRescoring(st, "v", "m");
        }
    }

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
            assertViewEqualsFullRescoring(st, "v", "m");
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
}
