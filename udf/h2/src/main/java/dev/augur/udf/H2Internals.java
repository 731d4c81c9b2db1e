package dev.augur.udf;

import org.h2.command.Prepared;
import org.h2.command.query.Select;
import org.h2.constraint.Constraint;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.db.MVTable;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.schema.Schema;
import org.h2.schema.TriggerObject;
import org.h2.server.pg.PgServer;
import org.h2.table.Column;
import org.h2.table.Table;
import org.h2.tools.SimpleResultSet;
import org.h2.value.Value;
import org.h2.value.ValueDouble;
import org.h2.value.ValueInteger;
import org.h2.value.ValueNull;
import org.h2.value.ValueToObjectConverter;
import org.h2.value.ValueVarchar;
import dev.augur.engine.view.ViewIndex;

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

    /** Chunks less full than this are rewritten before the last close (H2's AUTO_COMPACT_FILL_RATE default). */
    private static final int REWRITE_BELOW_FILL_RATE = 90;
    /** How much one rewrite round writes at most. */
    private static final int REWRITE_BYTES = 16 * 1024 * 1024;

    /**
     * When {@code conn} is the last session of an embedded file database (so H2 closes the database with it), compacts
     * the file for up to {@code millis} and then commits the store: what H2's close does, in the order 2.4.240 fixed
     * (2.3.232 compacts after its last commit, and the file it leaves can reopen at an older state: upstream 4247).
     * Augur opens such databases with MAX_COMPACT_TIME=0, so H2's own close compacts nothing; without this a database
     * opened and closed often only grows. Returns whether it compacted.
     */
    static boolean compactBeforeLastClose(Connection conn, int millis) {
        if (!(conn instanceof JdbcConnection jdbc) || !(jdbc.getSession() instanceof SessionLocal session)) {
            return false; // a remote session: the server's process owns the file
        }
        org.h2.engine.Database db = session.getDatabase();
        if (!db.isPersistent() || db.isReadOnly() || db.getStore() == null || db.getSessions(false).length != 1) {
            return false;
        }
        org.h2.mvstore.MVStore store = db.getStore().getMvStore();
        if (store.getFileStore() == null || store.isClosed()) {
            return false;
        }
        // rewrite partly used chunks (what H2's background compaction does), not MVStore.compactFile: its chunk moves
        // are the close-time code of 4247, and fail H2's own assertion in moveChunkInside under -ea
        int retention = store.getRetentionTime();
        store.setRetentionTime(0);
        long stop = System.nanoTime() + millis * 1_000_000L;
        try {
            while (store.compact(REWRITE_BELOW_FILL_RATE, REWRITE_BYTES) && System.nanoTime() < stop) {
                store.commit();
            }
            store.commit();
        } catch (MVStoreException e) {
            if (e.getErrorCode() != DataUtils.ERROR_CLOSED) {
                throw e;
            }
            // H2's exit hook closed the database under us (a JVM exiting while its last connection closes): its close
            // writes what is committed (WRITE_DELAY 0 wrote it already); only this compaction is given up
            return false;
        }
        store.setRetentionTime(retention);
        return true;
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

    /**
     * What TRUNCATE TABLE would meet in the table {@code name} (as written in SQL) resolves to: whether H2 would empty it
     * (no foreign key references it), the Java classes of its triggers, and whether the TRUNCATE restarts an identity
     * column.
     */
    record TruncateTarget(boolean truncatable, List<String> triggerClasses, boolean restartsIdentity) {
    }

    /**
     * The table {@code name} resolves to, as TRUNCATE TABLE resolves it (the same parser, schema search path and
     * identifier case); {@code restart} is the statement's RESTART (true) or CONTINUE (false) IDENTITY, null for the
     * database mode's default. Null when the name reaches no table: H2 then answers the TRUNCATE itself.
     */
    static TruncateTarget truncateTarget(Connection conn, String name, Boolean restart) {
        SessionLocal session = session(conn);
        Table table;
        session.lock();
        try {
            // rights are H2's to check when the statement runs; this only resolves the name
            table = resolveTable(session, name);
            if (table == null) {
                return null;
            }
        } catch (DbException e) {
            return null;
        } finally {
            session.unlock();
        }
        List<String> triggers = new ArrayList<>();
        if (table.getTriggers() != null) {
            for (TriggerObject t : table.getTriggers()) {
                triggers.add(t.getTriggerClassName());
            }
        }
        boolean restarts = restart != null ? restart : session.getDatabase().getMode().truncateTableRestartIdentity;
        boolean identity = false;
        for (Column c : table.getColumns()) {
            identity |= c.getSequence() != null;
        }
        return new TruncateTarget(table.canTruncate(), triggers, restarts && identity);
    }

    /**
     * Writes a prediction view's scored rows straight into its table's storage, in the session's transaction: each
     * row is updated (or added) as an UPDATE would, so H2's undo log, MVCC and durability apply, but without
     * one SQL statement per row, which costs 10 times the write. False, writing nothing, where the table is not Augur's
     * plain table (a trigger or a constraint beyond its key, a column missing): the caller then writes by SQL.
     */
    static boolean writeViewRows(Connection conn, String tableName, String keyColumn, List<ViewIndex.Scored> rows, int version,
                                 boolean spread) throws SQLException {
        SessionLocal session = session(conn);
        try {
            Table table = resolveTable(session, tableName);
            if (!(table instanceof MVTable) || (table.getTriggers() != null && !table.getTriggers().isEmpty())) {
                return false;
            }
            for (Constraint c : table.getConstraints() == null ? List.<Constraint>of() : table.getConstraints()) {
                if (c.getConstraintType() != Constraint.Type.PRIMARY_KEY) {
                    return false;
                }
            }
            Index pk = table.findPrimaryKey();
            Column key = column(table, keyColumn);
            if (pk == null || key == null || pk.getColumns().length != 1 || pk.getColumns()[0] != key) {
                return false;
            }
            String[] names = {"SCORE", "LABEL", "MARGIN", "NORM_1", "NORM_2", "NORM_INF", "MODEL_VERSION", "SCORED_AT", "SPREAD"};
            Column[] cols = new Column[names.length];
            for (int i = 0; i < names.length; i++) {
                cols[i] = column(table, names[i]);
                if (cols[i] == null && (i < 8 || spread)) {
                    return false;
                }
            }
            table.lock(session, Table.WRITE_LOCK);
            Value now = session.currentTimestamp();
            Value versionValue = ValueInteger.get(version);
            SearchRow probe = table.getTemplateSimpleRow(false);
            for (ViewIndex.Scored s : rows) {
                Value k = assign(session, ValueToObjectConverter.objectToValue(session, s.key(), Value.UNKNOWN), key);
                probe.setValue(key.getColumnId(), k);
                Cursor cursor = pk.find(session, probe, probe, false);
                // no lockRow: the view's writers are serialized by its AUGUR.VIEWS row, and an UPDATE by anyone else waits
                // for, or fails on, the row as H2's put sees it
                Row old = cursor.next() ? cursor.get() : null;
                Row row = table.getTemplateRow();
                for (Column c : table.getColumns()) {
                    row.setValue(c.getColumnId(), old == null ? ValueNull.INSTANCE : old.getValue(c.getColumnId()));
                }
                row.setValue(key.getColumnId(), k);
                Value[] values = {ValueDouble.get(s.score()), s.label() == null ? ValueNull.INSTANCE : ValueVarchar.get(s.label()),
                        ValueDouble.get(s.margin()), kept(old, cols[3], s.norm1()), kept(old, cols[4], s.norm2()),
                        kept(old, cols[5], s.normInf()), versionValue, now, ValueDouble.get(s.spread())};
                for (int i = 0; i < values.length; i++) {
                    if (cols[i] != null && (i < 8 || spread)) {
                        row.setValue(cols[i].getColumnId(), assign(session, values[i], cols[i]));
                    }
                }
                if (old == null) {
                    table.addRow(session, row);
                } else {
                    table.updateRow(session, old, row);
                }
            }
            return true;
        } catch (DbException e) {
            throw e.getSQLException();
        }
    }

    /**
     * Changes one row found by its whole primary key, in the session's transaction, as {@code UPDATE t SET ... WHERE
     * key = ...} does: the table write-locked as DML locks it, the row locked, and {@code change} applied to its latest
     * committed version (so concurrent increments add up, as an UPDATE's {@code n = n + 1} does); without an SQL
     * statement, which costs several times the write. {@code key} holds the key columns' values in the key's order
     * (Java values, converted as a parameter is); {@code change} gets the row's values in column order and returns the
     * new ones (key columns unchanged). FALSE when there is no such row (the caller inserts it), null when the table is
     * not a plain one (a trigger, or a constraint other than its key and CHECKs of key columns): the caller then uses SQL.
     */
    static Boolean updateRowByKey(Connection conn, String tableName, Object[] key, java.util.function.UnaryOperator<Value[]> change)
            throws SQLException {
        SessionLocal session = session(conn);
        try {
            Table table = plainTable(session, tableName);
            if (table == null) {
                return null;
            }
            Index pk = table.findPrimaryKey();
            Column[] keyColumns = pk.getColumns();
            if (keyColumns.length != key.length) {
                throw new SQLException("the key of " + tableName + " has " + keyColumns.length + " columns, got " + key.length, "XX000");
            }
            table.lock(session, Table.WRITE_LOCK);
            SearchRow probe = table.getTemplateSimpleRow(false);
            for (int i = 0; i < key.length; i++) {
                probe.setValue(keyColumns[i].getColumnId(),
                        assign(session, ValueToObjectConverter.objectToValue(session, key[i], Value.UNKNOWN), keyColumns[i]));
            }
            Cursor cursor = pk.find(session, probe, probe, false);
            if (!cursor.next()) {
                return Boolean.FALSE;
            }
            Row locked = table.lockRow(session, cursor.get(), -1);
            if (locked == null) {
                return Boolean.FALSE; // deleted by a transaction that committed meanwhile
            }
            Value[] values = change.apply(locked.getValueList().clone());
            Row row = table.getTemplateRow();
            Column[] columns = table.getColumns();
            for (int i = 0; i < columns.length; i++) {
                row.setValue(i, assign(session, values[i], columns[i]));
            }
            row.setKey(locked.getKey());
            table.updateRow(session, locked, row);
            return Boolean.TRUE;
        } catch (DbException e) {
            throw e.getSQLException();
        }
    }

    /** Tables resolved by name, per database: a name is parsed once, and its table checked to be still the same. */
    private static final java.util.Map<Object, java.util.Map<String, Table>> RESOLVED_TABLES = new java.util.WeakHashMap<>();

    /** The table {@code name} resolves to when it is one {@link #updateRowByKey} may write; null otherwise. */
    private static Table plainTable(SessionLocal session, String name) {
        Table t = cachedTable(session, name);
        return t instanceof MVTable && plain(t) ? t : null;
    }

    /** The table a name resolves to (null for none), parsed once per database and checked to be still the same table. */
    private static Table cachedTable(SessionLocal session, String name) {
        java.util.Map<String, Table> byName;
        synchronized (RESOLVED_TABLES) {
            byName = RESOLVED_TABLES.computeIfAbsent(session.getDatabase(), d -> new java.util.concurrent.ConcurrentHashMap<>());
        }
        Table t = byName.get(name);
        if (t != null && t.isValid() && t.getSchema().findTableOrView(session, t.getName()) == t) {
            return t;
        }
        t = resolveTable(session, name);
        if (t == null) {
            byName.remove(name);
        } else {
            byName.put(name, t);
        }
        return t;
    }

    /**
     * A number that changes whenever a row of one of {@code tables} changes, commits or rolls back (H2 stamps each
     * table's data at every change and at the end of every transaction that changed it), for a session's cache of what
     * it read from them: equal numbers, equal answers for that session. -1 when a name reaches no table.
     */
    static long dataStamp(Connection conn, String... tables) {
        SessionLocal session = session(conn);
        long sum = 0;
        for (String name : tables) {
            Table t = cachedTable(session, name);
            if (t == null) {
                return -1;
            }
            sum += t.getMaxDataModificationId();
        }
        return sum;
    }

    /** A read of catalog tables, for {@link #sessionCached}. */
    interface CatalogRead<T> {
        T read() throws SQLException;
    }

    /** Per session: cache name and key to {stamp, value}. */
    private static final java.util.Map<Object, java.util.Map<String, Object[]>> SESSION_CACHE = new java.util.WeakHashMap<>();

    /**
     * What {@code read} answers for {@code key}, read again only when one of {@code tables} (every table it reads) has
     * changed since ({@link #dataStamp}); kept per session, so a session's own uncommitted changes count and another's
     * never do. For catalog reads that every served prediction would otherwise repeat.
     */
    @SuppressWarnings("unchecked")
    static <T> T sessionCached(Connection conn, String cache, String key, String[] tables, CatalogRead<T> read) throws SQLException {
        long stamp = dataStamp(conn, tables);
        java.util.Map<String, Object[]> mine;
        synchronized (SESSION_CACHE) {
            mine = SESSION_CACHE.computeIfAbsent(session(conn), k -> new java.util.HashMap<>());
        }
        String k = cache + '\0' + key;
        Object[] hit = mine.get(k);
        if (hit != null && stamp >= 0 && (long) hit[0] == stamp) {
            return (T) hit[1];
        }
        T value = read.read();
        if (mine.size() > 10_000) {
            mine.clear();
        }
        mine.put(k, new Object[]{stamp, value});
        return value;
    }

    /** No trigger, a primary key, and no constraint but it and CHECKs of key columns (which a change of other columns keeps). */
    private static boolean plain(Table table) {
        if (table.getTriggers() != null && !table.getTriggers().isEmpty()) {
            return false;
        }
        Index pk = table.findPrimaryKey();
        if (pk == null) {
            return false;
        }
        java.util.Set<Column> keyColumns = java.util.Set.of(pk.getColumns());
        for (Constraint c : table.getConstraints() == null ? List.<Constraint>of() : table.getConstraints()) {
            boolean ok = c.getConstraintType() == Constraint.Type.PRIMARY_KEY
                    || (c instanceof org.h2.constraint.ConstraintCheck check && keyColumns.containsAll(check.getReferencedColumns(table)));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The row's stored value where it already holds {@code v} (a norm rarely changes), else a new one: H2 interns every
     * double it makes, a hash probe that costs as much as the write.
     */
    private static Value kept(Row old, Column column, double v) {
        if (old != null && old.getValue(column.getColumnId()) instanceof ValueDouble d && Double.compare(d.getDouble(), v) == 0) {
            return d;
        }
        return ValueDouble.get(v);
    }

    private static Value assign(SessionLocal session, Value v, Column column) {
        return v.convertForAssignTo(column.getType(), session, column);
    }

    private static Column column(Table table, String name) {
        for (Column c : table.getColumns()) {
            if (c.getName().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** The table a name (as written in SQL) resolves to, as a query resolves it; null when it reaches none. */
    private static Table resolveTable(SessionLocal session, String name) {
        Prepared p = session.prepare("SELECT * FROM " + name, true, false, null);
        if (!(p instanceof Select select) || select.getTopTableFilter() == null) {
            return null;
        }
        return select.getTopTableFilter().getTable();
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
