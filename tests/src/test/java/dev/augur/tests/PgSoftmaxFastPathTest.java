package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated PREDICT family of dense softmax models on PostgreSQL (margins inlined, the engine's softmax rendered as
 * augur.softmax_score/_label/_proba) against the general path (augur.predict_any, label_any, proba_any) on the same
 * database, bit for bit, and against H2 as every conformance test (1e-9, the same NULLs and SQLSTATEs): ties between
 * classes, NULL inputs, non-finite inputs, margins so far apart that PostgreSQL's exp would underflow, wrong input
 * counts, unknown and NULL classes, and the largest class count rendered against one more (the general path).
 */
class PgSoftmaxFastPathTest {
    /** A model of {@code classes} classes over inputs a, b (, c): weights row by row, then biases. */
    private record Softmax(String name, List<String> inputs, List<String> classes, double[][] weights, double[] bias) {
        String json() {
            StringJoiner w = new StringJoiner(",", "[", "]");
            for (double[] row : weights) {
                StringJoiner r = new StringJoiner(",", "[", "]");
                for (double v : row) {
                    r.add(String.valueOf(v));
                }
                w.add(r.toString());
            }
            StringJoiner b = new StringJoiner(",", "[", "]");
            for (double v : bias) {
                b.add(String.valueOf(v));
            }
            return "{\"name\":\"" + name + "\",\"kind\":\"softmax\",\"features\":{\"type\":\"dense\",\"inputs\":"
                    + quoted(inputs) + "},\"classes\":" + quoted(classes) + ",\"weights\":" + w + ",\"bias\":" + b + "}";
        }

        String args() {
            return String.join(", ", inputs);
        }
    }

