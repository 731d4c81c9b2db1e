package dev.augur.cli;

import dev.augur.sql.AugurDataSource;
import dev.augur.testkit.Corpus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * {@code augur demo --loop}: closing the loop on the SpamAssassin corpus. The training half of the older groups trains a
 * model (its monitoring reference captured at TRAIN); then the older groups' other half and, after them, the newer
 * groups are served one mail a second, each recorded in AUGUR.SERVED_PREDICTIONS, with their labels coming back through
 * three feedbacks, 0, 50 and 500 mails later. The corpus has no time beyond its groups, so within each side the order
 * is a fixed shuffle. It prints the live accuracy per 500-mail window as each delay knew it, the estimated accuracy (from
 * the scores alone) against the realized one, the drift alarm's delay after the older/newer boundary, its alarms on the
 * same mails shuffled (false alarms) and the labels' throughput; then a bandit between the frozen model and one refreshed
 * on the first labels of the newer groups (a quarter of them), and the share of traffic the better one gets after 1,000 labels.
 */
final class DemoLoop {
    static final int WINDOW = 500;
    private static final int BATCH = 50;
    private static final int[] DELAYS = {0, 50, 500};
    private static final double ALPHA = 0.1;
    private static final double GAMMA = 0.005;
    /** Mail i is served at T0 + i seconds; T0 is a multiple of the window, so window k holds mails 500k to 500k + 499. */
    private static final Instant T0 = Instant.ofEpochSecond(1_796_000_000L);

    private final Connection c;
    private final boolean progress;
    private long labelNanos;
    private long labels;

    private DemoLoop(Connection c, boolean progress) {
        this.c = c;
        this.progress = progress;
    }

    static int run(String url, List<Corpus.Message> messages, boolean progress) throws Exception {
        try (Connection c = new AugurDataSource(url, "sa", "", null).getConnection()) {
            return new DemoLoop(c, progress).run(messages);
        }
    }

    private static OffsetDateTime at(long seconds) {
        return OffsetDateTime.ofInstant(T0.plusSeconds(seconds), ZoneOffset.UTC);
    }

