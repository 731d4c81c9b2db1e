package dev.augur.cli;

import org.h2.tools.Server;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The embedded database served over H2's TCP protocol and the PostgreSQL wire protocol, as {@code augur serve}
 * runs it; public so applications and tests can run the same server in-process.
 */
public final class AugurServer implements AutoCloseable {
    private final Connection keepOpen;
    private final Server tcp;
    private final Server pg;
    private final PgAuthProxy proxy;
    private final String host;
    private final int tcpPort;
    private final int pgPort;
    private final String user;
    private final boolean hasPassword;

    /**
     * Opens (or creates) the database under {@code data}, applies the migrations in {@code migrations}, and listens.
     *
     * @param migrations the user's migrations folder (must exist), or null for none
     * @param password null for none; otherwise required on every protocol
     */
    public AugurServer(Path data, Path migrations, String bind, int tcpPort, int pgPort, String user, String password)
            throws Exception {
        DatabaseOptions db = new DatabaseOptions();
        db.data = data;
        db.migrations = migrations;
        db.noMigrations = migrations == null;
        db.migrationsFolder(); // refuse a folder that is not the user's before anything is created
        InetAddress bindAddress = InetAddress.getByName(bind);
        boolean loopback = bindAddress.isLoopbackAddress();
        this.keepOpen = db.openAndMigrate(user, password == null ? "" : password);
        if (password != null) {
            try (Statement st = keepOpen.createStatement()) {
                st.execute("ALTER USER \"" + user.toUpperCase(Locale.ROOT).replace("\"", "\"\"") + "\" SET PASSWORD '"
                        + password.replace("'", "''") + "'");
            }
        }
        String baseDir = db.dataDir().toString();
        String[] common = loopback ? new String[]{"-baseDir", baseDir, "-ifExists"}
                : new String[]{"-baseDir", baseDir, "-ifExists", "-tcpAllowOthers", "-pgAllowOthers"};
        // H2 binds its servers to h2.bindAddress
        String previous = System.getProperty("h2.bindAddress");
        try {
            System.setProperty("h2.bindAddress", bind);
            this.tcp = Server.createTcpServer(concat(common, "-tcpPort", String.valueOf(tcpPort))).start();
            // H2's PostgreSQL server listens on a private loopback port behind the proxy
            int backendPort = freeLoopbackPort();
            System.setProperty("h2.bindAddress", InetAddress.getLoopbackAddress().getHostAddress());
            this.pg = Server.createPgServer("-baseDir", baseDir, "-ifExists", "-pgPort", String.valueOf(backendPort)).start();
            this.proxy = new PgAuthProxy(bindAddress, pgPort, backendPort, password == null);
        } finally {
            if (previous == null) {
                System.clearProperty("h2.bindAddress");
            } else {
                System.setProperty("h2.bindAddress", previous);
            }
        }
        this.host = bind;
        this.tcpPort = tcpPort;
        this.pgPort = pgPort;
        this.user = user;
        this.hasPassword = password != null;
    }

    /** Plain H2 JDBC URL over TCP. */
    public String tcpUrl() {
        return "jdbc:h2:tcp://" + host + ":" + tcpPort + "/" + DatabaseOptions.DATABASE_NAME + DatabaseOptions.PG_COMPATIBLE;
    }

    /** pgjdbc URL over the PostgreSQL protocol. */
    public String pgUrl() {
        return "jdbc:postgresql://" + host + ":" + pgPort + "/" + DatabaseOptions.DATABASE_NAME;
    }

    /** The psql command line that reaches this server. */
    public String psqlCommand() {
        return (hasPassword ? "PGPASSWORD=... " : "") + "psql -h " + host + " -p " + pgPort + " -U " + user + " -d "
                + DatabaseOptions.DATABASE_NAME;
    }

    @Override
    public void close() throws Exception {
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

    private static int freeLoopbackPort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
