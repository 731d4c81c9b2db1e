package dev.augur.tests;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An H2 function for tests ({@code CREATE ALIAS FIRE_ONCE FOR 'dev.augur.tests.StatementHooks.fireOnce'}) that runs
 * one SQL statement on another connection the first time it is called, i.e. in the middle of a scan.
 */
public final class StatementHooks {
    private static Connection other;
    private static String sql;
    private static int fired;

    private StatementHooks() {
    }

    static synchronized void arm(Connection connection, String statement) {
        other = connection;
        sql = statement;
        fired = 0;
    }

    static synchronized int fired() {
        return fired;
    }

    /** Returns its argument; on the first call after {@link #arm}, runs the armed statement on the other connection. */
    public static synchronized int fireOnce(int value) throws SQLException {
        if (other != null && fired == 0) {
            fired++;
            try (Statement st = other.createStatement()) {
                st.execute(sql);
            }
        }
        return value;
    }
}
