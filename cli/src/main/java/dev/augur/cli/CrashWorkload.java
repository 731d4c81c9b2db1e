package dev.augur.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Random;

/**
 * The crash harness's workload: a random mix of Augur operations and plain writes, run one at a time on one
 * connection in autocommit. Each operation is announced before it starts and acknowledged once its commit has
 * returned, so whoever watches knows which commits were acknowledged when the process died.
 *
 * <p>Operations, each one transaction: {@code insert}/{@code update}/{@code delete} rows of {@code pts} (the base
 * table of the eager prediction views and of the classification view), {@code batch} (several rows of {@code events} at
 * once, which must be all or nothing), {@code train}, {@code deploy}, {@code rollback}, {@code createview},
 * {@code dropview}, {@code refresh}, and for the classification view {@code label} (an example into {@code labels},
 * which the view learns from online), {@code createcv} and {@code dropcv}.
 */
final class CrashWorkload {
    /** Where announcements and acknowledgements go. */
    interface Listener {
        void begin(String op);

        /** {@code result} is what the operation returned, or {@code "error SQLSTATE message"} when it failed. */
        void ack(String op, String result);
    }

    static final String MODEL = "crash_m";
    static final String[] VIEWS = {"crash_v1", "crash_v2"};
    /** The classification view over {@code pts}, learning from {@code labels}. */
    static final String CLASSIFICATION_VIEW = "crash_cv";
    static final int BATCH_ROWS = 5;
    private static final int QUERY_TIMEOUT_S = 60;

    private final Connection c;
    private final Random random;
    private final Listener listener;
    private int nextId;
    private int nextBatch;

