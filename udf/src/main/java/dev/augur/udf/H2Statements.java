package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Model;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves model references once per SQL statement on H2, so a scan calls the catalog once, not once per row,
 * and every row of one statement sees the same model version.
 *
 * <p>H2 gives a function no per-statement hook; the statement is recognised by the identity of the session's
 * command-start timestamp, a fresh object at every statement start. A catalog query run from inside the
 * function moves that timestamp once, so it is read again after each lookup.
 */
final class H2Statements {
    /** A model resolved for the current statement. */
    record Resolved(Model model, int version) {
    }

    private static final class Current {
        Object session;
        Object statement;
        final Map<String, Resolved> byRef = new HashMap<>();
    }

    private static final ThreadLocal<Current> CURRENT = ThreadLocal.withInitial(Current::new);

    private H2Statements() {
    }

    static Resolved resolve(Connection conn, String ref) throws SQLException {
        SessionLocal session = (SessionLocal) ((JdbcConnection) conn).getSession();
        Object statement = session.getCommandStartOrEnd();
        Current current = CURRENT.get();
        if (current.session != session || current.statement != statement) {
            current.session = session;
            current.statement = statement;
            current.byRef.clear();
        }
        Resolved r = current.byRef.get(ref);
        if (r == null) {
            try {
                CatalogStore store = new CatalogStore(conn);
                CatalogStore.VersionRef v = store.resolve(ref);
                r = new Resolved(store.load(v), v.version());
            } catch (AugurException e) {
                throw new SQLException(e.getMessage(), e.sqlState(), e);
            }
            current.statement = session.getCommandStartOrEnd();
            current.byRef.put(ref, r);
        }
        return r;
    }
}
