package dev.augur.cli;

import dev.augur.udf.postgresql.PgMaintainer;

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

    @Option(names = "--password", description = "the password every protocol requires (default: one generated on the first"
            + " start and kept in DATA/augur.password, readable by you only)")
    String password;

    @Override
    public Integer call() throws Exception {
        if (db.postgresUrl() != null) {
            return servePostgres(db.postgresUrl());
        }
        AugurServer server = new AugurServer(db.data, db.migrationsFolder(), bind, tcpPort, pgPort, user, password);
        System.out.println("Augur is serving " + db.dataDir().resolve(DatabaseOptions.DATABASE_NAME) + ".mv.db");
        System.out.println("  password:       " + switch (server.passwordSource()) {
            case GENERATED -> "generated, kept in " + server.passwordFile() + " (readable by you only)";
            case FILE -> "the one in " + server.passwordFile();
            case GIVEN -> "the one given with --password";
        } + "; every protocol requires it");
        System.out.println("  JDBC (H2 TCP):  " + server.tcpUrl() + "   user " + user);
        System.out.println("  with Augur's statements: jdbc:augur:" + server.tcpUrl().substring("jdbc:".length()));
        System.out.println("  PostgreSQL:     " + server.psqlCommand());
        System.out.println("  pgjdbc:         " + server.pgUrl() + "   user " + user);
        System.out.println("  augur predict and augur migrate on " + db.data + " go through this server while it runs ("
                + server.serverFile() + ")");
        if (!server.classLoadingRestricted()) {
            System.out.println("  warning: H2 may load any Java class by name here (-Dh2.allowedClasses=*, or H2 was loaded first)");
        }
        String others = othersMayRead(db.dataDir());
        if (others != null) {
            System.out.println("  note: " + db.dataDir() + " is readable by other users (" + others + "), and so is the data in it;"
                    + " chmod 700 " + db.dataDir());
        }
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

    /** The folder's permissions when others may read or enter it (e.g. "rwxr-xr-x"), else null. */
    static String othersMayRead(java.nio.file.Path dir) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = java.nio.file.Files.getPosixFilePermissions(dir);
            boolean open = perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
            return open ? java.nio.file.attribute.PosixFilePermissions.toString(perms) : null;
        } catch (UnsupportedOperationException | java.io.IOException e) {
            return null;
        }
    }

    /**
     * {@code --postgres URL}: install or upgrade the catalog, apply the user's migrations, then run the maintainer
     * (LISTEN for model events, keep the generated PREDICT functions in sync, reconnect after a restart) until stopped.
     * Clients connect to PostgreSQL itself; the H2 ports are not opened.
     */
    private int servePostgres(String url) throws Exception {
        // the URL carries the user and password; --user/--password only where given explicitly
        String u = user.equals("sa") ? null : user;
        java.nio.file.Path folder = db.migrationsFolder();
        try (java.sql.Connection c = new dev.augur.sql.AugurDataSource(url, u, password, db.importBase()).getConnection()) {
            if (folder != null) {
                dev.augur.migrations.UserMigrations.Outcome outcome = dev.augur.migrations.UserMigrations.migrate(url, u, password, folder);
                if (outcome.applied() > 0) {
                    System.out.println("applied " + outcome.applied() + " migration(s) from " + folder
                            + ", schema version " + outcome.schemaVersion());
                }
            }
        }
        PgMaintainer maintainer = new PgMaintainer(url, u, password, System.out);
        System.out.println("Augur is maintaining the PostgreSQL database " + url.replaceAll("password=[^&]*", "password=***"));
        System.out.println("  clients connect to PostgreSQL itself (psql, pgjdbc, BI tools) and call PREDICT there;");
        System.out.println("  this process listens on channel " + PgMaintainer.CHANNEL + " for model events, keeps the generated");
        System.out.println("  PREDICT functions in sync with the catalog and reconnects when the server restarts.");
        System.out.println("  Prediction views on PostgreSQL are not maintained yet.");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        maintainer.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                maintainer.close();
                System.out.println("Augur stopped.");
            } finally {
                stopped.countDown();
            }
        }, "augur-shutdown"));
        stopped.await();
        return 0;
    }
}
