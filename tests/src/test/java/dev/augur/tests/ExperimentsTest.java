package dev.augur.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Automatic model selection end to end, the same on both databases: a bandit routes keys, learns from their labels
 * and sends the better version most of the traffic; {@code best} promotes once significant; every routing decision
 * is a served prediction, and the arms' rewards equal a recomputation from the raw tables.
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
            model(st, "r", "linear", 1, 0, 0);
            model(st, "r", "linear", 2, 0, 0);
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2)", "42704", "no deployed version");
            st.execute("DEPLOY MODEL m VERSION 1");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2)", "55000", "CREATE FEEDBACK");
            st.execute("CREATE TABLE labels (id VARCHAR(20), y INT)");
            st.execute("CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1)", "22023", "2 to 16 versions");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 1)", "22023", "twice");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 9)", "42704", "9");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 3)", "22023", "one kind", "linear");
            fails(st, "DEPLOY MODEL m STRATEGY greedy OVER VERSIONS (1, 2)", "42601", "bandit");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2) WITH (floor = 2)", "22023", "floor");
            fails(st, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2) WITH (feedback = 'nosuch')", "42704", "nosuch", "f");
            fails(st, "SELECT AUGUR.START_EXPERIMENT('m', 'bandit', '1,x')", "22023", "version numbers");
            fails(st, "SELECT AUGUR.START_EXPERIMENT('m', 'sometimes', '1,2')", "22023", "bandit");
            st.execute("DEPLOY MODEL r VERSION 1");
            st.execute("CREATE TABLE values_r (id VARCHAR(20), y DOUBLE PRECISION)");
            st.execute("CREATE FEEDBACK fr FOR MODEL r FROM values_r KEY id LABEL y");
            fails(st, "DEPLOY MODEL r STRATEGY bandit OVER VERSIONS (1, 2)", "0A000", "regressor");
            st.execute("DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2)");
            fails(st, "DEPLOY MODEL m STRATEGY best OVER VERSIONS (1, 2)", "55000", "already has an experiment", "ROLLBACK MODEL m");
            fails(st, "DEPLOY MODEL m VERSION 2", "55000", "experiment", "ROLLBACK MODEL m");
            fails(st, "DROP FEEDBACK f", "55000", "experiment");
            fails(st, "SELECT AUGUR.ROUTE('m', NULL)", "22004", "key");
            fails(st, "SELECT PREDICT_SERVED('m', NULL, 1.0, 2.0)", "22004", "key");
            fails(st, "SELECT PREDICT_SERVED('m', 'k', 1.0)", "22023", "2 inputs");
            // nothing of the failed calls was recorded
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS")).isZero();
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.EXPERIMENTS")).isEqualTo(1);
        }
    }
}
