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
 * mixes with the user's migrations. One script folder per database; PostgreSQL has a second one for its functions,
 * each defined once in a repeatable script (see {@link #folders}).
 */
public final class AugurCatalog {
    public static final String HISTORY_TABLE = "AUGUR_SCHEMA_HISTORY";

    private AugurCatalog() {
    }

    private static final java.util.regex.Pattern VERSIONED = java.util.regex.Pattern.compile("V\\d+__[^/]*\\.sql");
    private static final java.util.Map<String, Integer> SHIPPED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, String> FINGERPRINTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The last catalog migration whose script carried function bodies up to commit 25032aa; they are defined once, in
     * the functions folder, since. Databases that applied V1..V7 before hold those scripts' old checksums.
     */
    private static final int LAST_SCRIPT_STRIPPED_OF_FUNCTIONS = 7;

    /**
     * The script folders of a dialect: its versioned migrations (tables, data: this module's), then the binding's own
     * (PostgreSQL: its functions, as repeatable migrations, and the afterMigrate callback that applies privileges and
     * regenerates generated code).
     */
    static java.util.List<String> folders(String dialect) {
        DatabaseBinding binding = DatabaseBinding.all().stream().filter(b -> b.name().equals(dialect)).findFirst()
                .orElseThrow(() -> new AugurException("58030", "no Augur binding for " + dialect + " on the class path"));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("dev/augur/migrations/" + dialect));
        all.addAll(binding.catalogLocations());
        return all;
    }

    /**
     * The number of catalog migrations this Augur ships for a dialect, counted from the scripts themselves (a new
     * V&lt;n&gt; needs no constant raised by hand, or databases would never upgrade).
     */
    static int shippedMigrations(String dialect) {
        return SHIPPED.computeIfAbsent(dialect, d -> (int) scripts(folders(d).get(0)).keySet().stream()
                .filter(n -> VERSIONED.matcher(n).matches()).count());
    }

    /**
     * A SHA-256 of every script shipped for a dialect (names and contents): a changed function changes it as much as a
     * new V&lt;n&gt; does. After each migrate, afterMigrate.sql stores it on the history table, so a connect compares
     * one string instead of starting Flyway.
     */
    static String shippedFingerprint(String dialect) {
        return FINGERPRINTS.computeIfAbsent(dialect, d -> {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                for (String folder : folders(d)) {
                    for (java.util.Map.Entry<String, byte[]> script : scripts(folder).entrySet()) {
                        sha.update((folder + "/" + script.getKey() + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        sha.update(script.getValue());
                        sha.update((byte) 0);
                    }
                }
                return java.util.HexFormat.of().formatHex(sha.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The .sql scripts directly in a class-path folder (name to contents, by name), from a class folder or a jar. */
    private static java.util.SortedMap<String, byte[]> scripts(String folder) {
        java.net.URL url = AugurCatalog.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new AugurException("58030", "Augur's catalog scripts are missing from the class path (" + folder + ")");
        }
        java.util.SortedMap<String, byte[]> found = new java.util.TreeMap<>();
        try {
            if (url.getProtocol().equals("jar")) {
                java.net.JarURLConnection jar = (java.net.JarURLConnection) url.openConnection();
                jar.setUseCaches(false);
                try (java.util.jar.JarFile file = jar.getJarFile()) {
                    for (java.util.jar.JarEntry e : java.util.Collections.list(file.entries())) {
                        String n = e.getName();
                        if (n.startsWith(folder + "/") && n.endsWith(".sql") && n.indexOf('/', folder.length() + 1) < 0) {
                            try (java.io.InputStream in = file.getInputStream(e)) {
                                found.put(n.substring(folder.length() + 1), in.readAllBytes());
                            }
                        }
                    }
                }
                return found;
            }
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                    if (f.getFileName().toString().endsWith(".sql")) {
                        found.put(f.getFileName().toString(), java.nio.file.Files.readAllBytes(f));
                    }
                }
            }
            return found;
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new AugurException("58030", "cannot list Augur's catalog scripts in " + url + ": " + e.getMessage());
        }
    }

    /** Applies pending catalog migrations through an open connection (which stays open). */
    public static void install(Connection connection) throws SQLException {
        DatabaseBinding binding = DatabaseBinding.of(connection);
        String dialect = binding.name();
        boolean current = dialect.equals("postgresql")
                // a catalog of a newer Augur (more versioned scripts applied) is left alone: this one's functions are older
                ? fingerprintMatches(connection, shippedFingerprint(dialect)) || appliedMigrations(connection) > shippedMigrations(dialect)
                : upToDate(connection, shippedMigrations(dialect)) && binding.declarationsCurrent(connection);
        if (!current) {
            migrate(connection, binding);
        }
        binding.afterInstall(connection);
    }

    private static void migrate(Connection connection, DatabaseBinding binding) throws SQLException {
        String dialect = binding.name();
        boolean postgres = dialect.equals("postgresql");
        String checkBodies = null;
        String searchPath = null;
        try {
            org.flywaydb.core.api.configuration.FluentConfiguration config = Flyway.configure(AugurCatalog.class.getClassLoader())
                    .dataSource(new BorrowedConnection(connection))
                    // the schema name as the database folds unquoted identifiers, so AUGUR.X finds it unquoted
                    .schemas(connection.getMetaData().storesLowerCaseIdentifiers() ? "augur" : "AUGUR")
                    .table(HISTORY_TABLE)
                    .locations(folders(dialect).stream().map(f -> "classpath:" + f).toArray(String[]::new))
                    // a function's file removed in a later Augur leaves its repeatable row behind: not an error
                    // (a versioned script drops what is no longer defined)
                    .ignoreMigrationPatterns("*:future", "repeatable:missing")
                    .failOnMissingLocations(true);
            if (postgres) {
                config.placeholders(java.util.Map.of("augur_scripts", shippedFingerprint(dialect)));
                // the function files refer to each other in any order (as pg_dump's output does): their bodies are
                // checked when they first run, by the tests of every path
                checkBodies = setting(connection, "check_function_bodies");
                // the scripts run as the catalog owner, and their DO blocks call functions without a path of their own:
                // with the session's path (public, say) a role that may create there could supply a function they call
                // (an exact match beats pg_catalog's polymorphic format() or unnest()). Flyway puts schema augur in front.
                searchPath = setting(connection, "search_path");
                try (java.sql.Statement st = connection.createStatement()) {
                    st.execute("SET check_function_bodies = off");
                    st.execute("SET search_path = pg_catalog, pg_temp");
                }
            }
            repairStrippedScripts(config);
            config.load().migrate();
        } catch (FlywayException e) {
            throw new SQLException("installing Augur's catalog failed: " + e.getMessage(), "58030", e);
        } finally {
            if (checkBodies != null) {
                restore(connection, "check_function_bodies", checkBodies);
            }
            if (searchPath != null) {
                restore(connection, "search_path", searchPath);
            }
        }
        try (java.sql.Statement st = connection.createStatement()) {
            for (String declaration : binding.functionDeclarations()) {
                st.execute(declaration);
            }
        }
    }

    /**
     * V1..V7 (PostgreSQL; V1..V3 on H2, whose aliases are rendered from {@link dev.augur.sql.SqlSurface} since)
     * carried function bodies up to 25032aa; they hold tables and data only since, so a database that applied
     * them has other checksums than the shipped scripts and Flyway's validation would refuse to migrate it. What they
     * no longer define is defined by the repeatable scripts, which the same migrate applies; so when checksum
     * mismatches of those versions are all that validation finds, the history takes the shipped checksums (Flyway's
     * repair). Anything else (a changed later script, a failed migration) still stops the migrate.
     */
    private static void repairStrippedScripts(org.flywaydb.core.api.configuration.FluentConfiguration config) {
        Flyway check = new org.flywaydb.core.api.configuration.FluentConfiguration(AugurCatalog.class.getClassLoader())
                .configuration(config).ignoreMigrationPatterns("*:pending", "*:future", "repeatable:missing").load();
        org.flywaydb.core.api.output.ValidateResult result = check.validateWithResult();
        if (result.validationSuccessful || result.invalidMigrations.isEmpty()) {
            return;
        }
        boolean onlyStripped = result.invalidMigrations.stream().allMatch(m -> m.errorDetails != null
                && m.errorDetails.errorCode == org.flywaydb.core.api.CoreErrorCode.CHECKSUM_MISMATCH
                && m.version != null && !m.version.isEmpty() && !m.version.contains(".")
                && Integer.parseInt(m.version) <= LAST_SCRIPT_STRIPPED_OF_FUNCTIONS);
        if (onlyStripped) {
            check.repair();
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.current_setting(?)")) {
            ps.setString(1, name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void restore(Connection connection, String name, String value) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.set_config(?, ?, false)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.execute();
        }
    }

    /**
     * PostgreSQL: whether afterMigrate.sql stored this Augur's script fingerprint on the history table (one query; a
     * database without a catalog, or with one migrated by another Augur, does not match).
     */
    static boolean fingerprintMatches(Connection connection, String fingerprint) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.obj_description(pg_catalog.to_regclass(?), 'pg_class')")) {
            ps.setString(1, "augur.\"" + HISTORY_TABLE + "\"");
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() && ("Augur catalog scripts " + fingerprint).equals(rs.getString(1));
            }
        }
    }

    /** A quick look at the history table, so connecting does not start Flyway when the catalog is current. */
    static boolean upToDate(Connection connection, int expected) throws SQLException {
        return appliedMigrations(connection) >= expected;
    }

    /** The number of versioned catalog migrations applied to the database (0 without a catalog). */
    private static int appliedMigrations(Connection connection) throws SQLException {
        String schema = null;
        try (java.sql.ResultSet rs = connection.getMetaData().getTables(null, null, null, new String[]{"TABLE", "BASE TABLE"})) {
            while (rs.next() && schema == null) {
                if (HISTORY_TABLE.equalsIgnoreCase(rs.getString("TABLE_NAME")) && "AUGUR".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                    schema = rs.getString("TABLE_SCHEM");
                }
            }
        }
        if (schema == null) {
            return 0;
        }
        try (java.sql.Statement st = connection.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + schema.replace("\"", "\"\"") + "\".\""
                     + HISTORY_TABLE + "\" WHERE \"success\" AND \"version\" IS NOT NULL")) {
            return rs.next() ? rs.getInt(1) : 0;
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
