package dev.augur.tests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The databases a view scenario runs on, through the {@code jdbc:augur:} driver: views have the same meaning on both
 * (the design's SQL surface), so one scenario, parameterized by this enum, tests both. What legitimately differs (how
 * rows are generated, how exact "exact" is) is said here, once.
 */
enum ViewsDatabase {
    /** Embedded H2, a fresh in-memory database per {@link #url()}. */
    H2 {
        @Override
        String url() {
            return H2Db.augurUrl(H2Db.uniqueName("views")) + ";LOCK_TIMEOUT=30000";
        }

        @Override
        String series(int n) {
            return "(SELECT X AS g FROM SYSTEM_RANGE(1, " + n + ")) s";
        }

        @Override
        double exactSlack() {
            return 0;  // the view and PREDICT run the same Java arithmetic: bit for bit
        }

        @Override
        String analyze(String table) {
            return "ANALYZE TABLE " + table;
        }
    },
    /** PostgreSQL 15, a fresh database per {@link #url()} on the test server ({@link PgServer}). */
    POSTGRESQL {
        @Override
        String url() throws SQLException {
            return "jdbc:augur:" + PgServer.newDatabase("views").substring("jdbc:".length());
        }

        @Override
        String series(int n) {
            return "generate_series(1, " + n + ") g";
        }

        @Override
        double exactSlack() {
            return 1e-12;  // PL/pgSQL float8 arithmetic in another order than PREDICT's
        }

        @Override
        String analyze(String table) {
            return "ANALYZE " + table;
        }
    };

    /** The {@code jdbc:augur:} URL of a database no other test uses. */
    abstract String url() throws SQLException;

    /** A FROM item of the integers 1..n in a column {@code g}. */
    abstract String series(int n);

    /** How far a view's score may be from PREDICT's when the view promises exactness (tolerance 0). */
    abstract double exactSlack();

    /** The statement that refreshes a table's planner statistics. */
    abstract String analyze(String table);

    Connection open() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Imports a dense model over inputs (a, b) as the next version of {@code name}. */
    static void model(Statement st, String name, double wa, double wb, double bias) throws SQLException {
        model(st, name, "logistic", wa, wb, bias);
    }

    static void model(Statement st, String name, String kind, double wa, double wb, double bias) throws SQLException {
        String json = "{\"name\": \"" + name + "\", \"kind\": \"" + kind + "\", \"features\": {\"type\": \"dense\", \"inputs\": [\"a\", \"b\"]},"
                + " \"weights\": [" + wa + ", " + wb + "], \"bias\": " + bias + "}";
        st.executeQuery("SELECT AUGUR.IMPORT_MODEL('" + name + "', '" + json + "')").close();
    }

    /** Imports a bagged ensemble over inputs (a, b) as the next version of {@code name}: one {wa, wb, bias} per member. */
    static void ensemble(Statement st, String name, String kind, double[][] members) throws SQLException {
        st.executeQuery(ensembleImport(name, kind, "\"0\", \"1\"", members)).close();
    }

