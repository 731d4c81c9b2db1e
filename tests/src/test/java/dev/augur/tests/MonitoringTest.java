package dev.augur.tests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.engine.feedback.FeedbackRule;
import dev.augur.engine.monitor.AdaptiveConformal;
import dev.augur.engine.monitor.PageHinkley;
import dev.augur.engine.monitor.Psi;
import dev.augur.engine.monitor.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.augur.tests.FeedbackTest.ts;
import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Monitoring without labels, on H2 and PostgreSQL alike (the same statements, tables and answers): after every commit (and rollback) of random interleavings of served predictions,
 * reference captures and window changes, AUGUR.MODEL_DRIFT, AUGUR.SCORE_DRIFT and the alarms in AUGUR.MONITOR_EVENTS
 * equal a recomputation from the raw tables (the served log, the stored references) written here with the engine's
 * definitions (PSI, Page-Hinkley) but none of the binding's bookkeeping.
 */
class MonitoringTest {
    static final double DELTA = 0.005;
    static final double LAMBDA = 2;
    static final int MIN_N = 5;

    static void trainingRows(Statement st, Random rnd, int n) throws SQLException {
        st.execute("CREATE TABLE train_rows (a DOUBLE PRECISION, b DOUBLE PRECISION, y INT)");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian();
            double b = rnd.nextGaussian();
            rows.append(i == 0 ? "" : ", ").append("(").append(a).append(", ").append(b).append(", ")
                    .append(rnd.nextDouble() < 1 / (1 + Math.exp(-(2 * a - b))) ? 1 : 0).append(")");
        }
        st.execute("INSERT INTO train_rows VALUES " + rows);
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void randomInterleavingsKeepDriftAndAlarmsEqualToARecomputationFromTheRawTables(ViewsDatabase db) throws Exception {
        for (long seed : new long[]{5, 11, 23}) {
            interleavings(db, seed);
        }
    }

    private static void interleavings(ViewsDatabase db, long seed) throws Exception {
        Random rnd = new Random(seed);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            trainingRows(st, rnd, 300);
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)");
            model(st, "m", 1, -1, 0.3); // version 2: imported, no reference until one is captured
            st.execute("DEPLOY MODEL m VERSION 1");
            st.executeQuery("SELECT AUGUR.SET_MONITOR('m', 3600, " + DELTA + ", " + LAMBDA + ", " + MIN_N + ")").close();
            check(st, seed);
            for (int step = 0; step < 50; step++) {
                boolean rollback = rnd.nextInt(6) == 0;
                c.setAutoCommit(false);
                int ops = 1 + rnd.nextInt(4);
                for (int o = 0; o < ops; o++) {
                    int op = rnd.nextInt(20);
                    if (op < 16) {
                        int v = 1 + rnd.nextInt(2);
                        // the scores' mean moves over the steps, so that the detector has something to see
                        double shift = step < 25 ? -1 : 1.5;
                        st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('m', '" + rnd.nextInt(20) + "', PREDICT('m@" + v + "', "
                                + (rnd.nextGaussian() + shift) + ", " + rnd.nextGaussian() + "), " + v + ", "
                                + ts(step * 20L + rnd.nextInt(200) - 50) + ")").close();
                    } else if (op < 18) {
                        assertThat(intValue(st, "SELECT AUGUR.CAPTURE_REFERENCE('m', 'SELECT a, b FROM train_rows WHERE a > "
                                + String.format(Locale.ROOT, "%.2f", rnd.nextGaussian()) + "', 2)")).isPositive();
                    } else {
                        st.executeQuery("SELECT AUGUR.SET_MONITOR('m', " + (60 * (30 + rnd.nextInt(120))) + ", " + DELTA + ", "
                                + LAMBDA + ", " + MIN_N + ")").close();
                    }
                }
                if (rollback) {
                    c.rollback();
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
                check(st, seed);
            }
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.MONITOR_EVENTS")).as("alarms raised (seed %d)", seed).isPositive();
        }
    }

    private record Served(long id, int version, double score, long atUs) {
    }