    private int run(List<Corpus.Message> messages) throws Exception {
        List<Corpus.Message> older = new ArrayList<>();
        List<Corpus.Message> newer = new ArrayList<>();
        for (Corpus.Message m : messages) {
            if (!m.older()) {
                newer.add(m);
            } else if (!m.inTrainingHalf()) {
                older.add(m);
            }
        }
        Random rnd = new Random(2026);
        Collections.shuffle(older, rnd);
        Collections.shuffle(newer, rnd);
        List<Corpus.Message> stream = new ArrayList<>(older);
        stream.addAll(newer);
        int boundary = older.size();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE emails (id VARCHAR(64) PRIMARY KEY, grp VARCHAR(32) NOT NULL, is_spam INT NOT NULL,"
                    + " split VARCHAR(11) NOT NULL, body VARCHAR(1000000) NOT NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO emails VALUES (?, ?, ?, ?, ?)")) {
            for (Corpus.Message m : messages) {
                ps.setString(1, m.id());
                ps.setString(2, m.group());
                ps.setInt(3, m.spam());
                ps.setString(4, !m.inTrainingHalf() ? "test" : Math.floorMod(m.id().hashCode(), 4) == 0 ? "calibration" : "train");
                ps.setString(5, m.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        String train = "SELECT body, is_spam FROM emails WHERE grp LIKE '%-1' AND split = 'train'";
        String setup = "TRAIN MODEL spam KIND logistic FROM (" + train + ");\n"
                + "-- version 2: version 1 calibrated (split conformal) on a quarter of the older training half, kept out of training\n"
                + "CALIBRATE MODEL spam VERSION 1 FROM (SELECT body, is_spam FROM emails WHERE grp LIKE '%-1' AND split = 'calibration');\n"
                + "DEPLOY MODEL spam VERSION 2;\n"
                + "-- monitoring windows of 500 s (500 mails); Page-Hinkley with its default options\n"
                + "SELECT AUGUR.SET_MONITOR('spam', " + WINDOW + ");\n"
                + "-- conformal sets at alpha 0.1, and adaptive ones whose alpha_t each feedback moves by gamma 0.005 per label\n"
                + "SELECT AUGUR.SET_ADAPTIVE_CONFORMAL('spam', " + ALPHA + ", " + GAMMA + ");\n";
        StringBuilder feedbacks = new StringBuilder();
        for (int d : DELAYS) {
            feedbacks.append("CREATE TABLE labels_").append(d).append(" (id VARCHAR(64), is_spam INT, at TIMESTAMP WITH TIME ZONE);\n")
                    .append("CREATE FEEDBACK fb_").append(d).append(" FOR MODEL spam FROM labels_").append(d)
                    .append(" KEY id LABEL is_spam AT at WINDOW ").append(WINDOW).append(" SECONDS;\n");
        }
        System.out.printf(Locale.ROOT, "%n%d mails train and calibrate (the older groups' training half); %d older then %d newer mails"
                + " are served, one a second%n", messages.stream().filter(m -> m.older() && m.inTrainingHalf()).count(), older.size(), newer.size());
        System.out.print((setup + feedbacks).indent(4));
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            for (String sql : (setup + feedbacks).split(";\n")) {
                String s = sql.replaceAll("(?m)^--[^\n]*$", "").trim();
                if (!s.isEmpty()) {
                    st.execute(s);
                }
            }
        }
        System.out.printf(Locale.ROOT, "   trained (reference captured) and calibrated in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        System.out.println("\nLive accuracy per 500-mail window, as each feedback knew it when the window closed (labels then / final):");
        System.out.printf(Locale.ROOT, "   %-7s %-11s %-22s %-22s %-22s%n", "window", "mails", "delay 0", "delay 50", "delay 500");
        Map<Integer, String[]> asKnown = new TreeMap<>();
        try (Progress bar = Progress.of(progress, "serve", stream.size())) {
            serve(stream, "spam", 2, asKnown, bar);
        }
        Map<Integer, double[]> finalAccuracy = new TreeMap<>();
        for (int d : DELAYS) {
            try (PreparedStatement ps = c.prepareStatement("SELECT WINDOW_START, N, ACCURACY FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = ?")) {
                ps.setString(1, "fb_" + d);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int w = windowOf(rs.getObject(1, OffsetDateTime.class));
                        finalAccuracy.computeIfAbsent(w, k -> new double[DELAYS.length * 2])[indexOf(d) * 2] = rs.getDouble(3);
                        finalAccuracy.get(w)[indexOf(d) * 2 + 1] = rs.getLong(2);
                    }
                }
            }
        }
        for (Map.Entry<Integer, String[]> e : asKnown.entrySet()) {
            int w = e.getKey();
            double[] f = finalAccuracy.getOrDefault(w, new double[DELAYS.length * 2]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "   %-7d %-11s", w, (w * WINDOW) + "-" + (Math.min(stream.size(), (w + 1) * WINDOW) - 1)));
            for (int i = 0; i < DELAYS.length; i++) {
                line.append(String.format(Locale.ROOT, " %-22s", e.getValue()[i] + " / " + String.format(Locale.ROOT, "%.4f", f[i * 2])));
            }
            System.out.println(line + (w * WINDOW <= boundary && boundary < (w + 1) * WINDOW ? "  <- the newer groups start at mail " + boundary : ""));
        }

