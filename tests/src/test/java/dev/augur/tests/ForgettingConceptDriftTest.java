package dev.augur.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concept drift, on H2 and on PostgreSQL: a stream of examples whose concept flips (the labels invert after example
 * 400) teaches three views at once, one learning as before, one with forget_decay and one with forget_window. After
 * each statement of the flipped stream every view's labels are compared with the new concept over all entities; the
 * forgetting views are markedly more accurate on it while they recover (their mean accuracy over the first 60
 * examples after the flip), and no worse on the old concept before it (they stay useful classifiers).
 */
class ForgettingConceptDriftTest {
    private static final int ENTITIES = 600;
    private static final int BEFORE_FLIP = 400;
    private static final int AFTER_FLIP = 60;
    private static final int BATCH = 5;

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void forgettingViewsRecoverFromAFlippedConceptMarkedlyFaster(ViewsDatabase db) throws Exception {
        Map<String, String> views = new LinkedHashMap<>();
        views.put("cv_plain", "");
        views.put("cv_decay", ", forget_decay = 0.97");
        views.put("cv_window", ", forget_window = 30");
        Random rnd = new Random(17);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO ent SELECT g, sin(g * 12.9898), cos(g * 78.233) FROM " + db.series(ENTITIES));
            st.execute("CREATE TABLE ex (id INT NOT NULL, y INT)");
            st.execute("INSERT INTO ex SELECT id, CASE WHEN a + b > 0 THEN 1 ELSE 0 END FROM ent WHERE id <= 100");
            for (Map.Entry<String, String> v : views.entrySet()) {
                st.execute("CREATE CLASSIFICATION VIEW " + v.getKey() + " KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                        + " FEATURE FUNCTION (a, b) USING logistic WITH (learning_rate = 0.5" + v.getValue() + ")");
            }
            for (int i = 0; i < BEFORE_FLIP; i += 10) {
                learn(st, rnd, 10, false);
            }
            Map<String, Double> beforeFlip = new LinkedHashMap<>();
            for (String v : views.keySet()) {
                beforeFlip.put(v, accuracy(st, v, false));
            }
            Map<String, Double> meanAfterFlip = new LinkedHashMap<>();
            for (int i = 0; i < AFTER_FLIP; i += BATCH) {
                learn(st, rnd, BATCH, true);
                for (String v : views.keySet()) {
                    meanAfterFlip.merge(v, accuracy(st, v, true) / (AFTER_FLIP / BATCH), Double::sum);
                }
            }
            String measured = "accuracy before the flip " + beforeFlip + ", mean accuracy on the new concept after it " + meanAfterFlip;
            System.out.println(db + ": " + measured);
            // before the flip every view has learned the concept
            assertThat(beforeFlip.values()).as(measured).allSatisfy(a -> assertThat(a).isGreaterThan(0.75));
            // the plain view's weights grew over 400 examples and keep the old concept's labels for many flipped ones
            assertThat(meanAfterFlip.get("cv_decay")).as(measured).isGreaterThan(meanAfterFlip.get("cv_plain") + 0.2);
            assertThat(meanAfterFlip.get("cv_window")).as(measured).isGreaterThan(meanAfterFlip.get("cv_plain") + 0.2);
        }
    }

    /** A statement of {@code n} examples of random entities, labelled by the concept (inverted once it flipped). */
    private static void learn(Statement st, Random rnd, int n, boolean flipped) throws SQLException {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < n; i++) {
            values.append(i == 0 ? "" : ", ").append("(").append(1 + rnd.nextInt(ENTITIES)).append(")");
        }
        st.execute("INSERT INTO ex SELECT e.id, CASE WHEN (e.a + e.b > 0) " + (flipped ? "THEN 0 ELSE 1" : "THEN 1 ELSE 0")
                + " END FROM (VALUES " + values + ") v(id) JOIN ent e ON e.id = v.id");
    }

    /** The share of entities whose label in the view is the concept's (the flipped one's after the flip). */
    private static double accuracy(Statement st, String view, boolean flipped) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT AVG(CASE WHEN v.label = (CASE WHEN (e.a + e.b > 0) "
                + (flipped ? "THEN '0' ELSE '1'" : "THEN '1' ELSE '0'") + " END) THEN 1.0 ELSE 0.0 END)"
                + " FROM " + view + " v JOIN ent e ON e.id = v.id")) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
