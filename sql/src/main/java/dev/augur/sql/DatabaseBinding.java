package dev.augur.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * What Augur needs to know of one database: a binding under {@code udf/} (H2, PostgreSQL) implements it and is found
 * through {@link ServiceLoader}. A database is recognized by its driver's connection class, never guessed from its
 * product name.
 */
public interface DatabaseBinding {
    /** The dialect's name, as in the catalog script folders: {@code h2}, {@code postgresql}. */
    String name();

    /** Whether {@code connection} (a driver's connection, possibly wrapped by a pool) reaches this binding's database. */
    boolean handles(Connection connection) throws SQLException;

    /**
     * Class-path folders of the binding's own catalog scripts (Flyway repeatable migrations for its functions, each
     * defined in one file, and callbacks), applied after the versioned catalog migrations (tables and data) in the same
     * migration history (AUGUR.AUGUR_SCHEMA_HISTORY).
     */
    List<String> catalogLocations();

    /**
     * Statements that declare the binding's functions from the one declaration of the SQL surface ({@link SqlSurface});
     * each re-runnable (drop, then create). Run after the catalog scripts, and again whenever they change.
     */
    default List<String> functionDeclarations() {
        return List.of();
    }

    /**
     * Whether the database holds every one of {@link #functionDeclarations()} as declared now (one quick query on
     * connect); when not, the catalog is installed again, so a function added to the surface reaches old databases.
     */
    default boolean declarationsCurrent(Connection connection) throws SQLException {
        return true;
    }

    /**
     * The URL the driver opens for {@code jdbcUrl} (a {@code jdbc:} URL, the {@code augur:} taken out): a binding adds
     * the settings its database must be opened with, and returns a URL it does not handle unchanged.
     */
    default String openUrl(String jdbcUrl) {
        return jdbcUrl;
    }

    /**
     * Runs when a connection of {@code jdbc:augur:} is closed, just before it closes ({@code connection} is the
     * database's own); H2 compacts a file database here when this is its last session.
     */
    default void beforeClose(Connection connection) throws SQLException {
    }

    /** Runs on every connect through {@code jdbc:augur:}, after the catalog is current; must be quick when idle. */
    default void afterInstall(Connection connection) throws SQLException {
    }

    /**
     * The SQL to run instead of {@code sql} when it is a call the engine must answer in Java (PostgreSQL's
     * TRAIN_MODEL) or a statement the database would run past Augur (H2's TRUNCATE, which fires no trigger): the
     * binding does the work over {@code raw}, in the caller's transaction, and returns the plain SQL that finishes it
     * (a query whose first value is the statement's number, as an extension statement's); {@code sql} itself otherwise.
     */
    default String rewriteEngineCall(Connection raw, String sql) throws SQLException {
        return sql;
    }

    /** The bindings on the class path. */
    static List<DatabaseBinding> all() {
        return Bindings.ALL;
    }

    /** The binding for {@code connection}; 0A000 naming the databases Augur has bindings for when there is none. */
    static DatabaseBinding of(Connection connection) throws SQLException {
        for (DatabaseBinding b : Bindings.ALL) {
            if (b.handles(connection)) {
                return b;
            }
        }
        throw new SQLException("Augur has no binding for this database (" + connection.getMetaData().getDatabaseProductName()
                + "); bindings on the class path: " + (Bindings.ALL.isEmpty() ? "none (add augur-udf-h2 or augur-udf-postgresql)"
                : Bindings.ALL.stream().map(DatabaseBinding::name).collect(Collectors.joining(", "))), "0A000");
    }
}

/** Loaded once: the class path does not change while Augur runs. */
final class Bindings {
    static final List<DatabaseBinding> ALL = ServiceLoader.load(DatabaseBinding.class, DatabaseBinding.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private Bindings() {
    }
}
