package dev.augur.udf;

import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.schema.Schema;
import org.h2.server.pg.PgServer;
import org.h2.table.Column;
import org.h2.table.Table;
import org.h2.tools.SimpleResultSet;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one class that touches H2's internals (beyond {@code org.h2.api} and the {@code Value} types of function
 * arguments): its session, for the statement and transaction a call runs in, and its tables, for the pg_attribute rows
 * H2 fails to build. Pinned to the H2 version in the pom; a new H2 is checked here first.
 */
final class H2Internals {
    private H2Internals() {
    }

    interface SqlCall<T> {
        T run() throws SQLException;
    }

    /** Whether {@code conn} (or what a pool wraps) is H2's own connection. */
    static boolean isH2(Connection conn) throws SQLException {
        return conn.isWrapperFor(JdbcConnection.class);
    }

    private static SessionLocal session(Connection conn) {
        return (SessionLocal) ((JdbcConnection) conn).getSession();
    }

    /** The database a connection reaches: one key per open database, for what Augur keeps per database in memory. */
    static Object database(Connection conn) {
        return session(conn).getDatabase();
    }

    /** The session's current transaction (a new object once it commits or rolls back). */
    static Object transaction(Connection conn) {
        return session(conn).getTransaction();
    }

    /** The session itself, as an identity. */
    static Object sessionOf(Connection conn) {
        return session(conn);
    }

    /** What tells the statements of a session apart: it changes when the next command starts or ends. */
    static Object statementStamp(Connection conn) {
        return session(conn).getCommandStartOrEnd();
    }

    /** Runs {@code call} with the session's autocommit off, restoring it after. */
    static <T> T withAutoCommitOff(Connection conn, SqlCall<T> call) throws SQLException {
        SessionLocal session = session(conn);
        boolean autoCommit = session.getAutoCommit();
        session.setAutoCommit(false);
        try {
            return call.run();
        } finally {
            session.setAutoCommit(autoCommit);
        }
    }

    /**
     * Runs {@code call} with autocommit off under a savepoint, rolled back to when the call fails: H2 does not undo the
     * work of a failing query, and with autocommit on it commits each query a function runs.
     */
    static <T> T underSavepoint(Connection conn, SqlCall<T> call, java.util.function.Supplier<SQLException> onStackOverflow)
            throws SQLException {
        SessionLocal session = session(conn);
        return withAutoCommitOff(conn, () -> {
            SessionLocal.Savepoint savepoint = session.setSavepoint();
            try {
                return call.run();
            } catch (SQLException | RuntimeException e) {
                session.rollbackTo(savepoint);
                throw e;
            } catch (StackOverflowError e) {
                session.rollbackTo(savepoint);
                throw onStackOverflow.get();
            }
        });
    }

    /** Adds the pg_attribute rows of every table, view and index in the database, as H2 builds them. */
    static void addAttributeRows(Connection conn, SimpleResultSet rs) {
        SessionLocal session = session(conn);
        List<Table> tables = new ArrayList<>();
        for (Schema schema : session.getDatabase().getAllSchemas()) {
            tables.addAll(schema.getAllTablesAndViews(session));
        }
        tables.addAll(session.getLocalTempTables());
        for (Table table : tables) {
            int tableId = table.getId();
            Column[] cols = table.getColumns();
            for (int i = 0; i < cols.length; i++) {
                attribute(rs, tableId * 10_000 + i + 1, tableId, cols[i], i + 1);
            }
            List<Index> indexes = table.getIndexes();
            if (indexes == null) {
                continue;
            }
            for (Index index : indexes) {
                if (index.getCreateSQL() == null) {
                    continue;
                }
                cols = index.getColumns();
                for (int i = 0; i < cols.length; i++) {
                    attribute(rs, 1_000_000 * index.getId() + tableId * 10_000 + i + 1, index.getId(), cols[i], i + 1);
                }
            }
        }
    }

    private static void attribute(SimpleResultSet rs, int id, int relId, Column column, int ordinal) {
        long precision = column.getType().getPrecision();
        rs.addRow(id, relId, column.getName(), PgServer.convertType(column.getType()),
                precision > 255 ? -1 : (int) precision, ordinal, -1, !column.isNullable(), false, false);
    }

}
