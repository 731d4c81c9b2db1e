package dev.augur.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--password", description = "require this password on every protocol (default: none)")
    String password;

    @Override
    public Integer call() throws Exception {
        AugurServer server = new AugurServer(db.data, db.migrations, bind, tcpPort, pgPort, user, password);
        System.out.println("Augur is serving " + db.dataDir().resolve(DatabaseOptions.DATABASE_NAME) + ".mv.db");
        System.out.println("  JDBC (H2 TCP):  " + server.tcpUrl() + "   user " + user
                + (password == null ? ", no password" : ", with the password"));
        System.out.println("  with Augur's statements: jdbc:augur:" + server.tcpUrl().substring("jdbc:".length()));
        System.out.println("  PostgreSQL:     " + server.psqlCommand());
        System.out.println("  pgjdbc:         " + server.pgUrl());
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
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
}
