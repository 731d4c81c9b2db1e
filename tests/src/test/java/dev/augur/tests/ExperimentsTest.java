package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Automatic model selection end to end, the same on both databases: a bandit routes keys, learns from their labels
 * and sends the better version most of the traffic; {@code best} promotes once significant; every routing decision
 * is a served prediction, and the arms' rewards equal a recomputation from the raw tables. Over classifiers the reward
 * is accuracy, over regressors the squared error.
 */
class ExperimentsTest {
    /** Version 1 is right (label = a > 0), version 2 wrong: its margin has the opposite sign. */
    private static void twoVersions(Statement st) throws SQLException {
        model(st, "m", 4, 0, 0);
        model(st, "m", -4, 0, 0);
        st.execute("DEPLOY MODEL m VERSION 1");
        st.execute("CREATE TABLE labels (id VARCHAR(20), y INT)");
        st.execute("CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y");
    }

    /** Serves {@code n} new keys through PREDICT_SERVED, each labelled right after; returns how many went to version 1. */
    private static int serveAndLabel(Connection c, int from, int n, Random random) throws SQLException {
        int toFirst = 0;
        try (PreparedStatement serve = c.prepareStatement("SELECT PREDICT_SERVED('m', ?, CAST(? AS DOUBLE PRECISION), 0.0)");
             PreparedStatement label = c.prepareStatement("INSERT INTO labels VALUES (?, ?)");
             PreparedStatement served = c.prepareStatement("SELECT MODEL_VERSION FROM AUGUR.SERVED_PREDICTIONS WHERE KEY_TEXT = ?")) {
            for (int i = from; i < from + n; i++) {
                String key = "k" + i;
                double a = random.nextGaussian();
                int routed;
                try (Statement st = c.createStatement()) {
                    routed = intValue(st, "SELECT AUGUR.ROUTE('m', '" + key + "')");
                }
                serve.setString(1, key);
                serve.setDouble(2, a);
                try (ResultSet rs = serve.executeQuery()) {
                    rs.next();
                    double p = rs.getDouble(1);
                    served.setString(1, key);
                    try (ResultSet s = served.executeQuery()) {
                        assertThat(s.next()).isTrue();
                        int version = s.getInt(1);
                        assertThat(version).as("ROUTE before serving names the version that served").isEqualTo(routed);
                        assertThat(p > 0.5).as("the score is version %d's", version).isEqualTo(version == 1 ? a > 0 : a < 0);
                        toFirst += version == 1 ? 1 : 0;
                    }
                }
                label.setString(1, key);
                label.setInt(2, a > 0 ? 1 : 0);
                label.executeUpdate();
            }
        }
        return toFirst;
    }

