package dev.augur.tests;

import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.model.Model;
import dev.augur.engine.view.ViewIndex;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Classification views on H2: online learning keeps the view equal to a full re-scoring by the live model. */
class ClassificationViewsH2Test {
    private static Connection open() throws SQLException {
        return PredictionViewsH2Test.open();
    }

    private static Model live(Statement st, String view) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT PAYLOAD, SHA256, VERSION FROM AUGUR.VIEW_MODELS WHERE VIEW_NAME = '" + view
                + "' AND ROLE = 'live'")) {
            rs.next();
            byte[] payload = H2Db.bytes(rs.getObject(1));
            return ModelCodec.decode(payload, rs.getString(2), view, rs.getInt(3));
        }
    }

    private static int modelVersion(Statement st, String view) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT MODEL_VERSION FROM AUGUR.VIEWS WHERE NAME = '" + view + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Labels equal to the live model's on every entity, scores within the view's tolerance. */
    private static void assertViewMatchesLiveModel(Statement st, double tolerance) throws SQLException {
        Model model = live(st, "cv");
        Map<Object, Object[]> stored = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, label, score FROM cv")) {
            while (rs.next()) {
                stored.put(rs.getObject(1), new Object[]{rs.getString(2), rs.getDouble(3)});
            }
        }
        int n = 0;
        try (ResultSet rs = st.executeQuery("SELECT id, a, b FROM ent")) {
            while (rs.next()) {
                ViewIndex.Scored s = ViewIndex.score(rs.getObject(1), model, ViewIndex.featuresOf(model, new Object[]{rs.getDouble(2), rs.getDouble(3)}));
                Object[] row = stored.get(rs.getObject(1));
                assertThat(row).as("view row of entity " + rs.getObject(1)).isNotNull();
                assertThat(row[0]).as("label of entity " + rs.getObject(1)).isEqualTo(s.label());
                assertThat(Math.abs((double) row[1] - s.score())).as("score of entity " + rs.getObject(1)).isLessThanOrEqualTo(tolerance);
                n++;
            }
        }
        assertThat(stored).hasSize(n);
    }

    @Test
    void learnsFromInsertedExamplesAndUndoesRolledBackOnes() throws Exception {
        Random rnd = new Random(3);
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO ent SELECT X, RAND() * 2 - 1, RAND() * 2 - 1 FROM SYSTEM_RANGE(1, 400)");
            st.execute("CREATE TABLE ex (id INT NOT NULL, y INT)");
            st.execute("INSERT INTO ex SELECT id, CASE WHEN a + b > 0 THEN 1 ELSE 0 END FROM ent WHERE id <= 40");
            st.execute("CREATE CLASSIFICATION VIEW cv KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION (a, b) USING logistic WITH (learning_rate = 0.3, tolerance = 0.02)");
            assertViewMatchesLiveModel(st, 0.02);
            for (int step = 0; step < 60; step++) {
                boolean rollback = rnd.nextInt(5) == 0;
                c.setAutoCommit(false);
                int batch = 1 + rnd.nextInt(5);
                StringBuilder values = new StringBuilder();
                for (int i = 0; i < batch; i++) {
                    int id = 1 + rnd.nextInt(400);
                    values.append(i == 0 ? "" : ", ").append("(").append(id).append(", ").append(rnd.nextInt(10) < 8 ? "NULL" : "0").append(")");
                }
                // labels from the hidden rule, with some flipped
                st.execute("INSERT INTO ex SELECT v.id, CASE WHEN (e.a + e.b > 0) <> (v.flip IS NOT NULL) THEN 1 ELSE 0 END"
                        + " FROM (VALUES " + values + ") v(id, flip) JOIN ent e ON e.id = v.id");
                if (rnd.nextInt(4) == 0) {
                    st.execute("UPDATE ent SET a = " + (rnd.nextDouble() * 2 - 1) + " WHERE id = " + (1 + rnd.nextInt(400)));
                }
                int versionInside = modelVersion(st, "cv");
                if (rollback) {
                    c.rollback();
                    assertThat(modelVersion(st, "cv")).isLessThan(versionInside);
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
                assertViewMatchesLiveModel(st, 0.02);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'cv' AND EVENT IN ('learn', 'reorganize')")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
    }

    @Test
    void badExamplesFailTheirStatementAndChangeNothing() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, body VARCHAR(100))");
            st.execute("INSERT INTO ent VALUES (1, 'cheap pills now'), (2, 'meeting notes attached'), (3, 'win cash now')");
            st.execute("CREATE TABLE ex (id INT, y INT)");
            assertThatThrownBy(() -> st.execute("CREATE CLASSIFICATION VIEW cv KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION bag_of_words(body)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("exactly 2 classes");
                    });
            st.execute("INSERT INTO ex VALUES (1, 1), (2, 0)");
            st.execute("CREATE CLASSIFICATION VIEW cv KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION bag_of_words(body) USING svm");
            int version = modelVersion(st, "cv");
            assertThatThrownBy(() -> st.execute("INSERT INTO ex VALUES (3, 1), (3, NULL)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22004"));
            assertThatThrownBy(() -> st.execute("INSERT INTO ex VALUES (3, 7)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("not one of the view's classes (0, 1)");
                    });
            assertThatThrownBy(() -> st.execute("INSERT INTO ex VALUES (99, 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23503");
                        assertThat(e.getMessage()).contains("no entity");
                    });
            assertThat(modelVersion(st, "cv")).isEqualTo(version);
            st.execute("INSERT INTO ex VALUES (3, 1)");
            assertThat(modelVersion(st, "cv")).isEqualTo(version + 1);
            assertThatThrownBy(() -> st.execute("CREATE CLASSIFICATION VIEW cv2 KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION bag_of_words(body) USING softmax"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
            assertThatThrownBy(() -> st.execute("CREATE CLASSIFICATION VIEW cv2 KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNKTION bag_of_words(body)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42601");
                        assertThat(e.getMessage()).contains("position").contains("FUNCTION");
                    });
        }
    }

    @Test
    void lazyViewsScoreOnRead() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT X, SIN(X), COS(X) FROM SYSTEM_RANGE(1, 50)");
            PredictionViewsH2Test.model(st, "m", 1, -1, 0);
            PredictionViewsH2Test.model(st, "m", -1, 1, 0);
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW lv AS SELECT id, PREDICT('m', a, b) FROM t WITH (mode = lazy)");
            PredictionViewsH2Test.assertViewEqualsFullRescoring(st, "lv", "m");
            st.execute("DEPLOY MODEL m VERSION 2");
            st.execute("INSERT INTO t VALUES (100, 0.5, -0.5)");
            PredictionViewsH2Test.assertViewEqualsFullRescoring(st, "lv", "m");
            assertThat(st.executeUpdate("REFRESH PREDICTION VIEW lv")).isZero();
            st.execute("DROP PREDICTION VIEW lv");
        }
    }
}
