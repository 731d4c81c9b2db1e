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

/** Prediction views on H2: equal to a full re-scoring after every committed change. */
class PredictionViewsH2Test {
    private static int databases;

    static Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:augur:h2:mem:views_" + (databases++) + ";DB_CLOSE_DELAY=-1");
    }

    static void model(Statement st, String name, double wa, double wb, double bias) throws SQLException {
        String json = "{\"name\": \"" + name + "\", \"kind\": \"logistic\", \"features\": {\"type\": \"dense\", \"inputs\": [\"a\", \"b\"]},"
                + " \"weights\": [" + wa + ", " + wb + "], \"bias\": " + bias + "}";
        st.executeQuery("SELECT AUGUR.IMPORT_MODEL('" + name + "', '" + json + "')").close();
    }

    /** key -> (label, score) of the view, and of PREDICT over the base table with the deployed model. */
    static void assertViewEqualsFullRescoring(Statement st, String view, String model) throws SQLException {
        assertViewWithinTolerance(st, view, model, 0);
    }

    /** Labels equal to a full re-scoring's, scores within {@code tolerance} (0: bit for bit, the same arithmetic). */
    static void assertViewWithinTolerance(Statement st, String view, String model, double tolerance) throws SQLException {
        if (tolerance > 0) {
            Map<Object, double[]> scores = new HashMap<>();
            Map<Object, String> labels = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT id, label, score FROM " + view)) {
                while (rs.next()) {
                    labels.put(rs.getObject(1), rs.getString(2));
                    scores.put(rs.getObject(1), new double[]{rs.getDouble(3)});
                }
            }
            Map<Object, String> fullLabels = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT id, PREDICT_LABEL('" + model + "', a, b), PREDICT('" + model + "', a, b) FROM t")) {
                while (rs.next()) {
                    fullLabels.put(rs.getObject(1), rs.getString(2));
                    double[] stored = scores.get(rs.getObject(1));
                    assertThat(stored).as("view row for key " + rs.getObject(1)).isNotNull();
                    assertThat(Math.abs(stored[0] - rs.getDouble(3))).as("score of key " + rs.getObject(1)).isLessThanOrEqualTo(tolerance);
                }
            }
            assertThat(labels).isEqualTo(fullLabels);
            return;
        }
        Map<Object, String> viewRows = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, label, score FROM " + view)) {
            while (rs.next()) {
                viewRows.put(rs.getObject(1), rs.getString(2) + "|" + rs.getObject(3));
            }
        }
        Map<Object, String> full = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, PREDICT_LABEL('" + model + "', a, b), PREDICT('" + model + "', a, b) FROM t")) {
            while (rs.next()) {
                full.put(rs.getObject(1), rs.getString(2) + "|" + rs.getObject(3));
            }
        }
        assertThat(viewRows).isEqualTo(full);
    }

    @Test
    void eagerViewFollowsDataAndDeploysAndRollbacks() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, note VARCHAR(10))");
            st.execute("INSERT INTO t SELECT X, SIN(X), COS(X * 3), 'n' FROM SYSTEM_RANGE(1, 500)");
            model(st, "m", 1.0, -0.5, 0.1);
            model(st, "m", 1.01, -0.49, 0.1);
            model(st, "m", -1.0, 2.0, 0.0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t");
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("INSERT INTO t VALUES (1000, 0.3, 0.2, 'x'), (1001, NULL, 1, 'y')");
            st.execute("UPDATE t SET a = -a WHERE MOD(id, 7) = 0");
            st.execute("UPDATE t SET note = 'z' WHERE MOD(id, 5) = 0");
            st.execute("DELETE FROM t WHERE MOD(id, 11) = 0");
            assertViewEqualsFullRescoring(st, "v", "m");
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
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT IN ('deploy', 'reorganize')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
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
            st.execute("INSERT INTO t SELECT X, RAND() * 2 - 1, RAND() * 2 - 1 FROM SYSTEM_RANGE(1, 300)");
            for (int v = 0; v < 6; v++) {
                model(st, "m", 1 + rnd.nextGaussian() * 0.05, -1 + rnd.nextGaussian() * 0.05, rnd.nextGaussian() * 0.05);
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (tolerance = " + tolerance + ", alpha = 0.5)");
            int nextId = 1000;
            for (int step = 0; step < 200; step++) {
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
            if (tolerance > 0) {
                // the bound must have let some deploys re-score only part of the view
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT = 'deploy'"
                        + " AND ROWS_RESCORED < ROWS_CHECKED")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isPositive();
                }
            }
        }
    }

    @Test
    void badDefinitionsGetClearErrors() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t VALUES (1, 1, 1), (1, 2, 2)");
            model(st, "m", 1, 1, 0);
            st.execute("DEPLOY MODEL m");
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM missing"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("missing"));
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("not unique");
                    });
            st.execute("DELETE FROM t WHERE a = 2");
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("expects 2 inputs (a, b), got 1");
                    });
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('nope', a, b) FROM t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t");
            assertThatThrownBy(() -> st.execute("INSERT INTO t VALUES (1, 5, 5)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("unique"));
            assertThatThrownBy(() -> st.execute("DROP MODEL m"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2BP01"));
            assertThat(st.executeUpdate("DROP PREDICTION VIEW v")).isEqualTo(1);
            assertThatThrownBy(() -> st.execute("DROP PREDICTION VIEW v"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
        }
    }

    @Test
    void aDeployTheViewCannotTakeFailsWholeAndLeavesTheViewAsItWas() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT X, SIN(X), COS(X) FROM SYSTEM_RANGE(1, 100)");
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
            try (ResultSet rs = st.executeQuery("SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'm'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertViewEqualsFullRescoring(st, "v", "m");
            st.execute("INSERT INTO t VALUES (500, 0.25, 0.5)");
            assertViewEqualsFullRescoring(st, "v", "m");
        }
    }

    @Test
    void concurrentWritersAndADeployAreSerializedPerView() throws Exception {
        String url = "jdbc:augur:h2:mem:views_concurrent;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT X, SIN(X), COS(X) FROM SYSTEM_RANGE(1, 200)");
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
                        for (int i = 0; i < 40; i++) {
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
    void hybridViewsKeepLabelsEagerlyAndComputeScoresOnRead() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT X, SIN(X), COS(X * 3) FROM SYSTEM_RANGE(1, 400)");
            model(st, "m", 1.0, -0.5, 0.1);
            model(st, "m", 1.02, -0.49, 0.11);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW hv AS SELECT id, PREDICT('m', a, b) FROM t WITH (mode = hybrid)");
            assertViewEqualsFullRescoring(st, "hv", "m");
            st.execute("DEPLOY MODEL m VERSION 2");
            assertViewEqualsFullRescoring(st, "hv", "m");
            st.execute("INSERT INTO t VALUES (1000, 0.01, 0.02)");
            st.execute("UPDATE t SET a = -a WHERE MOD(id, 9) = 0");
            assertViewEqualsFullRescoring(st, "hv", "m");
            // only rows whose label could flip were re-scored by the deploy
            try (ResultSet rs = st.executeQuery("SELECT ROWS_RESCORED FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'hv'"
                    + " AND EVENT = 'deploy'")) {
                rs.next();
                assertThat(rs.getLong(1)).isLessThan(100);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM hv WHERE label = '1'")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
            assertThat(st.executeUpdate("DROP PREDICTION VIEW hv")).isEqualTo(1);
            st.execute("CREATE TABLE hv_labels (x INT)");
        }
    }

    @Test
    void aDeployWithAnotherVocabularyRecomputesTheFeatures() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE docs (id INT PRIMARY KEY, body VARCHAR(200), y INT)");
            st.execute("INSERT INTO docs VALUES (1, 'cheap pills now', 1), (2, 'meeting notes attached', 0), (3, 'win cash now', 1),"
                    + " (4, 'lunch meeting today', 0), (5, 'cash prize claim', 1), (6, 'project notes review', 0)");
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT body, y FROM docs WHERE id <= 4)");
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT body, y FROM docs)");
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW dv AS SELECT id, PREDICT('m', body) FROM docs");
            st.execute("DEPLOY MODEL m VERSION 2");
            st.execute("INSERT INTO docs VALUES (7, 'claim your prize', 1)");
            Map<Object, String> view = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT id, label, score FROM dv")) {
                while (rs.next()) {
                    view.put(rs.getObject(1), rs.getString(2) + "|" + rs.getObject(3));
                }
            }
            Map<Object, String> full = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT id, PREDICT_LABEL('m', body), PREDICT('m', body) FROM docs")) {
                while (rs.next()) {
                    full.put(rs.getObject(1), rs.getString(2) + "|" + rs.getObject(3));
                }
            }
            assertThat(view).isEqualTo(full);
            try (ResultSet rs = st.executeQuery("SELECT NOTE FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'dv' AND MODEL_VERSION = 2")) {
                rs.next();
                assertThat(rs.getString(1)).contains("feature function changed");
            }
        }
    }
}
