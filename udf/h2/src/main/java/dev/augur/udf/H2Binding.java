package dev.augur.udf;

import dev.augur.sql.DatabaseBinding;
import dev.augur.sql.SqlSurface;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The H2 binding. Its package stays {@code dev.augur.udf}: H2 stores the Java class of every alias and trigger in the
 * database file, so these class names are part of the on-disk format (a rename would break every existing database's
 * PREDICT, and H2 refuses to drop an alias while a view calls it).
 */
public final class H2Binding implements DatabaseBinding {
    /** H2's own, not part of the shared surface: run when a database opens. */
    private static final String FINISH_INTERRUPTED_VIEWS = "AUGUR.FINISH_INTERRUPTED_VIEWS";
    /** A served prediction recorded may join labels that came before it (feedback). */
    private static final String SERVED_TRIGGER = "CREATE TRIGGER IF NOT EXISTS AUGUR." + H2Feedback.SERVED_TRIGGER
            + " AFTER INSERT ON AUGUR.SERVED_PREDICTIONS FOR EACH ROW CALL '" + H2Feedback.ServedTrigger.class.getName() + "'";

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public boolean handles(Connection connection) throws SQLException {
        return H2Internals.isH2(connection);
    }

    /**
     * A file database is opened with {@code MAX_COMPACT_TIME=0}: H2 2.3.232 compacts the file when the database closes,
     * after its last commit, and the file it leaves can point at an older set of chunks, so the next open silently goes
     * back to an earlier state (upstream issues 4247 and 4123; 2.4.240 commits after that compaction). The crash
     * harness met it: acknowledged commits gone after a close and a reopen. {@link #beforeClose} compacts instead, in
     * 2.4.240's order, before a driver connection that is the database's last session closes. A URL that sets
     * MAX_COMPACT_TIME itself keeps its value; in-memory and remote URLs are unchanged (a server's database has the
     * settings of the process that opened it: {@code augur serve} opens it so).
     */
    @Override
    public String openUrl(String jdbcUrl) {
        if (!jdbcUrl.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return jdbcUrl;
        }
        String rest = jdbcUrl.substring(8).toLowerCase(java.util.Locale.ROOT);
        if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.contains("max_compact_time=")) {
            return jdbcUrl;
        }
        return jdbcUrl + ";MAX_COMPACT_TIME=0";
    }

    /** The time H2 gives compaction when it closes a database (its MAX_COMPACT_TIME default), given before the close instead. */
    static final int COMPACT_MILLIS_ON_LAST_CLOSE = 200;

    /** Compacts a file database before its last session closes, then commits (see {@link #openUrl}). */
    @Override
    public void beforeClose(Connection connection) {
        H2Internals.compactBeforeLastClose(connection, COMPACT_MILLIS_ON_LAST_CLOSE);
    }

    /** None: H2's functions are aliases to this binding's classes, declared from {@link SqlSurface}. */
    @Override
    public List<String> catalogLocations() {
        return List.of();
    }

    /** One alias per function of the surface, to the class that answers its family; H2 finds the overloads by name. */
    @Override
    public List<String> functionDeclarations() {
        List<String> out = new ArrayList<>();
        aliases().forEach((name, method) -> out.add("CREATE ALIAS IF NOT EXISTS " + name + " FOR '" + method + "'"));
        out.add(SERVED_TRIGGER);
        out.add("CREATE OR REPLACE VIEW AUGUR.LIVE_METRICS AS " + dev.augur.engine.feedback.LiveMetrics.viewQuery());
        out.add("COMMENT ON VIEW AUGUR.LIVE_METRICS IS '" + LIVE_METRICS_STAMP + "'");
        out.add("CREATE OR REPLACE VIEW AUGUR.FEEDBACK_COUNTS AS " + dev.augur.engine.feedback.LiveMetrics.countsViewQuery());
        out.add("CREATE OR REPLACE VIEW AUGUR.MODEL_DRIFT AS " + dev.augur.engine.monitor.Monitoring.driftViewQuery());
        out.add("CREATE OR REPLACE VIEW AUGUR.ACCURACY_ESTIMATES AS " + dev.augur.engine.monitor.Monitoring.accuracyViewQuery());
        out.add("CREATE OR REPLACE VIEW AUGUR.LIVE_COVERAGE AS " + dev.augur.engine.monitor.Monitoring.coverageViewQuery());
        return out;
    }

    /** Names the engine's query the view was declared from: a changed definition is declared again on connect. */
    private static final String LIVE_METRICS_STAMP = "Augur live metrics " + Integer.toHexString(
            (dev.augur.engine.feedback.LiveMetrics.viewQuery() + dev.augur.engine.feedback.LiveMetrics.countsViewQuery()
                    + dev.augur.engine.monitor.Monitoring.driftViewQuery()
                    + dev.augur.engine.monitor.Monitoring.accuracyViewQuery()
                    + dev.augur.engine.monitor.Monitoring.coverageViewQuery()).hashCode());

    /** Qualified alias name to the Java method it calls. */
    private static java.util.Map<String, String> aliases() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (SqlSurface.Function f : SqlSurface.functions()) {
            out.put(f.qualifiedName(), classOf(f.family()).getName() + "." + f.camelName());
        }
        out.put(FINISH_INTERRUPTED_VIEWS, H2Views.class.getName() + ".finishInterruptedViews");
        return out;
    }

    /** Every alias of the surface present, calling its method: a function added to the surface is declared on connect. */
    @Override
    public boolean declarationsCurrent(Connection connection) throws SQLException {
        java.util.Set<String> present = new java.util.HashSet<>();
        try (Statement st = connection.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                "SELECT DISTINCT ROUTINE_SCHEMA || '.' || ROUTINE_NAME || '=' || EXTERNAL_NAME FROM INFORMATION_SCHEMA.ROUTINES"
                        + " WHERE ROUTINE_SCHEMA IN ('PUBLIC', 'AUGUR')")) {
            while (rs.next()) {
                present.add(rs.getString(1));
            }
        }
        if (!aliases().entrySet().stream().allMatch(e -> present.contains(e.getKey() + "=" + e.getValue()))) {
            return false;
        }
        try (Statement st = connection.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS WHERE TRIGGER_SCHEMA = 'AUGUR' AND TRIGGER_NAME = '"
                        + H2Feedback.SERVED_TRIGGER + "'")) {
            if (!rs.next() || rs.getInt(1) != 1) {
                return false;
            }
        }
        try (Statement st = connection.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                "SELECT REMARKS FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_SCHEMA) = 'AUGUR' AND UPPER(TABLE_NAME) = 'LIVE_METRICS'")) {
            return rs.next() && LIVE_METRICS_STAMP.equals(rs.getString(1));
        }
    }

    private static Class<?> classOf(SqlSurface.Family family) {
        return switch (family) {
            case PREDICT -> H2Functions.class;
            case MODELS -> H2Admin.class;
            case VIEWS -> H2Views.class;
            case FEEDBACK -> H2Feedback.class;
            case EXPERIMENTS -> H2Experiments.class;
            case MONITOR -> H2Monitor.class;
        };
    }

    /** A TRUNCATE of a view's base table, which H2 runs without firing the view's triggers ({@link H2Truncate}). */
    @Override
    public String rewriteEngineCall(Connection raw, String sql) throws SQLException {
        return H2Truncate.rewrite(raw, sql);
    }

    @Override
    public void afterInstall(Connection connection) throws SQLException {
        writeCommitsBeforeTheyReturn(connection);
        finishInterruptedViews(connection);
    }

    /**
     * H2 writes commits to its file in the background, up to WRITE_DELAY (500 ms) later, so a kill -9 lost commits
     * that had returned (under Augur's workload, seconds of them: {@code augur crash-test}). With WRITE_DELAY 0 each
     * commit is written before it returns (not fsynced: a power failure may still lose the last ones). The setting
     * is stored in the database, but H2 (2.3.232 to 2.5.252) overrides the stored value with the URL's (default 500) on
     * every open, so it is set again whenever a connection finds it off; setting it takes admin rights, and a database
     * opened by a user without them stays at H2's default until an admin connects.
     */
    private static void writeCommitsBeforeTheyReturn(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            boolean delayed = false;
            try (java.sql.ResultSet rs = st.executeQuery(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                while (rs.next()) {
                    delayed |= !"0".equals(rs.getString(1));
                }
            }
            if (delayed) {
                st.execute("SET WRITE_DELAY 0");
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != 90040) { // admin rights required
                throw e;
            }
        }
    }

    /**
     * A view whose creation or drop was killed half way (H2 commits its DDL, so those take several transactions) is
     * removed without trace when the database is next opened. Needs the rights to drop it: a user without them leaves
     * it for the next one who has them (until then the view is marked pending in AUGUR.VIEWS).
     */
    private static void finishInterruptedViews(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM AUGUR.VIEWS WHERE PENDING_IN IS NOT NULL")) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return;
                }
            }
            try (java.sql.ResultSet rs = st.executeQuery("SELECT " + FINISH_INTERRUPTED_VIEWS + "()")) {
                rs.next();
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != 90096 && e.getErrorCode() != 90040) { // not enough rights: left for a user who has them
                throw e;
            }
        }
    }
}
