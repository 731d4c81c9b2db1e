package dev.augur.sql;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A {@link DataSource} over the {@code jdbc:augur:} driver, for applications and tools (Flyway, connection pools)
 * that take a DataSource. Pool it with HikariCP for server use.
 */
public final class AugurDataSource implements DataSource {
    private final String url;
    private final String user;
    private final String password;
    private final Path importBase;
    private int loginTimeout;

    /**
     * @param url        a {@code jdbc:augur:...} URL, or a plain {@code jdbc:...} URL that gets the prefix
     * @param importBase folder for relative IMPORT MODEL paths, or null
     */
    public AugurDataSource(String url, String user, String password, Path importBase) {
        this.url = url.startsWith(AugurDriver.PREFIX) ? url : AugurDriver.PREFIX + url.substring("jdbc:".length());
        this.user = user;
        this.password = password;
        this.importBase = importBase;
        AugurDriver.register();
    }

    public String url() {
        return url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String username, String pw) throws SQLException {
        Properties p = new Properties();
        if (username != null) {
            p.setProperty("user", username);
        }
        if (pw != null) {
            p.setProperty("password", pw);
        }
        if (importBase != null) {
            p.setProperty(AugurDriver.IMPORT_BASE, importBase.toString());
        }
        return new AugurDriver().connect(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logging goes through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Augur logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
