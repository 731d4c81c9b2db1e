package dev.augur.tests;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static dev.augur.tests.ViewsDatabase.assertSqlState;
import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.model;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prediction views that log what they serve ({@code WITH (log_served = true)}), the same on both databases: every row
 * the view writes is a served prediction of its model (key, the version that scored it, the score it holds, its
 * SCORED_AT), so labels join what the view served by the feedback's rule, and the live metrics equal a recomputation
 * from the logged rows and the labels ({@link FeedbackTest#assertLiveMetricsEqualBatch}).
 */
class ServedViewsTest {
    /** A served row as the log holds it. */
    private record Served(long id, int version, double score, OffsetDateTime at) {
    }

    /** A view row as the view holds it. */
    private record Row(Integer version, Double score, OffsetDateTime scoredAt) {
    }

    /**
     * The invariant: for every key the view serves (a row with a score), the latest prediction served for it (by time,
     * then as recorded last: the feedback's join rule) is exactly the view's row: its version, its score, its SCORED_AT.
     */
    static void assertLatestServedIsTheView(Statement st, String view) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, model_version, score, scored_at FROM " + view)) {
            while (rs.next()) {
                rows.put(String.valueOf(rs.getInt(1)), new Row((Integer) rs.getObject(2), rs.getObject(3) == null ? null : rs.getDouble(3),
                        rs.getObject(4, OffsetDateTime.class)));
            }
        }
        Map<String, Served> latest = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT ID, KEY_TEXT, MODEL_VERSION, SCORE, SERVED_AT, EXPERIMENT FROM AUGUR.SERVED_PREDICTIONS"
                + " WHERE MODEL = 'm'")) {
            while (rs.next()) {
                Served s = new Served(rs.getLong(1), rs.getInt(3), rs.getDouble(4), rs.getObject(5, OffsetDateTime.class));
                latest.merge(rs.getString(2), s, (a, b) -> a.at().isBefore(b.at()) || a.at().isEqual(b.at()) && a.id() < b.id() ? b : a);
            }
        }
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            if (r.score() == null) {
                continue; // a NULL input: the view serves nothing for the key
            }
            Served s = latest.get(e.getKey());
            assertThat(s).as("a served prediction for key %s of view %s", e.getKey(), view).isNotNull();
            assertThat(s.version()).as("version of key %s", e.getKey()).isEqualTo(r.version());
            assertThat(s.score()).as("score of key %s", e.getKey()).isEqualTo(r.score());
            assertThat(s.at().toInstant()).as("served_at of key %s", e.getKey()).isEqualTo(r.scoredAt().toInstant());
        }
    }

    private static int served(Statement st) throws SQLException {
        return intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = 'm'");
    }

    private static int served(Statement st, int version) throws SQLException {
        return intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = 'm' AND MODEL_VERSION = " + version);
    }

    private static int labels(Statement st, int n, int fromId, int toId) throws SQLException {
        StringBuilder rows = new StringBuilder();
        for (int id = fromId; id <= toId; id++) {
            rows.append(rows.isEmpty() ? "" : ", ").append("(").append(n++).append(", ").append(id).append(", ").append(id % 2)
                    .append(", CURRENT_TIMESTAMP)");
        }
        st.execute("INSERT INTO labels VALUES " + rows);
        return n;
    }

    private static int liveN(Statement st, int version) throws SQLException {
        return intValue(st, "SELECT COALESCE(SUM(N), 0) FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = 'fb' AND MODEL_VERSION = " + version);
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void aViewLogsWhatItWritesAndLabelsJoinIt(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 2, -2, 0.1);
            model(st, "m", -2, 2, -0.1);   // version 2 gives every row the other label: a deploy re-scores them all
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            StringBuilder rows = new StringBuilder();
            for (int i = 1; i <= 20; i++) {
                rows.append(i == 1 ? "" : ", ").append(String.format(Locale.ROOT, "(%d, %.3f, %.3f)", i, i / 10.0 - 1.05, (i % 7) / 7.0 - 0.5));
            }
            st.execute("INSERT INTO t VALUES " + rows + ", (21, NULL, 0.5)");
            st.execute("CREATE TABLE labels (n INT PRIMARY KEY, id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at");
            assertThat(intValue(st, "CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (log_served = true)")).isEqualTo(21);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEWS WHERE NAME = 'v' AND LOG_SERVED")).isEqualTo(1);
            // the creation served every row but the NULL input's, by version 1
            assertThat(served(st)).isEqualTo(20);
            assertThat(served(st, 1)).isEqualTo(20);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS WHERE KEY_TEXT = '21'")).isZero();
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS WHERE EXPERIMENT IS NOT NULL")).isZero();
            assertLatestServedIsTheView(st, "v");
            // the served log's monitoring counted them (one window of version 1)
            assertThat(intValue(st, "SELECT SUM(N) FROM AUGUR.MONITOR_WINDOWS WHERE MODEL = 'm' AND MODEL_VERSION = 1")).isEqualTo(20);

            int n = labels(st, 1, 1, 10);
            assertThat(liveN(st, 1)).isEqualTo(10);
            FeedbackTest.assertLiveMetricsEqualBatch(st, "fb");

            // a deploy re-scores every row: each is served again, by version 2, and later labels join those
            st.execute("DEPLOY MODEL m VERSION 2");
            assertThat(served(st, 2)).isEqualTo(20);
            assertThat(intValue(st, "SELECT COUNT(*) FROM v WHERE model_version = 2")).isEqualTo(20);
            assertLatestServedIsTheView(st, "v");
            n = labels(st, n, 1, 20);
            assertThat(liveN(st, 2)).isEqualTo(20);
            assertThat(liveN(st, 1)).isEqualTo(10);
            FeedbackTest.assertLiveMetricsEqualBatch(st, "fb");

            // a rollback of the transaction takes the rows it logged (and what the monitoring counted of them) with it
            c.setAutoCommit(false);
            st.execute("ROLLBACK MODEL m");
            assertThat(served(st, 1)).isEqualTo(40);
            assertLatestServedIsTheView(st, "v");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(served(st)).isEqualTo(40);
            assertThat(intValue(st, "SELECT SUM(N) FROM AUGUR.MONITOR_WINDOWS WHERE MODEL = 'm' AND MODEL_VERSION = 1")).isEqualTo(20);
            assertLatestServedIsTheView(st, "v");
            FeedbackTest.assertLiveMetricsEqualBatch(st, "fb");

            // data changes: a changed input and a new row are served; a deleted row and a NULL input serve nothing
            st.execute("UPDATE t SET a = 0.5 WHERE id = 3");
            st.execute("INSERT INTO t VALUES (22, 0.125, 0.25)");
            st.execute("DELETE FROM t WHERE id = 4");
            st.execute("UPDATE t SET a = NULL WHERE id = 5");
            assertThat(served(st)).isEqualTo(42);
            assertLatestServedIsTheView(st, "v");
            // a refresh with nothing to re-write writes (and serves) nothing
            assertThat(intValue(st, "REFRESH PREDICTION VIEW v FULL")).isZero();
            assertThat(served(st)).isEqualTo(42);
            labels(st, n, 1, 22);
            FeedbackTest.assertLiveMetricsEqualBatch(st, "fb");

            // a row served by a version an experiment runs over is the experiment's, as RECORD_PREDICTION with that version
            int experiment = intValue(st, "SELECT AUGUR.START_EXPERIMENT('m', 'best', '1,2')");
            st.execute("INSERT INTO t VALUES (23, -0.25, 0.5)");
            assertThat(intValue(st, "SELECT EXPERIMENT FROM AUGUR.SERVED_PREDICTIONS WHERE KEY_TEXT = '23'")).isEqualTo(experiment);
            st.execute("ROLLBACK MODEL m");   // ends the experiment; version 2 stays deployed
            assertLatestServedIsTheView(st, "v");

            // the option off (the default): nothing logged
            st.execute("CREATE PREDICTION VIEW quiet AS SELECT id, PREDICT('m', a, b) FROM t WITH (log_served = false)");
            st.execute("CREATE PREDICTION VIEW quiet2 AS SELECT id, PREDICT('m', a, b) FROM t");
            assertThat(served(st)).isEqualTo(43);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEWS WHERE LOG_SERVED")).isEqualTo(1);
            st.execute("DROP PREDICTION VIEW quiet");
            st.execute("DROP PREDICTION VIEW quiet2");
            // dropping the view leaves the served log, as DROP FEEDBACK does
            st.execute("DROP PREDICTION VIEW v");
            assertThat(served(st)).isEqualTo(43);
        }
    }

    /**
     * A row whose stored score stays within the view's tolerance keeps its score and version, and is not served again: a
     * label after the deploy joins the prediction it still serves, by the version that scored it (what users saw).
     */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void rowsWithinTheToleranceKeepServingTheirLoggedPrediction(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0);
            model(st, "m", 1.1, -1, 0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            // most rows' bound keeps them within the tolerance (|a| <= 0.35), the others are re-scored one by one
            st.execute("INSERT INTO t SELECT g, (g - 20) / 40.0, 0.05 FROM " + db.series(40));
            st.execute("CREATE TABLE labels (n INT PRIMARY KEY, id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (tolerance = 0.01, log_served = true)");
            st.execute("DEPLOY MODEL m VERSION 2");
            int kept = intValue(st, "SELECT COUNT(*) FROM v WHERE model_version = 1");
            int rescored = intValue(st, "SELECT COUNT(*) FROM v WHERE model_version = 2");
            assertThat(kept).as("rows within the tolerance").isPositive();
            assertThat(rescored).as("rows re-scored").isPositive();
            assertThat(served(st, 1)).isEqualTo(40);
            assertThat(served(st, 2)).isEqualTo(rescored);
            assertLatestServedIsTheView(st, "v");
            labels(st, 1, 1, 40);
            assertThat(liveN(st, 1)).isEqualTo(kept);
            assertThat(liveN(st, 2)).isEqualTo(rescored);
            FeedbackTest.assertLiveMetricsEqualBatch(st, "fb");
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void logServedIsABooleanOfEagerPredictionViews(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t VALUES (1, 0.5, 0.5), (2, -0.5, 0.5)");
            String query = "'SELECT id, PREDICT(''m'', a, b) FROM t'";
            for (String bad : new String[]{"1", "'yes'", "NULL", "0.0"}) {
                assertSqlState(st, "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a, b) FROM t WITH (log_served = " + bad + ")",
                        "22023", "option log_served must be true or false");
            }
            for (String bad : new String[]{"1", "\"true\"", "null"}) {
                assertSqlState(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('x', " + query + ", '{\"log_served\": " + bad + "}')", "22023",
                        "option log_served must be true or false, got " + bad);
            }
            for (String mode : new String[]{"lazy", "hybrid"}) {
                assertSqlState(st, "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a, b) FROM t WITH (mode = " + mode + ", log_served = true)",
                        "0A000", "a " + mode + " view computes its scores on read");
                assertSqlState(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('x', " + query + ", '{\"mode\": \"" + mode + "\", \"log_served\": true}')",
                        "0A000", "create the view with mode = eager");
            }
            // a classification view's model is not one the served log (or feedback) can name
            st.execute("CREATE TABLE ex (id INT PRIMARY KEY, y INT)");
            st.execute("INSERT INTO ex VALUES (1, 1), (2, 0)");
            assertSqlState(st, "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM t EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b)"
                    + " WITH (log_served = true)", "0A000", "log_served is for prediction views");
            assertSqlState(st, "SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('x', 't', 'id', 'ex', 'id', 'y', '(a, b)', 'logistic',"
                    + " '{\"log_served\": false}')", "0A000", "AUGUR.VIEW_MODELS");
            // a model the served log cannot take by one score (more than two classes) is no prediction view's either
            st.execute("SELECT AUGUR.IMPORT_MODEL('sm', '{\"name\": \"sm\", \"kind\": \"softmax\", \"features\": {\"type\": \"dense\","
                    + " \"inputs\": [\"a\", \"b\"]}, \"classes\": [\"r\", \"g\", \"b\"], \"weights\": [[1, 0], [0, 1], [-1, -1]],"
                    + " \"bias\": [0, 0, 0]}')");
            st.execute("DEPLOY MODEL sm VERSION 1");
            assertSqlState(st, "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('sm', a, b) FROM t WITH (log_served = true)", "0A000", "sm");
            // nothing was made or logged by the refusals
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEWS")).isZero();
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS")).isZero();
            assertThat(intValue(st, "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a, b) FROM t WITH (log_served = TRUE)")).isEqualTo(2);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS")).isEqualTo(2);
        }
    }

    /**
     * A view's rows are served in batches (H2: one INSERT per 1,000 rows, the monitoring's counts and detector once per
     * batch): the monitoring still equals a recomputation from the served log in its order ({@link MonitoringTest#check}:
     * windows, PSI against the reference, the score detector's alarms), alarms raised inside a batch included.
     */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void theMonitoringOfWhatAViewServesEqualsARecomputation(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            MonitoringTest.trainingRows(st, new Random(7), 300);
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)");   // version 1, with a reference
            model(st, "m", 1, -1, 0.3);                                                       // version 2, imported
            st.executeQuery("SELECT AUGUR.CAPTURE_REFERENCE('m', 'SELECT a, b FROM train_rows', 2)").close();
            st.execute("DEPLOY MODEL m VERSION 1");
            st.executeQuery("SELECT AUGUR.SET_MONITOR('m', 3600, " + MonitoringTest.DELTA + ", " + MonitoringTest.LAMBDA + ", "
                    + MonitoringTest.MIN_N + ")").close();
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            // the scores' level moves among the keys (in the order they are served: their text's), so the detector alarms
            st.execute("INSERT INTO t SELECT g, CASE WHEN MOD(g, 10) < 5 THEN -1.5 ELSE 1.5 END + MOD(g * 37, 101) / 50.0 - 1,"
                    + " MOD(g * 11, 53) / 26.0 - 1 FROM " + db.series(2500));
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (log_served = true)");
            assertThat(served(st, 1)).isEqualTo(2500);
            MonitoringTest.check(st, 7);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.MONITOR_EVENTS WHERE SIGNAL = 'score'")).as("score alarms").isPositive();
            st.execute("UPDATE t SET a = a + 1 WHERE MOD(id, 4) = 0");
            MonitoringTest.check(st, 7);
            st.execute("DEPLOY MODEL m VERSION 2");
            MonitoringTest.check(st, 7);
            assertLatestServedIsTheView(st, "v");
        }
    }

    /**
     * H2 writes a view table that carries a constraint (or trigger) of the user's by SQL, so that it holds, instead of
     * straight into its storage: what it serves is logged alike, with the row's SCORED_AT.
     */
    @org.junit.jupiter.api.Test
    void onH2AViewWrittenBySqlLogsAlike() throws Exception {
        try (Connection c = ViewsDatabase.H2.open(); Statement st = c.createStatement()) {
            model(st, "m", 2, -2, 0.1);
            model(st, "m", -2, 2, -0.1);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT X, X / 10.0 - 1, 0.25 FROM SYSTEM_RANGE(1, 20)");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (log_served = true)");
            st.execute("ALTER TABLE v ADD CONSTRAINT v_scores CHECK (score BETWEEN 0 AND 1)");
            st.execute("DEPLOY MODEL m VERSION 2");
            st.execute("UPDATE t SET a = -a WHERE id < 5");
            st.execute("INSERT INTO t VALUES (21, 0.5, 0.5)");
            assertThat(served(st, 2)).isEqualTo(25);
            assertLatestServedIsTheView(st, "v");
        }
    }

    // ------------------------------------------------------------------ the property

    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void onH2TheLatestServedRowOfEveryKeyIsTheViewsRow(@ForAll long seed) throws Exception {
        everyKind(ViewsDatabase.H2, seed);
    }

    /**
     * The sample the property above failed on in CI (2026-12-03): a rebuilt index (a transaction that found the view
     * changed by another) grew its columns while loading, journaled that growth, and a rollback model after it put back
     * the smaller columns, so the re-anchoring met entities without features (ViewIndexTest.aLoadLeavesNothingToUndo).
     */
    @net.jqwik.api.Example
    void onH2TheSampleOfSeed365() throws Exception {
        everyKind(ViewsDatabase.H2, 365);
    }

    @Property(tries = 2, shrinking = ShrinkingMode.OFF)
    void onPostgresTheLatestServedRowOfEveryKeyIsTheViewsRow(@ForAll long seed) throws Exception {
        everyKind(ViewsDatabase.POSTGRESQL, seed);
    }

    /** One model exact (PostgreSQL: set-based triggers), one with a tolerance, an ensemble (PostgreSQL: the row trigger). */
    private static void everyKind(ViewsDatabase db, long seed) throws Exception {
        interleavings(db, seed, "logistic", 0);
        interleavings(db, seed + 1, "logistic", 0.05);
        interleavings(db, seed + 2, "bagged_logistic", 0);
    }

    /**
     * Random transactions, each committed or rolled back, of data changes (new rows, NULL inputs, changed inputs and
     * keys, deletes), deploys and rollbacks of the model, refreshes and labels; after each: for every key the latest
     * served prediction is the view's row, and the live metrics equal a recomputation from the served log and the labels.
     */
    private static void interleavings(ViewsDatabase db, long seed, String kind, double tolerance) throws Exception {
        Random rnd = new Random(seed);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            for (int v = 0; v < 4; v++) {
                double scale = v == 1 ? 0.01 : v == 3 ? 1 : 0.2;
                if (kind.equals("logistic")) {
                    model(st, "m", 1 + scale * rnd.nextGaussian(), -1 + scale * rnd.nextGaussian(), scale * rnd.nextGaussian());
                } else {
                    double[][] members = new double[4][];
                    for (int k = 0; k < members.length; k++) {
                        members[k] = new double[]{1 + scale * rnd.nextGaussian(), -1 + scale * rnd.nextGaussian(), scale * rnd.nextGaussian()};
                    }
                    ViewsDatabase.ensemble(st, "m", kind, members);
                }
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, MOD(g * 37, 19) / 9.0 - 1, MOD(g * 11, 13) / 6.0 - 1 FROM " + db.series(30));
            st.execute("CREATE TABLE labels (n INT PRIMARY KEY, id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t WITH (tolerance = " + tolerance + ", log_served = true)");
            assertLatestServedIsTheView(st, "v");
            int nextId = 31;
            int nextLabel = 1;
            for (int step = 0; step < 25; step++) {
                boolean rollback = rnd.nextInt(5) == 0;
                c.setAutoCommit(false);
                boolean failed = false;
                for (int o = 1 + rnd.nextInt(3); o > 0 && !failed; o--) {
                    int op = rnd.nextInt(11);
                    String a = rnd.nextInt(8) == 0 ? "NULL" : String.format(Locale.ROOT, "%.4f", rnd.nextDouble() * 2 - 1);
                    String b = String.format(Locale.ROOT, "%.4f", rnd.nextDouble() * 2 - 1);
                    int id = 1 + rnd.nextInt(nextId - 1);
                    switch (op) {
                        case 0 -> st.execute("INSERT INTO t VALUES (" + nextId++ + ", " + a + ", " + b + "), (" + nextId++ + ", " + b + ", " + a + ")");
                        case 1 -> st.execute("UPDATE t SET a = " + a + " WHERE id = " + id);
                        case 2 -> st.execute("UPDATE t SET b = b * -0.5 WHERE MOD(id, 3) = " + rnd.nextInt(3));
                        case 3 -> st.execute("UPDATE t SET id = " + nextId++ + " WHERE id = " + id);
                        case 4 -> st.execute("DELETE FROM t WHERE id = " + id);
                        case 5, 6 -> st.execute("DEPLOY MODEL m VERSION " + (1 + rnd.nextInt(4)));
                        case 7 -> {
                            try {
                                st.execute("ROLLBACK MODEL m");
                            } catch (SQLException e) {
                                assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("55000"); // nothing to roll back to
                                failed = true;
                            }
                        }
                        case 8 -> st.execute("REFRESH PREDICTION VIEW v" + (rnd.nextBoolean() ? " FULL" : ""));
                        default -> {
                            int from = 1 + rnd.nextInt(nextId - 1);
                            nextLabel = labels(st, nextLabel, from, Math.min(nextId - 1, from + rnd.nextInt(4)));
                        }
                    }
                }
                if (rollback || failed) {
                    c.rollback();
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
                if (step == 12) {
                    // at least one deploy that stays, and labels of every key after it, whatever the draws
                    st.execute("DEPLOY MODEL m VERSION 4");
                    nextLabel = labels(st, nextLabel, 1, nextId - 1);
                }
                assertLatestServedIsTheView(st, "v");
                FeedbackTest.assertLiveMetricsEqualBatch(st, "fb");
            }
            // the script served by more than one version, and labels joined
            assertThat(intValue(st, "SELECT COUNT(DISTINCT MODEL_VERSION) FROM AUGUR.SERVED_PREDICTIONS")).as("versions served").isGreaterThan(1);
            assertThat(intValue(st, "SELECT COALESCE(SUM(JOINED), 0) FROM AUGUR.FEEDBACK_COUNTS")).as("labels joined").isPositive();
        }
    }
}
