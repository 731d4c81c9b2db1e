package dev.augur.sql;

import dev.augur.engine.AugurException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.List;
import java.util.logging.Logger;

/**
 * The {@code jdbc:augur:} driver: {@code jdbc:augur:h2:file:./data/augur} opens {@code jdbc:h2:file:./data/augur},
 * installs Augur's catalog on first use, and accepts Augur's extension statements on every statement kind;
 * everything else reaches the database untouched.
 *
 * <p>Connection property {@code augur.importBase}: the folder that relative IMPORT MODEL paths are resolved against.
 */
public final class AugurDriver implements Driver {
    public static final String PREFIX = "jdbc:augur:";
    public static final String IMPORT_BASE = "augur.importBase";
    private static final List<AugurInstaller> INSTALLERS = ServiceLoader.load(AugurInstaller.class,
            AugurDriver.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    static {
        try {
            DriverManager.registerDriver(new AugurDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Makes sure the driver is registered (for code that does not use {@link ServiceLoader} discovery). */
    public static void register() {
        // the static initializer does the work
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        String raw = "jdbc:" + url.substring(PREFIX.length());
        Properties props = new Properties();
        if (info != null) {
            props.putAll(info);
        }
        Object base = props.remove(IMPORT_BASE);
        Connection conn = DriverManager.getConnection(raw, props);
        try {
            // every connect asks: a database can be dropped and recreated under the same URL
            for (AugurInstaller installer : INSTALLERS) {
                installer.install(conn);
            }
        } catch (SQLException | RuntimeException e) {
            conn.close();
            throw e;
        }
        return wrap(conn, base == null ? null : Path.of(base.toString()));
    }

    /** Wraps an open connection so it accepts Augur's extension statements. */
    public static Connection wrap(Connection conn, Path importBase) {
        return (Connection) Proxy.newProxyInstance(AugurDriver.class.getClassLoader(), new Class<?>[]{Connection.class},
                new ConnectionHandler(conn, importBase));
    }

    /** Translates {@code sql} when it is an extension statement; SQLSTATE-carrying errors otherwise. */
    static String rewrite(String sql, Path importBase) throws SQLException {
        if (sql == null) {
            return null;
        }
        try {
            Optional<String> t = ExtensionStatements.translate(sql, importBase);
            return t.orElse(sql);
        } catch (AugurException e) {
            throw new SQLException(e.getMessage(), e.sqlState(), e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Augur logs through SLF4J");
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private record ConnectionHandler(Connection conn, Path importBase) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            switch (name) {
                case "createStatement" -> {
                    return statementProxy(proxy, (Statement) AugurDriver.invoke(conn, m, args), Statement.class);
                }
                case "prepareStatement" -> {
                    args[0] = rewrite((String) args[0], importBase);
                    return statementProxy(proxy, (Statement) AugurDriver.invoke(conn, m, args), PreparedStatement.class);
                }
                case "prepareCall" -> {
                    args[0] = rewrite((String) args[0], importBase);
                    return statementProxy(proxy, (Statement) AugurDriver.invoke(conn, m, args), CallableStatement.class);
                }
                case "nativeSQL" -> {
                    return conn.nativeSQL(rewrite((String) args[0], importBase));
                }
                case "unwrap" -> {
                    Class<?> c = (Class<?>) args[0];
                    return c.isInstance(proxy) ? proxy : conn.unwrap(c);
                }
                case "isWrapperFor" -> {
                    Class<?> c = (Class<?>) args[0];
                    return c.isInstance(proxy) || conn.isWrapperFor(c);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "augur:" + conn;
                }
                default -> {
                    return AugurDriver.invoke(conn, m, args);
                }
            }
        }

        private Object statementProxy(Object connectionProxy, Statement st, Class<? extends Statement> kind) {
            return Proxy.newProxyInstance(AugurDriver.class.getClassLoader(), new Class<?>[]{kind},
                    new StatementHandler(connectionProxy, st, importBase));
        }
    }

    private record StatementHandler(Object connectionProxy, Statement st, Path importBase) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            boolean sqlArg = args != null && args.length > 0 && args[0] instanceof String
                    && (name.startsWith("execute") || name.equals("addBatch"));
            if (sqlArg) {
                String original = (String) args[0];
                String sql = rewrite(original, importBase);
                if (!sql.equals(original) && (name.equals("executeUpdate") || name.equals("executeLargeUpdate"))) {
                    // an extension statement is a SELECT of an AUGUR function: run it, report its number
                    try (ResultSet rs = st.executeQuery(sql)) {
                        long n = rs.next() ? rs.getLong(1) : 0;
                        return name.equals("executeUpdate") ? (Object) (int) n : (Object) n;
                    }
                }
                args[0] = sql;
            }
            switch (name) {
                case "getConnection" -> {
                    return connectionProxy;
                }
                case "unwrap" -> {
                    Class<?> c = (Class<?>) args[0];
                    return c.isInstance(proxy) ? proxy : st.unwrap(c);
                }
                case "isWrapperFor" -> {
                    Class<?> c = (Class<?>) args[0];
                    return c.isInstance(proxy) || st.isWrapperFor(c);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    return AugurDriver.invoke(st, m, args);
                }
            }
        }
    }
}
