package dev.augur.cli;

import dev.augur.migrations.UserMigrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/** {@code augur migrate}: install Augur's catalog and apply the user's migrations, then exit. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Install or upgrade Augur's catalog and apply pending migrations from the migrations folder.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--user", defaultValue = "sa", description = "database user (default: ${DEFAULT-VALUE}; with --postgres, the URL's)")
    String user;

    @Option(names = "--password", description = "the database's password (default: the one augur serve keeps in DATA/augur.password, if any)")
    String password;

    @Option(names = "--progress", negatable = true, description = Progress.DESCRIPTION)
    Boolean progress;

    /** A bar over the pending migrations, counted before they run. */
    private UserMigrations.Progress bar(Progress[] holder) {
        return new UserMigrations.Progress() {
            @Override
            public void pending(int count) {
                holder[0] = Progress.of(count > 0 && Progress.enabled(progress), "migrate", count);
            }

            @Override
            public void applied(int done) {
                holder[0].stepTo(done);
            }
        };
    }

    private UserMigrations.Outcome migrate(String url, String u, String p, java.nio.file.Path folder) {
        Progress[] holder = new Progress[1];
        try {
            return UserMigrations.migrate(url, u, p, folder, bar(holder));
        } finally {
            if (holder[0] != null) {
                holder[0].close();
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        String pg = db.postgresUrl();
        if (pg != null) {
            // the URL carries the user and password; --user/--password only where given explicitly
            String u = user.equals("sa") ? null : user;
            String p = password == null || password.isEmpty() ? null : password;
            java.nio.file.Path folder = db.migrationsFolder();
            try (Connection c = new dev.augur.sql.AugurDataSource(pg, u, p, db.importBase()).getConnection()) {
                UserMigrations.Outcome outcome = folder == null ? new UserMigrations.Outcome(0, null)
                        : migrate(pg, u, p, folder);
                System.out.println("Augur's catalog is installed in " + c.getMetaData().getURL() + "; applied " + outcome.applied()
                        + " migration(s)" + (folder == null ? "" : " from " + folder.toAbsolutePath().normalize())
                        + (outcome.schemaVersion() == null ? "" : "; schema version " + outcome.schemaVersion()));
            }
            return 0;
        }
        java.nio.file.Path folder = db.migrationsFolder();
        String pw = db.password(password);
        String url = db.h2Url();
        Connection c = null;
        // a running augur serve holds the file: go through it rather than wait for H2's lock (error 90020)
        ServerFile.Entry server = db.runningServer();
        if (server == null) {
            try {
                c = db.open(user, pw);
            } catch (SQLException | RuntimeException e) {
                if (!DatabaseOptions.locked(e)) {
                    throw e;
                }
                server = db.runningServer(); // one that started meanwhile
                if (server == null) {
                    throw db.inUse(e);
                }
            }
        }
        if (c == null) {
            System.err.println("augur serve (process " + server.pid() + ") holds " + db.dataDir() + "; migrating through it at "
                    + server.tcpUrl());
            c = db.openRemote(server.tcpUrl(), user, password);
            url = server.tcpUrl();
        }
        try (Connection open = c) {
            UserMigrations.Outcome outcome = folder == null ? new UserMigrations.Outcome(0, null)
                    : migrate(url, user, pw, folder);
            System.out.println("applied " + outcome.applied() + " migration(s)" + (folder == null ? "" : " from " + folder.toAbsolutePath().normalize())
                    + (outcome.schemaVersion() == null ? "" : "; schema version " + outcome.schemaVersion()));
        }
        return 0;
    }
}
