package dev.augur.tests;

import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.calibration.Conformal;
import dev.augur.engine.calibration.Method;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.rows;
import static dev.augur.tests.ViewsDatabase.model;
import static dev.augur.tests.ViewsDatabase.assertSqlState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Conformal calibration on H2 and PostgreSQL: CALIBRATE_MODEL makes a new version carrying the calibration (AUGUR.MODELS
 * says how), and PREDICT_SET, PREDICT_LABEL_IF_CERTAIN and PREDICT_INTERVAL answer on both databases exactly what the
 * engine's rule ({@link Conformal}) answers for the same rows; bad input is the same SQLSTATE on both.
 */
class ConformalTest {
    /** Rows (id, a, b, y) with a noisy label of the sign of a − b: the model errs on some of them. */
    private static void labelledRows(Statement st, ViewsDatabase db, String table, int n, int offset) throws SQLException {
        st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, y INT, v DOUBLE PRECISION)");
        st.execute("INSERT INTO " + table + " SELECT g, sin(g + " + offset + ") * 2, cos((g + " + offset + ") * 7),"
                + " CASE WHEN sin(g + " + offset + ") * 2 - cos((g + " + offset + ") * 7) + sin((g + " + offset + ") * 13) > 0 THEN 1 ELSE 0 END,"
                + " sin(g + " + offset + ") * 3 + sin((g + " + offset + ") * 11) FROM " + db.series(n));
    }


    private static Model exported(Statement st, String name, int version) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT AUGUR.EXPORT_MODEL('" + name + "', " + version + ")")) {
            rs.next();
            return ModelJson.fromJson(rs.getString(1));
        }
    }

    private static List<String> texts(Array a) throws SQLException {
        return a == null ? null : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void splitSetsAreTheEnginesAndCoverTheTestRows(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            labelledRows(st, db, "calib", 400, 0);
            labelledRows(st, db, "test", 600, 1000);
            model(st, "m", 1.5, -1.0, 0.1);
            st.execute("DEPLOY MODEL m VERSION 1");
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('m', NULL, 'SELECT a, b, y FROM calib')")).isEqualTo(2);
            try (ResultSet rs = st.executeQuery("SELECT VERSION, CALIBRATION, SOURCE, SHA256 FROM AUGUR.MODELS WHERE NAME = 'm' ORDER BY VERSION")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).as("version 1 is not calibrated").isNull();
                String sha = rs.getString(4);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("split");
                assertThat(rs.getString(3)).isEqualTo("calibrate");
                assertThat(rs.getString(4)).as("the calibrated version carries the same model").isEqualTo(sha);
            }
            assertThat(intValue(st, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'm'")).as("calibrating deploys nothing").isEqualTo(1);
            // the extension statement is the same call
            st.execute("CALIBRATE MODEL m VERSION 1 FROM (SELECT a, b, y FROM calib WHERE id <= 100) WITH (method = mondrian)");
            assertThat(intValue(st, "SELECT ROWS_USED FROM AUGUR.CALIBRATIONS WHERE NAME = 'm' AND VERSION = 3")).isEqualTo(100);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.MODELS WHERE NAME = 'm' AND VERSION = 3 AND CALIBRATION = 'mondrian'")).isEqualTo(1);
            assertThat(intValue(st, "SELECT ROWS_USED FROM AUGUR.CALIBRATIONS WHERE NAME = 'm' AND VERSION = 2")).isEqualTo(400);

            Model m = exported(st, "m", 2);
            Calibration expected = Conformal.calibrate(m, Method.SPLIT, rows(st, "SELECT a, b, y FROM calib ORDER BY id"));
            double[] thresholds = Conformal.thresholds(m, expected, 0.1, "m", "PREDICT_SET");
            int covered = 0;
            int sizes = 0;
            List<Object[]> test = rows(st, "SELECT a, b, y, PREDICT_SET('m@2', 0.1, a, b), PREDICT_LABEL_IF_CERTAIN('m@2', 0.1, a, b)"
                    + " FROM test ORDER BY id");
            for (Object[] row : test) {
                List<String> want = Conformal.predictionSet(m, thresholds, m.evaluate(row[0], row[1]));
                List<String> got = texts((Array) row[3]);
                assertThat(got).as("set of row a=%s b=%s", row[0], row[1]).isEqualTo(want);
                assertThat(row[4]).as("a label only when the set is one class").isEqualTo(want.size() == 1 ? want.get(0) : null);
                covered += got.contains(String.valueOf(row[2])) ? 1 : 0;
                sizes += got.size();
            }
            assertThat(covered / (double) test.size()).as("coverage at alpha 0.1").isGreaterThanOrEqualTo(0.85);
            assertThat(sizes / (double) test.size()).as("mean set size").isBetween(0.5, 2.0);
            // a NULL input or a NULL alpha is NULL, as for PREDICT
            try (ResultSet rs = st.executeQuery("SELECT PREDICT_SET('m@2', 0.1, a, NULL), PREDICT_SET('m@2', NULL, a, b),"
                    + " PREDICT_LABEL_IF_CERTAIN('m@2', 0.1, NULL, b) FROM test WHERE id = 1")) {
                rs.next();
                assertThat(rs.getObject(1)).isNull();
                assertThat(rs.getObject(2)).isNull();
                assertThat(rs.getObject(3)).isNull();
            }
            // a smaller alpha never gives a smaller set
            try (ResultSet rs = st.executeQuery("SELECT PREDICT_SET('m@2', 0.3, a, b), PREDICT_SET('m@2', 0.05, a, b) FROM test")) {
                while (rs.next()) {
                    assertThat(texts(rs.getArray(2))).containsAll(texts(rs.getArray(1)));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void mondrianSetsOfASoftmaxModelAreTheEngines(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            labelledRows(st, db, "calib", 300, 0);
            st.execute("CREATE TABLE calib3 AS SELECT id, a, b, CASE WHEN v > 1 THEN 'high' WHEN v < -1 THEN 'low' ELSE 'mid' END AS k FROM calib");
            String json = "{\"name\": \"s\", \"kind\": \"softmax\", \"features\": {\"type\": \"dense\", \"inputs\": [\"a\", \"b\"]},"
                    + " \"classes\": [\"high\", \"low\", \"mid\"], \"weights\": [[1.2, 0.1], [-1.1, 0.2], [0.0, -0.1]], \"bias\": [0.0, 0.0, 0.3]}";
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('s', '" + json + "')").close();
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('s', 1, 'SELECT a, b, k FROM calib3 WHERE id <= 200',"
                    + " '{\"method\": \"mondrian\"}')")).isEqualTo(2);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.CALIBRATION_SCORES WHERE NAME = 's' AND VERSION = 2")).isEqualTo(3);
            try (ResultSet rs = st.executeQuery("SELECT CALIBRATION FROM AUGUR.MODELS WHERE NAME = 's' AND VERSION = 2")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("mondrian");
            }
            Model m = exported(st, "s", 2);
            Calibration expected = Conformal.calibrate(m, Method.MONDRIAN, rows(st, "SELECT a, b, k FROM calib3 WHERE id <= 200 ORDER BY id"));
            for (double alpha : new double[]{0.1, 0.25}) {
                double[] thresholds = Conformal.thresholds(m, expected, alpha, "s", "PREDICT_SET");
                for (Object[] row : rows(st, "SELECT a, b, PREDICT_SET('s@2', " + alpha + ", a, b) FROM calib3 WHERE id > 200 ORDER BY id")) {
                    assertThat(texts((Array) row[2])).isEqualTo(Conformal.predictionSet(m, thresholds, m.evaluate(row[0], row[1])));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void intervalsOfARegressorAreTheEngines(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            labelledRows(st, db, "calib", 300, 0);
            labelledRows(st, db, "test", 200, 500);
            model(st, "r", "linear", 1.4, 0.2, 0.05);
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('r', 1, 'SELECT a, b, v FROM calib')")).isEqualTo(2);
            Model m = exported(st, "r", 2);
            Calibration expected = Conformal.calibrate(m, Method.SPLIT, rows(st, "SELECT a, b, v FROM calib ORDER BY id"));
            double half = Conformal.halfWidth(m, expected, 0.9, "r");
            int covered = 0;
            List<Object[]> test = rows(st, "SELECT a, b, v, PREDICT_INTERVAL('r@2', 0.9, a, b) FROM test ORDER BY id");
            for (Object[] row : test) {
                double[] want = Conformal.interval(expected, half, m.evaluate(row[0], row[1]));
                Object[] got = (Object[]) ((Array) row[3]).getArray();
                assertThat(got).hasSize(2);
                assertThat(((Number) got[0]).doubleValue()).isCloseTo(want[0], org.assertj.core.data.Offset.offset(db.exactSlack()));
                assertThat(((Number) got[1]).doubleValue()).isCloseTo(want[1], org.assertj.core.data.Offset.offset(db.exactSlack()));
                double v = (Double) row[2];
                covered += v >= ((Number) got[0]).doubleValue() && v <= ((Number) got[1]).doubleValue() ? 1 : 0;
            }
            assertThat(covered / (double) test.size()).as("coverage at level 0.9").isGreaterThanOrEqualTo(0.8);
        }
    }

    /** Any model is calibrated the same way: a bagged ensemble through its mean probability, or its mean value. */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void ensemblesAreCalibratedThroughTheirMeans(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            labelledRows(st, db, "calib", 300, 0);
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('e', '" + ConformanceTest.BAGGED + "')").close();
            String linear = ConformanceTest.BAGGED.replace("\"bagged_logistic\"", "\"bagged_linear\"").replace("\"classes\":[\"0\",\"1\"],", "");
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('el', '" + linear + "')").close();
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('e', 1, 'SELECT a, b, y FROM calib WHERE id <= 200')")).isEqualTo(2);
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('el', 1, 'SELECT a, b, v FROM calib WHERE id <= 200')")).isEqualTo(2);
            Model e = exported(st, "e", 2);
            Model el = exported(st, "el", 2);
            double[] q = Conformal.thresholds(e, Conformal.calibrate(e, Method.SPLIT,
                    rows(st, "SELECT a, b, y FROM calib WHERE id <= 200 ORDER BY id")), 0.2, "e", "PREDICT_SET");
            Calibration elCal = Conformal.calibrate(el, Method.SPLIT, rows(st, "SELECT a, b, v FROM calib WHERE id <= 200 ORDER BY id"));
            double half = Conformal.halfWidth(el, elCal, 0.8, "el");
            for (Object[] row : rows(st, "SELECT a, b, PREDICT_SET('e@2', 0.2, a, b), PREDICT_INTERVAL('el@2', 0.8, a, b)"
                    + " FROM calib WHERE id > 200 ORDER BY id")) {
                assertThat(texts((Array) row[2])).isEqualTo(Conformal.predictionSet(e, q, e.evaluate(row[0], row[1])));
                Object[] got = (Object[]) ((Array) row[3]).getArray();
                double[] want = Conformal.interval(elCal, half, el.evaluate(row[0], row[1]));
                assertThat(((Number) got[0]).doubleValue()).isCloseTo(want[0], org.assertj.core.data.Offset.offset(1e-12));
                assertThat(((Number) got[1]).doubleValue()).isCloseTo(want[1], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    /**
     * Normalized calibration of an ensemble of regressors: the residual over the row's spread plus the median spread;
     * the intervals are the engine's on both databases, wider where the members disagree. A single model, or members
     * that agree, are 22023.
     */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void normalizedIntervalsOfAnEnsembleAreTheEngines(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            labelledRows(st, db, "calib", 300, 0);
            String linear = ConformanceTest.BAGGED.replace("\"bagged_logistic\"", "\"bagged_linear\"").replace("\"classes\":[\"0\",\"1\"],", "");
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('el', '" + linear + "')").close();
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('el', 1, 'SELECT a, b, v FROM calib WHERE id <= 200',"
                    + " '{\"method\": \"normalized\"}')")).isEqualTo(2);
            assertThat(rows(st, "SELECT CALIBRATION FROM AUGUR.MODELS WHERE NAME = 'el' AND VERSION = 2").get(0)[0]).isEqualTo("normalized");
            Model el = exported(st, "el", 2);
            Calibration cal = Conformal.calibrate(el, Method.NORMALIZED, rows(st, "SELECT a, b, v FROM calib WHERE id <= 200 ORDER BY id"));
            double half = Conformal.halfWidth(el, cal, 0.8, "el");
            double narrowest = Double.POSITIVE_INFINITY;
            double widest = 0;
            for (Object[] row : rows(st, "SELECT a, b, PREDICT_INTERVAL('el@2', 0.8, a, b) FROM calib WHERE id > 200 ORDER BY id")) {
                Object[] got = (Object[]) ((Array) row[2]).getArray();
                double[] want = Conformal.interval(cal, half, el.evaluate(row[0], row[1]));
                assertThat(((Number) got[0]).doubleValue()).isCloseTo(want[0], org.assertj.core.data.Offset.offset(1e-9));
                assertThat(((Number) got[1]).doubleValue()).isCloseTo(want[1], org.assertj.core.data.Offset.offset(1e-9));
                narrowest = Math.min(narrowest, want[1] - want[0]);
                widest = Math.max(widest, want[1] - want[0]);
            }
            assertThat(widest).as("intervals follow the members' disagreement").isGreaterThan(1.5 * narrowest);
            model(st, "r", "linear", 1.4, 0.2, 0.05);
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('r', 1, 'SELECT a, b, v FROM calib', '{\"method\": \"normalized\"}')",
                    "22023", "only regressors with a spread have (bagged_linear, bayes_linear)");
            String same = linear.replace("[[0.5,-1.25],[1.5,0.25],[-0.5,2.0]]", "[[0.5,-1.25],[0.5,-1.25],[0.5,-1.25]]")
                    .replace("[0.1,-0.4,0.3]", "[0.1,0.1,0.1]");
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('same', '" + same + "')").close();
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('same', 1, 'SELECT a, b, v FROM calib', '{\"method\": \"normalized\"}')",
                    "22023", "median spread 0");
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void badInputIsAClearErrorWithItsSqlstate(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            labelledRows(st, db, "calib", 50, 0);
            model(st, "m", 1.5, -1.0, 0.1);
            model(st, "r", "linear", 1.4, 0.2, 0.05);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("DEPLOY MODEL r VERSION 1");
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM calib')")).isEqualTo(2);
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM calib WHERE id <= 5')")).isEqualTo(3);
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('r', 1, 'SELECT a, b, v FROM calib')")).isEqualTo(2);
            for (String alpha : new String[]{"0", "1", "1.5", "-0.1"}) {
                assertSqlState(st, "SELECT PREDICT_SET('m@2', " + alpha + ", a, b) FROM calib", "22023", "alpha must lie strictly between 0 and 1");
                assertSqlState(st, "SELECT PREDICT_INTERVAL('r@2', " + alpha + ", a, b) FROM calib", "22023", "level must lie strictly between 0 and 1");
            }
            // 5 rows cannot give a 90% guarantee: the smallest calibration set that can is named
            assertSqlState(st, "SELECT PREDICT_SET('m@3', 0.1, a, b) FROM calib", "22023", "needs at least 9 calibration rows");
            assertSqlState(st, "SELECT PREDICT_SET('m@3', 0.01, a, b) FROM calib", "22023", "needs at least 99 calibration rows");
            assertThat(intValue(st, "SELECT COUNT(PREDICT_SET('m@3', 0.2, a, b)) FROM calib")).as("5 rows are enough for alpha 0.2").isEqualTo(50);
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, y FROM calib')", "22023",
                    "needs its 2 inputs (a, b) followed by the true class");
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y + 5 FROM calib')", "22023", "not a class of model 'm'");
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM calib', '{\"method\": \"best\"}')", "22023", "method");
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM calib', '{\"level\": 0.9}')", "22023",
                    "unknown calibration option 'level'");
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('r', 1, 'SELECT a, b, v FROM calib', '{\"method\": \"mondrian\"}')", "22023",
                    "use method split");
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('m', 7, 'SELECT a, b, y FROM calib')", "42704", "has no version 7");
            assertSqlState(st, "SELECT PREDICT_SET('r@2', 0.1, a, b) FROM calib", "42809", "use PREDICT_INTERVAL");
            assertSqlState(st, "SELECT PREDICT_LABEL_IF_CERTAIN('r@2', 0.1, a, b) FROM calib", "42809", "use PREDICT_INTERVAL");
            assertSqlState(st, "SELECT PREDICT_INTERVAL('m@2', 0.9, a, b) FROM calib", "42809", "use PREDICT_SET");
            assertSqlState(st, "SELECT PREDICT_SET('m', 0.1, a, b) FROM calib", "55000", "AUGUR.CALIBRATE_MODEL('m', 1,");
            assertSqlState(st, "SELECT PREDICT_INTERVAL('r', 0.9, a, b) FROM calib", "55000", "is not calibrated");
            assertSqlState(st, "SELECT PREDICT_SET('m@2', 0.1, a) FROM calib", "22023", "expects 2 inputs");
            // a calibrated model drops with its calibrations
            assertThat(intValue(st, "SELECT AUGUR.DROP_MODEL('m')")).isEqualTo(3);
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.CALIBRATION_SCORES WHERE NAME = 'm'")).isZero();
        }
    }
}
