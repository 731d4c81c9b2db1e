package dev.augur.cli;

import dev.augur.migrations.UserMigrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.util.concurrent.Callable;

/** {@code augur migrate}: install Augur's catalog and apply the user's migrations, then exit. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Install or upgrade Augur's catalog and apply pending migrations from the migrations folder.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--user", defaultValue = "sa")
    String user;

    @Option(names = "--password", description = "the database's password (default: the one augur serve keeps in DATA/augur.password, if any)")
    String password;

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
                        : UserMigrations.migrate(pg, u, p, folder);
                System.out.println("Augur's catalog is installed in " + c.getMetaData().getURL() + "; applied " + outcome.applied()
                        + " migration(s)" + (folder == null ? "" : " from " + folder.toAbsolutePath().normalize())
                        + (outcome.schemaVersion() == null ? "" : "; schema version " + outcome.schemaVersion()));
            }
            return 0;
        }
        java.nio.file.Path folder = db.migrationsFolder();
        String pw = db.password(password);
        try (Connection c = db.open(user, pw)) {
            UserMigrations.Outcome outcome = folder == null ? new UserMigrations.Outcome(0, null)
                    : UserMigrations.migrate(db.h2Url(), user, pw, folder);
            System.out.println("applied " + outcome.applied() + " migration(s)" + (folder == null ? "" : " from " + folder.toAbsolutePath().normalize())
                    + (outcome.schemaVersion() == null ? "" : "; schema version " + outcome.schemaVersion()));
        }
        return 0;
    }
}
