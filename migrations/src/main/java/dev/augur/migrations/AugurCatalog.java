package dev.augur.migrations;

import dev.augur.engine.AugurException;
import dev.augur.sql.DatabaseBinding;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
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
        DatabaseBinding binding = DatabaseBinding.of(connection);
        if (!upToDate(connection, shippedMigrations(binding.name()))) {
            migrate(connection, binding);
        }
        binding.afterInstall(connection);
    }

    private static void migrate(Connection connection, DatabaseBinding binding) throws SQLException {
        try {
            Flyway flyway = Flyway.configure(AugurCatalog.class.getClassLoader())
                    .dataSource(new BorrowedConnection(connection))
                    // the schema name as the database folds unquoted identifiers, so AUGUR.X finds it unquoted
                    .schemas(connection.getMetaData().storesLowerCaseIdentifiers() ? "augur" : "AUGUR")
                    .table(HISTORY_TABLE)
                    .locations(binding.catalogLocations().toArray(String[]::new))
                    .failOnMissingLocations(true)
                    .load();
            realignEditedScripts(flyway);
            flyway.migrate();
        } catch (FlywayException e) {
            throw new SQLException("installing Augur's catalog failed: " + e.getMessage(), "58030", e);
        }
        try (java.sql.Statement st = connection.createStatement()) {
            for (String declaration : binding.functionDeclarations()) {
                st.execute(declaration);
            }
        }
    }

    /**
     * The functions once defined in the versioned scripts now live in one place each (repeatable scripts, or the
     * declarations a binding renders from {@link dev.augur.sql.SqlSurface}), so those scripts were edited after
     * databases had applied them. Their recorded checksums are realigned with the shipped scripts (Flyway's repair)
     * rather than failing validation: these are Augur's own scripts, and what they still hold is tables and data the
     * database already has. Only checksum mismatches are repaired; any other validation error stays an error.
     */
    private static void realignEditedScripts(Flyway flyway) {
        org.flywaydb.core.api.output.ValidateResult result = flyway.validateWithResult();
        boolean edited = result.invalidMigrations.stream().anyMatch(m -> m.errorDetails != null
                && m.errorDetails.errorCode == org.flywaydb.core.api.CoreErrorCode.CHECKSUM_MISMATCH);
        if (edited) {
            flyway.repair();
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
