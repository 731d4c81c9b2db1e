package dev.augur.migrations;

import dev.augur.engine.AugurException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Augur's own schema, AUGUR, kept by Flyway with its own history table (AUGUR.AUGUR_SCHEMA_HISTORY) so it never
 * mixes with the user's migrations. One script folder per database.
 */
public final class AugurCatalog {
    public static final String HISTORY_TABLE = "AUGUR_SCHEMA_HISTORY";

    private AugurCatalog() {
    }

    private static final java.util.regex.Pattern VERSIONED = java.util.regex.Pattern.compile("V\\d+__[^/]*\\.sql");
    private static final java.util.Map<String, Integer> SHIPPED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The number of catalog migrations this Augur ships for a dialect, counted from the scripts themselves (a new
     * V&lt;n&gt; needs no constant raised by hand, or databases would never upgrade).
     */
    static int shippedMigrations(String dialect) {
        return SHIPPED.computeIfAbsent(dialect, AugurCatalog::countScripts);
    }

    private static int countScripts(String dialect) {
        String folder = "dev/augur/migrations/" + dialect;
        java.net.URL url = AugurCatalog.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new AugurException("58030", "Augur's catalog scripts for " + dialect + " are missing from the class path (" + folder + ")");
        }
        try {
            if (url.getProtocol().equals("jar")) {
                java.net.JarURLConnection jar = (java.net.JarURLConnection) url.openConnection();
                jar.setUseCaches(false);
                try (java.util.jar.JarFile file = jar.getJarFile()) {
                    return (int) file.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith(folder + "/") && VERSIONED.matcher(n.substring(folder.length() + 1)).matches()).count();
                }
            }
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
                return (int) files.filter(f -> VERSIONED.matcher(f.getFileName().toString()).matches()).count();
            }
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new AugurException("58030", "cannot list Augur's catalog scripts in " + url + ": " + e.getMessage());
        }
    }

    /** Applies pending catalog migrations through an open connection (which stays open). */
    public static void install(Connection connection) throws SQLException {
        String dialect = dialect(connection);
        if (!upToDate(connection, shippedMigrations(dialect))) {
            migrate(connection, dialect);
        }
        if (dialect.equals("h2")) {
            writeCommitsBeforeTheyReturn(connection);
            finishInterruptedViews(connection);
        }
    }

    /**
     * H2 writes commits to its file in the background, up to WRITE_DELAY (500 ms) later, so a kill -9 lost commits
     * that had returned (under Augur's workload, seconds of them: {@code augur crash-test}). With WRITE_DELAY 0 each
     * commit is written before it returns (not fsynced: a power failure may still lose the last ones). The setting
     * is stored in the database, but H2 (2.3.232 to 2.5.252) overrides the stored value with the URL's (default 500) on every open, so
     * it is set again whenever a connection finds it off; setting it takes admin rights, and a database opened by a
     * user without them stays at H2's default until an admin connects.
     */
    private static void writeCommitsBeforeTheyReturn(Connection connection) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
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
        try (java.sql.Statement st = connection.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM AUGUR.VIEWS WHERE PENDING_IN IS NOT NULL")) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return;
                }
            }
            try (java.sql.ResultSet rs = st.executeQuery("SELECT AUGUR.FINISH_INTERRUPTED_VIEWS()")) {
                rs.next();
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != 90096 && e.getErrorCode() != 90040) { // not enough rights: left for a user who has them
                throw e;
            }
        }
    }

    private static void migrate(Connection connection, String dialect) throws SQLException {
        try {
            Flyway.configure(AugurCatalog.class.getClassLoader())
                    .dataSource(new BorrowedConnection(connection))
                    // the schema name as the database folds unquoted identifiers, so AUGUR.X finds it unquoted
                    .schemas(connection.getMetaData().storesLowerCaseIdentifiers() ? "augur" : "AUGUR")
                    .table(HISTORY_TABLE)
                    .locations("classpath:dev/augur/migrations/" + dialect)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new SQLException("installing Augur's catalog failed: " + e.getMessage(), "58030", e);
        }
    }

    /** A quick look at the history table, so connecting does not start Flyway when the catalog is current. */
    static boolean upToDate(Connection connection, int expected) throws SQLException {
        String schema = null;
        try (java.sql.ResultSet rs = connection.getMetaData().getTables(null, null, null, new String[]{"TABLE", "BASE TABLE"})) {
            while (rs.next() && schema == null) {
                if (HISTORY_TABLE.equalsIgnoreCase(rs.getString("TABLE_NAME")) && "AUGUR".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                    schema = rs.getString("TABLE_SCHEM");
                }
            }
        }
        if (schema == null) {
            return false;
        }
        try (java.sql.Statement st = connection.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + schema.replace("\"", "\"\"") + "\".\""
                     + HISTORY_TABLE + "\" WHERE \"success\" AND \"version\" IS NOT NULL")) {
            return rs.next() && rs.getInt(1) >= expected;
        }
    }

    static String dialect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return "h2";
        }
        if (product.contains("postgres")) {
            return "postgresql";
        }
        throw new AugurException("0A000", "Augur supports H2 and PostgreSQL, not " + product);
    }

    /** Hands Flyway one open connection and keeps it open when Flyway is done with it. */
    private record BorrowedConnection(Connection connection) implements DataSource {
        @Override
        public Connection getConnection() {
            return (Connection) Proxy.newProxyInstance(AugurCatalog.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, m, args) -> {
                        if (m.getName().equals("close")) {
                            return null;
                        }
                        try {
                            return m.invoke(connection, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
