package dev.augur.udf;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prepared statements kept per H2 session, for the triggers that run a handful of statements per row (feedback). H2
 * hands a trigger a new connection object on every call and caches only a few parsed statements per session, so
 * preparing them on every row parsed each again: most of a label's cost. A session runs one statement at a time, so its
 * statements are never used by two threads at once.
 */
final class SessionStatements {
    private static final Map<Object, Map<String, PreparedStatement>> BY_SESSION = new WeakHashMap<>();

    private SessionStatements() {
    }

    /** The session's statement for {@code sql}, parameters cleared. Not to be closed by the caller. */
    static PreparedStatement of(Connection c, String sql) throws SQLException {
        Object session = H2Internals.sessionOf(c);
        Map<String, PreparedStatement> statements;
        synchronized (BY_SESSION) {
            statements = BY_SESSION.computeIfAbsent(session, s -> new HashMap<>());
        }
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }
}
