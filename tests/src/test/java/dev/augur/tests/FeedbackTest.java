package dev.augur.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Feedback on both databases: served predictions, labels that come late, out of order and twice, deploys and rollbacks;
 * after every commit (and rollback) the live metrics equal a batch recomputation from the raw tables (the served log
 * and the user's label table), written here independently of the bindings.
 */
class FeedbackTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    static String ts(long minutes) {
        return "TIMESTAMP WITH TIME ZONE '" + OffsetDateTime.ofInstant(T0.plus(minutes, ChronoUnit.MINUTES), ZoneOffset.UTC)
                .toString().replace('T', ' ') + "'";
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void randomInterleavingsKeepLiveMetricsEqualToABatchRecomputation(ViewsDatabase db) throws Exception {
        for (long seed : new long[]{3, 17, 29}) {
            interleavings(db, seed);
        }
    }

    private static void interleavings(ViewsDatabase db, long seed) throws Exception {
        Random rnd = new Random(seed);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            for (int v = 0; v < 3; v++) {
                model(st, "m", 1 + rnd.nextGaussian(), -1 + rnd.nextGaussian(), rnd.nextGaussian() * 0.3);
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE labels (n INT PRIMARY KEY, id INT, y INT, at TIMESTAMP WITH TIME ZONE)");
            // a label there before the feedback: counted when it is created
            st.execute("INSERT INTO labels VALUES (0, 1, 1, " + ts(5) + ")");
            assertThat(intValue(st, "CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at WINDOW 2 HOURS")).isEqualTo(1);
            st.execute("CREATE FEEDBACK fi FOR MODEL m FROM labels KEY id LABEL y AT at IMPLICIT NEGATIVE AFTER 90 MINUTES WINDOW 1 HOUR");
            randomSteps(c, st, rnd, step -> "SELECT AUGUR.RECORD_PREDICTION('m', '" + (1 + rnd.nextInt(6)) + "', PREDICT('m', "
                    + (rnd.nextDouble() * 4 - 2) + ", " + (rnd.nextDouble() * 4 - 2) + "), NULL, " + ts(step * 10L + rnd.nextInt(120) - 30) + ")",
                    () -> String.valueOf(rnd.nextInt(2)), () -> {
                        assertLiveMetricsEqualBatch(st, "fb");
                        assertLiveMetricsEqualBatch(st, "fi");
                    });
            // the script reached every outcome
            try (ResultSet rs = st.executeQuery("SELECT SUM(JOINED), SUM(DUPLICATES), SUM(UNMATCHED), SUM(IMPLICIT_NEGATIVES)"
                    + " FROM AUGUR.FEEDBACK_COUNTS")) {
                rs.next();
                for (int i = 1; i <= 4; i++) {
                    assertThat(rs.getLong(i)).as("outcome %d of seed %d", i, seed).isPositive();
                }
            }
        }
    }

    interface StepSql {
        String of(int step);
    }

    interface Check {
        void run() throws SQLException;
    }

    /**
     * 60 transactions over model m and labels(n, id, y, at), each committed or rolled back, of 1 to 3 random operations: a
     * served prediction ({@code record}), label rows (delayed, out of order, sometimes before any prediction, sometimes
     * a duplicate; {@code label} the SQL of one), a deploy, a rollback; {@code check} after each.
     */
    private static void randomSteps(Connection c, Statement st, Random rnd, StepSql record, java.util.function.Supplier<String> label,
                                    Check check) throws SQLException {
        int n = 1;
        for (int step = 0; step < 60; step++) {
            boolean rollback = rnd.nextInt(7) == 0;
            c.setAutoCommit(false);
            int ops = 1 + rnd.nextInt(3);
            for (int o = 0; o < ops; o++) {
                int op = rnd.nextInt(10);
                if (op < 4) {
                    st.executeQuery(record.of(step)).close();
                } else if (op < 8) {
                    StringBuilder rows = new StringBuilder();
                    int k = 1 + rnd.nextInt(3);
                    for (int i = 0; i < k; i++) {
                        rows.append(i == 0 ? "" : ", ").append("(").append(n++).append(", ").append(1 + rnd.nextInt(6)).append(", ")
                                .append(label.get()).append(", ").append(ts(step * 10L + rnd.nextInt(200) - 100)).append(")");
                    }
                    st.execute("INSERT INTO labels VALUES " + rows);
                } else if (op == 8) {
                    st.execute("DEPLOY MODEL m VERSION " + (1 + rnd.nextInt(3)));
                } else {
                    try {
                        st.execute("ROLLBACK MODEL m");
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).isEqualTo("55000"); // nothing to roll back to
                        c.rollback();
                    }
                }
            }
            if (rollback) {
                c.rollback();
            } else {
                c.commit();
            }
            c.setAutoCommit(true);
            check.run();
        }
    }

    /** The classes of the three-class model of {@link #multiclassInterleavings}, in its order. */
    static final List<String> COLOURS = List.of("red", "green", "blue");

    /** A softmax model over (a, b) with {@link #COLOURS}, imported as the next version of {@code name}. */
    static void softmax(Statement st, String name, Random rnd) throws SQLException {
        StringBuilder w = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < COLOURS.size(); k++) {
            w.append(k == 0 ? "" : ", ").append("[").append(rnd.nextGaussian()).append(", ").append(rnd.nextGaussian()).append("]");
            b.append(k == 0 ? "" : ", ").append(rnd.nextGaussian() * 0.3);
        }
        st.executeQuery("SELECT AUGUR.IMPORT_MODEL('" + name + "', '{\"name\": \"" + name + "\", \"kind\": \"softmax\", \"features\":"
                + " {\"type\": \"dense\", \"inputs\": [\"a\", \"b\"]}, \"classes\": [\"red\", \"green\", \"blue\"],"
                + " \"weights\": [" + w + "], \"bias\": [" + b + "]}')").close();
    }

    /** RECORD_PREDICTION_PROBA of a stock client: PREDICT_PROBA of each class of model m at (a, b), as an array. */
    static String recordProba(String key, double a, double b, String servedAt) {
        StringBuilder p = new StringBuilder();
        for (String colour : COLOURS) {
            p.append(p.isEmpty() ? "" : ", ").append("PREDICT_PROBA('m', '").append(colour).append("', ").append(a).append(", ").append(b).append(")");
        }
        return "SELECT AUGUR.RECORD_PREDICTION_PROBA('m', '" + key + "', ARRAY[" + p + "], NULL, " + servedAt + ")";
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void multiclassInterleavingsKeepLiveMetricsEqualToABatchRecomputation(ViewsDatabase db) throws Exception {
        for (long seed : new long[]{5, 23}) {
            multiclassInterleavings(db, seed);
        }
    }

    private static void multiclassInterleavings(ViewsDatabase db, long seed) throws Exception {
        Random rnd = new Random(seed);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            for (int v = 0; v < 3; v++) {
                softmax(st, "m", rnd);
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE TABLE labels (n INT PRIMARY KEY, id INT, y VARCHAR(10), at TIMESTAMP WITH TIME ZONE)");
            st.execute("INSERT INTO labels VALUES (0, 1, 'blue', " + ts(5) + ")");
            assertThat(intValue(st, "CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y AT at WINDOW 2 HOURS")).isEqualTo(1);
            randomSteps(c, st, rnd, step -> recordProba(String.valueOf(1 + rnd.nextInt(6)), rnd.nextDouble() * 4 - 2,
                    rnd.nextDouble() * 4 - 2, ts(step * 10L + rnd.nextInt(120) - 30)), () -> "'" + COLOURS.get(rnd.nextInt(3)) + "'",
                    () -> assertLiveMetricsEqualBatch(st, "fb", COLOURS));
            try (ResultSet rs = st.executeQuery("SELECT JOINED, DUPLICATES, UNMATCHED FROM AUGUR.FEEDBACK_COUNTS")) {
                rs.next();
                for (int i = 1; i <= 3; i++) {
                    assertThat(rs.getLong(i)).as("outcome %d of seed %d", i, seed).isPositive();
                }
            }
        }
    }

    // ------------------------------------------------------------------ the batch recomputation

    record Served(long id, String key, int version, double score, long at, double[] probabilities) {
    }

    record Label(long n, String key, String y, long at) {
    }

    record Sums(long n, long correct, double logLoss, double brier, double[] binScore, long[] binPositive, long[] binN) {
        static Sums empty() {
            return new Sums(0, 0, 0, 0, new double[10], new long[10], new long[10]);
        }
    }

    /** AUGUR.LIVE_METRICS and AUGUR.FEEDBACK_COUNTS of a feedback over labels(n, id, y, at) against the rule applied afresh. */
    static void assertLiveMetricsEqualBatch(Statement st, String feedback) throws SQLException {
        assertLiveMetricsEqualBatch(st, feedback, List.of("0", "1"));
    }

    /** As above, for a model with these classes (more than two: its served probabilities are the prediction). */
    static void assertLiveMetricsEqualBatch(Statement st, String feedback, List<String> classes) throws SQLException {
        Long implicit = null;
        long window;
        Long clock = null;
        try (ResultSet rs = st.executeQuery("SELECT IMPLICIT_AFTER_US, WINDOW_US FROM AUGUR.FEEDBACKS WHERE NAME = '" + feedback + "'")) {
            assertThat(rs.next()).isTrue();
            long i = rs.getLong(1);
            implicit = rs.wasNull() ? null : i;
            window = rs.getLong(2);
        }
        List<Served> served = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT ID, KEY_TEXT, MODEL_VERSION, SCORE, SERVED_AT, PROBABILITIES FROM AUGUR.SERVED_PREDICTIONS"
                + " WHERE MODEL = 'm'")) {
            while (rs.next()) {
                java.sql.Array a = rs.getArray(6);
                double[] p = a == null ? null : java.util.Arrays.stream((Object[]) a.getArray()).mapToDouble(x -> ((Number) x).doubleValue()).toArray();
                served.add(new Served(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getDouble(4), micros(rs.getObject(5, OffsetDateTime.class)), p));
            }
        }
        List<Label> labels = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT n, id, y, at FROM labels")) {
            while (rs.next()) {
                Label l = new Label(rs.getLong(1), String.valueOf(rs.getInt(2)), rs.getString(3), micros(rs.getObject(4, OffsetDateTime.class)));
                labels.add(l);
                clock = clock == null ? l.at() : Math.max(clock, l.at());
            }
        }
        served.sort(Comparator.comparingLong(Served::at).thenComparingLong(Served::id));
        Map<Long, Label> winner = new HashMap<>();
        long unmatched = 0;
        long duplicates = 0;
        Map<Long, Served> targetOf = new HashMap<>();
        for (Label l : labels) {
            Served target = null;
            for (Served s : served) {
                if (s.key().equals(l.key()) && s.at() <= l.at()) {
                    target = s;
                }
            }
            if (target == null) {
                unmatched++;
                continue;
            }
            targetOf.put(l.n(), target);
            Label w = winner.get(target.id());
            if (w == null || l.at() < w.at() || (l.at() == w.at() && l.n() < w.n())) {
                winner.put(target.id(), l);
            }
        }
        long implicitNegatives = 0;
        Map<Long, Integer> truth = new HashMap<>();
        for (Served s : served) {
            Label w = winner.get(s.id());
            if (implicit != null && s.at() + implicit <= clock && (w == null || w.at() > s.at() + implicit)) {
                truth.put(s.id(), 0);
                implicitNegatives++;
            } else if (w != null) {
                truth.put(s.id(), classes.indexOf(w.y()));
            }
        }
        long joined = truth.size() - implicitNegatives;
        duplicates = targetOf.size() - joined;
        Map<String, Sums> expected = new TreeMap<>();
        for (Served s : served) {
            Integer y = truth.get(s.id());
            if (y == null) {
                continue;
            }
            String group = s.version() + "@" + Math.floorDiv(s.at(), window) * window;
            Sums old = expected.getOrDefault(group, Sums.empty());
            if (classes.size() > 2) {
                // the top label's confidence and correctness; log loss and Brier over the whole vector
                double[] q = s.probabilities();
                assertThat(q).as("probabilities of served %d", s.id()).hasSize(classes.size());
                int top = 0;
                double brier = 0;
                for (int k = 0; k < q.length; k++) {
                    top = q[k] > q[top] ? k : top;
                    brier += (q[k] - (k == y ? 1 : 0)) * (q[k] - (k == y ? 1 : 0));
                }
                assertThat(s.score()).as("score of served %d", s.id()).isCloseTo(q[top], within(1e-12));
                int correct = top == y ? 1 : 0;
                int bin = Math.min(9, (int) Math.floor(q[top] * 10));
                old.binScore()[bin] += q[top];
                old.binPositive()[bin] += correct;
                old.binN()[bin]++;
                expected.put(group, new Sums(old.n() + 1, old.correct() + correct,
                        old.logLoss() - Math.log(Math.min(Math.max(q[y], 1e-15), 1 - 1e-15)), old.brier() + brier,
                        old.binScore(), old.binPositive(), old.binN()));
                continue;
            }
            double p = Math.min(Math.max(s.score(), 1e-15), 1 - 1e-15);
            int bin = Math.min(9, (int) Math.floor(s.score() * 10));
            old.binScore()[bin] += s.score();
            old.binPositive()[bin] += y;
            old.binN()[bin]++;
            expected.put(group, new Sums(old.n() + 1, old.correct() + ((s.score() >= 0.5 ? 1 : 0) == y ? 1 : 0),
                    old.logLoss() - (y == 1 ? Math.log(p) : Math.log(1 - p)), old.brier() + (s.score() - y) * (s.score() - y),
                    old.binScore(), old.binPositive(), old.binN()));
        }
        Map<String, double[]> actual = new TreeMap<>();
        try (ResultSet rs = st.executeQuery("SELECT MODEL_VERSION, WINDOW_START, N, ACCURACY, LOG_LOSS, BRIER, ECE, MAE, RMSE"
                + " FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = '" + feedback + "'")) {
            while (rs.next()) {
                assertThat(rs.getObject(8)).isNull();
                assertThat(rs.getObject(9)).isNull();
                actual.put(rs.getInt(1) + "@" + micros(rs.getObject(2, OffsetDateTime.class)),
                        new double[]{rs.getLong(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)});
            }
        }
        List<String> stored = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT NAME, IMPLICIT_AFTER_US, WINDOW_US, CLOCK FROM AUGUR.FEEDBACKS")) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(rs.getString(i)).append(' ');
                }
                stored.add(b.toString());
            }
        }
        assertThat(actual.keySet()).as("versions and windows of %s (served %s, labels %s, stored %s)", feedback, served, labels, stored).isEqualTo(expected.keySet());
        for (Map.Entry<String, Sums> e : expected.entrySet()) {
            Sums s = e.getValue();
            double ece = 0;
            for (int b = 0; b < 10; b++) {
                ece += Math.abs(s.binPositive()[b] - s.binScore()[b]);
            }
            double[] a = actual.get(e.getKey());
            assertThat(a[0]).as("n of %s", e.getKey()).isEqualTo(s.n());
            assertThat(a[1]).as("accuracy of %s", e.getKey()).isCloseTo((double) s.correct() / s.n(), within(1e-12));
            assertThat(a[2]).as("log loss of %s", e.getKey()).isCloseTo(s.logLoss() / s.n(), within(1e-9));
            assertThat(a[3]).as("Brier of %s", e.getKey()).isCloseTo(s.brier() / s.n(), within(1e-9));
            assertThat(a[4]).as("ECE of %s", e.getKey()).isCloseTo(ece / s.n(), within(1e-9));
        }
        try (ResultSet rs = st.executeQuery("SELECT LABELS, JOINED, DUPLICATES, UNMATCHED, IMPLICIT_NEGATIVES FROM AUGUR.FEEDBACK_COUNTS"
                + " WHERE FEEDBACK = '" + feedback + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)}).as("counts of %s", feedback)
                    .containsExactly(labels.size(), joined, duplicates, unmatched, implicitNegatives);
        }
    }

    static OffsetDateTime timestamp(long micros) {
        return OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static long micros(OffsetDateTime t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant());
    }
}
