package dev.augur.sql;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;

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
        String raw = openUrl("jdbc:" + url.substring(PREFIX.length()));
        Properties props = new Properties();
        if (info != null) {
            props.putAll(info);
        }
        Object base = props.remove(IMPORT_BASE);
        Connection conn;
        try {
            conn = DriverManager.getConnection(raw, props);
        } catch (SQLException e) {
            throw authenticationFailed(e, props.getProperty("user"));
        }
        try {
            // every connect asks: a database can be dropped and recreated under the same URL
            for (AugurInstaller installer : INSTALLERS) {
                installer.install(conn);
            }
        } catch (SQLException | RuntimeException e) {
            conn.close();
            throw e;
        }
        Path importBase = base == null ? null : Path.of(base.toString());
        return (Connection) Proxy.newProxyInstance(AugurDriver.class.getClassLoader(), new Class<?>[]{Connection.class},
                new ConnectionHandler(conn, importBase, DatabaseBinding.of(conn)));
    }

    /**
     * The URL to open for a plain {@code jdbc:} URL, with the settings its database's binding needs at open (H2: no
     * compaction on close); for code that opens a database past the driver, so it opens it as the driver would.
     */
    public static String openUrl(String jdbcUrl) {
        String url = jdbcUrl;
        for (DatabaseBinding b : DatabaseBinding.all()) {
            url = b.openUrl(url);
        }
        return url;
    }

    /**
     * H2 reports a wrong user or password as 28000 ("Wrong user name or password") over every protocol; PostgreSQL
     * and psql call it 28P01. The driver answers as PostgreSQL does, naming where {@code augur serve} keeps it.
     */
    static SQLException authenticationFailed(SQLException e, String user) {
        if (e.getErrorCode() != 28000 && !"28000".equals(e.getSQLState())) {
            return e;
        }
        return new SQLException("password authentication failed for user \"" + (user == null ? "" : user) + "\": wrong user name or"
                + " password (a database served by augur serve keeps its password in DATA/augur.password)", "28P01", e);
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

    /**
     * A statement nested deeper than the database's parser can follow makes H2's recursive parser run out of stack:
     * that is an SQLException (54001, statement too complex), as on PostgreSQL, not an Error in the caller's thread
     * (nor one carried as the cause: its thousand frames say nothing more).
     */
    static SQLException tooComplex(StackOverflowError e) {
        AugurException tooComplex = Errors.tooComplex("it nests deeper than the database's parser can follow");
        return new SQLException(tooComplex.getMessage(), tooComplex.sqlState());
    }

    /** Extension-statement translation, then the binding's engine calls ({@link DatabaseBinding#rewriteEngineCall}). */
    static String rewrite(String sql, Path importBase, Connection raw, DatabaseBinding binding) throws SQLException {
        String out = rewrite(sql, importBase);
        return out == null ? null : binding.rewriteEngineCall(raw, out);
    }

    private record ConnectionHandler(Connection conn, Path importBase, DatabaseBinding binding) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            try {
                return call(proxy, m, args);
            } catch (StackOverflowError e) {
                throw tooComplex(e);
            }
        }

        private Object call(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            switch (name) {
                case "createStatement" -> {
                    return statementProxy(proxy, (Statement) AugurDriver.invoke(conn, m, args), Statement.class, false);
                }
                case "prepareStatement", "prepareCall" -> {
                    String original = (String) args[0];
                    args[0] = rewrite(original, importBase, conn, binding);
                    boolean extension = !args[0].equals(original);
                    return statementProxy(proxy, (Statement) AugurDriver.invoke(conn, m, args),
                            name.equals("prepareCall") ? CallableStatement.class : PreparedStatement.class, extension);
                }
                case "close" -> {
                    try {
                        if (!conn.isClosed()) {
                            binding.beforeClose(conn);
                        }
                    } finally {
                        AugurDriver.invoke(conn, m, args); // closed even when the binding's step failed
                    }
                    return null;
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

        private Object statementProxy(Object connectionProxy, Statement st, Class<? extends Statement> kind, boolean extension) {
            return Proxy.newProxyInstance(AugurDriver.class.getClassLoader(), new Class<?>[]{kind},
                    new StatementHandler(connectionProxy, st, importBase, extension, conn, binding));
        }
    }

    /**
     * Rewrites extension statements on every execute path. An extension statement is a SELECT of an AUGUR
     * function; run as an update (executeUpdate, a batch entry) it reports the function's number instead.
     */
    private static final class StatementHandler implements InvocationHandler {
        private final Object connectionProxy;
        private final Statement st;
        private final Path importBase;
        /** For prepared statements: whether the prepared SQL was an extension statement. */
        private final boolean preparedExtension;
        /** Statement.addBatch(sql) entries, run in order by executeBatch (the SQL as rewritten). */
        private final List<String> batch = new java.util.ArrayList<>();
        private final List<Boolean> batchIsExtension = new java.util.ArrayList<>();

        /** The driver's own connection and its binding, for engine calls. */
        private final Connection raw;
        private final DatabaseBinding binding;

        StatementHandler(Object connectionProxy, Statement st, Path importBase, boolean preparedExtension, Connection raw,
                         DatabaseBinding binding) {
            this.raw = raw;
            this.binding = binding;
            this.connectionProxy = connectionProxy;
            this.st = st;
            this.importBase = importBase;
            this.preparedExtension = preparedExtension;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            try {
                return call(proxy, m, args);
            } catch (StackOverflowError e) {
                throw tooComplex(e);
            }
        }

        private Object call(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            boolean sqlArg = args != null && args.length > 0 && args[0] instanceof String;
            if (sqlArg && name.equals("addBatch")) {
                String original = (String) args[0];
                String sql = rewrite(original, importBase, raw, binding);
                batch.add(sql);
                batchIsExtension.add(!sql.equals(original));
                return null;
            }
            if (sqlArg && name.startsWith("execute")) {
                String original = (String) args[0];
                String sql = rewrite(original, importBase, raw, binding);
                if (!sql.equals(original) && (name.equals("executeUpdate") || name.equals("executeLargeUpdate"))) {
                    long n = queryCount(st, sql);
                    return name.equals("executeUpdate") ? (Object) (int) n : (Object) n;
                }
                args[0] = sql;
            }
            if (preparedExtension && (args == null || args.length == 0)) {
                PreparedStatement ps = (PreparedStatement) st;
                switch (name) {
                    case "executeUpdate" -> {
                        return (int) preparedCount(ps);
                    }
                    case "executeLargeUpdate" -> {
                        return preparedCount(ps);
                    }
                    case "addBatch" -> throw new SQLFeatureNotSupportedException(
                            "an Augur statement cannot be batched as a prepared statement; execute it, or add it with Statement.addBatch(sql)",
                            "0A000");
                    default -> {
                    }
                }
            }
            switch (name) {
                case "executeBatch", "executeLargeBatch" -> {
                    if (batch.isEmpty()) {
                        return AugurDriver.invoke(st, m, args);
                    }
                    long[] counts = runBatch();
                    if (name.equals("executeLargeBatch")) {
                        return counts;
                    }
                    int[] out = new int[counts.length];
                    for (int i = 0; i < counts.length; i++) {
                        out[i] = (int) counts[i];
                    }
                    return out;
                }
                case "clearBatch" -> {
                    batch.clear();
                    batchIsExtension.clear();
                    return AugurDriver.invoke(st, m, args);
                }
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

        /** The batch in order, one statement at a time, as JDBC's batch contract describes. */
        private long[] runBatch() throws SQLException {
            long[] counts = new long[batch.size()];
            try {
                for (int i = 0; i < batch.size(); i++) {
                    try {
                        counts[i] = batchIsExtension.get(i) ? queryCount(st, batch.get(i)) : st.executeLargeUpdate(batch.get(i));
                    } catch (SQLException e) {
                        long[] done = java.util.Arrays.copyOf(counts, i);
                        throw new java.sql.BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), done, e);
                    }
                }
                return counts;
            } finally {
                batch.clear();
                batchIsExtension.clear();
            }
        }

        private static long queryCount(Statement st, String sql) throws SQLException {
            try (ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }

        private static long preparedCount(PreparedStatement ps) throws SQLException {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
