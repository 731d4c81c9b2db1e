package dev.augur.cli;

import dev.augur.engine.AugurException;
import org.h2.tools.Server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The embedded database served over H2's TCP protocol and the PostgreSQL wire protocol, as {@code augur serve}
 * runs it; public so applications and tests can run the same server in-process.
 *
 * <p>Safe by default: every protocol requires the password (generated on the first start and kept in
 * {@code DATA/augur.password}, mode 0600, unless one is given); the TCP port and the PostgreSQL port listen on the
 * bind address only, H2's own PostgreSQL server on a private loopback port; only the database {@code augur} is
 * served; H2 loads by name only Augur's own classes ({@link #ALLOWED_CLASSES}). The served user is the database's
 * administrator: whoever has the password can run code as this process (H2's Java-source aliases).
 */
public final class AugurServer implements AutoCloseable {
    /**
     * What H2 may load by class name in this JVM (system property {@code h2.allowedClasses}): Augur's SQL functions
     * and triggers, and the alias H2's TCP server defines in its management database. {@code CREATE ALIAS ... FOR
     * 'java.lang.Runtime.exec'}, {@code CREATE TRIGGER ... CALL 'any.Class'}, a linked table's JDBC driver class and
     * a database event listener are refused (H2 error 90134).
     */
    public static final String ALLOWED_CLASSES = "dev.augur.udf.*,org.h2.server.TcpServer";

    /** Where the password came from. */
    public enum PasswordSource {
        /** {@code --password} (the constructor's argument). */
        GIVEN,
        /** {@code DATA/augur.password}, written by an earlier start. */
        FILE,
        /** Generated now, for a new database (or one that had no password), and written to {@code DATA/augur.password}. */
        GENERATED
    }

    private final DatabaseOptions db;
    private final Connection keepOpen;
    private final Server tcp;
    private final Server pg;
    private final PgAuthProxy proxy;
    private final String host;
    private final String user;
    private final String password;
    private final PasswordSource passwordSource;
    private final boolean classesRestricted;

    /**
     * Opens (or creates) the database under {@code data}, applies the migrations in {@code migrations}, and listens.
     *
     * @param migrations the user's migrations folder (must exist), or null for none
     * @param password   null: the one in {@code data/augur.password}, generated on the first start; else this one
     *                   (never empty), required on every protocol
     */
    public AugurServer(Path data, Path migrations, String bind, int tcpPort, int pgPort, String user, String password)
            throws Exception {
        this.classesRestricted = restrictClassLoading();
        this.db = new DatabaseOptions();
        db.data = data;
        db.migrations = migrations;
        db.noMigrations = migrations == null;
        db.migrationsFolder(); // refuse a folder that is not the user's before anything is created
        InetAddress bindAddress = InetAddress.getByName(bind);
        this.user = user;
        this.host = bind;
        Path dataDir = db.dataDir();
        Path passwordFile = PasswordFile.of(dataDir);
        if (password != null) {
            if (password.isEmpty()) {
                throw new AugurException("28000", "an empty --password would let every local process in (and run code as"
                        + " this server's user); leave --password out to use a generated one, kept in " + passwordFile);
            }
            this.password = password;
            this.passwordSource = PasswordSource.GIVEN;
        } else if (Files.exists(passwordFile)) {
            this.password = PasswordFile.read(passwordFile);
            this.passwordSource = PasswordSource.FILE;
        } else {
            this.password = PasswordFile.generate();
            this.passwordSource = PasswordSource.GENERATED;
        }
        Connection open = null;
        Server tcpServer = null;
        Server pgServer = null;
        try {
            open = open(passwordFile);
            PgCatalogCompat.install(open);
            String baseDir = dataDir.toString();
            String[] common = {"-baseDir", baseDir, "-ifExists", "-key", DatabaseOptions.DATABASE_NAME, DatabaseOptions.DATABASE_NAME};
            tcpServer = BoundServers.tcp(new InetSocketAddress(bindAddress, tcpPort),
                    bindAddress.isLoopbackAddress() ? common : concat(common, "-tcpAllowOthers"));
            // H2's PostgreSQL server listens on a private loopback port behind the proxy
            pgServer = BoundServers.pg(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), common);
            this.proxy = new PgAuthProxy(bindAddress, pgPort, pgServer.getPort(), DatabaseOptions.DATABASE_NAME, this::valid);
        } catch (Exception e) {
            if (pgServer != null) {
                pgServer.stop();
            }
            if (tcpServer != null) {
                tcpServer.stop();
            }
            if (open != null) {
                open.close();
            }
            throw e;
        }
        this.keepOpen = open;
        this.tcp = tcpServer;
        this.pg = pgServer;
        // where predict and migrate find this server while it holds the database file
        String local = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress() : host;
        try {
            ServerFile.write(serverFile(), new ServerFile.Entry(
                    tcpUrl().replace("tcp://" + host + ":", "tcp://" + local + ":"),
                    pgUrl().replace("//" + host + ":", "//" + local + ":"), user, ProcessHandle.current().pid()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code DATA/augur.server}: this server's addresses while it runs (mode 0600), removed by {@link #close()}. */
    public Path serverFile() {
        return ServerFile.of(db.dataDir());
    }

    /**
     * Opens the database with the password: a new one is created with it (the generated one written first to the
     * password file, so it is never lost); an existing one without a password (made by an older augur serve, or by
     * augur demo) gets it; a wrong one is an error that says how to fix it.
     */
    private Connection open(Path passwordFile) throws SQLException {
        Path dataDir = db.dataDir();
        boolean exists = Files.exists(dataDir.resolve(DatabaseOptions.DATABASE_NAME + ".mv.db"));
        if (passwordSource == PasswordSource.GENERATED) {
            PasswordFile.createDataDir(dataDir);
            PasswordFile.write(passwordFile, password);
        }
        try {
            if (exists && passwordSource == PasswordSource.GENERATED) {
                // a database but no password file: only one made without a password may take the generated one
                if (!setPasswordIfNone()) {
                    throw wrongPassword(passwordFile, null);
                }
                return db.openAndMigrate(user, password);
            }
            try {
                return db.openAndMigrate(user, password);
            } catch (SQLException | RuntimeException e) {
                if (exists && passwordSource == PasswordSource.GIVEN && wrongPassword(e) != null && setPasswordIfNone()) {
                    return db.openAndMigrate(user, password);
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (passwordSource == PasswordSource.GENERATED && exists) {
                try {
                    Files.deleteIfExists(passwordFile); // it never was the database's
                } catch (java.io.IOException ignored) {
                    // the error below says what to do
                }
            }
            SQLException refused = wrongPassword(e);
            if (refused != null) {
                throw wrongPassword(passwordFile, refused);
            }
            throw e;
        }
    }

    /** The "wrong user name or password" (28000) behind {@code e}, or null. */
    private static SQLException wrongPassword(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "28000".equals(s.getSQLState())) {
                return s;
            }
        }
        return null;
    }

    /** A database created with no password gets this server's (true); one with a password is left as it is (false). */
    private boolean setPasswordIfNone() throws SQLException {
        try (Connection c = DriverManager.getConnection(db.h2Url() + ";IFEXISTS=TRUE", user, "");
             Statement st = c.createStatement()) {
            st.execute("ALTER USER \"" + user.toUpperCase(Locale.ROOT).replace("\"", "\"\"") + "\" SET PASSWORD '"
                    + password.replace("'", "''") + "'");
        } catch (SQLException e) {
            if ("28000".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
        System.out.println("the database " + db.dataDir().resolve(DatabaseOptions.DATABASE_NAME + ".mv.db")
                + " had no password; it has one now" + (passwordSource == PasswordSource.GENERATED
                ? " (in " + PasswordFile.of(db.dataDir()) + ")" : " (--password)"));
        return true;
    }

    private AugurException wrongPassword(Path passwordFile, Exception cause) {
        String database = db.dataDir().resolve(DatabaseOptions.DATABASE_NAME + ".mv.db").toString();
        String fix = switch (passwordSource) {
            case GIVEN -> "--password is not its password" + (Files.exists(passwordFile)
                    ? "; leave --password out to use the one in " + passwordFile : "; pass the one it was created with");
            case FILE -> "the password in " + passwordFile + " is not its password; pass --password PASSWORD (the one it"
                    + " was created with), or write that one into " + passwordFile + " (chmod 600)";
            case GENERATED -> "it was created with a password, and there is no " + passwordFile + "; pass --password"
                    + " PASSWORD (the one it was created with), or write that one into " + passwordFile + " (chmod 600)";
        };
        return new AugurException("28P01", "password authentication failed for user \"" + user + "\" on " + database + ": "
                + fix, cause);
    }

    /** Whether {@code user} and {@code password} open the database (an embedded session, opened and closed). */
    private boolean valid(String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.h2Url() + ";IFEXISTS=TRUE", user, password)) {
            return true;
        } catch (SQLException e) {
            if ("28000".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Restricts the classes H2 loads by name to {@link #ALLOWED_CLASSES} (added to a list given with
     * {@code -Dh2.allowedClasses}; {@code *} there allows all). H2 reads the property once, when it is first loaded, so
     * this holds where the server starts before anything else uses H2, as {@code augur serve} does.
     *
     * @return whether H2 enforces a list
     */
    static boolean restrictClassLoading() {
        String given = System.getProperty("h2.allowedClasses");
        if (given == null || given.isBlank()) {
            System.setProperty("h2.allowedClasses", ALLOWED_CLASSES);
        } else if (!Arrays.asList(given.split(",")).contains("*") && !given.contains("dev.augur.udf.")) {
            System.setProperty("h2.allowedClasses", given + "," + ALLOWED_CLASSES);
        }
        return !Arrays.asList(org.h2.engine.SysProperties.ALLOWED_CLASSES.split(",")).contains("*");
    }

    /** Plain H2 JDBC URL over TCP. */
    public String tcpUrl() {
        return "jdbc:h2:tcp://" + host + ":" + tcp.getPort() + "/" + DatabaseOptions.DATABASE_NAME + DatabaseOptions.PG_COMPATIBLE;
    }

    /** pgjdbc URL over the PostgreSQL protocol. */
    public String pgUrl() {
        return "jdbc:postgresql://" + host + ":" + proxy.address().getPort() + "/" + DatabaseOptions.DATABASE_NAME;
    }

    /** The psql command line that reaches this server (a given password shown as {@code ...}). */
    public String psqlCommand() {
        return "PGPASSWORD=" + (passwordSource == PasswordSource.GIVEN ? "..." : password) + " psql -h " + host + " -p "
                + proxy.address().getPort() + " -U " + user + " -d " + DatabaseOptions.DATABASE_NAME;
    }

    /** The user every protocol requires. */
    public String user() {
        return user;
    }

    /** The password every protocol requires. */
    public String password() {
        return password;
    }

    public PasswordSource passwordSource() {
        return passwordSource;
    }

    /** Where the password is kept when it is not given: {@code DATA/augur.password}. */
    public Path passwordFile() {
        return PasswordFile.of(db.dataDir());
    }

    /** Whether H2 loads by name only {@link #ALLOWED_CLASSES} in this JVM (false where H2 was loaded before the server). */
    public boolean classLoadingRestricted() {
        return classesRestricted;
    }

    /** The sockets this server listens on: {@code tcp}, {@code pg} (the proxy) and {@code pg-backend} (H2's, loopback). */
    public Map<String, InetSocketAddress> listening() {
        Map<String, InetSocketAddress> m = new LinkedHashMap<>();
        m.put("tcp", BoundServers.address(tcp));
        m.put("pg", proxy.address());
        m.put("pg-backend", BoundServers.address(pg));
        return m;
    }

    @Override
    public void close() throws Exception {
        ServerFile.remove(serverFile());
        proxy.close();
        pg.stop();
        tcp.stop();
        try {
            keepOpen.close();
        } catch (SQLException e) {
            // closing an embedded connection at shutdown: nothing left to save
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
