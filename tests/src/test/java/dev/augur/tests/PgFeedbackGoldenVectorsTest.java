package dev.augur.tests;

import dev.augur.engine.feedback.FeedbackRule;
import dev.augur.engine.feedback.LiveMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden vectors the engine computes for PostgreSQL's hand-written feedback arithmetic (R__augur_feedback_terms.sql,
 * R__augur_feedback_window.sql): each pair's terms (log loss with its clipping, Brier, the calibration bin, accuracy's
 * predicted class, a regressor's errors) and the window a served time falls in.
 */
class PgFeedbackGoldenVectorsTest {
    private static Connection pg;

    @BeforeAll
    static void connect() throws SQLException {
        pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("feedback_golden").substring("jdbc:".length()));
    }

    @AfterAll
    static void close() throws SQLException {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void eachPairsTermsAreTheEngines() throws SQLException {
        Random rnd = new Random(13);
        List<Double> scores = new ArrayList<>(List.of(0.0, 1.0, 0.5, Math.nextDown(0.5), Math.nextUp(0.5), 1e-16, 1e-15, 1 - 1e-16,
                Math.nextDown(1.0), 0.1, 0.2, 0.3, 0.7, 0.9, 0.99, Math.nextDown(0.1), Math.nextUp(0.9)));
        for (int i = 0; i < 300; i++) {
            scores.add(rnd.nextDouble());
            scores.add(Math.pow(rnd.nextDouble(), 30));
        }
        List<String> classes = List.of("0", "1");
        int checked = 0;
        try (PreparedStatement ps = pg.prepareStatement("SELECT correct, log_loss, brier, bin, positive, abs_error, squared_error,"
                + " confidence FROM augur.feedback_terms(?, ?::text[], ?, ?)")) {
            for (double score : scores) {
                for (String target : List.of("class", "value")) {
                    for (String label : target.equals("class") ? List.of("0", "1") : List.of("0", "-3.25", "1e6", String.valueOf(rnd.nextGaussian()))) {
                        LiveMetrics.Terms t = LiveMetrics.terms(LiveMetrics.Target.fromSqlName(target), classes,
                                target.equals("class") ? score : score * 1e3 - 400, label);
                        ps.setString(1, target);
                        ps.setString(2, "{0,1}");
                        ps.setDouble(3, target.equals("class") ? score : score * 1e3 - 400);
                        ps.setString(4, label);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            String what = target + " score " + score + " label " + label;
                            assertThat(rs.getLong(1)).as("correct, " + what).isEqualTo(t.correct());
                            assertUlps(rs.getDouble(2), t.logLoss(), "log loss, " + what);
                            assertThat(rs.getDouble(3)).as("Brier, " + what).isEqualTo(t.brier());
                            assertThat(rs.getInt(4)).as("bin, " + what).isEqualTo(t.bin());
                            assertThat(rs.getLong(5)).as("positive, " + what).isEqualTo(t.positive());
                            assertThat(rs.getDouble(6)).as("abs error, " + what).isEqualTo(t.absError());
                            assertThat(rs.getDouble(7)).as("squared error, " + what).isEqualTo(t.squaredError());
                            assertThat(rs.getDouble(8)).as("confidence, " + what).isEqualTo(t.confidence());
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(2000);
    }

    /**
     * With more than two classes, from the served probability vector: the predicted class (the first largest, ties too),
     * -ln p_label with its clipping, the multiclass Brier sum, the top label's bin and confidence.
     */
    @Test
    void multiclassTermsAreTheEngines() throws SQLException {
        Random rnd = new Random(17);
        List<double[]> vectors = new ArrayList<>(List.of(new double[]{1, 0, 0}, new double[]{0, 0, 1}, new double[]{0.5, 0.5, 0},
                new double[]{0.25, 0.25, 0.25, 0.25}, new double[]{1 - 2e-16, 1e-16, 1e-16}, new double[]{0.1, 0.6, 0.3},
                new double[]{0.3, 0.3, 0.4}, new double[]{0.2, 0.2, 0.2, 0.2, 0.2}));
        for (int i = 0; i < 300; i++) {
            double[] p = new double[3 + rnd.nextInt(4)];
            double sum = 0;
            for (int k = 0; k < p.length; k++) {
                p[k] = Math.pow(rnd.nextDouble(), 1 + rnd.nextInt(20));
                sum += p[k];
            }
            for (int k = 0; k < p.length; k++) {
                p[k] /= sum;
            }
            vectors.add(p);
        }
        int checked = 0;
        try (PreparedStatement ps = pg.prepareStatement("SELECT correct, log_loss, brier, bin, positive, confidence, abs_error, squared_error"
                + " FROM augur.feedback_terms('class', ?::text[], ?, ?, ?::float8[])")) {
            for (double[] p : vectors) {
                List<String> classes = new ArrayList<>();
                for (int k = 0; k < p.length; k++) {
                    classes.add("c" + k);
                }
                for (String label : classes) {
                    LiveMetrics.Terms t = LiveMetrics.terms(LiveMetrics.Target.CLASS, classes, p[LiveMetrics.predicted(p)], p, label);
                    ps.setString(1, "{" + String.join(",", classes) + "}");
                    ps.setDouble(2, p[LiveMetrics.predicted(p)]);
                    ps.setString(3, label);
                    ps.setArray(4, pg.createArrayOf("float8", java.util.Arrays.stream(p).boxed().toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        String what = java.util.Arrays.toString(p) + " label " + label;
                        assertThat(rs.getLong(1)).as("correct, " + what).isEqualTo(t.correct());
                        assertUlps(rs.getDouble(2), t.logLoss(), "log loss, " + what);
                        assertThat(rs.getDouble(3)).as("Brier, " + what).isEqualTo(t.brier());
                        assertThat(rs.getInt(4)).as("bin, " + what).isEqualTo(t.bin());
                        assertThat(rs.getLong(5)).as("positive, " + what).isEqualTo(t.positive());
                        assertThat(rs.getDouble(6)).as("confidence, " + what).isEqualTo(t.confidence());
                        assertThat(rs.getDouble(7) + rs.getDouble(8)).as("no regression terms, " + what).isZero();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    /** ln is the C library's on PostgreSQL and Math.log in Java: each within 1 ulp of the true value. */
    private static void assertUlps(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected).isLessThanOrEqualTo(2 * Math.ulp(expected));
    }

    /** In the session's time zone, whatever it is (the functions read times in UTC), UTC and two zones with other offsets. */
    @ParameterizedTest
    @ValueSource(strings = {"UTC", "America/New_York", "Asia/Kolkata"})
    void theWindowOfAServedTimeIsTheEngines(String zone) throws SQLException {
        Random rnd = new Random(5);
        long[] windows = {1, 1_000_000, 3_600_000_000L, 86_400_000_000L, 7 * 86_400_000_000L, 999_999_937L};
        try (Statement st = pg.createStatement()) {
            st.execute("SET TimeZone = '" + zone + "'");
        }
        try (PreparedStatement ps = pg.prepareStatement("SELECT augur.feedback_micros(augur.feedback_window(?, ?))")) {
            for (int i = 0; i < 400; i++) {
                // from 1950 to 2090, to the microsecond, both sides of the epoch
                long micros = (long) ((rnd.nextDouble() - 0.14) * 3.8e15);
                long w = windows[i % windows.length];
                ps.setObject(1, FeedbackTest.timestamp(micros));
                ps.setLong(2, w);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("window %d of %d in %s", w, micros, zone).isEqualTo(FeedbackRule.windowStart(micros, w));
                }
            }
        } finally {
            try (Statement st = pg.createStatement()) {
                st.execute("RESET TimeZone");
            }
        }
    }

    /**
     * The planner inlines both (every served prediction and label computes a window): their bodies are immutable, so no
     * SQL function call is left in the plan. A call of one costs a SQL function's executor (~18 µs), an inlined one ~0.4 µs.
     */
    @Test
    void theWindowAndMicrosecondsAreInlined() throws SQLException {
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery(
                "EXPLAIN (VERBOSE) SELECT augur.feedback_window(x, 3600000000), augur.feedback_micros(x) FROM (SELECT now() + i * interval '1 s' AS x"
                        + " FROM generate_series(1, 2) i) s")) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
            assertThat(plan.toString()).doesNotContain("feedback_window").doesNotContain("feedback_micros").contains("AT TIME ZONE");
        }
    }
}
