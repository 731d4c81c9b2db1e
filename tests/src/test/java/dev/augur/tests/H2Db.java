package dev.augur.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Shared helpers of the H2 integration tests: one fresh in-memory database per call of {@link #open(String)}. */
final class H2Db {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private H2Db() {
    }

    /** A database name no other test uses. */
    static String uniqueName(String prefix) {
        return prefix + "_" + COUNTER.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The {@code jdbc:augur:} URL of an in-memory database that lives until the JVM ends. */
    static String augurUrl(String dbName) {
        return "jdbc:augur:h2:mem:" + dbName + ";DB_CLOSE_DELAY=-1";
    }

    /** Opens a fresh database through the Augur driver. */
    static Connection open(String prefix) throws SQLException {
        return DriverManager.getConnection(augurUrl(uniqueName(prefix)));
    }

    static void exec(Connection c, String... sqls) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : sqls) {
                st.execute(sql);
            }
        }
    }

    /** The single value of a one-row, one-column query (null when SQL NULL). */
    /** A payload column's bytes (payloads are BLOBs on H2). */
    static byte[] bytes(Object v) throws SQLException {
        if (v instanceof java.sql.Blob blob) {
            return blob.getBytes(1, (int) blob.length());
        }
        return (byte[]) v;
    }

    static Object scalar(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row from %s", sql).isTrue();
                Object v = rs.getObject(1);
                assertThat(rs.next()).as("exactly one row from %s", sql).isFalse();
                return v;
            }
        }
    }

    static int intValue(Connection c, String sql, Object... params) throws SQLException {
        Object v = scalar(c, sql, params);
        assertThat(v).as("value of %s", sql).isInstanceOf(Number.class);
        return ((Number) v).intValue();
    }

    static Double doubleValue(Connection c, String sql, Object... params) throws SQLException {
        Object v = scalar(c, sql, params);
        return v == null ? null : ((Number) v).doubleValue();
    }

    static String text(Connection c, String sql, Object... params) throws SQLException {
        Object v = scalar(c, sql, params);
        return v == null ? null : v.toString();
    }

    static JsonNode json(Connection c, String sql, Object... params) throws Exception {
        String s = text(c, sql, params);
        assertThat(s).as("JSON from %s", sql).isNotNull();
        return JSON.readTree(s);
    }

    /** All rows of a query, each as a list of column values. */
    static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    static int count(Connection c, String tableAndWhere) throws SQLException {
        return intValue(c, "SELECT COUNT(*) FROM " + tableAndWhere);
    }

    /** Runs {@code body}, which must fail with an SQLException, and returns that exception. */
    static SQLException sqlError(ThrowingCallable body) {
        Throwable t = catchThrowable(body);
        assertThat(t).as("expected an SQLException").isInstanceOf(SQLException.class);
        return (SQLException) t;
    }

    /** Runs a statement that must fail; returns the SQLException after checking its SQLSTATE. */
    static SQLException sqlError(Connection c, String sql, String sqlState) {
        SQLException e = sqlError(() -> exec(c, sql));
        assertThat(e.getSQLState()).as("SQLSTATE of %s (message: %s)", sql, e.getMessage()).isEqualTo(sqlState);
        return e;
    }

    /** A snapshot of Augur's catalog, to check that a failed call wrote nothing. */
    static List<List<Object>> catalog(Connection c) throws SQLException {
        List<List<Object>> all = new ArrayList<>();
        all.addAll(rows(c, "SELECT 'M', NAME, VERSION, SHA256 FROM AUGUR.MODELS ORDER BY NAME, VERSION"));
        all.addAll(rows(c, "SELECT 'P', NAME, VERSION, LENGTH(PAYLOAD) FROM AUGUR.MODEL_PAYLOADS ORDER BY NAME, VERSION"));
        all.addAll(rows(c, "SELECT 'D', NAME, VERSION, SHA256 FROM AUGUR.DEPLOYED ORDER BY NAME"));
        all.addAll(rows(c, "SELECT 'H', ID, NAME, VERSION, PREVIOUS_VERSION, ACTION, ROLLED_BACK FROM AUGUR.DEPLOYMENTS ORDER BY ID"));
        return all;
    }

    static double sigmoid(double m) {
        return 1.0 / (1.0 + Math.exp(-m));
    }
}
