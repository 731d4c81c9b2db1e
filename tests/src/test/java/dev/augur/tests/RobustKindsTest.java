package dev.augur.tests;

import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.calibration.Conformal;
import dev.augur.engine.calibration.Method;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Evaluation;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.train.TrainingOptions;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.augur.tests.ViewsDatabase.intValue;
import static dev.augur.tests.ViewsDatabase.rows;
import static dev.augur.tests.ViewsDatabase.assertSqlState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Bayesian and quantile kinds on H2 and PostgreSQL: PREDICT, PREDICT_STDDEV, PREDICT_PROBA and PREDICT_INTERVAL
 * (model-based before a calibration, conformal after: normalized by the posterior deviation, CQR for quantiles) answer
 * on both databases what the engine answers for the same model and rows; AUGUR.MODELS says where an interval comes
 * from; bad input is the same SQLSTATE on both.
 */
class RobustKindsTest {
    /** Rows (id, a, b, y, v): v grows noisier with |a|, y a noisy sign of a − b. */
    private static void fill(Statement st, ViewsDatabase db, String table, int n, int offset) throws SQLException {
        String g = "(g + " + offset + ")";
        st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, y INT, v DOUBLE PRECISION,"
                + " body VARCHAR(200))");
        st.execute("INSERT INTO " + table + " SELECT g, sin(" + g + ") * 2, cos(" + g + " * 7),"
                + " CASE WHEN sin(" + g + ") * 2 - cos(" + g + " * 7) + sin(" + g + " * 13) > 0 THEN 1 ELSE 0 END,"
                + " sin(" + g + ") * 3 - cos(" + g + " * 7) + (0.2 + abs(sin(" + g + ") * 2)) * sin(" + g + " * 11),"
                + " CASE WHEN sin(" + g + ") > 0 THEN 'cheap pills offer' ELSE 'meeting notes' END"
                + " || CASE WHEN cos(" + g + " * 3) > 0 THEN ' friday' ELSE '' END FROM " + db.series(n));
    }


    /** Trains in the engine on the table's rows and imports the JSON, so both databases hold the very same model. */
    private static Model trainAndImport(Statement st, String name, ModelKind kind, String query, List<String> inputs, String options)
            throws SQLException {
        Model m = SgdTrainer.train(name, kind, inputs, rows(st, query), TrainingOptions.fromJson(options), null);
        st.executeQuery("SELECT AUGUR.IMPORT_MODEL('" + name + "', '" + ModelJson.toJson(m).replace("'", "''") + "')").close();
        st.execute("DEPLOY MODEL " + name + " VERSION 1");
        return m;
    }

    private static double[] interval(Object value) throws SQLException {
        Object[] got = (Object[]) ((Array) value).getArray();
        assertThat(got).hasSize(2);
        return new double[]{((Number) got[0]).doubleValue(), ((Number) got[1]).doubleValue()};
    }

    private static Offset<Double> near(ViewsDatabase db, double scale) {
        return Offset.offset(Math.max(db.exactSlack(), 1e-13) * (1 + Math.abs(scale)) * 10);
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void bayesianLinearIsTheEnginesBeforeAndAfterCalibration(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            fill(st, db, "train", 300, 0);
            fill(st, db, "calib", 200, 1000);
            Model m = trainAndImport(st, "bl", ModelKind.BAYES_LINEAR, "SELECT a, b, v FROM train ORDER BY id", List.of("a", "b"),
                    "{\"prior\": 0.5}");
            assertThat(rows(st, "SELECT KIND, CALIBRATION, INTERVAL_SOURCE FROM AUGUR.MODELS WHERE NAME = 'bl'").get(0))
                    .containsExactly("bayes_linear", null, "model");
            for (Object[] row : rows(st, "SELECT a, b, PREDICT('bl', a, b), PREDICT_STDDEV('bl', a, b), PREDICT_INTERVAL('bl', 0.9, a, b)"
                    + " FROM calib ORDER BY id")) {
                Evaluation e = m.evaluate(row[0], row[1]);
                assertThat((double) row[2]).isCloseTo(e.score(), near(db, e.score()));
                assertThat((double) row[3]).isCloseTo(e.spread(), near(db, e.spread()));
                double[] got = interval(row[4]);
                double[] want = e.modelInterval(0.9);
                assertThat(got[0]).isCloseTo(want[0], near(db, want[0]));
                assertThat(got[1]).isCloseTo(want[1], near(db, want[1]));
            }
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('bl', 1, 'SELECT a, b, v FROM calib WHERE id <= 150',"
                    + " '{\"method\": \"normalized\"}')")).isEqualTo(2);
            assertThat(rows(st, "SELECT CALIBRATION, INTERVAL_SOURCE FROM AUGUR.MODELS WHERE NAME = 'bl' AND VERSION = 2").get(0))
                    .containsExactly("normalized", "conformal");
            Calibration cal = Conformal.calibrate(m, Method.NORMALIZED, rows(st, "SELECT a, b, v FROM calib WHERE id <= 150 ORDER BY id"));
            double half = Conformal.halfWidth(m, cal, 0.8, "bl");
            for (Object[] row : rows(st, "SELECT a, b, PREDICT_INTERVAL('bl@2', 0.8, a, b) FROM calib WHERE id > 150 ORDER BY id")) {
                double[] want = Conformal.interval(cal, half, m.evaluate(row[0], row[1]));
                double[] got = interval(row[2]);
                assertThat(got[0]).isCloseTo(want[0], Offset.offset(1e-9));
                assertThat(got[1]).isCloseTo(want[1], Offset.offset(1e-9));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void bayesianLogisticIsProbitCorrectedOnBothDatabases(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            fill(st, db, "train", 300, 0);
            Model m = trainAndImport(st, "bg", ModelKind.BAYES_LOGISTIC, "SELECT a, b, y FROM train ORDER BY id", List.of("a", "b"), "{}");
            assertThat(rows(st, "SELECT INTERVAL_SOURCE FROM AUGUR.MODELS WHERE NAME = 'bg'").get(0)[0]).isNull();
            for (Object[] row : rows(st, "SELECT a, b, PREDICT('bg', a, b), PREDICT_PROBA('bg', '0', a, b), PREDICT_LABEL('bg', a, b),"
                    + " PREDICT_STDDEV('bg', a, b) FROM train WHERE id <= 100 ORDER BY id")) {
                Evaluation e = m.evaluate(row[0], row[1]);
                assertThat((double) row[2]).isCloseTo(e.score(), near(db, 1));
                assertThat((double) row[3]).isCloseTo(e.probability("0"), near(db, 1));
                assertThat(row[4]).isEqualTo(e.label());
                assertThat((double) row[5]).isCloseTo(e.spread(), near(db, e.spread()));
            }
            assertSqlState(st, "SELECT PREDICT_INTERVAL('bg', 0.9, a, b) FROM train", "42809", "use PREDICT_SET");
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void quantileIntervalsAreTrainedThenConformalized(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            fill(st, db, "train", 400, 0);
            fill(st, db, "calib", 300, 2000);
            Model m = trainAndImport(st, "q", ModelKind.QUANTILE_LINEAR, "SELECT a, b, v FROM train ORDER BY id", List.of("a", "b"),
                    "{\"epochs\": 20, \"level\": 0.8}");
            assertThat(rows(st, "SELECT INTERVAL_SOURCE FROM AUGUR.MODELS WHERE NAME = 'q'").get(0)[0]).isEqualTo("model");
            for (Object[] row : rows(st, "SELECT a, b, PREDICT('q', a, b), PREDICT_INTERVAL('q', 0.8, a, b) FROM calib ORDER BY id")) {
                Evaluation e = m.evaluate(row[0], row[1]);
                assertThat((double) row[2]).isCloseTo(e.score(), near(db, e.score()));
                double[] got = interval(row[3]);
                double[] want = e.modelInterval(0.8);
                assertThat(got[0]).isCloseTo(want[0], near(db, want[0]));
                assertThat(got[1]).isCloseTo(want[1], near(db, want[1]));
            }
            assertSqlState(st, "SELECT PREDICT_INTERVAL('q', 0.9, a, b) FROM calib", "22023", "trained for level 0.8 and is not calibrated");
            assertSqlState(st, "SELECT PREDICT_STDDEV('q', a, b) FROM calib", "22023", "bagged or Bayesian kind");
            assertThat(intValue(st, "SELECT AUGUR.CALIBRATE_MODEL('q', 1, 'SELECT a, b, v FROM calib WHERE id <= 200')")).isEqualTo(2);
            assertThat(rows(st, "SELECT CALIBRATION, INTERVAL_SOURCE FROM AUGUR.MODELS WHERE NAME = 'q' AND VERSION = 2").get(0))
                    .containsExactly("cqr", "conformal");
            Calibration cal = Conformal.calibrate(m, Method.SPLIT, rows(st, "SELECT a, b, v FROM calib WHERE id <= 200 ORDER BY id"));
            for (double level : new double[]{0.6, 0.9}) {
                double half = Conformal.halfWidth(m, cal, level, "q");
                for (Object[] row : rows(st, "SELECT a, b, PREDICT_INTERVAL('q@2', " + level + ", a, b) FROM calib WHERE id > 200 ORDER BY id")) {
                    double[] want = Conformal.interval(cal, half, m.evaluate(row[0], row[1]));
                    double[] got = interval(row[2]);
                    assertThat(got[0]).isCloseTo(want[0], Offset.offset(1e-9));
                    assertThat(got[1]).isCloseTo(want[1], Offset.offset(1e-9));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void aBagOfWordsPosteriorIsDiagonalOnBothDatabases(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            fill(st, db, "train", 200, 0);
            Model m = trainAndImport(st, "bw", ModelKind.BAYES_LINEAR, "SELECT body, v FROM train ORDER BY id", List.of("body"), "{}");
            Model g = trainAndImport(st, "bwg", ModelKind.BAYES_LOGISTIC, "SELECT body, y FROM train ORDER BY id", List.of("body"), "{}");
            for (Object[] row : rows(st, "SELECT body, PREDICT('bw', body), PREDICT_STDDEV('bw', body), PREDICT_PROBA('bwg', '1', body),"
                    + " PREDICT_STDDEV('bwg', body) FROM train WHERE id <= 60 ORDER BY id")) {
                Evaluation e = m.evaluate(row[0]);
                Evaluation eg = g.evaluate(row[0]);
                assertThat((double) row[1]).isCloseTo(e.score(), Offset.offset(1e-9));
                assertThat((double) row[2]).isCloseTo(e.spread(), Offset.offset(1e-9));
                assertThat((double) row[3]).isCloseTo(eg.probability("1"), Offset.offset(1e-9));
                assertThat((double) row[4]).isCloseTo(eg.spread(), Offset.offset(1e-9));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void badInputIsAClearErrorWithItsSqlstate(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            fill(st, db, "train", 100, 0);
            trainAndImport(st, "bl", ModelKind.BAYES_LINEAR, "SELECT a, b, v FROM train ORDER BY id", List.of("a", "b"), "{}");
            ViewsDatabase.model(st, "r", "linear", 1.4, 0.2, 0.05);
            st.execute("DEPLOY MODEL r VERSION 1");
            for (String level : new String[]{"0", "1", "1.5", "-0.1"}) {
                assertSqlState(st, "SELECT PREDICT_INTERVAL('bl', " + level + ", a, b) FROM train", "22023", "level must lie strictly between 0 and 1");
            }
            assertSqlState(st, "SELECT PREDICT_SET('bl', 0.1, a, b) FROM train", "42809", "use PREDICT_INTERVAL");
            assertSqlState(st, "SELECT PREDICT_INTERVAL('r', 0.9, a, b) FROM train", "55000", "is not calibrated");
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('r', 1, 'SELECT a, b, v FROM train', '{\"method\": \"cqr\"}')", "22023",
                    "method cqr conformalizes a quantile model");
            assertSqlState(st, "SELECT AUGUR.CALIBRATE_MODEL('r', 1, 'SELECT a, b, v FROM train', '{\"method\": \"normalized\"}')", "22023",
                    "only regressors with a spread have (bagged_linear, bayes_linear)");
            String badLevel = "{\"name\": \"q\", \"kind\": \"quantile_linear\", \"features\": {\"type\": \"dense\", \"inputs\": [\"a\"]},"
                    + " \"weights\": [[1], [1], [1], [0]], \"bias\": [0, -1, 1, 1.5]}";
            assertSqlState(st, "SELECT AUGUR.IMPORT_MODEL('q', '" + badLevel + "')", "22032", "trained level 1.5");
        }
    }
}
