package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TRUNCATE TABLE of a view's base table, through {@code jdbc:augur:}. H2 2.3.232 fires no trigger on TRUNCATE (it has
 * no TRUNCATE trigger event, nor statement triggers for it; it clears the table's indexes directly), so a view would
 * keep the rows of every entity gone. Such a TRUNCATE runs as a DELETE of every row instead, whose row triggers keep
 * each view equal to a full re-scoring in the same transaction, as PostgreSQL's TRUNCATE trigger does; as on
 * PostgreSQL it is then transactional (it does not commit an open transaction, and a rollback undoes it). A client that
 * bypasses {@code jdbc:augur:} must use DELETE itself.
 */
final class H2Truncate {
    private static final String NAME = "(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\")";
    private static final Pattern TRUNCATE = Pattern.compile("(?is)\\s*TRUNCATE\\s+TABLE\\s+(" + NAME + "(?:\\s*\\.\\s*" + NAME + "){0,2})"
            + "(?:\\s+(CONTINUE|RESTART)\\s+IDENTITY)?\\s*;?\\s*");
    private static final String DATA_TRIGGER = H2Views.DataTrigger.class.getName();

    private H2Truncate() {
    }

    /**
     * The statement to run instead of {@code sql}: a query of the number of rows deleted, when {@code sql} truncates a
     * base table of a view that H2 would empty; {@code sql} itself otherwise (H2 answers it, errors included).
     */
    static String rewrite(Connection raw, String sql) throws SQLException {
        if (!startsWithTruncate(sql)) {
            return sql;
        }
        Matcher m = TRUNCATE.matcher(sql);
        if (!m.matches()) {
            return sql;
        }
        String table = m.group(1);
        Boolean restart = m.group(2) == null ? null : m.group(2).equalsIgnoreCase("RESTART");
        H2Internals.TruncateTarget target = H2Internals.truncateTarget(raw, table, restart);
        if (target == null || !target.truncatable() || !target.triggerClasses().contains(DATA_TRIGGER)) {
            return sql;
        }
        if (target.restartsIdentity()) {
            throw Predictions.sql(new AugurException(Errors.FEATURE_NOT_SUPPORTED, "TRUNCATE TABLE " + table + " cannot restart"
                    + " its identity columns: " + table + " is the base table of a prediction view, and H2 fires no trigger on"
                    + " TRUNCATE, so Augur runs it as DELETE FROM " + table + "; run TRUNCATE TABLE " + table + " CONTINUE IDENTITY,"
                    + " then ALTER TABLE " + table + " ALTER COLUMN ... RESTART WITH 1"));
        }
        return "SELECT COUNT(*) FROM OLD TABLE (DELETE FROM " + table + ")";
    }

    /** A cheap first look, since every statement through the driver passes here. */
    private static boolean startsWithTruncate(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, "TRUNCATE", 0, "TRUNCATE".length());
    }
}
