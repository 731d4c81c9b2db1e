package dev.augur.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * On PostgreSQL, the AUGUR calls that must run in Augur's engine rather than in PL/pgSQL (TRAIN_MODEL): the
 * {@code jdbc:augur:postgresql:} driver hands every statement (after extension-statement translation) to each
 * implementation found through {@link java.util.ServiceLoader}; one that recognizes an engine call does the work
 * over the raw connection (in the caller's transaction) and returns the plain SQL that finishes it.
 */
public interface PgEngineCalls {
    /** The SQL to run instead of {@code sql}, or {@code sql} itself when it is not an engine call. */
    String rewrite(Connection raw, String sql) throws SQLException;
}
