package dev.augur.udf.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The maintainer that {@code augur serve --postgres URL} runs beside a PostgreSQL database: a HikariCP pool, one
 * pooled connection held to LISTEN on {@value #CHANNEL} (model registrations, deployments, rollbacks, drops, sent by
 * the catalog's triggers), and on every (re)connect {@code augur.sync_predict()} so that the generated PREDICT
 * functions match the catalog. When the server goes away (restart, failover) it says so and reconnects with a
 * growing pause (up to 5 s), then listens and syncs again. Prediction views on PostgreSQL are not maintained yet.
 */
public final class PgMaintainer implements AutoCloseable {
    public static final String CHANNEL = "augur_models";

    private final HikariDataSource pool;
    private final PrintStream log;
    private final Thread thread;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private volatile boolean stopping;
    private volatile boolean connected;

    /** Creates the pool (no connection yet); {@link #start()} begins listening. */
    public PgMaintainer(String url, String user, String password, PrintStream log) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setPoolName("augur-maintainer");
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // start even while the server is down; the loop keeps trying
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
        this.log = log;
        this.thread = new Thread(this::loop, "augur-pg-maintainer");
        this.thread.setDaemon(true);
    }

    public PgMaintainer start() {
        thread.start();
        return this;
    }

    /** How many times the listener has connected (1 after the first connect, 2 after one reconnect, ...). */
    public int connects() {
        return connects.get();
    }

    /** Notifications received on {@value #CHANNEL}. */
    public int events() {
        return events.get();
    }

    public boolean connected() {
        return connected;
    }

    /** The pool, for callers that want a connection to the same database. */
    public HikariDataSource pool() {
        return pool;
    }

    /** One line per deployed model: what PREDICT serves now. */
    public List<String> served() throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT d.name, d.version, md.kind, md.feature_type, cardinality(md.inputs),"
                     + " (SELECT max(version) FROM augur.models m WHERE m.name = d.name),"
                     // what augur.regenerate_predict generates as SQL: a softmax model's only up to its largest class count
                     + " md.kind <> 'softmax' OR cardinality(md.classes) <= augur.softmax_sql_classes()"
                     + " FROM augur.deployed d JOIN augur.model_defs md ON md.name = d.name AND md.version = d.version ORDER BY d.name")) {
            while (rs.next()) {
                boolean dense = "dense".equals(rs.getString(4));
                boolean inlined = dense && rs.getBoolean(7);
                lines.add(String.format("%s@%d (%s, %s, %d input%s; latest version %d)%s", rs.getString(1), rs.getInt(2), rs.getString(3),
                        dense ? "dense" : "bag of words", rs.getInt(5), rs.getInt(5) == 1 ? "" : "s", rs.getInt(6),
                        inlined ? ": PREDICT inlined as SQL arithmetic" : ": PREDICT through the general path"));
            }
        }
        return lines;
    }

    private void loop() {
        long pause = 250;
        while (!stopping) {
            try (Connection c = pool.getConnection()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                int n = connects.get() + 1;
                pause = 250;
                int arities = sync(c);
                say((n == 1 ? "connected to " : "reconnected to ") + pool.getJdbcUrl() + "; listening on " + CHANNEL
                        + "; PREDICT functions in sync (" + arities + " arit" + (arities == 1 ? "y" : "ies") + " regenerated)");
                for (String s : served()) {
                    say("  serving " + s);
                }
                connects.incrementAndGet();
                connected = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!stopping) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch == null) {
                        // getNotifications only notices a dead socket when it reads; make it read
                        if (c.isClosed()) {
                            throw new SQLException("connection closed");
                        }
                        continue;
                    }
                    for (PGNotification note : batch) {
                        // said before counted, so whoever sees the count also finds the line
                        say("model event: " + note.getParameter());
                        events.incrementAndGet();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                boolean was = connected;
                connected = false;
                if (stopping) {
                    break;
                }
                if (was) {
                    say("lost the connection to PostgreSQL (" + e.getMessage() + "); reconnecting");
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(pause);
                } catch (InterruptedException ie) {
                    break;
                }
                pause = Math.min(pause * 2, 5_000);
            }
        }
        connected = false;
    }

    private int sync(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT augur.sync_predict()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                say("cannot regenerate PREDICT functions as this user (grant it augur_admin): " + e.getMessage());
                if (!auto) {
                    c.rollback();
                }
                return 0;
            }
            throw e;
        }
    }

    private void say(String s) {
        synchronized (log) {
            log.println("augur: " + s);
            log.flush();
        }
    }

    /** Stops listening and closes the pool. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
