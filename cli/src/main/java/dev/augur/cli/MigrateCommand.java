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

    @Option(names = "--password", defaultValue = "")
    String password;

    @Override
    public Integer call() throws Exception {
        try (Connection c = db.dataSource(user, password).getConnection()) {
            UserMigrations.Outcome outcome = UserMigrations.migrate(db.h2Url(), user, password, db.migrations);
            System.out.println("applied " + outcome.applied() + " migration(s) from " + db.migrations.toAbsolutePath().normalize()
                    + (outcome.schemaVersion() == null ? "" : "; schema version " + outcome.schemaVersion()));
        }
        return 0;
    }
}
