package dev.augur.cli;

import dev.augur.migrations.UserMigrations;
import dev.augur.sql.AugurDataSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Where the embedded database and the user's migrations live; shared by every command. */
final class DatabaseOptions {
    /**
     * H2 settings that make the database speak PostgreSQL's dialect: H2's PostgreSQL-protocol server requires a
     * database created with them, and they keep H2 and PostgreSQL answers alike.
     */
    static final String PG_COMPATIBLE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    static final String DATABASE_NAME = "augur";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "folder of the embedded H2 database (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--migrations", paramLabel = "DIR", defaultValue = "migrations",
            description = "folder of your Flyway migrations, applied on start (default: ${DEFAULT-VALUE})")
    Path migrations;

    @Option(names = "--postgres", paramLabel = "URL",
            description = "use this PostgreSQL database instead of the embedded H2 (jdbc:postgresql://host:port/db?user=u&password=p)")
    String postgres;

    /** The plain JDBC URL of the PostgreSQL database given with --postgres, or null. */
    String postgresUrl() {
        if (postgres == null || postgres.isBlank()) {
            return null;
        }
        String u = postgres.trim();
        if (u.startsWith("jdbc:augur:")) {
            u = "jdbc:" + u.substring("jdbc:augur:".length());
        } else if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            u = "jdbc:postgresql://" + u.substring(u.indexOf("://") + 3);
        }
        return u;
    }

    Path dataDir() {
        return data.toAbsolutePath().normalize();
    }

    /** The plain H2 URL of the embedded database. */
    String h2Url() {
        return "jdbc:h2:file:" + dataDir().resolve(DATABASE_NAME) + PG_COMPATIBLE;
    }

    AugurDataSource dataSource(String user, String password) {
        return new AugurDataSource(h2Url(), user, password, migrations.toAbsolutePath().normalize());
    }

    /** Opens the database (installing Augur's catalog) and applies the user's migrations. */
    Connection openAndMigrate(String user, String password) throws SQLException {
        Connection c = dataSource(user, password).getConnection();
        UserMigrations.Outcome outcome = UserMigrations.migrate(h2Url(), user, password, migrations);
        if (outcome.applied() > 0) {
            System.out.println("applied " + outcome.applied() + " migration(s) from " + migrations
                    + ", schema version " + outcome.schemaVersion());
        }
        return c;
    }
}