    private static void armsEqualRecomputation(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT a.EXPERIMENT, a.MODEL_VERSION, a.LABELS, a.CORRECT,"
                + " (SELECT COUNT(*) FROM AUGUR.FEEDBACK_LABELS l JOIN AUGUR.SERVED_PREDICTIONS s ON s.ID = l.SERVED_ID"
                + "   WHERE l.OUTCOME = 'joined' AND s.EXPERIMENT = a.EXPERIMENT AND s.MODEL_VERSION = a.MODEL_VERSION),"
                + " (SELECT COUNT(*) FROM AUGUR.FEEDBACK_LABELS l JOIN AUGUR.SERVED_PREDICTIONS s ON s.ID = l.SERVED_ID"
                + "   WHERE l.OUTCOME = 'joined' AND s.EXPERIMENT = a.EXPERIMENT AND s.MODEL_VERSION = a.MODEL_VERSION"
                + "   AND CAST(l.LABEL AS INT) = CASE WHEN s.SCORE >= 0.5 THEN 1 ELSE 0 END)"
                + " FROM AUGUR.EXPERIMENT_ARMS a")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getLong(3)).as("labels of version %d", rs.getInt(2)).isEqualTo(rs.getLong(5));
                assertThat(rs.getLong(4)).as("correct of version %d", rs.getInt(2)).isEqualTo(rs.getLong(6));
            }
            assertThat(rows).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void banditSendsMostTrafficToTheBetterVersion(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            twoVersions(st);
            assertThat(intValue(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2) WITH (floor = 0.1, seed = 7)")).isPositive();
            Random random = new Random(3);
            int early = serveAndLabel(c, 0, 40, random);
            int late = serveAndLabel(c, 40, 300, random);
            // the floor keeps about 5% on the loser; Thompson sends nearly everything else to version 1
            assertThat(late / 300.0).as("share of version 1 after 40 labels (first 40: %d)", early).isGreaterThan(0.85);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS WHERE EXPERIMENT IS NOT NULL")).isEqualTo(340);
            assertThat(intValue(st, "SELECT SUM(ROUTED) FROM AUGUR.EXPERIMENT_STATUS")).isEqualTo(340);
            armsEqualRecomputation(st);
            // a classifier's status: accuracy, no squared error
            try (ResultSet rs = st.executeQuery("SELECT REWARD, ACCURACY, CORRECT, MSE, RMSE FROM AUGUR.EXPERIMENT_STATUS ORDER BY ARM")) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).isEqualTo("accuracy");
                    assertThat(rs.getObject(2)).isNotNull();
                    assertThat(rs.getObject(3)).isNotNull();
                    assertThat(rs.getObject(4)).isNull();
                    assertThat(rs.getObject(5)).isNull();
                }
            }
            // plain PREDICT and the deployed pointer are untouched by the experiment
            assertThat(intValue(st, "SELECT version FROM AUGUR.DEPLOYED WHERE name = 'm'")).isEqualTo(1);
            // a label that arrives twice is a duplicate, not a second reward
            st.execute("INSERT INTO labels VALUES ('k5', 1)");
            armsEqualRecomputation(st);
            // ROLLBACK MODEL ends the experiment; keyed serving goes to the deployed version again
            assertThat(intValue(st, "ROLLBACK MODEL m")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT OUTCOME, ENDED_AT FROM AUGUR.EXPERIMENTS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("ROLLBACK");
                assertThat(rs.getObject(2)).isNotNull();
            }
            assertThat(intValue(st, "SELECT AUGUR.ROUTE('m', 'any')")).isEqualTo(1);
            assertThat(intValue(st, "SELECT AUGUR.RECORD_PREDICTION('m', 'later', 0.7)")).isEqualTo(1);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS WHERE KEY_TEXT = 'later' AND EXPERIMENT IS NULL")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void bestPromotesTheBetterVersionOnceSignificant(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            twoVersions(st);
            st.execute("DEPLOY MODEL m VERSION 2");
            st.execute("DEPLOY MODEL m STRATEGY best OVER VERSIONS (1, 2) WITH (min_labels = 20, confidence = 0.99)");
            Random random = new Random(5);
            serveAndLabel(c, 0, 30, random);
            // routed uniformly: about half each, and after 20 labels each version 1 (all right) beats version 2 (all wrong)
            int promoted = 0;
            for (int round = 0; round < 10 && promoted == 0; round++) {
                serveAndLabel(c, 30 + round * 10, 10, random);
                promoted = intValue(st, "SELECT COUNT(*) FROM AUGUR.EXPERIMENTS WHERE ENDED_AT IS NOT NULL");
            }
            assertThat(promoted).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT OUTCOME FROM AUGUR.EXPERIMENTS")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("promoted version 1");
            }
            assertThat(intValue(st, "SELECT version FROM AUGUR.DEPLOYED WHERE name = 'm'")).isEqualTo(1);
            armsEqualRecomputation(st);
            // the promotion is an ordinary deployment: ROLLBACK MODEL returns to version 2
            assertThat(intValue(st, "ROLLBACK MODEL m")).isEqualTo(2);
        }
    }

    private static void fails(Statement st, String sql, String state, String... words) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state);
            for (String w : words) {
                assertThat(e.getMessage()).contains(w);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void badExperimentsGetClearErrors(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 4, 0, 0);
            model(st, "m", -4, 0, 0);
            model(st, "m", "linear", 1, 0, 0);   // version 3: a regressor on the same inputs
            model(st, "m", "linear", 2, 0, 0);   // version 4: another regressor
            model(st, "r", "linear", 1, 0, 0);
            model(st, "r", "linear", 2, 0, 0);
            // version 3 of r: a regressor on other inputs
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('r', '{\"name\": \"r\", \"kind\": \"linear\", \"features\": {\"type\": \"dense\","
                    + " \"inputs\": [\"a\", \"c\"]}, \"weights\": [1.0, 0.0], \"bias\": 0.0}')").close();
            ViewsDatabase.ensemble(st, "r", "bagged_linear", new double[][]{{1, 0, 0}, {1, 0, 0}}); // version 4: another kind of regressor
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2)", "42704", "no deployed version");
            st.execute("DEPLOY MODEL m VERSION 1");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2)", "55000", "CREATE FEEDBACK");
            st.execute("CREATE TABLE labels (id VARCHAR(20), y INT)");
            st.execute("CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1)", "22023", "2 to 16 versions");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 1)", "22023", "twice");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 9)", "42704", "9");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 3)", "22023", "one kind", "linear");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (3, 1)", "22023", "one kind", "logistic");
            // regressors are rewarded by squared error: a feedback of class labels cannot say it
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (3, 4)", "22023", "feedback 'f'", "class labels", "squared error");
            fails(st, "DEPLOY MODEL m STRATEGY greedy OVER VERSIONS (1, 2)", "42601", "bandit");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2) WITH (floor = 2)", "22023", "floor");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2) WITH (feedback = 'nosuch')", "42704", "nosuch", "f");
            fails(st, "SELECT AUGUR.START_EXPERIMENT('m', 'bandit', '1,x')", "22023", "version numbers");
            fails(st, "SELECT AUGUR.START_EXPERIMENT('m', 'sometimes', '1,2')", "22023", "bandit");
            st.execute("DEPLOY MODEL r VERSION 1");
            st.execute("CREATE TABLE values_r (id VARCHAR(20), y DOUBLE PRECISION)");
            st.execute("CREATE FEEDBACK fr FOR MODEL r FROM values_r KEY id LABEL y");
            fails(st, "DEPLOY MODEL r STRATEGY bandit OVER VERSIONS (1, 3)", "22023", "one kind", "[a, c]");
            fails(st, "DEPLOY MODEL r STRATEGY best OVER VERSIONS (4, 1)", "22023", "one kind", "bagged_linear");
            // regressors of one kind and inputs: an experiment (rewarded by squared error)
            int rid = intValue(st, "DEPLOY MODEL r STRATEGY bandit OVER VERSIONS (1, 2)");
            try (ResultSet rs = st.executeQuery("SELECT REWARD FROM AUGUR.EXPERIMENTS WHERE ID = " + rid)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("squared_error");
            }
            // a squared error beyond 1e150 cannot enter the arms' sums: the label is refused, nothing is recorded of it
            st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('r', 'huge', 1.0)").close();
            fails(st, "INSERT INTO values_r VALUES ('huge', 1e80)", "22003", "fr", "1e150", "ROLLBACK MODEL");
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.FEEDBACK_LABELS")).isZero();
            assertThat(intValue(st, "SELECT SUM(LABELS) FROM AUGUR.EXPERIMENT_ARMS")).isZero();
            st.execute("ROLLBACK MODEL r");
            st.execute("DELETE FROM AUGUR.SERVED_PREDICTIONS WHERE KEY_TEXT = 'huge'");
            st.execute("DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2)");
            fails(st, "DEPLOY MODEL m STRATEGY best OVER VERSIONS (1, 2)", "55000", "already has an experiment", "ROLLBACK MODEL m");
            fails(st, "DEPLOY MODEL m VERSION 2", "55000", "experiment", "ROLLBACK MODEL m");
            fails(st, "DROP FEEDBACK f", "55000", "experiment");
            fails(st, "SELECT AUGUR.ROUTE('m', NULL)", "22004", "key");
            fails(st, "SELECT PREDICT_SERVED('m', NULL, 1.0, 2.0)", "22004", "key");
            fails(st, "SELECT PREDICT_SERVED('m', 'k', 1.0)", "22023", "2 inputs");
            // nothing of the failed calls was recorded
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS")).isZero();
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.EXPERIMENTS")).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------ regressors: the squared error is the reward

    /**
     * Model r over inputs (a, b): version 1 predicts a, version 2 predicts -a; the labels are a plus a little noise, so
     * version 1's squared errors are about 0.01 and version 2's about 4 a^2. Feedback fr of numeric labels (timed by
     * column {@code at} when {@code timed}).
     */
    private static void twoRegressors(Statement st, boolean timed) throws SQLException {
        model(st, "r", "linear", 1, 0, 0);
        model(st, "r", "linear", -1, 0, 0);
        st.execute("DEPLOY MODEL r VERSION 1");
        st.execute("CREATE TABLE values_r (id VARCHAR(20), y DOUBLE PRECISION" + (timed ? ", at TIMESTAMP WITH TIME ZONE" : "") + ")");
        st.execute("CREATE FEEDBACK fr FOR MODEL r FROM values_r KEY id LABEL y" + (timed ? " AT at" : ""));
    }

    /** Serves {@code n} new keys of r through PREDICT_SERVED, each labelled right after; returns how many went to version 1. */
    private static int serveAndLabelValues(Connection c, int from, int n, Random random) throws SQLException {
        int toFirst = 0;
        try (PreparedStatement serve = c.prepareStatement("SELECT PREDICT_SERVED('r', ?, CAST(? AS DOUBLE PRECISION), 0.0)");
             PreparedStatement label = c.prepareStatement("INSERT INTO values_r VALUES (?, ?)");
             PreparedStatement served = c.prepareStatement("SELECT MODEL_VERSION FROM AUGUR.SERVED_PREDICTIONS WHERE KEY_TEXT = ?")) {
            for (int i = from; i < from + n; i++) {
                String key = "k" + i;
                double a = random.nextGaussian();
                int routed;
                try (Statement st = c.createStatement()) {
                    routed = intValue(st, "SELECT AUGUR.ROUTE('r', '" + key + "')");
                }
                serve.setString(1, key);
                serve.setDouble(2, a);
                try (ResultSet rs = serve.executeQuery()) {
                    rs.next();
                    double value = rs.getDouble(1);
                    served.setString(1, key);
                    try (ResultSet s = served.executeQuery()) {
                        assertThat(s.next()).isTrue();
                        int version = s.getInt(1);
                        assertThat(version).as("ROUTE before serving names the version that served").isEqualTo(routed);
                        assertThat(value).as("the value is version %d's", version).isCloseTo(version == 1 ? a : -a, within(1e-12));
                        toFirst += version == 1 ? 1 : 0;
                    }
                }
                label.setString(1, key);
                label.setDouble(2, a + 0.1 * random.nextGaussian());
                label.executeUpdate();
            }
        }
        return toFirst;
    }

    /**
     * Each arm of an experiment over regressors against a recomputation from the served log and the labels (written here
     * independently of the bindings): its labels n, the sum of (label - served score)^2 and of its squares over the labels
     * of the experiment's feedback joined to predictions it routed; and AUGUR.EXPERIMENT_STATUS's mse and rmse from them
     * (accuracy and correct NULL). Returns the arms as "version: n s1 s2".
     */
    private static List<String> squaredErrorArmsEqualRecomputation(Statement st) throws SQLException {
        Map<String, double[]> recomputed = new TreeMap<>();
        try (ResultSet rs = st.executeQuery("SELECT s.EXPERIMENT, s.MODEL_VERSION, s.SCORE, l.LABEL FROM AUGUR.FEEDBACK_LABELS l"
                + " JOIN AUGUR.SERVED_PREDICTIONS s ON s.ID = l.SERVED_ID JOIN AUGUR.EXPERIMENTS e ON e.ID = s.EXPERIMENT"
                + " WHERE l.OUTCOME = 'joined' AND l.FEEDBACK = e.FEEDBACK")) {
            while (rs.next()) {
                double e = rs.getDouble(3) - Double.parseDouble(rs.getString(4));
                double[] sums = recomputed.computeIfAbsent(rs.getLong(1) + "/" + rs.getInt(2), k -> new double[3]);
                sums[0]++;
                sums[1] += e * e;
                sums[2] += e * e * e * e;
            }
        }
        List<String> arms = new ArrayList<>();
        int rows = 0;
        try (ResultSet rs = st.executeQuery("SELECT a.EXPERIMENT, a.MODEL_VERSION, a.LABELS, a.CORRECT, a.SQUARED_ERROR_SUM,"
                + " a.SQUARED_ERROR_SQUARES, x.ACCURACY, x.CORRECT, x.MSE, x.RMSE, x.REWARD FROM AUGUR.EXPERIMENT_ARMS a"
                + " JOIN AUGUR.EXPERIMENT_STATUS x ON x.EXPERIMENT = a.EXPERIMENT AND x.ARM = a.ARM ORDER BY a.EXPERIMENT, a.ARM")) {
            while (rs.next()) {
                rows++;
                String arm = rs.getLong(1) + "/" + rs.getInt(2);
                double[] want = recomputed.getOrDefault(arm, new double[3]);
                long n = rs.getLong(3);
                assertThat(n).as("labels of arm %s", arm).isEqualTo((long) want[0]);
                assertThat(rs.getLong(4)).as("correct of arm %s (a regressor's stays 0)", arm).isZero();
                assertThat(rs.getDouble(5)).as("squared errors of arm %s", arm).isCloseTo(want[1], within(1e-9 * (1 + want[1])));
                assertThat(rs.getDouble(6)).as("their squares, arm %s", arm).isCloseTo(want[2], within(1e-9 * (1 + want[2])));
                assertThat(rs.getString(11)).isEqualTo("squared_error");
                assertThat(rs.getObject(7)).as("accuracy of a regressor").isNull();
                assertThat(rs.getObject(8)).as("correct of a regressor").isNull();
                if (n == 0) {
                    assertThat(rs.getObject(9)).isNull();
                    assertThat(rs.getObject(10)).isNull();
                } else {
                    assertThat(rs.getDouble(9)).as("mse of arm %s", arm).isCloseTo(want[1] / n, within(1e-9 * (1 + want[1] / n)));
                    assertThat(rs.getDouble(10)).as("rmse of arm %s", arm).isCloseTo(Math.sqrt(want[1] / n), within(1e-9 * (1 + want[1])));
                }
                arms.add(arm + ": " + n + " " + rs.getDouble(5) + " " + rs.getDouble(6));
            }
        }
        assertThat(rows).isPositive();
        return arms;
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void aBanditBetweenRegressorsSendsMostTrafficToTheSmallerError(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            twoRegressors(st, false);
            assertThat(intValue(st, "DEPLOY MODEL r STRATEGY bandit OVER VERSIONS (1, 2) WITH (floor = 0.1, seed = 7)")).isPositive();
            Random random = new Random(3);
            int early = serveAndLabelValues(c, 0, 40, random);
            int late = serveAndLabelValues(c, 40, 300, random);
            // the floor keeps about 5% on the worse version; Thompson sends nearly everything else to version 1
            assertThat(late / 300.0).as("share of version 1 after 40 labels (first 40: %d)", early).isGreaterThan(0.85);
            assertThat(intValue(st, "SELECT SUM(ROUTED) FROM AUGUR.EXPERIMENT_STATUS")).isEqualTo(340);
            squaredErrorArmsEqualRecomputation(st);
            try (ResultSet rs = st.executeQuery("SELECT MODEL_VERSION, RMSE FROM AUGUR.EXPERIMENT_STATUS ORDER BY ARM")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(2)).as("version 1's rmse: the noise").isBetween(0.05, 0.2);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(2)).as("version 2's rmse: about 2 |a|").isGreaterThan(1);
            }
            // a label that arrives twice is a duplicate, not a second reward
            st.execute("INSERT INTO values_r VALUES ('k5', 100.0)");
            squaredErrorArmsEqualRecomputation(st);
            // ROLLBACK MODEL ends the experiment; keyed serving goes to the deployed version again
            assertThat(intValue(st, "ROLLBACK MODEL r")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT OUTCOME, ENDED_AT FROM AUGUR.EXPERIMENTS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ended by ROLLBACK MODEL");
                assertThat(rs.getObject(2)).isNotNull();
            }
            assertThat(intValue(st, "SELECT AUGUR.ROUTE('r', 'any')")).isEqualTo(1);
            assertThat(intValue(st, "SELECT version FROM AUGUR.DEPLOYED WHERE name = 'r'")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void bestPromotesTheRegressorWithTheSmallerErrorOnceSignificant(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            twoRegressors(st, false);
            st.execute("DEPLOY MODEL r VERSION 2");
            st.execute("DEPLOY MODEL r STRATEGY best OVER VERSIONS (2, 1) WITH (min_labels = 20, confidence = 0.99)");
            Random random = new Random(5);
            int toFirst = serveAndLabelValues(c, 0, 30, random);
            assertThat(toFirst).as("best routes uniformly").isBetween(8, 22);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.EXPERIMENTS WHERE ENDED_AT IS NOT NULL")).as("fewer than 20 labels each").isZero();
            int promoted = 0;
            for (int round = 0; round < 10 && promoted == 0; round++) {
                serveAndLabelValues(c, 30 + round * 10, 10, random);
                promoted = intValue(st, "SELECT COUNT(*) FROM AUGUR.EXPERIMENTS WHERE ENDED_AT IS NOT NULL");
            }
            assertThat(promoted).isEqualTo(1);
            List<String> arms = squaredErrorArmsEqualRecomputation(st);
            String outcome;
            try (ResultSet rs = st.executeQuery("SELECT OUTCOME FROM AUGUR.EXPERIMENTS")) {
                rs.next();
                outcome = rs.getString(1);
            }
            // the winner's rmse and labels as its arm holds them
            try (ResultSet rs = st.executeQuery("SELECT LABELS, SQUARED_ERROR_SUM FROM AUGUR.EXPERIMENT_ARMS WHERE MODEL_VERSION = 1")) {
                rs.next();
                assertThat(outcome).as("arms %s", arms).isEqualTo(String.format(Locale.ROOT, "promoted version 1: rmse %s on %d labels",
                        new java.math.BigDecimal(Math.sqrt(rs.getDouble(2) / rs.getLong(1))).setScale(4, java.math.RoundingMode.HALF_EVEN),
                        rs.getLong(1)));
            }
            assertThat(outcome).matches("promoted version 1: rmse 0\\.\\d{4} on \\d+ labels");
            assertThat(intValue(st, "SELECT version FROM AUGUR.DEPLOYED WHERE name = 'r'")).isEqualTo(1);
            // the promotion is an ordinary deployment: ROLLBACK MODEL returns to version 2
            assertThat(intValue(st, "ROLLBACK MODEL r")).isEqualTo(2);
        }
    }

    /**
     * Random served predictions (keyed, timed, routed by the bandit), labels late, out of order, twice, before their
     * prediction and inside rolled-back transactions: after every step the arms equal a recomputation, so a label that
     * moves to another prediction or is replaced by an earlier-timed one moves its squared error too. Returns, per step,
     * the version each served prediction went to and the arms.
     */
    private static List<String> randomRegressionSteps(Connection c, Statement st) throws SQLException {
        twoRegressors(st, true);
        st.execute("DEPLOY MODEL r STRATEGY bandit OVER VERSIONS (1, 2) WITH (floor = 0.2, seed = 11)");
        Random rnd = new Random(17);
        List<String> trace = new ArrayList<>();
        for (int step = 0; step < 160; step++) {
            String key = "k" + rnd.nextInt(8);
            int op = rnd.nextInt(10);
            if (op < 4) {
                double score = Math.round(rnd.nextGaussian() * 2000) / 1000.0;
                trace.add("served " + key + " to " + intValue(st, "SELECT AUGUR.RECORD_PREDICTION('r', '" + key + "', " + score
                        + ", NULL, " + FeedbackTest.ts(rnd.nextInt(300)) + ")"));
            } else if (op < 9) {
                st.execute("INSERT INTO values_r VALUES ('" + key + "', " + Math.round(rnd.nextGaussian() * 1000) / 1000.0 + ", "
                        + FeedbackTest.ts(rnd.nextInt(300)) + ")");
            } else {
                c.setAutoCommit(false);
                st.execute("INSERT INTO values_r VALUES ('" + key + "', 3.5, " + FeedbackTest.ts(rnd.nextInt(300)) + ")");
                st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('r', '" + key + "', 0.25, NULL, " + FeedbackTest.ts(rnd.nextInt(300)) + ")").close();
                c.rollback();
                c.setAutoCommit(true);
            }
            trace.addAll(squaredErrorArmsEqualRecomputation(st));
        }
        // the scenario did what it is for: labels joined, others replaced or duplicated, some waiting for a prediction
        try (ResultSet rs = st.executeQuery("SELECT joined, duplicates FROM AUGUR.FEEDBACK_COUNTS")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isGreaterThan(5);
            assertThat(rs.getLong(2)).isGreaterThan(5);
        }
        assertThat(intValue(st, "SELECT COUNT(DISTINCT MODEL_VERSION) FROM AUGUR.SERVED_PREDICTIONS")).as("both arms served").isEqualTo(2);
        return trace;
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void squaredErrorArmsEqualARecomputationAfterRandomLabels(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            randomRegressionSteps(c, st);
        }
    }

    /** The same steps on H2 and PostgreSQL route every prediction alike and leave the same arms (sums to 1e-12). */
    @Test
    void bothDatabasesRouteAndRewardRegressorsAlike() throws Exception {
        List<List<String>> traces = new ArrayList<>();
        for (ViewsDatabase db : ViewsDatabase.values()) {
            try (Connection c = db.open(); Statement st = c.createStatement()) {
                traces.add(randomRegressionSteps(c, st));
            }
        }
        List<String> h2 = traces.get(0);
        List<String> pg = traces.get(1);
        assertThat(pg).hasSameSizeAs(h2);
        for (int i = 0; i < h2.size(); i++) {
            String a = h2.get(i);
            String b = pg.get(i);
            if (a.startsWith("served")) {
                assertThat(b).as("step %d", i).isEqualTo(a);
                continue;
            }
            String[] x = a.split(" ");
            String[] y = b.split(" ");
            assertThat(y[0] + " " + y[1]).as("arm and labels at line %d", i).isEqualTo(x[0] + " " + x[1]);
            for (int k = 2; k < 4; k++) {
                double u = Double.parseDouble(x[k]);
                assertThat(Double.parseDouble(y[k])).as("line %d: %s", i, a).isCloseTo(u, within(1e-12 * (1 + Math.abs(u))));
            }
        }
    }
}
