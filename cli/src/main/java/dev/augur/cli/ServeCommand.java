package dev.augur.cli;

import org.h2.tools.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code augur serve}: the embedded database over H2's TCP protocol and the PostgreSQL wire protocol. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Open the embedded database, apply migrations, and serve it over JDBC (H2 TCP) and the PostgreSQL protocol until stopped (Ctrl-C).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE}, loopback only)")
    String bind;

    @Option(names = "--tcp-port", defaultValue = "9092", description = "H2 TCP (JDBC) port (default: ${DEFAULT-VALUE})")
    int tcpPort;

    @Option(names = "--pg-port", defaultValue = "5435", description = "PostgreSQL-protocol port (default: ${DEFAULT-VALUE})")
    int pgPort;

    @Option(names = "--user", defaultValue = "sa", description = "database user (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", description = "require this password for the user on every protocol (default: none)")
    String password;

    @Override
    public Integer call() throws Exception {
        System.setProperty("h2.bindAddress", bind);
        InetAddress bindAddress = InetAddress.getByName(bind);
        boolean loopback = bindAddress.isLoopbackAddress();
        // the database is created without a password; --password sets one for this and later runs
        Connection keepOpen = db.openAndMigrate(user, password == null ? "" : password);
        try (Statement st = keepOpen.createStatement()) {
            if (password != null) {
                st.execute("ALTER USER " + quoteIdent(user) + " SET PASSWORD '" + password.replace("'", "''") + "'");
            }
        }
        String baseDir = db.dataDir().toString();
        String[] common = loopback ? new String[]{"-baseDir", baseDir, "-ifExists"}
                : new String[]{"-baseDir", baseDir, "-ifExists", "-tcpAllowOthers", "-pgAllowOthers"};
        Server tcp = Server.createTcpServer(concat(common, "-tcpPort", String.valueOf(tcpPort))).start();
        Server pg;
        PgAuthProxy proxy = null;
        if (password == null) {
            int backendPort = freeLoopbackPort();
            System.setProperty("h2.bindAddress", InetAddress.getLoopbackAddress().getHostAddress());
            pg = Server.createPgServer(concat(new String[]{"-baseDir", baseDir, "-ifExists"}, "-pgPort", String.valueOf(backendPort))).start();
            System.setProperty("h2.bindAddress", bind);
            proxy = new PgAuthProxy(bindAddress, pgPort, backendPort);
        } else {
            pg = Server.createPgServer(concat(common, "-pgPort", String.valueOf(pgPort))).start();
        }
        String host = loopback ? bind : bind;
        System.out.println("Augur is serving " + db.dataDir().resolve(DatabaseOptions.DATABASE_NAME) + ".mv.db");
        System.out.println("  JDBC (H2 TCP):  jdbc:h2:tcp://" + host + ":" + tcpPort + "/" + DatabaseOptions.DATABASE_NAME
                + DatabaseOptions.PG_COMPATIBLE + "   user " + user + (password == null ? ", no password" : ", with your password"));
        System.out.println("  with Augur's statements: jdbc:augur:h2:tcp://" + host + ":" + tcpPort + "/" + DatabaseOptions.DATABASE_NAME
                + DatabaseOptions.PG_COMPATIBLE);
        System.out.println("  PostgreSQL:     " + (password == null ? "" : "PGPASSWORD=... ") + "psql -h " + host + " -p " + pgPort
                + " -U " + user + " -d " + DatabaseOptions.DATABASE_NAME);
        System.out.println("  pgjdbc:         jdbc:postgresql://" + host + ":" + pgPort + "/" + DatabaseOptions.DATABASE_NAME);
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        PgAuthProxy finalProxy = proxy;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (finalProxy != null) {
                    finalProxy.close();
                }
                pg.stop();
                tcp.stop();
                keepOpen.close();
                System.out.println("Augur stopped.");
            } catch (Exception e) {
                System.err.println("augur: error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "augur-shutdown"));
        stopped.await();
        return 0;
    }

    private static String quoteIdent(String s) {
        return "\"" + s.replace("\"", "\"\"").toLowerCase(java.util.Locale.ROOT) + "\"";
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
