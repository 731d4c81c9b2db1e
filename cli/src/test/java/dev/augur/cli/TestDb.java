package dev.augur.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.augur.testkit.TestPostgres;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** What the CLI's tests need of a database: a fresh in-memory H2 through {@code jdbc:augur:}, a PostgreSQL, one value. */
final class TestDb {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestDb() {
    }

    static Connection open(String prefix) throws SQLException {
        return DriverManager.getConnection("jdbc:augur:h2:mem:" + prefix + "_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    /** A fresh PostgreSQL database (pgjdbc URL); the test is skipped, saying why, where there is no server. */
    static String newDatabase(String prefix) throws SQLException {
        try {
            TestPostgres.url();
        } catch (IllegalStateException e) {
            Assumptions.abort(e.getMessage());
        }
        return TestPostgres.newDatabase(prefix);
    }

    static void exec(Connection c, String... sqls) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : sqls) {
                st.execute(sql);
            }
        }
    }

    /** The value of a query that must return exactly one row. */
    static Object scalar(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row from " + sql);
                }
                Object v = rs.getObject(1);
                if (rs.next()) {
                    throw new AssertionError("more than one row from " + sql);
                }
                return v;
            }
        }
    }

    static int intValue(Connection c, String sql) throws SQLException {
        return ((Number) scalar(c, sql)).intValue();
    }

    static Double doubleValue(Connection c, String sql) throws SQLException {
        Object v = scalar(c, sql);
        return v == null ? null : ((Number) v).doubleValue();
    }

    static double sigmoid(double m) {
        return 1.0 / (1.0 + Math.exp(-m));
    }
}
