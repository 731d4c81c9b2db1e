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

    /** Applies pending catalog migrations through an open connection (which stays open). */
    public static void install(Connection connection) throws SQLException {
        String dialect = dialect(connection);
        try {
            Flyway.configure(AugurCatalog.class.getClassLoader())
                    .dataSource(new BorrowedConnection(connection))
                    .schemas("AUGUR")
                    .table(HISTORY_TABLE)
                    .locations("classpath:dev/augur/migrations/" + dialect)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new SQLException("installing Augur's catalog failed: " + e.getMessage(), "58030", e);
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
