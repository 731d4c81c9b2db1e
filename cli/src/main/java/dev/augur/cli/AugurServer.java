package dev.augur.cli;

import org.h2.tools.Server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        String[] common = {"-baseDir", baseDir, "-ifExists"};
        // each server listens on its address only (H2's own h2.bindAddress is read once per JVM: in practice, all interfaces)
        this.tcp = BoundServers.tcp(new InetSocketAddress(bindAddress, tcpPort), loopback ? common : concat(common, "-tcpAllowOthers"));
        // H2's PostgreSQL server listens on a private loopback port behind the proxy
        this.pg = BoundServers.pg(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), common);
        this.proxy = new PgAuthProxy(bindAddress, pgPort, pg.getPort(), password == null);
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
