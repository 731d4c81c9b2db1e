package dev.augur.cli;

import dev.augur.engine.AugurException;
import dev.augur.migrations.UserMigrations;
import dev.augur.sql.AugurDataSource;
import picocli.CommandLine.Option;

import java.nio.file.Files;
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

    /** Where the user's migrations are by default (relative to the working folder); none when it does not exist. */
    static final Path DEFAULT_MIGRATIONS = Path.of("db", "migrations");

    @Option(names = "--migrations", paramLabel = "DIR",
            description = "folder of your Flyway migrations, applied on start (default: db/migrations when it exists;"
                    + " an example: examples/migrations)")
    Path migrations;

    /** Set where the caller decided there are no user migrations (an embedding application, AugurServer with null). */
    boolean noMigrations;

    private boolean noted;

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

    /**
     * The user's migrations folder, or null for none: {@code --migrations DIR}, which must exist, else
     * {@link #DEFAULT_MIGRATIONS} when it exists (else a one-line note and none). Refused (SQLSTATE 22023) when it holds
     * Augur's own catalog scripts, a Maven module or its build output ({@link UserMigrations#checkFolder}).
     */
    Path migrationsFolder() {
        if (noMigrations) {
            return null;
        }
        if (migrations == null && !Files.isDirectory(DEFAULT_MIGRATIONS)) {
            if (!noted) {
                noted = true;
                System.out.println("no user migrations: " + DEFAULT_MIGRATIONS + " does not exist (create it, or pass"
                        + " --migrations DIR, e.g. --migrations examples/migrations)");
            }
            return null;
        }
        Path folder = migrations == null ? DEFAULT_MIGRATIONS : migrations;
        if (!Files.isDirectory(folder)) {
            throw new AugurException(dev.augur.engine.Errors.INVALID_PARAMETER, "the migrations folder " + folder + " (--migrations) "
                    + (Files.exists(folder) ? "is not a folder" : "does not exist") + "; create it, or pass --migrations"
                    + " with a folder of your migrations (without --migrations: " + DEFAULT_MIGRATIONS + " when it exists)");
        }
        try {
            UserMigrations.checkFolder(folder);
        } catch (AugurException e) {
            throw new AugurException(e.sqlState(), e.getMessage() + " (--migrations DIR; default " + DEFAULT_MIGRATIONS
                    + ", an example in examples/migrations)", e);
        }
        return folder;
    }

    AugurDataSource dataSource(String user, String password) {
        return new AugurDataSource(h2Url(), user, password, importBase());
    }

    /** The folder relative IMPORT MODEL paths start from: the migrations folder, else the working folder. */
    Path importBase() {
        Path folder = migrationsFolder();
        return (folder == null ? Path.of("") : folder).toAbsolutePath().normalize();
    }

    /**
     * The password that opens the embedded database: {@code --password} when given, else the one {@code augur serve}
     * keeps beside it ({@code DATA/augur.password}), else none (a database made by {@code augur demo}).
     */
    String password(String given) {
        if (given != null) {
            return given;
        }
        String stored = PasswordFile.read(PasswordFile.of(dataDir()));
        return stored == null ? "" : stored;
    }

    /** Opens the database, installing Augur's catalog; a wrong user or password is 28P01, saying what to pass. */
    Connection open(String user, String password) throws SQLException {
        try {
            return dataSource(user, password).getConnection();
        } catch (SQLException e) {
            if (!"28000".equals(e.getSQLState())) {
                throw e;
            }
            Path file = PasswordFile.of(dataDir());
            throw new AugurException("28P01", "password authentication failed for user \"" + user + "\" on "
                    + dataDir().resolve(DATABASE_NAME + ".mv.db") + ": pass --password PASSWORD (and --user USER if it is"
                    + " not " + user + ")" + (Files.exists(file) ? "; without --password the one in " + file + " is used" : ""), e);
        }
    }

    /** Opens the database (installing Augur's catalog) and applies the user's migrations. */
    Connection openAndMigrate(String user, String password) throws SQLException {
        Path folder = migrationsFolder();
        Connection c = open(user, password);
        if (folder != null) {
            UserMigrations.Outcome outcome = UserMigrations.migrate(h2Url(), user, password, folder);
            if (outcome.applied() > 0) {
                System.out.println("applied " + outcome.applied() + " migration(s) from " + folder
                        + ", schema version " + outcome.schemaVersion());
            }
        }
        return c;
    }
}
