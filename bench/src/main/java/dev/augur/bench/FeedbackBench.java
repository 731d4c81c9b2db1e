package dev.augur.bench;

import dev.augur.sql.AugurDataSource;
import dev.augur.testkit.PgLocalServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./augur bench feedback}: what closing the loop costs. Served predictions recorded (AUGUR.RECORD_PREDICTION, and
 * a plain INSERT into AUGUR.SERVED_PREDICTIONS, in batches), then labels inserted into a feedback's label table, each
 * joined to its served prediction and the live metrics updated in the INSERT's transaction: in batches (one commit per
 * batch) and one by one (autocommit), on H2 (in memory) and on PostgreSQL (a throw-away server).
 */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = "Served predictions recorded and labels joined per second, in batches and one by one, on H2 and PostgreSQL.")
final class FeedbackBench implements Callable<Integer> {
    @Option(names = "--labels", defaultValue = "20000", description = "labels per measurement on H2 (default: ${DEFAULT-VALUE})")
    int labels;

    @Option(names = "--pg-labels", defaultValue = "5000", description = "labels per measurement on PostgreSQL (default: ${DEFAULT-VALUE})")
    int pgLabels;

    @Option(names = "--batch", defaultValue = "1000", description = "labels per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--no-postgres", description = "measure H2 only")
    boolean noPostgres;

    @Option(names = "--out", defaultValue = "bench/results/feedback.txt", description = "where to keep the result (default: ${DEFAULT-VALUE})")
    Path outFile;

    private final StringBuilder out = new StringBuilder();

    @Override
    public Integer call() throws Exception {
        line("augur bench feedback: " + Machine.describe());
        try (Connection c = new AugurDataSource("jdbc:h2:mem:bench_feedback;DB_CLOSE_DELAY=-1", "sa", "", null).getConnection()) {
            run(c, "H2", labels);
        }
        if (!noPostgres) {
            System.out.println("starting a throw-away PostgreSQL from " + PgLocalServer.binaries() + " ...");
            try (PgLocalServer pg = PgLocalServer.startNew("-c jit=off");
                 Connection c = new AugurDataSource(pg.url(), null, null, null).getConnection()) {
                run(c, "PostgreSQL", pgLabels);
            }
        }
        line("what is measured: each label is a new key's, with one prediction served for it before; the label's INSERT");
        line("  stores it, joins it (latest prediction served at or before its time), and adds its terms to the live metrics");
        line("  of its version and window, in the same transaction. Record: per served prediction, in transactions of " + batch + ".");
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Files.writeString(outFile, out.toString());
        return 0;
    }

    private void run(Connection c, String db, int n) throws SQLException {
        try (Statement st = c.createStatement()) {
            String json = "{\"name\": \"fbm\", \"kind\": \"logistic\", \"features\": {\"type\": \"dense\", \"inputs\": [\"a\", \"b\"]},"
                    + " \"weights\": [1.0, -1.0], \"bias\": 0.1}";
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('fbm', '" + json + "')").close();
            st.execute("DEPLOY MODEL fbm VERSION 1");
            st.execute("CREATE TABLE fb_labels (id BIGINT, y INT, at TIMESTAMP WITH TIME ZONE)");
            st.execute("CREATE FEEDBACK fb FOR MODEL fbm FROM fb_labels KEY id LABEL y AT at WINDOW 1 HOUR");
        }
        long t0 = System.currentTimeMillis() * 1000 - 3_600_000_000L * 24;
        // served predictions: through the AUGUR function, then by a plain INSERT (one per key); the first warm-up
        // keys' predictions and labels are not timed (the JIT compiles the paths first)
        int warm = Math.max(1, n / 10);
        int total = n + 2 * warm;
        double recordUs = record(c, "SELECT AUGUR.RECORD_PREDICTION('fbm', ?, ?, NULL, ?)", 0, total / 2, t0);
        double insertUs = record(c, "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE, SERVED_AT)"
                + " VALUES ('fbm', ?, 1, ?, ?)", total / 2, total - total / 2, t0);
        if (db.equals("PostgreSQL")) {
            insertUs = Double.NaN; // the served log is written through AUGUR.RECORD_PREDICTION only on PostgreSQL
        }
        // labels: warm-up, then half in batches and half one by one
        labels(c, 0, warm, t0, true);
        labels(c, warm, warm, t0, false);
        int half = n / 2;
        double batches = labels(c, 2 * warm, half, t0, true);
        double single = labels(c, 2 * warm + half, n - half, t0, false);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT JOINED FROM AUGUR.FEEDBACK_COUNTS WHERE FEEDBACK = 'fb'")) {
            rs.next();
            if (rs.getLong(1) != total) {
                throw new IllegalStateException(db + ": " + rs.getLong(1) + " labels joined, expected " + total);
            }
        }
        line(String.format(Locale.ROOT, "served prediction recorded (%s, AUGUR.RECORD_PREDICTION): %.2f us", db, recordUs));
        if (!Double.isNaN(insertUs)) {
            line(String.format(Locale.ROOT, "served prediction recorded (%s, INSERT INTO AUGUR.SERVED_PREDICTIONS): %.2f us", db, insertUs));
        }
        line(String.format(Locale.ROOT, "feedback labels per second (%s, batches): %.0f", db, batches));
        line(String.format(Locale.ROOT, "feedback labels per second (%s, one by one): %.0f", db, single));
    }

    /** Microseconds per served prediction recorded, in transactions of {@link #batch}. */
    private double record(Connection c, String sql, int from, int n, long t0) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            long start = System.nanoTime();
            for (int i = from; i < from + n; i++) {
                ps.setString(1, Integer.toString(i));
                ps.setDouble(2, (i % 97) / 97.0);
                ps.setObject(3, dev.augur.bench.FeedbackBench.timestamp(t0 + i * 1000L));
                if (sql.startsWith("SELECT")) {
                    ps.executeQuery().close();
                } else {
                    ps.addBatch();
                    if ((i - from + 1) % batch == 0) {
                        ps.executeBatch();
                    }
                }
                if ((i - from + 1) % batch == 0) {
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
            return (System.nanoTime() - start) / 1e3 / n;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Labels per second, for keys from..from+n-1, each a minute after its prediction. */
    private double labels(Connection c, int from, int n, long t0, boolean batched) throws SQLException {
        c.setAutoCommit(!batched);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fb_labels VALUES (?, ?, ?)")) {
            long start = System.nanoTime();
            for (int i = from; i < from + n; i++) {
                ps.setLong(1, i);
                ps.setInt(2, (i * 7) % 3 == 0 ? 1 : 0);
                ps.setObject(3, timestamp(t0 + i * 1000L + 60_000_000L));
                if (batched) {
                    ps.addBatch();
                    if ((i - from + 1) % batch == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                } else {
                    ps.executeUpdate();
                }
            }
            if (batched) {
                ps.executeBatch();
                c.commit();
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            c.setAutoCommit(true);
        }
    }

    static java.time.OffsetDateTime timestamp(long micros) {
        return java.time.OffsetDateTime.ofInstant(java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS),
                java.time.ZoneOffset.UTC);
    }

    private void line(String s) {
        System.out.println(s);
        out.append(s).append('\n');
    }
}