    /**
     * The AUGUR.IMPORT_MODEL call of a bagged ensemble over inputs (a, b): one {wa, wb, bias} per member; {@code classes}
     * as JSON strings (none for bagged_linear).
     */
    static String ensembleImport(String name, String kind, String classes, double[][] members) {
        StringBuilder w = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < members.length; k++) {
            w.append(k == 0 ? "" : ", ").append("[").append(members[k][0]).append(", ").append(members[k][1]).append("]");
            b.append(k == 0 ? "" : ", ").append(members[k][2]);
        }
        String classList = kind.equals("bagged_linear") ? "" : " \"classes\": [" + classes + "],";
        return "SELECT AUGUR.IMPORT_MODEL('" + name + "', '{\"name\": \"" + name + "\", \"kind\": \"" + kind + "\", \"features\":"
                + " {\"type\": \"dense\", \"inputs\": [\"a\", \"b\"]}," + classList + " \"weights\": [" + w + "], \"bias\": [" + b + "]}')";
    }

    /** Every row of a query, numbers other than INTEGER as Double (so that both databases' rows compare equal). */
    static List<Object[]> rows(Statement st, String sql) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    row[c] = rs.getObject(c + 1);
                    if (row[c] instanceof Number num && !(row[c] instanceof Integer)) {
                        row[c] = num.doubleValue();
                    }
                }
                out.add(row);
            }
        }
        return out;
    }

    /** The statement (its rows read to the end) fails with {@code state} and a message containing {@code message}. */
    static void assertSqlState(Statement st, String sql, String state, String message) {
        assertThatThrownBy(() -> {
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(state);
            assertThat(e.getMessage()).as(sql).contains(message);
        });
    }

    static int intValue(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getInt(1);
        }
    }

    /** The view of base table {@code t (id, a, b)} equals PREDICT over it with the deployed model (see below). */
    void assertViewEqualsFullRescoring(Statement st, String view, String model) throws SQLException {
        assertViewWithinTolerance(st, view, model, 0);
    }

    /**
     * The view's rows against PREDICT / PREDICT_LABEL over the base table {@code t} with the deployed model: the same
     * keys, the same labels (NULL for a linear model), NULL scores for NULL inputs, scores within {@code tolerance}
     * (0: within {@link #exactSlack()}); for an ensemble, spreads against PREDICT_STDDEV within the same.
     */
    void assertViewWithinTolerance(Statement st, String view, String model, double tolerance) throws SQLException {
        String kind;
        try (ResultSet rs = st.executeQuery("SELECT m.KIND FROM AUGUR.MODELS m JOIN AUGUR.DEPLOYED d ON d.NAME = m.NAME"
                + " AND d.VERSION = m.VERSION WHERE m.NAME = '" + model + "'")) {
            assertThat(rs.next()).as("deployed model %s", model).isTrue();
            kind = rs.getString(1);
        }
        boolean linear = kind.equals("linear") || kind.equals("bagged_linear");
        boolean ensemble = kind.startsWith("bagged_");
        Map<Object, String> labels = new HashMap<>();
        Map<Object, Double> scores = new HashMap<>();
        Map<Object, Double> spreads = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, label, score" + (ensemble ? ", spread" : "") + " FROM " + view)) {
            while (rs.next()) {
                labels.put(rs.getObject(1), rs.getString(2));
                scores.put(rs.getObject(1), rs.getObject(3) == null ? null : rs.getDouble(3));
                if (ensemble) {
                    spreads.put(rs.getObject(1), rs.getObject(4) == null ? null : rs.getDouble(4));
                }
            }
        }
        String label = linear ? "CAST(NULL AS VARCHAR(10))" : "PREDICT_LABEL('" + model + "', a, b)";
        String spread = ensemble ? "PREDICT_STDDEV('" + model + "', a, b)" : "CAST(NULL AS DOUBLE PRECISION)";
        Map<Object, String> fullLabels = new HashMap<>();
        double slack = Math.max(tolerance, exactSlack());
        try (ResultSet rs = st.executeQuery("SELECT id, " + label + ", PREDICT('" + model + "', a, b), " + spread + " FROM t")) {
            while (rs.next()) {
                Object key = rs.getObject(1);
                fullLabels.put(key, rs.getString(2));
                assertThat(scores).as("view row for key " + key).containsKey(key);
                assertWithin(scores.get(key), rs.getObject(3) == null ? null : rs.getDouble(3), slack, "score of key " + key);
                if (ensemble) {
                    assertWithin(spreads.get(key), rs.getObject(4) == null ? null : rs.getDouble(4), slack, "spread of key " + key);
                }
            }
        }
        assertThat(labels).isEqualTo(fullLabels);
    }

    /** A stored value against a full re-scoring's: both NULL (a NULL input), or within {@code slack}. */
    private static void assertWithin(Double stored, Double full, double slack, String what) {
        if (full == null) {
            assertThat(stored).as(what + " (NULL input)").isNull();
        } else {
            assertThat(stored).as(what).isNotNull();
            assertThat(Math.abs(stored - full)).as(what).isLessThanOrEqualTo(slack);
        }
    }
}
