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
    /** Held, so the level set on it stays (a logger nobody references may be collected, and its level with it). */
    private static final java.util.logging.Logger PGJDBC_LOG = java.util.logging.Logger.getLogger("org.postgresql");

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

    /** Where notes go (no migrations folder, migrations applied): standard output, or standard error where it holds data. */
    java.io.PrintStream notes = System.out;

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
        return dev.augur.sql.AugurDriver.openUrl("jdbc:h2:file:" + dataDir().resolve(DATABASE_NAME) + PG_COMPATIBLE);
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
                notes.println("no user migrations: " + DEFAULT_MIGRATIONS + " does not exist (create it, or pass"
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
                notes.println("applied " + outcome.applied() + " migration(s) from " + folder
                        + ", schema version " + outcome.schemaVersion());
            }
        }
        return c;
    }

    /** Whether {@code e} is, or is caused by, H2's "database in use" (90020: another process holds the file). */
    static boolean locked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("90020".equals(s.getSQLState()) || s.getErrorCode() == 90020)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code augur serve} running on this database now ({@code DATA/augur.server}, something listening), or null. */
    ServerFile.Entry runningServer() {
        return ServerFile.running(ServerFile.of(dataDir()));
    }

    /**
     * The error when the database file is held by another process and no running {@code augur serve} of it was found:
     * SQLSTATE 55006 (object in use), saying why none was found and what to do.
     */
    AugurException inUse(Throwable cause) {
        Path file = ServerFile.of(dataDir());
        ServerFile.Entry entry = ServerFile.read(file);
        String why = entry == null
                ? "there is no " + file + " (augur serve writes it while it runs)"
                : file + " names " + entry.tcpUrl() + ", where nothing listens (left by a server that was killed; it is ignored)";
        return new AugurException("55006", "the database " + dataDir().resolve(DATABASE_NAME + ".mv.db") + " is in use by another"
                + " process (H2 error 90020), and no running augur serve of it was found: " + why + "; stop that process,"
                + " or pass --url with the URL of the server that holds it (jdbc:augur:h2:tcp://HOST:PORT/augur, as augur serve"
                + " prints it)", cause);
    }

    /**
     * Opens a database over the network ({@code --url}, or the running server found in {@code DATA/augur.server}):
     * a {@code jdbc:augur:}, {@code jdbc:h2:tcp:} or {@code jdbc:postgresql:} URL (also {@code postgresql://...}).
     * User and password: those given, else the URL's, else {@code sa} and the one kept in {@code DATA/augur.password}.
     * A refused password is 28P01, saying what to pass.
     */
    Connection openRemote(String url, String user, String password) throws SQLException {
        String u = url.trim();
        if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            u = "jdbc:postgresql://" + u.substring(u.indexOf("://") + 3);
        }
        String plain = u.startsWith("jdbc:augur:") ? "jdbc:" + u.substring("jdbc:augur:".length()) : u;
        if (!plain.startsWith("jdbc:h2:tcp:") && !plain.startsWith("jdbc:h2:ssl:") && !plain.startsWith("jdbc:postgresql:")) {
            throw new AugurException(dev.augur.engine.Errors.INVALID_PARAMETER, "--url takes a server's URL: jdbc:augur:h2:tcp://HOST:PORT/augur,"
                    + " jdbc:h2:tcp://HOST:PORT/augur or jdbc:postgresql://HOST:PORT/augur; got " + url
                    + (plain.startsWith("jdbc:h2:") ? " (an embedded database is opened with --data DIR)" : ""));
        }
        boolean inUrl = plain.startsWith("jdbc:postgresql:") && plain.contains("user=");
        String effectiveUser = user != null ? user : inUrl ? null : "sa";
        String effectivePassword = password != null ? password
                : plain.startsWith("jdbc:postgresql:") && plain.contains("password=") ? null : password(null);
        try {
            if (u.startsWith("jdbc:postgresql:")) {
                // augur serve's PostgreSQL port, or a PostgreSQL server: plain pgjdbc, statements sent as they are
                // pgjdbc warns that H2's PostgreSQL server (behind augur serve) reports an old version
                PGJDBC_LOG.setLevel(java.util.logging.Level.SEVERE);
                java.util.Properties props = new java.util.Properties();
                if (effectiveUser != null) {
                    props.setProperty("user", effectiveUser);
                }
                if (effectivePassword != null) {
                    props.setProperty("password", effectivePassword);
                }
                return java.sql.DriverManager.getConnection(u, props);
            }
            return new AugurDataSource(u, effectiveUser, effectivePassword, importBase()).getConnection();
        } catch (SQLException e) {
            if (!"28000".equals(e.getSQLState()) && !"28P01".equals(e.getSQLState())) {
                throw e;
            }
            Path file = PasswordFile.of(dataDir());
            throw new AugurException("28P01", "password authentication failed for user \"" + effectiveUser + "\" at " + plain
                    + ": pass --password PASSWORD (and --user USER)" + (password == null && Files.exists(file)
                    ? "; the one in " + file + " was tried" : ""), e);
        }
    }
}