    private static String quoted(List<String> names) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        names.forEach(n -> j.add("\"" + n + "\""));
        return j.toString();
    }

    private static final String[] TABLES = {
            "CREATE TABLE sx (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, c DOUBLE PRECISION)",
            // (0, 0, 0): every margin equal to its bias, so models with equal biases tie there; 3.5 times the weights of
            // 'far' puts margins more than 700 apart
            "INSERT INTO sx VALUES (1, 0, 0, 0), (2, 0.5, 1.0, -1), (3, 2.0, -1.0, 0.25), (4, -1.5, 0.25, 3), (5, NULL, 1.0, 1),"
                    + " (6, 1.25, NULL, -2.5), (7, 3.5, -3.5, 1), (8, -0.5, -0.5, -0.5), (9, 1, 1, 1), (10, -3.5, 2.0, NULL)",
    };

    private static List<Softmax> models() {
        List<Softmax> m = new ArrayList<>();
        m.add(new Softmax("rgb", List.of("a", "b"), List.of("red", "green", "blue"),
                new double[][]{{1, 0}, {0, 1}, {-1, -1}}, new double[]{0.1, 0.2, 0.3}));
        // classes 1, 2 and 4 have the same margin on every row, class 3 a constant 0: ties everywhere, all four at (0, 0)
        m.add(new Softmax("ties", List.of("a", "b"), List.of("w", "x", "y", "z"),
                new double[][]{{1, 1}, {1, 1}, {0, 0}, {1, 1}}, new double[]{0, 0, 0, 0}));
        m.add(new Softmax("far", List.of("a", "b", "c"), List.of("p", "q", "r", "s", "t"),
                new double[][]{{200, 0, 1}, {-200, 0, 0}, {0, 150, -1}, {0.5, -0.25, 2}, {0, 0, 0}}, new double[]{0, 1, -1, 0.5, 0}));
        m.add(new Softmax("one", List.of("a"), List.of("lo", "hi"), new double[][]{{-1}, {1}}, new double[]{0.25, -0.25}));
        m.add(wide("widest", 32));
        m.add(wide("over", 33));
        return m;
    }

    /** {@code k} classes over a, b; classes 1 and 2 tie on every row (what the first of equals decides). */
    private static Softmax wide(String name, int k) {
        List<String> classes = new ArrayList<>();
        double[][] w = new double[k][];
        double[] bias = new double[k];
        for (int c = 0; c < k; c++) {
            classes.add("k" + c);
            int t = Math.max(c, 1);
            w[c] = new double[]{Math.sin(t) * 2, Math.cos(3 * t)};
            bias[c] = t % 3 * 0.125;
        }
        return new Softmax(name, List.of("a", "b"), classes, w, bias);
    }

    /** The PREDICT family of model reference {@code ref} over the table, every class, as the SQL surface gives it. */
    private static String surface(Softmax m, String ref) {
        StringBuilder q = new StringBuilder("SELECT id, PREDICT('" + ref + "', " + m.args() + "), PREDICT_LABEL('" + ref + "', " + m.args() + ")");
        for (String c : m.classes()) {
            q.append(", PREDICT_PROBA('").append(ref).append("', '").append(c).append("', ").append(m.args()).append(")");
        }
        return q.append(" FROM sx ORDER BY id").toString();
    }

    /** The same through PostgreSQL's general path, column for column. */
    private static String general(Softmax m, String ref) {
        String x = "ARRAY[" + m.args() + "]::float8[]";
        StringBuilder q = new StringBuilder("SELECT id, augur.predict_any('" + ref + "', " + x + ", NULL), augur.label_any('" + ref + "', " + x + ", NULL)");
        for (String c : m.classes()) {
            q.append(", augur.proba_any('").append(ref).append("', '").append(c).append("', ").append(x).append(", NULL)");
        }
        return q.append(" FROM sx ORDER BY id").toString();
    }

    private static final String NULL = "CAST(NULL AS DOUBLE PRECISION)";

    /** Calls that answer one row or raise: NULL and unknown classes, non-finite inputs, wrong input counts. */
    private static List<String> edges(Softmax m, String ref) {
        String first = m.classes().get(0);
        String finite = String.join(", ", java.util.Collections.nCopies(m.inputs().size(), "1"));
        String nan = "CAST('NaN' AS DOUBLE PRECISION)" + ", 1".repeat(m.inputs().size() - 1);
        String lastInf = String.join(", ", java.util.Collections.nCopies(m.inputs().size() - 1, "2"))
                + (m.inputs().size() > 1 ? ", " : "") + "CAST('-Infinity' AS DOUBLE PRECISION)";
        String nullFirst = NULL + ", 1".repeat(m.inputs().size() - 1);
        List<String> q = new ArrayList<>();
        for (String f : List.of("PREDICT('" + ref + "', %s)", "PREDICT_LABEL('" + ref + "', %s)", "PREDICT_PROBA('" + ref + "', '" + first + "', %s)")) {
            // a NULL among too many inputs too: 22023 on both databases (PostgreSQL answered NULL before)
            for (String args : List.of(finite, nan, lastInf, nullFirst, finite + ", 1", nullFirst + ", 1")) {
                q.add("SELECT " + String.format(Locale.ROOT, f, args));
            }
            if (m.inputs().size() > 1) {
                q.add("SELECT " + String.format(Locale.ROOT, f, "1"));
            }
        }
        for (String args : List.of(finite, nan, nullFirst)) {
            q.add("SELECT PREDICT_PROBA('" + ref + "', 'nope', " + args + ")");
            q.add("SELECT PREDICT_PROBA('" + ref + "', NULL, " + args + ")");
        }
        return q;
    }

    /** The same edge calls through PostgreSQL's general path (the wrong-count calls name no arm: the same path). */
    private static String generalOf(String surfaceCall) {
        String s = surfaceCall.substring("SELECT ".length());
        String fn = s.substring(0, s.indexOf('('));
        String rest = s.substring(fn.length() + 1, s.length() - 1);
        // PREDICT('m', x..) or PREDICT_PROBA('m', 'c', x..): split after the model (and class) literal
        int cut = fn.equals("PREDICT_PROBA") ? nthComma(rest, 2) : nthComma(rest, 1);
        String head = rest.substring(0, cut);
        String xs = rest.substring(cut + 1).trim();
        String any = switch (fn) {
            case "PREDICT" -> "augur.predict_any";
            case "PREDICT_LABEL" -> "augur.label_any";
            default -> "augur.proba_any";
        };
        return "SELECT " + any + "(" + head + ", ARRAY[" + xs + "]::float8[], NULL)";
    }

    private static int nthComma(String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf(',', at + 1);
        }
        return at;
    }

    @Test
    void generatedSoftmaxAnswersAsTheGeneralPathAndAsH2() throws Exception {
        try (Connection h2 = DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName("sxfast")));
             Connection pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("sxfast").substring("jdbc:".length()))) {
            for (String t : TABLES) {
                H2Db.exec(h2, t);
                H2Db.exec(pg, t);
            }
            for (Softmax m : models()) {
                for (String sql : List.of("SELECT AUGUR.IMPORT_MODEL('" + m.name() + "', '" + m.json() + "')",
                        "SELECT AUGUR.DEPLOY_MODEL('" + m.name() + "', 1)")) {
                    ConformanceTest.compare(sql, ConformanceTest.run(h2, sql), ConformanceTest.run(pg, sql));
                }
            }
            for (Softmax m : models()) {
                // the generated path is the one the plan holds, up to the largest class count rendered
                String plan = String.join("\n", column(pg, "EXPLAIN (VERBOSE) SELECT PREDICT_LABEL('" + m.name() + "', " + m.args()
                        + "), PREDICT_PROBA('" + m.name() + "', '" + m.classes().get(0) + "', " + m.args() + "), PREDICT('" + m.name() + "', " + m.args() + ") FROM sx"));
                if (m.classes().size() <= 32) {
                    assertThat(plan).as(m.name()).contains("softmax_label(", "softmax_proba(", "softmax_score(")
                            .doesNotContain("label_any(", "predict_any(");
                } else {
                    assertThat(plan).as(m.name()).contains("label_any(", "predict_any(").doesNotContain("softmax_label(");
                }
                for (String ref : List.of(m.name(), m.name() + "@1")) {
                    String sql = surface(m, ref);
                    ConformanceTest.Outcome fast = ConformanceTest.run(pg, sql);
                    assertThat(fast.sqlState()).as("%s: %s", sql, fast.message()).isNull();
                    ConformanceTest.compare(sql, ConformanceTest.run(h2, sql), fast);
                    ConformanceTest.Outcome slow = ConformanceTest.run(pg, general(m, ref));
                    assertThat(slow.sqlState()).as("%s: %s", general(m, ref), slow.message()).isNull();
                    // bit for bit (Double.equals), the same NULLs
                    assertThat(fast.rows()).as("%s against the general path", sql).isEqualTo(slow.rows());
                    for (String edge : edges(m, ref)) {
                        ConformanceTest.Outcome f = ConformanceTest.run(pg, edge);
                        ConformanceTest.compare(edge, ConformanceTest.run(h2, edge), f);
                        ConformanceTest.Outcome g = ConformanceTest.run(pg, generalOf(edge));
                        assertThat(f.sqlState()).as("SQLSTATE of %s against the general path (%s / %s)", edge, f.message(), g.message())
                                .isEqualTo(g.sqlState());
                        // the same words (pgjdbc appends where it was raised, which differs)
                        assertThat(firstLine(f.message())).as("%s", edge).isEqualTo(firstLine(g.message()));
                        assertThat(f.rows()).as("%s", edge).isEqualTo(g.rows());
                    }
                }
            }
            // the data covers what it is meant to: ties, NULLs and margins more than 700 apart, each answered
            assertThat(column(pg, "SELECT PREDICT_LABEL('ties', a, b) FROM sx WHERE id = 1")).containsExactly("w");
            assertThat(column(pg, "SELECT PREDICT_LABEL('ties', a, b) FROM sx WHERE id = 5")).containsExactly((String) null);
            assertThat(column(pg, "SELECT PREDICT_PROBA('far', 'q', a, b, c) FROM sx WHERE id = 7"))
                    .singleElement().satisfies(p -> assertThat(Double.parseDouble(p)).isPositive().isLessThan(1e-300));
        }
    }

    private static String firstLine(String message) {
        return message == null ? null : message.lines().findFirst().orElse("");
    }

    private static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