    private static long micros(OffsetDateTime t) {
        return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t.toInstant());
    }

    /** MODEL_DRIFT, SCORE_DRIFT and the score alarms, recomputed from the served log and the stored references. */
    static void check(Statement st, long seed) throws Exception {
        long windowUs;
        try (ResultSet rs = st.executeQuery("SELECT WINDOW_US FROM AUGUR.MONITORS WHERE MODEL = 'm'")) {
            rs.next();
            windowUs = rs.getLong(1);
        }
        Map<Integer, Reference> refs = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT VERSION, SPEC FROM AUGUR.MODEL_REFERENCES WHERE NAME = 'm'")) {
            while (rs.next()) {
                refs.put(rs.getInt(1), Reference.fromJson(rs.getString(2)));
            }
        }
        List<Served> served = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT ID, MODEL_VERSION, SCORE, SERVED_AT FROM AUGUR.SERVED_PREDICTIONS ORDER BY ID")) {
            while (rs.next()) {
                served.add(new Served(rs.getLong(1), rs.getInt(2), rs.getDouble(3), micros(rs.getObject(4, OffsetDateTime.class))));
            }
        }
        // per version and window: the scores, in the log's order
        Map<String, List<Double>> windows = new TreeMap<>();
        for (Served s : served) {
            windows.computeIfAbsent(s.version() + "/" + String.format("%020d", FeedbackRule.windowStart(s.atUs(), windowUs)),
                    k -> new ArrayList<>()).add(s.score());
        }
        List<String> expected = new ArrayList<>();
        for (Map.Entry<String, List<Double>> w : windows.entrySet()) {
            int v = Integer.parseInt(w.getKey().split("/")[0]);
            double[] scores = w.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            Reference r = refs.get(v);
            Double psi = r == null ? null : Psi.of(r.scoreCounts(), r.scoreHistogram(scores));
            double confidence = 0;
            for (double s : scores) {
                confidence += Reference.confidence(s);
            }
            expected.add(String.format(Locale.ROOT, "%s n=%d mean=%.9f psi=%s est=%.9f", w.getKey(), scores.length,
                    java.util.Arrays.stream(scores).sum() / scores.length, psi == null ? "null" : String.format(Locale.ROOT, "%.9f", psi),
                    confidence / scores.length));
        }
        List<String> actual = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT MODEL_VERSION, WINDOW_START, N, MEAN_SCORE, SCORE_PSI, ESTIMATED_ACCURACY"
                + " FROM AUGUR.MODEL_DRIFT WHERE MODEL = 'm' ORDER BY MODEL_VERSION, WINDOW_START")) {
            while (rs.next()) {
                double psi = rs.getDouble(5);
                String psiText = rs.wasNull() ? "null" : String.format(Locale.ROOT, "%.9f", psi);
                actual.add(String.format(Locale.ROOT, "%d/%020d n=%d mean=%.9f psi=%s est=%.9f", rs.getInt(1),
                        micros(rs.getObject(2, OffsetDateTime.class)), rs.getLong(3), rs.getDouble(4), psiText, rs.getDouble(6)));
            }
        }
        assertThat(actual).as("AUGUR.MODEL_DRIFT (seed %d)", seed).isEqualTo(expected);
        for (int v = 1; v <= 2; v++) {
            Reference r = refs.get(v);
            int version = v;
            if (r == null) {
                assertThatThrownBy(() -> st.executeQuery("SELECT AUGUR.SCORE_DRIFT('m', " + version + ")").close())
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55000"));
                continue;
            }
            double[] all = served.stream().filter(s -> s.version() == version).mapToDouble(Served::score).toArray();
            Double psi = Psi.of(r.scoreCounts(), r.scoreHistogram(all));
            try (ResultSet rs = st.executeQuery("SELECT AUGUR.SCORE_DRIFT('m', " + v + ")")) {
                rs.next();
                double got = rs.getDouble(1);
                if (psi == null) {
                    assertThat(rs.wasNull()).isTrue();
                } else {
                    assertThat(got).as("SCORE_DRIFT of version %d", v).isCloseTo(psi, within(1e-12));
                }
            }
        }
        // the score detector of each version, replayed over the served log in its order
        List<String> alarms = new ArrayList<>();
        PageHinkley.Options o = new PageHinkley.Options(DELTA, LAMBDA, MIN_N);
        Map<Integer, PageHinkley.State> state = new HashMap<>();
        for (Served s : served) {
            PageHinkley.Step step = PageHinkley.update(state.getOrDefault(s.version(), PageHinkley.State.EMPTY), s.score(), o);
            state.put(s.version(), step.state());
            if (step.alarm() != null) {
                alarms.add(String.format(Locale.ROOT, "v%d served %d %s %.9f", s.version(), s.id(), step.alarm().direction().sqlName(),
                        step.alarm().statistic()));
            }
        }
        List<String> events = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT MODEL_VERSION, SERVED_ID, DIRECTION, STATISTIC FROM AUGUR.MONITOR_EVENTS"
                + " WHERE SIGNAL = 'score' ORDER BY ID")) {
            while (rs.next()) {
                events.add(String.format(Locale.ROOT, "v%d served %d %s %.9f", rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getDouble(4)));
            }
        }
        assertThat(events).as("score alarms (seed %d)", seed).isEqualTo(alarms);
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void theRealizedErrorHasItsDetectorAndTheEstimateStandsBesideTheRealizedAccuracy(ViewsDatabase db) throws Exception {
        Random rnd = new Random(3);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            trainingRows(st, rnd, 200);
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)");
            st.execute("DEPLOY MODEL m VERSION 1");
            st.executeQuery("SELECT AUGUR.SET_MONITOR('m', 3600, 0.01, 3, 10)").close();
            st.execute("CREATE TABLE labels (id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at WINDOW 1 HOUR");
            List<double[]> pairs = new ArrayList<>(); // score, label
            for (int i = 0; i < 300; i++) {
                double a = rnd.nextGaussian();
                double b = rnd.nextGaussian();
                double score;
                try (ResultSet rs = st.executeQuery("SELECT PREDICT('m', " + a + ", " + b + ")")) {
                    rs.next();
                    score = rs.getDouble(1);
                }
                st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('m', '" + i + "', " + score + ", NULL, " + ts(i) + ")").close();
                // after 150 the labels turn against the model: its error rises
                int y = (score >= 0.5) == (i < 150 ? rnd.nextDouble() < 0.9 : rnd.nextDouble() < 0.3) ? 1 : 0;
                st.execute("INSERT INTO labels VALUES (" + i + ", " + y + ", " + ts(i + 1) + ")");
                pairs.add(new double[]{score, y});
            }
            PageHinkley.Options o = new PageHinkley.Options(0.01, 3, 10);
            PageHinkley.State s = PageHinkley.State.EMPTY;
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                double error = (pairs.get(i)[0] >= 0.5 ? 1 : 0) == pairs.get(i)[1] ? 0 : 1;
                PageHinkley.Step step = PageHinkley.update(s, error, o);
                s = step.state();
                if (step.alarm() != null) {
                    expected.add("key " + i + " " + step.alarm().direction().sqlName());
                }
            }
            List<String> events = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT p.KEY_TEXT, e.DIRECTION, e.WHAT FROM AUGUR.MONITOR_EVENTS e JOIN AUGUR.SERVED_PREDICTIONS p"
                    + " ON p.ID = e.SERVED_ID WHERE e.SIGNAL = 'error' AND e.SOURCE = 'fb' ORDER BY e.ID")) {
                while (rs.next()) {
                    events.add("key " + rs.getString(1) + " " + rs.getString(2));
                    assertThat(rs.getString(3)).contains("realized error of feedback fb");
                }
            }
            assertThat(events).isEqualTo(expected);
            assertThat(expected).anyMatch(e -> e.endsWith(" up") && Integer.parseInt(e.split(" ")[1]) >= 150);
            // one window per hour: the estimate (mean of max(p, 1 - p)) beside the realized accuracy
            int rows = 0;
            try (ResultSet rs = st.executeQuery("SELECT WINDOW_START, SERVED, ESTIMATED_ACCURACY, LABELLED, REALIZED_ACCURACY, ESTIMATE_ERROR"
                    + " FROM AUGUR.ACCURACY_ESTIMATES WHERE FEEDBACK = 'fb' ORDER BY WINDOW_START")) {
                while (rs.next()) {
                    long w = micros(rs.getObject(1, OffsetDateTime.class));
                    double conf = 0;
                    int correct = 0;
                    int n = 0;
                    for (int i = 0; i < pairs.size(); i++) {
                        long at = micros(OffsetDateTime.parse("2026-12-01T00:00:00Z").plusMinutes(i));
                        if (FeedbackRule.windowStart(at, 3_600_000_000L) == w) {
                            n++;
                            conf += Reference.confidence(pairs.get(i)[0]);
                            correct += ((pairs.get(i)[0] >= 0.5 ? 1 : 0) == pairs.get(i)[1]) ? 1 : 0;
                        }
                    }
                    assertThat(rs.getInt(2)).isEqualTo(n);
                    assertThat(rs.getDouble(3)).isCloseTo(conf / n, within(1e-12));
                    assertThat(rs.getInt(4)).isEqualTo(n);
                    assertThat(rs.getDouble(5)).isCloseTo((double) correct / n, within(1e-12));
                    assertThat(rs.getDouble(6)).isCloseTo(conf / n - (double) correct / n, within(1e-12));
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void inputDriftComparesLiveInputsWithTheTrainingOnesDenseAndBagOfWords(ViewsDatabase db) throws Exception {
        Random rnd = new Random(9);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            trainingRows(st, rnd, 400);
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)");
            st.execute("DEPLOY MODEL m VERSION 1");
            JsonNode same = json(st, "SELECT AUGUR.INPUT_DRIFT('m', 'SELECT a, b FROM train_rows')");
            assertThat(same.get("psi").asDouble()).isCloseTo(0, within(1e-12));
            JsonNode moved = json(st, "SELECT AUGUR.INPUT_DRIFT('m', 'SELECT a + 1.5, b FROM train_rows')");
            assertThat(moved.get("features").get(0).get("name").asText()).isEqualTo("a");
            assertThat(moved.get("features").get(0).get("psi").asDouble()).isGreaterThan(0.25);
            assertThat(moved.get("features").get(0).get("shift_in_std").asDouble()).isCloseTo(1.5, within(0.2));
            assertThat(moved.get("features").get(1).get("psi").asDouble()).isCloseTo(0, within(1e-12));

            st.execute("CREATE TABLE mails (body VARCHAR(1000), spam INT)");
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                rows.append(i == 0 ? "" : ", ").append(i % 2 == 0 ? "('cheap pills offer now', 1)" : "('meeting notes for the project', 0)");
            }
            st.execute("INSERT INTO mails VALUES " + rows);
            st.execute("TRAIN MODEL bow KIND logistic FROM (SELECT body, spam FROM mails)");
            st.execute("DEPLOY MODEL bow VERSION 1");
            assertThat(json(st, "SELECT AUGUR.INPUT_DRIFT('bow', 'SELECT body FROM mails')").get("psi").asDouble()).isCloseTo(0, within(1e-12));
            JsonNode words = json(st, "SELECT AUGUR.INPUT_DRIFT('bow', 'SELECT body FROM mails WHERE spam = 1')");
            assertThat(words.get("psi").asDouble()).isGreaterThan(0.25);
            assertThat(words.get("terms").get(0).get("live_share").asDouble()).isIn(0.0, 1.0);
        }
    }

    private static List<String> rowsOf(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Object[] r : ViewsDatabase.rows(st, sql)) {
            out.add(java.util.Arrays.toString(r));
        }
        return out;
    }

    private static JsonNode json(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return H2Db.JSON.readTree(rs.getString(1));
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void adaptiveConformalMovesAlphaFromTheLabelsAndKeepsItsLongRunCoverage(ViewsDatabase db) throws Exception {
        Random rnd = new Random(13);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            trainingRows(st, rnd, 300);
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)");
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM train_rows')")).isEqualTo(2);
            // the calibrated copy (the same payload) is monitored against its source's reference
            assertThat(rowsOf(st, "SELECT SOURCE, ROWS_USED, SPEC FROM AUGUR.MODEL_REFERENCES WHERE NAME = 'm' AND VERSION = 2"))
                    .isEqualTo(rowsOf(st, "SELECT 'calibration', ROWS_USED, SPEC FROM AUGUR.MODEL_REFERENCES WHERE NAME = 'm' AND VERSION = 1"))
                    .hasSize(1);
            st.execute("DEPLOY MODEL m VERSION 2");
            st.executeQuery("SELECT AUGUR.SET_ADAPTIVE_CONFORMAL('m', 0.1, 0.05)").close();
            st.execute("CREATE TABLE labels (id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at WINDOW 1 HOUR");
            // a second feedback whose labels all come after the last prediction was served
            st.execute("CREATE TABLE late_labels (id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK late FOR MODEL m FROM late_labels KEY id LABEL y AT at WINDOW 1 HOUR");
            double[] sorted;
            try (ResultSet rs = st.executeQuery("SELECT SCORES FROM AUGUR.CALIBRATION_SCORES WHERE NAME = 'm' AND VERSION = 2")) {
                rs.next();
                Object[] v = (Object[]) rs.getArray(1).getArray();
                sorted = java.util.Arrays.stream(v).mapToDouble(x -> ((Number) x).doubleValue()).toArray();
            }
            dev.augur.engine.calibration.Calibration cal = dev.augur.engine.calibration.Calibration.of(
                    dev.augur.engine.calibration.Method.SPLIT, List.of(), new double[][]{sorted});
            AdaptiveConformal.Options o = new AdaptiveConformal.Options(0.1, 0.05);
            double alphaT = o.alpha();
            int misses = 0;
            int staticMisses = 0;
            Map<Long, int[]> windows = new TreeMap<>(); // n, static covered, adaptive covered
            int t = 300;
            for (int i = 0; i < t; i++) {
                double score;
                try (ResultSet rs = st.executeQuery("SELECT PREDICT('m', " + rnd.nextGaussian() + ", " + rnd.nextGaussian() + ")")) {
                    rs.next();
                    score = rs.getDouble(1);
                }
                st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('m', '" + i + "', " + score + ", NULL, " + ts(i) + ")").close();
                // after 100 the labels drift away from the model: the static set misses far more than alpha
                boolean agree = rnd.nextDouble() < (i < 100 ? 0.85 : 0.6);
                int y = (score >= 0.5) == agree ? 1 : 0;
                st.execute("INSERT INTO labels VALUES (" + i + ", " + y + ", " + ts(i) + ")");
                boolean adaptive = AdaptiveConformal.covered(cal, List.of("0", "1"), score, String.valueOf(y), alphaT);
                boolean fixed = AdaptiveConformal.covered(cal, List.of("0", "1"), score, String.valueOf(y), o.alpha());
                misses += adaptive ? 0 : 1;
                staticMisses += fixed ? 0 : 1;
                alphaT = AdaptiveConformal.next(alphaT, adaptive, o);
                long w = FeedbackRule.windowStart(micros(OffsetDateTime.parse("2026-12-01T00:00:00Z").plusMinutes(i)), 3_600_000_000L);
                int[] cell = windows.computeIfAbsent(w, k -> new int[3]);
                cell[0]++;
                cell[1] += fixed ? 1 : 0;
                cell[2] += adaptive ? 1 : 0;
            }
            // Gibbs and Candes: |misses / T - alpha| <= (max(alpha_1, 1 - alpha_1) + gamma) / (gamma T), whatever the labels
            assertThat(Math.abs((double) misses / t - 0.1)).isLessThanOrEqualTo((0.9 + 0.05) / (0.05 * t));
            assertThat(staticMisses).as("the drift shows in the static set").isGreaterThan(misses);
            List<String> expected = new ArrayList<>();
            windows.forEach((w, cell) -> expected.add(String.format(Locale.ROOT, "%d n=%d static=%.9f adaptive=%.9f", w, cell[0],
                    (double) cell[1] / cell[0], (double) cell[2] / cell[0])));
            List<String> actual = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT WINDOW_START, N, STATIC_COVERAGE, ADAPTIVE_COVERAGE, TARGET_ALPHA FROM AUGUR.LIVE_COVERAGE"
                    + " WHERE FEEDBACK = 'fb' ORDER BY WINDOW_START")) {
                while (rs.next()) {
                    assertThat(rs.getDouble(5)).isEqualTo(0.1);
                    actual.add(String.format(Locale.ROOT, "%d n=%d static=%.9f adaptive=%.9f", micros(rs.getObject(1, OffsetDateTime.class)),
                            rs.getInt(2), rs.getDouble(3), rs.getDouble(4)));
                }
            }
            assertThat(actual).isEqualTo(expected);
            // every prediction was served before any late label: each is judged against the set at alpha (served then)
            st.execute("INSERT INTO late_labels SELECT id, y, " + (db == ViewsDatabase.H2 ? "DATEADD(HOUR, 10, at)" : "at + INTERVAL '10 hours'")
                    + " FROM labels");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(ABS(STATIC_COVERAGE - ADAPTIVE_COVERAGE)), MAX(MEAN_ALPHA_T)"
                    + " FROM AUGUR.LIVE_COVERAGE WHERE FEEDBACK = 'late'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(windows.size());
                assertThat(rs.getDouble(2)).isZero();
                assertThat(rs.getDouble(3)).isCloseTo(0.1, within(1e-12)); // a mean of 0.1s
            }
            try (ResultSet rs = st.executeQuery("SELECT ALPHA_T FROM AUGUR.ADAPTIVE_CONFORMAL_STATE WHERE FEEDBACK = 'late'")) {
                rs.next();
                assertThat(rs.getDouble(1)).as("the late labels moved alpha_t all the same").isNotEqualTo(0.1);
            }
            try (ResultSet rs = st.executeQuery("SELECT ALPHA_T, N FROM AUGUR.ADAPTIVE_CONFORMAL_STATE WHERE FEEDBACK = 'fb'")) {
                rs.next();
                assertThat(rs.getDouble(1)).isCloseTo(alphaT, within(1e-12));
                assertThat(rs.getInt(2)).isEqualTo(t);
            }
            fails(st, "SELECT AUGUR.SET_ADAPTIVE_CONFORMAL('m', 1.5, 0.05)", "22023", "alpha");
            fails(st, "SELECT AUGUR.SET_ADAPTIVE_CONFORMAL('m', 0.1, 0)", "22023", "gamma");
            fails(st, "SELECT AUGUR.SET_ADAPTIVE_CONFORMAL('nosuch', 0.1, 0.05)", "42704", "nosuch");
        }
    }

    /** As augur serve and the demo open a database: lower-cased names (INFORMATION_SCHEMA then names types in lower case). */
    @Test
    void feedbackAndMonitoringWorkInADatabaseThatLowerCasesItsNames() throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName("monitor_lower"))
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", ""); Statement st = c.createStatement()) {
            trainingRows(st, new Random(1), 50);
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)");
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE labels (id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at");
            st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('m', '1', 0.8, NULL, " + ts(0) + ")").close();
            st.execute("INSERT INTO labels VALUES (1, 1, " + ts(1) + ")");
            assertThat(intValue(st, "SELECT n FROM augur.live_metrics WHERE feedback = 'fb'")).isEqualTo(1);
            assertThat(intValue(st, "SELECT n FROM augur.model_drift WHERE model = 'm'")).isEqualTo(1);
            assertThat(intValue(st, "SELECT labelled FROM augur.accuracy_estimates WHERE feedback = 'fb'")).isEqualTo(1);
        }
    }

    private static void fails(Statement st, String sql, String state, String... words) {
        assertThatThrownBy(() -> st.executeQuery(sql).close()).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state);
            for (String w : words) {
                assertThat(e.getMessage()).contains(w);
            }
        });
    }

    /** Found on PostgreSQL: GREATEST skips NULLs there (H2's does not), so a version without a reference read PSI 0.0, not NULL. */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void aVersionWithoutAReferenceHasNoPsiNotAPsiOfZero(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0); // imported: no reference
            st.execute("DEPLOY MODEL m VERSION 1");
            for (int i = 0; i < 3; i++) {
                st.executeQuery("SELECT AUGUR.RECORD_PREDICTION('m', '" + i + "', PREDICT('m', " + i + ", 1), 1, " + ts(i) + ")").close();
            }
            try (ResultSet rs = st.executeQuery("SELECT N, SCORE_PSI, REFERENCE_ACCURACY FROM AUGUR.MODEL_DRIFT WHERE MODEL = 'm'")) {
                assertThat(rs.next()).as("a drift row for the served window").isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3);
                assertThat(rs.getObject(2)).as("SCORE_PSI without a reference").isNull();
                assertThat(rs.getObject(3)).as("REFERENCE_ACCURACY without a reference").isNull();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void badInputGetsClearErrors(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            model(st, "m", 1, -1, 0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE r (a DOUBLE PRECISION, b DOUBLE PRECISION)");
            fails(st, "SELECT AUGUR.SCORE_DRIFT('nosuch')", "42704", "nosuch", "m");
            fails(st, "SELECT AUGUR.INPUT_DRIFT('nosuch', 'SELECT a, b FROM r')", "42704", "nosuch");
            fails(st, "SELECT AUGUR.CAPTURE_REFERENCE('nosuch', 'SELECT a, b FROM r')", "42704", "nosuch");
            fails(st, "SELECT AUGUR.SET_MONITOR('nosuch', 3600)", "42704", "nosuch");
            fails(st, "SELECT AUGUR.SCORE_DRIFT('m', 7)", "42704", "7");
            // an imported version has no reference until one is captured
            fails(st, "SELECT AUGUR.SCORE_DRIFT('m')", "55000", "no monitoring reference", "CAPTURE_REFERENCE");
            fails(st, "SELECT AUGUR.INPUT_DRIFT('m', 'SELECT a, b FROM r')", "55000", "CAPTURE_REFERENCE");
            fails(st, "SELECT AUGUR.CAPTURE_REFERENCE('m', 'SELECT a, b FROM r')", "22023", "none");
            st.execute("INSERT INTO r VALUES (1, 2), (3, 4)");
            fails(st, "SELECT AUGUR.CAPTURE_REFERENCE('m', 'SELECT a FROM r')", "22023", "a, b");
            fails(st, "SELECT AUGUR.CAPTURE_REFERENCE('m', NULL)", "22023", "query");
            fails(st, "SELECT AUGUR.SET_MONITOR('m', 0)", "22023", "WINDOW");
            fails(st, "SELECT AUGUR.SET_MONITOR('m', 3600, -0.1)", "22023", "delta");
            fails(st, "SELECT AUGUR.SET_MONITOR('m', 3600, 0.01, 0)", "22023", "lambda");
            fails(st, "SELECT AUGUR.SET_MONITOR('m', 3600, 0.01, 5, 0)", "22023", "observations");
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.MONITORS")).isZero();
            assertThat(intValue(st, "SELECT AUGUR.CAPTURE_REFERENCE('m', 'SELECT a, b FROM r')")).isEqualTo(2);
            // nothing served yet: no drift to speak of
            try (ResultSet rs = st.executeQuery("SELECT AUGUR.SCORE_DRIFT('m')")) {
                rs.next();
                rs.getDouble(1);
                assertThat(rs.wasNull()).isTrue();
            }
            fails(st, "SELECT AUGUR.INPUT_DRIFT('m', 'SELECT a, b FROM r WHERE a > 100')", "22023", "none");
        }
    }
}