    CrashWorkload(Connection c, long seed, Listener listener) throws SQLException {
        this.c = c;
        this.random = new Random(seed);
        this.listener = listener;
        c.setAutoCommit(true);
        createTables(c);
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM pts")) {
                rs.next();
                nextId = rs.getInt(1) + 1 + random.nextInt(1000) * 100_000;
            }
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(batch), 0) FROM events")) {
                rs.next();
                nextBatch = rs.getInt(1) + 1 + random.nextInt(1000) * 100_000;
            }
        }
    }

    /** The harness's own tables; the check creates them too, so a database killed before the workload began checks empty. */
    static void createTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS pts (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, y INT)");
            st.execute("CREATE TABLE IF NOT EXISTS events (batch INT NOT NULL, n INT NOT NULL, PRIMARY KEY (batch, n))");
            st.execute("CREATE TABLE IF NOT EXISTS labels (id INT NOT NULL, y INT NOT NULL)");
        }
    }

    /** Runs one random operation; SQL errors are acknowledged as such (they must leave no trace). */
    void step() throws SQLException {
        int rows = count("SELECT COUNT(*) FROM pts");
        int versions = count("SELECT COUNT(*) FROM AUGUR.MODELS WHERE NAME = '" + MODEL + "'");
        String op;
        int dice = random.nextInt(100);
        if (rows < 20_000) {
            op = "bulk " + nextId + " " + (20_000 + random.nextInt(20_000));
        } else if (versions == 0 || dice < 8) {
            op = "train";
        } else if (dice < 26) {
            op = "insert " + (nextId) + " " + coordinate() + " " + coordinate();
        } else if (dice < 39) {
            op = "update " + randomId() + " " + coordinate();
        } else if (dice < 45) {
            op = "delete " + randomId();
        } else if (dice < 53) {
            op = "batch " + nextBatch;
        } else if (dice < 61) {
            op = "deploy " + (1 + random.nextInt(versions));
        } else if (dice < 66) {
            op = "rollback";
        } else if (dice < 74) {
            op = "createview " + VIEWS[random.nextInt(VIEWS.length)];
        } else if (dice < 79) {
            op = "dropview " + VIEWS[random.nextInt(VIEWS.length)];
        } else if (dice < 83) {
            op = "refresh " + VIEWS[random.nextInt(VIEWS.length)] + (random.nextBoolean() ? " full" : "");
        } else if (dice < 95) {
            op = "label " + randomId() + " " + random.nextInt(2);
        } else if (dice < 99) {
            // created four times as often as dropped: the view exists through most of the run, learning
            op = "createcv " + CLASSIFICATION_VIEW;
        } else {
            op = "dropcv " + CLASSIFICATION_VIEW;
        }
        listener.begin(op);
        String result;
        try {
            result = run(op);
        } catch (SQLException e) {
            // an error from a connection that is gone (a server killed under its client) says nothing of whether the
            // operation committed: it stays in flight, unacknowledged
            if (e.getSQLState() != null && e.getSQLState().startsWith("08") || !c.isValid(5)) {
                throw e;
            }
            // the message too: an error acknowledged for an operation whose effect is found later says which one
            String message = String.valueOf(e.getMessage()).replaceAll("[\\r\\n|]+", " ");
            result = "error " + e.getSQLState() + " " + (message.length() > 160 ? message.substring(0, 160) + "..." : message);
        }
        listener.ack(op, result);
    }

    private String run(String op) throws SQLException {
        String[] w = op.split(" ");
        switch (w[0]) {
            case "bulk" -> {
                int from = Integer.parseInt(w[1]);
                int n = Integer.parseInt(w[2]);
                nextId = from + n;
                return String.valueOf(update("INSERT INTO pts SELECT x, SIN(x) * 3, COS(x * 7) * 3, CASE WHEN SIN(x) + COS(x * 7) > 0 THEN 1 ELSE 0 END"
                        + " FROM SYSTEM_RANGE(" + from + ", " + (from + n - 1) + ") AS r (x)"));
            }
            case "insert" -> {
                nextId++;
                double a = Double.parseDouble(w[2]);
                double b = Double.parseDouble(w[3]);
                return String.valueOf(update("INSERT INTO pts VALUES (" + w[1] + ", " + w[2] + ", " + w[3] + ", " + (a + b > 0 ? 1 : 0) + ")"));
            }
            case "update" -> {
                return String.valueOf(update("UPDATE pts SET a = " + w[2] + " WHERE id = " + w[1]));
            }
            case "delete" -> {
                return String.valueOf(update("DELETE FROM pts WHERE id = " + w[1]));
            }
            case "batch" -> {
                nextBatch++;
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.setQueryTimeout(QUERY_TIMEOUT_S);
                    for (int n = 0; n < BATCH_ROWS; n++) {
                        st.executeUpdate("INSERT INTO events VALUES (" + w[1] + ", " + n + ")");
                    }
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                return String.valueOf(BATCH_ROWS);
            }
            case "train" -> {
                return query("SELECT AUGUR.TRAIN_MODEL('" + MODEL + "', 'logistic', 'SELECT a, b, y FROM pts', '{\"epochs\": 1, \"seed\": "
                        + random.nextInt(1000) + "}')");
            }
            case "deploy" -> {
                return query("SELECT AUGUR.DEPLOY_MODEL('" + MODEL + "', " + w[1] + ")");
            }
            case "rollback" -> {
                return query("SELECT AUGUR.ROLLBACK_MODEL('" + MODEL + "')");
            }
            case "createview" -> {
                return query("SELECT AUGUR.CREATE_PREDICTION_VIEW('" + w[1] + "', 'SELECT id, PREDICT(''" + MODEL + "'', a, b) FROM pts')");
            }
            case "dropview" -> {
                return query("SELECT AUGUR.DROP_PREDICTION_VIEW('" + w[1] + "')");
            }
            case "refresh" -> {
                return query("SELECT AUGUR.REFRESH_PREDICTION_VIEW('" + w[1] + "', " + (w.length > 2) + ")");
            }
            case "label" -> {
                return String.valueOf(update("INSERT INTO labels VALUES (" + w[1] + ", " + w[2] + ")"));
            }
            case "createcv" -> {
                // dense, so that each example's step is screened (ViewIndex's learning views)
                return query("SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('" + w[1] + "', 'pts', 'id', 'labels', 'id', 'y', '(a, b)', 'logistic',"
                        + " '{\"learning_rate\": 0.05, \"tolerance\": 0.05, \"epochs\": 1}')");
            }
            case "dropcv" -> {
                return query("SELECT AUGUR.DROP_PREDICTION_VIEW('" + w[1] + "')");
            }
            default -> throw new IllegalStateException("unknown operation " + op);
        }
    }

    private String coordinate() {
        return String.format(Locale.ROOT, "%.6f", random.nextGaussian() * 3);
    }

    private int randomId() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM pts ORDER BY id OFFSET ? ROWS FETCH FIRST 1 ROW ONLY")) {
            ps.setInt(1, random.nextInt(Math.max(1, count("SELECT COUNT(*) FROM pts"))));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 1;
            }
        }
    }

    private int count(String sql) throws SQLException {
        return Integer.parseInt(query(sql));
    }

    private String query(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(QUERY_TIMEOUT_S);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return String.valueOf(rs.getObject(1));
            }
        }
    }

    private int update(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(QUERY_TIMEOUT_S);
            return st.executeUpdate(sql);
        }
    }
}
