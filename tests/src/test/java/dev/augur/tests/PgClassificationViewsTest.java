package dev.augur.tests;

import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.LinearSgd;
import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Classification views on PostgreSQL through a stock client (pgjdbc, no Augur driver): after every committed
 * transaction the live model equals the engine's LinearSgd replaying the committed examples on the engine's feature
 * vectors, and the view equals a full re-scoring under it; a rolled-back transaction leaves model and view as they
 * were. A role granted only augur_user may feed examples (the triggers run as the view's creator) and read the view.
 */
class PgClassificationViewsTest {
    private static final String[] WORDS = {"buy", "now", "cheap", "offer", "free", "win", "hello", "meeting", "team", "lunch",
            "report", "thanks", "Monday", "prize", "click", "project"};
    private static final double RATE = 0.3;
    private static final double L2 = 1e-6;

    private static String body(Random rnd) {
        StringBuilder b = new StringBuilder();
        for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
            b.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextInt(3) == 0 ? ", " : " ");
        }
        return b.toString();
    }

    @Test
    void viewAndLiveModelFollowEveryCommittedExampleAndNothingRolledBack() throws Exception {
        String url = PgServer.newDatabase("cviews");
        String user = "carol_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        Random rnd = new Random(3);
        Map<Integer, String> bodies = new HashMap<>();
        try (Connection su = new AugurDataSource(url, null, null, null).getConnection()) {
            // the catalog is installed on connect; everything below is plain SQL a stock client can send
            H2Db.exec(su, "CREATE TABLE docs (id INT PRIMARY KEY, body TEXT)", "CREATE TABLE labels (id INT PRIMARY KEY, spam INT)",
                    "CREATE ROLE " + user + " LOGIN", "GRANT augur_user TO " + user, "GRANT SELECT, INSERT ON labels TO " + user);
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (int id = 1; id <= 60; id++) {
                bodies.put(id, body(rnd));
                st.execute("INSERT INTO docs VALUES (" + id + ", '" + bodies.get(id) + "')");
            }
            for (int id = 1; id <= 12; id++) {
                st.execute("INSERT INTO labels VALUES (" + id + ", " + (id % 2) + ")");
            }
            assertThat(H2Db.intValue(c, "SELECT augur.create_classification_view('cv', 'docs', 'id', 'labels', 'id', 'spam', "
                    + "'bag_of_words(body)', 'logistic', '{\"hash_bits\": 10, \"learning_rate\": " + RATE + ", \"tolerance\": 0}')")).isEqualTo(60);
            BagOfWords features = new BagOfWords("body", BagOfWords.Weighting.BINARY, 1, 10, true, null, null);
            double[][] live = live(c);
            int version = 1;
            assertMatchesRescoring(c, features, bodies, live);
            List<Integer> unlabeled = new ArrayList<>();
            for (int id = 13; id <= 60; id++) {
                unlabeled.add(id);
            }
            c.setAutoCommit(false);
            int commits = 0;
            int rollbacks = 0;
            for (int round = 0; round < 30 && unlabeled.size() > 6; round++) {
                List<int[]> examples = new ArrayList<>();
                StringBuilder values = new StringBuilder();
                for (int k = 1 + rnd.nextInt(5); k > 0; k--) {
                    int id = unlabeled.get(rnd.nextInt(unlabeled.size()));
                    if (examples.stream().anyMatch(e -> e[0] == id)) {
                        continue;
                    }
                    int spam = rnd.nextInt(2);
                    examples.add(new int[]{id, spam});
                    values.append(values.length() == 0 ? "" : ", ").append("(").append(id).append(", ").append(spam).append(")");
                }
                int edited = 1 + rnd.nextInt(60);
                String newBody = body(rnd);
                st.execute("UPDATE docs SET body = '" + newBody + "' WHERE id = " + edited);
                st.execute("INSERT INTO labels VALUES " + values);
                if (rnd.nextInt(3) == 0) {
                    c.rollback();
                    rollbacks++;
                    assertThat(live(c)[1][0]).as("bias after a rollback").isEqualTo(live[1][0]);
                    assertThat(H2Db.intValue(c, "SELECT model_version FROM augur.views WHERE name = 'cv'")).isEqualTo(version);
                } else {
                    c.commit();
                    commits++;
                    bodies.put(edited, newBody);
                    // the engine replays the statement's examples, in order, from the last committed live model
                    LinearSgd sgd = new LinearSgd(ModelKind.LOGISTIC, 1 << 10, 1, L2, live[0], live[1]);
                    for (int[] e : examples) {
                        sgd.step(features.vectorize(bodies.get(e[0])), e[1], RATE);
                        unlabeled.remove(Integer.valueOf(e[0]));
                    }
                    live = live(c);
                    version++;
                    double[] w = sgd.weights();
                    for (int i = 0; i < w.length; i++) {
                        assertThat(live[0][i]).as("weight %d after round %d", i, round).isCloseTo(w[i], within(1e-12));
                    }
                    assertThat(live[1][0]).as("bias after round %d", round).isCloseTo(sgd.bias()[0], within(1e-12));
                    assertThat(H2Db.intValue(c, "SELECT model_version FROM augur.views WHERE name = 'cv'")).isEqualTo(version);
                }
                c.commit();
                assertMatchesRescoring(c, features, bodies, live);
            }
            c.setAutoCommit(true);
            assertThat(commits).isGreaterThan(10);
            assertThat(rollbacks).isGreaterThan(3);
            // one maintenance event per committed INSERT of examples (tolerance 0 moves every margin: each re-scores in full)
            assertThat(H2Db.intValue(c, "SELECT count(*) FROM augur.view_events WHERE view_name = 'cv' AND event IN ('learn', 'reorganize')"))
                    .isEqualTo(commits);
        }
        // a role with augur_user only: feeds examples through the triggers, reads the view, administers nothing
        try (Connection u = DriverManager.getConnection(url.replaceFirst("user=[^&]*", "user=" + user))) {
            int before = H2Db.intValue(u, "SELECT model_version FROM augur.views WHERE name = 'cv'");
            int id = H2Db.intValue(u, "SELECT min(d.id) FROM cv d WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.id = d.id)");
            H2Db.exec(u, "INSERT INTO labels VALUES (" + id + ", 1)");
            assertThat(H2Db.intValue(u, "SELECT model_version FROM augur.views WHERE name = 'cv'")).isEqualTo(before + 1);
            assertThat(H2Db.intValue(u, "SELECT count(*) FROM cv WHERE label IN ('0', '1')")).isEqualTo(60);
            for (String sql : List.of("SELECT augur.create_classification_view('cv2', 'docs', 'id', 'labels', 'id', 'spam', 'bag_of_words(body)')",
                    "UPDATE augur.view_learners SET live_bias = 0", "SELECT augur.drop_prediction_view('cv')")) {
                assertThatThrownBy(() -> H2Db.exec(u, sql)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(sql).isEqualTo("42501"));
            }
        }
    }

    /** The live model: its weights and, alone in the second array, its bias. */
    private static double[][] live(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT live_weights, live_bias FROM augur.view_learners WHERE view_name = 'cv'")) {
            assertThat(rs.next()).isTrue();
            Array a = rs.getArray(1);
            Double[] boxed = (Double[]) a.getArray();
            double[] w = new double[boxed.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = boxed[i];
            }
            return new double[][]{w, {rs.getDouble(2)}};
        }
    }

    /** Every row of the view equals the live model's scoring of the entity's current text by the engine's features. */
    private static void assertMatchesRescoring(Connection c, BagOfWords features, Map<Integer, String> bodies, double[][] live)
            throws SQLException {
        int rows = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, margin, score, label FROM cv ORDER BY id")) {
            while (rs.next()) {
                rows++;
                SparseVector x = features.vectorize(bodies.get(rs.getInt(1)));
                double m = live[1][0];
                for (int j = 0; j < x.indices().length; j++) {
                    m += live[0][x.indices()[j]] * x.values()[j];
                }
                assertThat(rs.getDouble(2)).as("margin of %d", rs.getInt(1)).isCloseTo(m, within(1e-9));
                assertThat(rs.getDouble(3)).as("score of %d", rs.getInt(1)).isCloseTo(1 / (1 + Math.exp(-m)), within(1e-9));
                assertThat(rs.getString(4)).as("label of %d", rs.getInt(1)).isEqualTo(m >= 0 ? "1" : "0");
            }
        }
        assertThat(rows).isEqualTo(bodies.size());
    }
}
