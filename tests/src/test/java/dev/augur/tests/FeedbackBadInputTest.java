package dev.augur.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.augur.tests.FeedbackTest.ts;
import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Feedback's defined outcomes and clear errors, the same on both databases. */
class FeedbackBadInputTest {
    private static void fails(Statement st, String sql, String state, String... words) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state);
            for (String w : words) {
                assertThat(e.getMessage()).contains(w);
            }
        });
    }

    private static void record(Statement st, String key, double score, long minute) throws SQLException {
        st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('m', '" + key + "', " + score + ", NULL, " + ts(minute) + ")").close();
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void badDefinitionsAndLabelsGetClearErrors(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE labels (id INT, y INT, at TIMESTAMP WITH TIME ZONE, at_text VARCHAR(40), n DOUBLE PRECISION)");
            fails(st, "CREATE FEEDBACK f FOR MODEL nosuch FROM labels KEY id LABEL y", "42704", "nosuch", "m");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM nosuch KEY id LABEL y", "42P01", "nosuch");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL nosuch", "42703", "nosuch");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y AT at_text", "42804", "at_text", "timestamp");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y AT n", "42804", "timestamp");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y WINDOW 0 HOURS", "22023", "WINDOW", "positive");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y IMPLICIT NEGATIVE AFTER 0 SECONDS", "22023",
                    "IMPLICIT NEGATIVE AFTER");
            fails(st, "SELECT AUGUR.CREATE_FEEDBACK('f', 'm', 'labels', 'id', 'y', NULL, NULL, -5)", "22023", "WINDOW");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y WINDOW 1 FORTNIGHT", "42601", "FORTNIGHT");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id", "42601", "LABEL");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION('m', '1', 0.5, 9)", "42704", "9");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION('nosuch', '1', 0.5)", "42704", "nosuch");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION('m', NULL, 0.5)", "22004", "key");
            st.execute("CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y AT at");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y", "42710", "already exists");
            // a label outside the model's classes, a NULL label or time: the INSERT fails whole
            fails(st, "INSERT INTO labels (id, y, at) VALUES (1, 1, " + ts(1) + "), (2, 7, " + ts(2) + ")", "22023", "'7'", "0, 1");
            fails(st, "INSERT INTO labels (id, y, at) VALUES (1, NULL, " + ts(1) + ")", "22004", "NULL");
            fails(st, "INSERT INTO labels (id, y, at) VALUES (1, 1, NULL)", "22004", "time");
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.FEEDBACK_LABELS")).isZero();
            fails(st, "DROP FEEDBACK nosuch", "42704", "nosuch", "f");
            assertThat(intValue(st, "DROP FEEDBACK f")).isEqualTo(1);
            // the trigger went with it
            st.execute("INSERT INTO labels (id, y, at) VALUES (1, 7, " + ts(1) + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void duplicatesFirstByTimeWinsAndUnservedKeysAreCounted(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE labels (id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK f FOR MODEL m FROM labels KEY id LABEL y AT at WINDOW 1 DAY");
            record(st, "1", 0.9, 0);
            st.execute("INSERT INTO labels VALUES (1, 0, " + ts(30) + ")");   // joins: wrong (0.9 said 1)
            assertThat(metric(st, "ACCURACY")).isEqualTo(0.0);
            st.execute("INSERT INTO labels VALUES (1, 1, " + ts(40) + ")");   // later label for the same prediction: a duplicate
            assertThat(metric(st, "ACCURACY")).isEqualTo(0.0);
            st.execute("INSERT INTO labels VALUES (1, 1, " + ts(10) + ")");   // arrives last, timed first: it wins
            assertThat(metric(st, "ACCURACY")).isEqualTo(1.0);
            assertThat(metric(st, "LOG_LOSS")).isCloseTo(-Math.log(0.9), within(1e-12));
            assertThat(metric(st, "BRIER")).isCloseTo(0.01, within(1e-12));
            st.execute("INSERT INTO labels VALUES (2, 1, " + ts(10) + "), (1, 1, " + ts(-5) + ")"); // never served; before the prediction
            try (ResultSet rs = st.executeQuery("SELECT LABELS, JOINED, DUPLICATES, UNMATCHED FROM AUGUR.FEEDBACK_COUNTS WHERE FEEDBACK = 'f'")) {
                rs.next();
                assertThat(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).containsExactly(5, 1, 2, 2);
            }
            // a prediction recorded late, served before the unmatched label of key 2: that label joins it now
            record(st, "2", 0.2, 5);
            assertThat(intValue(st, "SELECT N FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = 'f'")).isEqualTo(2);
            assertThat(metric(st, "ACCURACY")).isEqualTo(0.5);
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void implicitNegativesAndLabelsTimedAtInsertAndRegressors(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0);
            model(st, "r", "linear", 0, 0, 0);
            model(st, "r", "linear", 2, 1, 0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("DEPLOY MODEL r VERSION 2");
            st.execute("CREATE TABLE clicks (id INT, clicked INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK f FOR MODEL m FROM clicks KEY id LABEL clicked AT at IMPLICIT NEGATIVE AFTER 1 HOUR");
            record(st, "1", 0.7, 0);
            record(st, "2", 0.4, 0);
            st.execute("INSERT INTO clicks VALUES (1, 1, " + ts(50) + ")");  // within the hour
            assertThat(intValue(st, "SELECT N FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = 'f'")).isEqualTo(1);
            st.execute("INSERT INTO clicks VALUES (3, 1, " + ts(61) + ")");  // the clock passes the hour: key 2 counts as 0
            assertThat(intValue(st, "SELECT N FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = 'f'")).isEqualTo(2);
            assertThat(metric(st, "ACCURACY")).isEqualTo(1.0);
            st.execute("INSERT INTO clicks VALUES (2, 1, " + ts(70) + ")");  // too late: a duplicate of the implicit negative
            assertThat(metric(st, "ACCURACY")).isEqualTo(1.0);
            assertThat(intValue(st, "SELECT IMPLICIT_NEGATIVES FROM AUGUR.FEEDBACK_COUNTS WHERE FEEDBACK = 'f'")).isEqualTo(1);
            assertThat(intValue(st, "SELECT DUPLICATES FROM AUGUR.FEEDBACK_COUNTS WHERE FEEDBACK = 'f'")).isEqualTo(1);

            st.execute("CREATE TABLE sales (id VARCHAR(10), amount DOUBLE PRECISION)");
            fails(st, "CREATE FEEDBACK g FOR MODEL r FROM sales KEY id LABEL amount IMPLICIT NEGATIVE AFTER 1 HOUR", "22023", "regressor");
            st.execute("CREATE FEEDBACK g FOR MODEL r FROM sales KEY id LABEL amount");
            // no AT: labels are timed when inserted, so a prediction served earlier in the same transaction joins
            st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('r', 'a', 10)").close();
            st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('r', 'b', 4)").close();
            st.execute("INSERT INTO sales VALUES ('a', 7), ('b', 5)");
            try (ResultSet rs = st.executeQuery("SELECT N, MAE, RMSE, ACCURACY, MODEL_VERSION FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = 'g'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getDouble(2)).isCloseTo(2.0, within(1e-12));
                assertThat(rs.getDouble(3)).isCloseTo(Math.sqrt(5.0), within(1e-12));
                assertThat(rs.getObject(4)).isNull();
                assertThat(rs.getInt(5)).isEqualTo(2);
            }
            fails(st, "INSERT INTO sales VALUES ('a', 'NaN')", "22023", "finite");
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void multiclassModelsRecordTheirProbabilitiesAndGetClearErrors(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            FeedbackTest.softmax(st, "m", new java.util.Random(1));
            st.execute("DEPLOY MODEL m VERSION 1");
            model(st, "b", 1, -1, 0);
            model(st, "r", "linear", 2, 1, 0);
            fails(st, "SELECT AUGUR.RECORD_PREDICTION('m', '1', 0.5)", "22023", "3 classes", "RECORD_PREDICTION_PROBA");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION_PROBA('m', '1', ARRAY[0.5, 0.5])", "22023", "3 classes", "red, green, blue");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION_PROBA('m', '1', ARRAY[0.5, 0.4, 0.2])", "22023", "sum");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION_PROBA('m', '1', ARRAY[0.5, 0.6, -0.1])", "22023", "'blue'", "[0, 1]");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION_PROBA('m', '1', ARRAY[CAST('NaN' AS DOUBLE PRECISION), 0.5, 0.5])", "22023", "finite");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION_PROBA('m', NULL, ARRAY[0.2, 0.3, 0.5])", "22004", "key");
            fails(st, "SELECT AUGUR.RECORD_PREDICTION_PROBA('r', '1', ARRAY[0.2, 0.8], 1)", "22023", "regressor");
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.SERVED_PREDICTIONS")).isZero();
            if (db == ViewsDatabase.H2) {
                // H2 lets an application insert into the served log: the same checks
                fails(st, "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE) VALUES ('m', '1', 1, 0.5)", "22023",
                        "RECORD_PREDICTION_PROBA");
                fails(st, "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE, PROBABILITIES)"
                        + " VALUES ('m', '1', 1, 0.6, ARRAY[0.2, 0.3, 0.5])", "22023", "largest");
                fails(st, "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE, PROBABILITIES)"
                        + " VALUES ('b', '1', 1, 0.6, ARRAY[0.4, 0.6])", "22023", "no probabilities");
                // a version not in the catalog is taken as it is; once it is, its classes decide (the session's cache of
                // them is read again when AUGUR.MODELS changes)
                st.execute("INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE) VALUES ('late', '1', 1, 0.5)");
                FeedbackTest.softmax(st, "late", new java.util.Random(2));
                fails(st, "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE) VALUES ('late', '2', 1, 0.5)", "22023",
                        "RECORD_PREDICTION_PROBA");
                st.execute("DELETE FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = 'late'");
            }
            // a binary classifier's vector is its second class's score
            assertThat(intValue(st, "SELECT AUGUR.RECORD_PREDICTION_PROBA('b', '1', ARRAY[0.25, 0.75], 1)")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT SCORE, PROBABILITIES FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = 'b'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(0.75);
                assertThat(rs.getObject(2)).isNull();
            }

            st.execute("CREATE TABLE colours (id INT, y VARCHAR(10), at TIMESTAMP WITH TIME ZONE)");
            fails(st, "CREATE FEEDBACK f FOR MODEL m FROM colours KEY id LABEL y AT at IMPLICIT NEGATIVE AFTER 1 HOUR", "22023",
                    "binary", "red, green, blue");
            st.execute("CREATE FEEDBACK f FOR MODEL m FROM colours KEY id LABEL y AT at");
            fails(st, "INSERT INTO colours VALUES (1, 'purple', " + ts(1) + ")", "22023", "'purple'", "red, green, blue");
            // predicted red (0.7) against green; predicted blue (0.5) against blue
            double[] p1 = {0.7, 0.2, 0.1};
            double[] p2 = {0.25, 0.25, 0.5};
            st.executeQuery("SELECT AUGUR.RECORD_PREDICTION_PROBA('m', '1', ARRAY[0.7, 0.2, 0.1], NULL, " + ts(0) + ")").close();
            st.executeQuery("SELECT AUGUR.RECORD_PREDICTION_PROBA('m', '2', ARRAY[0.25, 0.25, 0.5], NULL, " + ts(0) + ")").close();
            st.execute("INSERT INTO colours VALUES (1, 'green', " + ts(10) + "), (2, 'blue', " + ts(10) + ")");
            assertThat(metric(st, "ACCURACY")).isEqualTo(0.5);
            assertThat(metric(st, "LOG_LOSS")).isCloseTo((-Math.log(p1[1]) - Math.log(p2[2])) / 2, within(1e-12));
            double brier1 = Math.pow(p1[0], 2) + Math.pow(p1[1] - 1, 2) + Math.pow(p1[2], 2);
            double brier2 = Math.pow(p2[0], 2) + Math.pow(p2[1], 2) + Math.pow(p2[2] - 1, 2);
            assertThat(metric(st, "BRIER")).isCloseTo((brier1 + brier2) / 2, within(1e-12));
            // top-label confidences 0.7 (wrong) and 0.5 (right) fall in bins 7 and 5
            assertThat(metric(st, "ECE")).isCloseTo((Math.abs(0 - p1[0]) + Math.abs(1 - p2[2])) / 2, within(1e-12));
            try (ResultSet rs = st.executeQuery("SELECT BIN, N, SCORE_SUM, POSITIVES FROM AUGUR.FEEDBACK_CALIBRATION WHERE FEEDBACK = 'f'"
                    + " ORDER BY BIN")) {
                assertThat(rs.next()).isTrue();
                assertThat(new double[]{rs.getInt(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4)}).containsExactly(5, 1, 0.5, 1);
                assertThat(rs.next()).isTrue();
                assertThat(new double[]{rs.getInt(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4)}).containsExactly(7, 1, 0.7, 0);
                assertThat(rs.next()).isFalse();
            }
            // PREDICT_SERVED records what PREDICT_PROBA gives for each class
            double served = doubleValue(st, "SELECT PREDICT_SERVED('m', '3', 0.5, -1.5)");
            try (ResultSet rs = st.executeQuery("SELECT SCORE, PROBABILITIES FROM AUGUR.SERVED_PREDICTIONS WHERE KEY_TEXT = '3'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(served);
                Object[] p = (Object[]) rs.getArray(2).getArray();
                assertThat(p).hasSize(3);
                for (int k = 0; k < 3; k++) {
                    assertThat(((Number) p[k]).doubleValue()).isEqualTo(doubleValue(st, "SELECT PREDICT_PROBA('m', '"
                            + FeedbackTest.COLOURS.get(k) + "', 0.5, -1.5)"));
                }
            }
        }
    }

    private static double doubleValue(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getDouble(1);
        }
    }

    private static double metric(Statement st, String column) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT " + column + " FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = 'f'")) {
            assertThat(rs.next()).as("live metrics of f").isTrue();
            double v = rs.getDouble(1);
            assertThat(rs.next()).isFalse();
            return v;
        }
    }
}