        System.out.println("\nEstimated accuracy (mean of max(p, 1 - p) over the served scores, no labels) against the realized one"
                + " (AUGUR.ACCURACY_ESTIMATES, feedback fb_0), and the scores' PSI against the training reference (AUGUR.MODEL_DRIFT):");
        System.out.printf(Locale.ROOT, "   %-7s %-9s %-9s %-9s %-7s%n", "window", "estimated", "realized", "error", "PSI");
        double largest = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT a.WINDOW_START, a.ESTIMATED_ACCURACY,"
                + " a.REALIZED_ACCURACY, a.ESTIMATE_ERROR, d.SCORE_PSI FROM AUGUR.ACCURACY_ESTIMATES a JOIN AUGUR.MODEL_DRIFT d"
                + " ON d.MODEL = a.MODEL AND d.MODEL_VERSION = a.MODEL_VERSION AND d.WINDOW_START = a.WINDOW_START"
                + " WHERE a.FEEDBACK = 'fb_0' ORDER BY a.WINDOW_START")) {
            while (rs.next()) {
                double err = rs.getDouble(4);
                largest = Math.max(largest, Math.abs(err));
                System.out.printf(Locale.ROOT, "   %-7d %-9.4f %-9.4f %+-9.4f %-7.4f%n", windowOf(rs.getObject(1, OffsetDateTime.class)),
                        rs.getDouble(2), rs.getDouble(3), err, rs.getDouble(5));
            }
        }
        System.out.printf(Locale.ROOT, "estimated vs realized accuracy, largest window error: %.4f%n", largest);

        System.out.printf(Locale.ROOT, "%nCoverage of the conformal sets at alpha %.2f (AUGUR.LIVE_COVERAGE): static (the calibration's"
                + " alpha) against adaptive (alpha_t moved by the labels of fb_0, and of fb_500, 500 mails late):%n", ALPHA);
        System.out.printf(Locale.ROOT, "   %-7s %-9s %-13s %-13s %-9s%n", "window", "static", "adaptive d=0", "adaptive d=500", "alpha_t d=0");
        Map<Integer, double[]> coverage = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT FEEDBACK, WINDOW_START, STATIC_COVERAGE,"
                + " ADAPTIVE_COVERAGE, MEAN_ALPHA_T FROM AUGUR.LIVE_COVERAGE WHERE FEEDBACK IN ('fb_0', 'fb_500')")) {
            while (rs.next()) {
                double[] row = coverage.computeIfAbsent(windowOf(rs.getObject(2, OffsetDateTime.class)), k -> new double[4]);
                if (rs.getString(1).equals("fb_0")) {
                    row[0] = rs.getDouble(3);
                    row[1] = rs.getDouble(4);
                    row[3] = rs.getDouble(5);
                } else {
                    row[2] = rs.getDouble(4);
                }
            }
        }
        coverage.forEach((w, row) -> System.out.printf(Locale.ROOT, "   %-7d %-9.4f %-13.4f %-13.4f %-9.4f%n", w, row[0], row[1], row[2], row[3]));

        System.out.println("\nAlarms (AUGUR.MONITOR_EVENTS, Page-Hinkley in the served prediction's or the label's transaction):");
        Map<String, Integer> seqOf = new HashMap<>();
        for (int i = 0; i < stream.size(); i++) {
            seqOf.put(stream.get(i).id(), i);
        }
        Integer delay = null;
        int falseBefore = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT p.KEY_TEXT, e.SIGNAL, e.SOURCE, e.WHAT, e.AT"
                + " FROM AUGUR.MONITOR_EVENTS e JOIN AUGUR.SERVED_PREDICTIONS p ON p.ID = e.SERVED_ID WHERE e.MODEL = 'spam' ORDER BY e.AT, e.ID")) {
            while (rs.next()) {
                int seq = seqOf.get(rs.getString(1));
                // an alarm's time: its served mail's (scores) or its label's (errors), one mail a second
                long when = rs.getObject(5, OffsetDateTime.class).toEpochSecond() - T0.getEpochSecond();
                System.out.printf(Locale.ROOT, "   at mail %4d (%s the boundary)%s: %s%n", when, when < boundary ? "before" : (when - boundary) + " after",
                        when == seq ? "" : ", on the label of mail " + seq, rs.getString(4));
                if (rs.getString(2).equals("score")) {
                    if (seq < boundary) {
                        falseBefore++;
                    } else if (delay == null) {
                        delay = seq - boundary;
                    }
                }
            }
        }
        long servedNanos = System.nanoTime();
        int shuffledAlarms = shuffled(stream);
        servedNanos = System.nanoTime() - servedNanos;
        System.out.printf(Locale.ROOT, "   score alarms before the boundary (false): %d; on the same %d mails shuffled (no boundary: all false): %d%n",
                falseBefore, stream.size(), shuffledAlarms);
        System.out.println("drift alarm delay (mails after the boundary): " + (delay == null ? "none (no score alarm after the boundary)" : delay));
        System.out.printf(Locale.ROOT, "   (the shuffled stream, %d mails served and scored, took %.1f s)%n", stream.size(), servedNanos / 1e9);
        System.out.printf(Locale.ROOT, "feedback labels per second (H2, batches): %d%n", Math.round(labels / (labelNanos / 1e9)));
        System.out.printf(Locale.ROOT, "   (%d labels in INSERTs of up to %d rows, a transaction each, every label joined, counted, seen by the"
                + " error detector and adaptive conformal in it; %.2f s in all)%n",
                labels, BATCH, labelNanos / 1e9);
        bandit(newer);
        return 0;
    }

    /** Labels after which the bandit's traffic is measured (the contract's number; fewer on a small corpus). */
    private static final int BANDIT_LABELS = 1000;

    /**
     * A bandit (DEPLOY MODEL ... STRATEGY bandit) between the frozen model and one refreshed on the labels that came back
     * for the first quarter of the newer mails; the rest are served through PREDICT_SERVED, each labelled right after
     * (delay 0). Prints the share of the traffic after {@link #BANDIT_LABELS} labels that went to the better version,
     * the better being the more accurate of the two on those same mails.
     */
    private void bandit(List<Corpus.Message> newer) throws SQLException {
        int refresh = newer.size() / 4;
        List<Corpus.Message> rest = newer.subList(refresh, newer.size());
        int after = Math.min(BANDIT_LABELS, rest.size() / 2);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE refresh_ids (id VARCHAR(64) PRIMARY KEY)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_ids VALUES (?)")) {
                for (Corpus.Message m : newer.subList(0, refresh)) {
                    ps.setString(1, m.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            String older = "SELECT body, is_spam FROM emails WHERE grp LIKE '%-1' AND split = 'train'";
            String sql = "TRAIN MODEL spam_bandit KIND logistic FROM (" + older + ");\n"
                    + "-- version 2: refreshed on the older training half and the labels of the first " + refresh + " newer mails\n"
                    + "TRAIN MODEL spam_bandit KIND logistic FROM (" + older + " UNION ALL SELECT e.body, e.is_spam FROM emails e"
                    + " JOIN refresh_ids r ON r.id = e.id);\n"
                    + "DEPLOY MODEL spam_bandit VERSION 1;\n"
                    + "CREATE TABLE labels_bandit (id VARCHAR(64), is_spam INT);\n"
                    + "CREATE FEEDBACK fb_bandit FOR MODEL spam_bandit FROM labels_bandit KEY id LABEL is_spam;\n"
                    + "DEPLOY MODEL spam_bandit STRATEGY bandit OVER VERSIONS (1, 2) WITH (floor = 0.1, seed = 1);\n";
            System.out.printf(Locale.ROOT, "%nA bandit between the frozen model (version 1) and a refreshed one (version 2), over the other %d"
                    + " newer mails, each served by PREDICT_SERVED and labelled right after:%n", rest.size());
            System.out.print(sql.indent(4));
            for (String q : sql.split(";\n")) {
                String t = q.replaceAll("(?m)^--[^\n]*$", "").trim();
                if (!t.isEmpty()) {
                    st.execute(t);
                }
            }
        }
        int[] routedTo = new int[3];
        int[] afterTo = new int[3];
        int[][] rightAfter = new int[3][1];
        try (PreparedStatement serve = c.prepareStatement("SELECT PREDICT_SERVED('spam_bandit', id, body) FROM emails WHERE id = ?");
             PreparedStatement version = c.prepareStatement("SELECT MODEL_VERSION FROM AUGUR.SERVED_PREDICTIONS"
                     + " WHERE MODEL = 'spam_bandit' AND KEY_TEXT = ?");
             PreparedStatement both = c.prepareStatement("SELECT PREDICT_LABEL('spam_bandit@1', body), PREDICT_LABEL('spam_bandit@2', body),"
                     + " is_spam FROM emails WHERE id = ?");
             PreparedStatement label = c.prepareStatement("INSERT INTO labels_bandit VALUES (?, ?)");
             Progress bar = Progress.of(progress, "bandit", rest.size())) {
            for (int i = 0; i < rest.size(); i++) {
                Corpus.Message m = rest.get(i);
                serve.setString(1, m.id());
                serve.executeQuery().close();
                version.setString(1, m.id());
                int v;
                try (ResultSet rs = version.executeQuery()) {
                    rs.next();
                    v = rs.getInt(1);
                }
                routedTo[v]++;
                if (i >= after) {
                    afterTo[v]++;
                    both.setString(1, m.id());
                    try (ResultSet rs = both.executeQuery()) {
                        rs.next();
                        for (int k = 1; k <= 2; k++) {
                            rightAfter[k][0] += rs.getString(k).equals(rs.getString(3)) ? 1 : 0;
                        }
                    }
                }
                label.setString(1, m.id());
                label.setInt(2, m.spam());
                label.executeUpdate();
                bar.stepTo(i + 1);
            }
        }
        int n = rest.size() - after;
        int better = rightAfter[2][0] >= rightAfter[1][0] ? 2 : 1;
        System.out.printf(Locale.ROOT, "   on the %d mails after the first %d labels: version 1 right on %.4f, version 2 on %.4f;"
                + " routed: version 1 %d, version 2 %d (over all %d: %d and %d)%n", n, after, (double) rightAfter[1][0] / n,
                (double) rightAfter[2][0] / n, afterTo[1], afterTo[2], rest.size(), routedTo[1], routedTo[2]);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MODEL_VERSION, LABELS, CORRECT, ACCURACY"
                + " FROM AUGUR.EXPERIMENT_STATUS WHERE MODEL = 'spam_bandit' ORDER BY ARM")) {
            while (rs.next()) {
                System.out.printf(Locale.ROOT, "   AUGUR.EXPERIMENT_STATUS: version %d, %d labels, accuracy %.4f%n", rs.getInt(1),
                        rs.getLong(2), rs.getDouble(4));
            }
        }
        System.out.printf(Locale.ROOT, "bandit share to the better model after %d labels: %.2f%n", after, (double) afterTo[better] / n);
    }

    private static int indexOf(int delay) {
        for (int i = 0; i < DELAYS.length; i++) {
            if (DELAYS[i] == delay) {
                return i;
            }
        }
        throw new IllegalArgumentException("delay " + delay);
    }

    private static int windowOf(OffsetDateTime windowStart) {
        return (int) ((windowStart.toEpochSecond() - T0.getEpochSecond()) / WINDOW);
    }

    /** Serves the stream in batches, recording each prediction, and hands each delay's labels back when they are due. */
    private void serve(List<Corpus.Message> stream, String model, int version, Map<Integer, String[]> asKnown, Progress bar)
            throws SQLException {
        // one transaction per batch of served predictions, and per batch of labels
        c.setAutoCommit(false);
        try {
            serveBatches(stream, model, version, asKnown, bar);
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void serveBatches(List<Corpus.Message> stream, String model, int version, Map<Integer, String[]> asKnown, Progress bar)
            throws SQLException {
        int[] labelled = new int[DELAYS.length];
        try (PreparedStatement score = c.prepareStatement("SELECT PREDICT('" + model + "', body) FROM emails WHERE id = ?");
             PreparedStatement record = c.prepareStatement("INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE,"
                     + " SERVED_AT) VALUES (?, ?, " + version + ", ?, ?)")) {
            for (int from = 0; from < stream.size(); from += BATCH) {
                int to = Math.min(stream.size(), from + BATCH);
                for (int i = from; i < to; i++) {
                    score.setString(1, stream.get(i).id());
                    double p;
                    try (ResultSet rs = score.executeQuery()) {
                        rs.next();
                        p = rs.getDouble(1);
                    }
                    record.setString(1, model);
                    record.setString(2, stream.get(i).id());
                    record.setDouble(3, p);
                    record.setObject(4, at(i));
                    record.addBatch();
                }
                record.executeBatch();
                c.commit();
                bar.stepTo(to);
                if (asKnown == null) {
                    continue;
                }
                // mail i's label comes back d mails later, timed then
                for (int k = 0; k < DELAYS.length; k++) {
                    int due = to - 1 - DELAYS[k];
                    labelled[k] = label(stream, DELAYS[k], labelled[k], due + 1);
                }
                if (to % WINDOW == 0 || to == stream.size()) {
                    int w = (to - 1) / WINDOW;
                    String[] known = new String[DELAYS.length];
                    for (int k = 0; k < DELAYS.length; k++) {
                        known[k] = accuracyNow("fb_" + DELAYS[k], w);
                    }
                    asKnown.put(w, known);
                }
            }
            if (asKnown != null) {
                // the labels still out when the stream ends come back after it
                for (int k = 0; k < DELAYS.length; k++) {
                    label(stream, DELAYS[k], labelled[k], stream.size());
                }
            }
        }
    }

    /** Inserts the labels of mails [from, to) for one delay, in batches, timed; returns {@code to} (or from when none). */
    private int label(List<Corpus.Message> stream, int delay, int from, int to) throws SQLException {
        if (to <= from) {
            return from;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO labels_" + delay + " VALUES (?, ?, ?)")) {
            for (int start = from; start < to; start += BATCH) {
                int end = Math.min(to, start + BATCH);
                for (int i = start; i < end; i++) {
                    ps.setString(1, stream.get(i).id());
                    ps.setInt(2, stream.get(i).spam());
                    ps.setObject(3, at(i + delay));
                    ps.addBatch();
                }
                long t = System.nanoTime();
                ps.executeBatch();
                c.commit();
                labelNanos += System.nanoTime() - t;
                labels += end - start;
            }
        }
        return to;
    }

    private String accuracyNow(String feedback, int window) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT N, ACCURACY FROM AUGUR.LIVE_METRICS WHERE FEEDBACK = ? AND WINDOW_START = ?")) {
            ps.setString(1, feedback);
            ps.setObject(2, at((long) window * WINDOW));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? String.format(Locale.ROOT, "%.4f (%d)", rs.getDouble(2), rs.getLong(1)) : "- (0)";
            }
        }
    }

    /** The same mails in a shuffled order, served to a second model trained alike; returns its score alarms. */
    private int shuffled(List<Corpus.Message> stream) throws SQLException {
        List<Corpus.Message> mixed = new ArrayList<>(stream);
        Collections.shuffle(mixed, new Random(7));
        try (Statement st = c.createStatement()) {
            st.execute("TRAIN MODEL spam_shuffled KIND logistic FROM (SELECT body, is_spam FROM emails WHERE grp LIKE '%-1' AND split = 'train')");
            st.execute("DEPLOY MODEL spam_shuffled VERSION 1");
            st.execute("SELECT AUGUR.SET_MONITOR('spam_shuffled', " + WINDOW + ")");
        }
        try (Progress bar = Progress.of(progress, "shuffled", mixed.size())) {
            serve(mixed, "spam_shuffled", 1, null, bar);
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM AUGUR.MONITOR_EVENTS WHERE MODEL = 'spam_shuffled' AND SIGNAL = 'score'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
