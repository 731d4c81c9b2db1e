package dev.augur.tests;

import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.view.ViewIndex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.augur.tests.ViewsDatabase.intValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Classification views, run on H2 and on PostgreSQL: online learning keeps the view equal to a full re-scoring by the
 * live model, rolled-back examples are unlearned, and bad examples fail their statement and change nothing.
 * PostgreSQL's stock-client path and roles are in {@link PgClassificationViewsTest}.
 */
class ClassificationViewsTest {
    private static int modelVersion(Statement st, String view) throws SQLException {
        return intValue(st, "SELECT MODEL_VERSION FROM AUGUR.VIEWS WHERE NAME = '" + view + "'");
    }

    /**
     * key -> (label, score, spread) of the view's live model over {@code ent (id, a, b)}, or over {@code ent.body}
     * ({@code text}: FEATURE FUNCTION bag_of_words(body) with hash_bits 8). Each database keeps the live model its own
     * way: H2 as an encoded model (scored by the engine), PostgreSQL as float8 arrays (dense: w . x + b per member,
     * logistic, averaged; the spread the members' population standard deviation; a bag of words: the engine's scoring of
     * the arrays under the view's feature function).
     */
    private static Map<Object, Object[]> liveScoring(ViewsDatabase db, Statement st, String view, boolean text) throws SQLException {
        Map<Object, Object[]> out = new HashMap<>();
        Model model = null;
        if (db == ViewsDatabase.H2) {
            try (ResultSet rs = st.executeQuery("SELECT PAYLOAD, SHA256, VERSION FROM AUGUR.VIEW_MODELS WHERE VIEW_NAME = '" + view
                    + "' AND ROLE = 'live'")) {
                assertThat(rs.next()).isTrue();
                model = ModelCodec.decode(H2Db.bytes(rs.getObject(1)), rs.getString(2), view, rs.getInt(3));
            }
        }
        Double[] w = null;
        Double[] bias = null;
        if (db != ViewsDatabase.H2) {
            try (ResultSet rs = st.executeQuery("SELECT live_weights, coalesce(live_biases, ARRAY[live_bias]), kind FROM augur.view_learners"
                    + " WHERE view_name = '" + view + "'")) {
                assertThat(rs.next()).isTrue();
                w = (Double[]) rs.getArray(1).getArray();
                bias = (Double[]) rs.getArray(2).getArray();
                if (text) {
                    model = Model.of(view, ModelKind.fromSqlName(rs.getString(3)),
                            new BagOfWords("body", BagOfWords.Weighting.BINARY, 1, 8, true, null, null), List.of("0", "1"),
                            Arrays.stream(w).mapToDouble(Double::doubleValue).toArray(),
                            Arrays.stream(bias).mapToDouble(Double::doubleValue).toArray());
                }
            }
        }
        if (model != null) {
            try (ResultSet rs = st.executeQuery("SELECT id, a, b" + (text ? ", body" : "") + " FROM ent")) {
                while (rs.next()) {
                    ViewIndex.Scored s = ViewIndex.score(rs.getObject(1), model, ViewIndex.featuresOf(model,
                            text ? new Object[]{rs.getString(4)} : new Object[]{rs.getDouble(2), rs.getDouble(3)}));
                    out.put(rs.getObject(1), new Object[]{s.label(), s.score(), s.spread()});
                }
            }
            return out;
        }
        int k = bias.length;
        try (ResultSet rs = st.executeQuery("SELECT id, a, b FROM ent")) {
            while (rs.next()) {
                double[] p = new double[k];
                double mean = 0;
                for (int m = 0; m < k; m++) {
                    p[m] = H2Db.sigmoid(w[2 * m] * rs.getDouble(2) + w[2 * m + 1] * rs.getDouble(3) + bias[m]);
                    mean += p[m] / k;
                }
                double ss = 0;
                for (double x : p) {
                    ss += (x - mean) * (x - mean);
                }
                // a single model's label is its margin's sign; an ensemble's the side of 1/2 its mean probability is on
                out.put(rs.getObject(1), new Object[]{mean >= 0.5 ? "1" : "0", mean, k == 1 ? Double.NaN : Math.sqrt(ss / k)});
            }
        }
        return out;
    }

    /** Labels equal to the live model's on every entity, scores (and an ensemble's spreads) within the view's tolerance. */
    private static void assertViewMatchesLiveModel(ViewsDatabase db, Statement st, double tolerance, boolean ensemble, boolean text)
            throws SQLException {
        Map<Object, Object[]> live = liveScoring(db, st, "cv", text);
        Map<Object, Object[]> stored = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, label, score, " + (ensemble ? "spread" : "NULL") + " FROM cv")) {
            while (rs.next()) {
                stored.put(rs.getObject(1), new Object[]{rs.getString(2), rs.getDouble(3), rs.getDouble(4)});
            }
        }
        double slack = Math.max(tolerance, db.exactSlack());
        for (Map.Entry<Object, Object[]> e : live.entrySet()) {
            Object[] row = stored.get(e.getKey());
            assertThat(row).as("view row of entity " + e.getKey()).isNotNull();
            assertThat(row[0]).as("label of entity " + e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(Math.abs((double) row[1] - (double) e.getValue()[1])).as("score of entity " + e.getKey())
                    .isLessThanOrEqualTo(slack);
            if (ensemble) {
                assertThat(Math.abs((double) row[2] - (double) e.getValue()[2])).as("spread of entity " + e.getKey())
                        .isLessThanOrEqualTo(slack);
            }
        }
        assertThat(stored).hasSameSizeAs(live);
    }

    /** Dense features (a, b) of every kind, with forgetting by decay and by window; a bag of words (the entity's body) of an ensemble. */
    static Stream<Arguments> databasesAndKinds() {
        return Stream.of(ViewsDatabase.values()).flatMap(db -> Stream.of(
                Arguments.of(db, "logistic", "", false), Arguments.of(db, "bagged_logistic", "", false), Arguments.of(db, "bagged_svm", "", false),
                Arguments.of(db, "logistic", ", forget_decay = 0.9", false), Arguments.of(db, "logistic", ", forget_window = 7", false),
                Arguments.of(db, "bagged_logistic", ", forget_window = 5", false), Arguments.of(db, "bagged_svm", ", forget_decay = 0.95", false),
                Arguments.of(db, "bagged_logistic", "", true)));
    }

    /** An entity's text, in SQL: words that tell the sign of a (and of b), so that a bag of words can learn a + b > 0. */
    private static String bodyOf(String a, String b) {
        return "CASE WHEN " + a + " > 0 THEN 'cheap win' ELSE 'team lunch' END || CASE WHEN " + b + " > 0 THEN ' now' ELSE ' report' END"
                + " || CASE WHEN " + a + " + " + b + " > 0.5 THEN ' free offer' ELSE '' END";
    }

    /**
     * A random interleaving of example batches (some labels flipped), entity updates, commits and rollbacks: after every
     * one the view equals a full re-scoring by the live model within its tolerance. Ensembles learn by online bagging;
     * a forgetting view's live model jumps where a window ends, and the guarantee holds all the same.
     */
    @ParameterizedTest
    @MethodSource("databasesAndKinds")
    void learnsFromInsertedExamplesAndUndoesRolledBackOnes(ViewsDatabase db, String kind, String forgetting, boolean text) throws Exception {
        Random rnd = new Random(3);
        boolean ensemble = kind.startsWith("bagged_");
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, body VARCHAR(100))");
            st.execute("INSERT INTO ent SELECT g, sin(g * 12.9898), cos(g * 78.233), NULL FROM " + db.series(400));
            st.execute("UPDATE ent SET body = " + bodyOf("a", "b"));
            st.execute("CREATE TABLE ex (id INT NOT NULL, y INT)");
            st.execute("INSERT INTO ex SELECT id, CASE WHEN a + b > 0 THEN 1 ELSE 0 END FROM ent WHERE id <= 40");
            st.execute("CREATE CLASSIFICATION VIEW cv KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION " + (text ? "bag_of_words(body)" : "(a, b)") + " USING " + kind
                    + " WITH (learning_rate = 0.3, tolerance = 0.02" + (ensemble ? ", members = 4, seed = 11" : "")
                    + (text ? ", hash_bits = 8" : "") + forgetting + ")");
            assertViewMatchesLiveModel(db, st, 0.02, ensemble, text);
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
                    String a = Double.toString(rnd.nextDouble() * 2 - 1);
                    st.execute("UPDATE ent SET a = " + a + ", body = " + bodyOf(a, "b") + " WHERE id = " + (1 + rnd.nextInt(400)));
                }
                int versionInside = modelVersion(st, "cv");
                if (rollback) {
                    c.rollback();
                    assertThat(modelVersion(st, "cv")).isLessThan(versionInside);
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
                assertViewMatchesLiveModel(db, st, 0.02, ensemble, text);
            }
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'cv' AND EVENT IN ('learn', 'reorganize')"))
                    .isPositive();
            if (ensemble) {
                // the members disagree somewhere: bootstrap samples and Poisson draws made them differ
                assertThat(intValue(st, "SELECT COUNT(*) FROM cv WHERE spread > 0")).isPositive();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void badExamplesFailTheirStatementAndChangeNothing(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
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

    static Stream<Arguments> forgettingKinds() {
        return Stream.of(ViewsDatabase.values()).flatMap(db -> Stream.of(
                Arguments.of(db, "logistic", "forget_window = 4", "seed = 42"), Arguments.of(db, "svm", "forget_decay = 0.8", "seed = 42"),
                Arguments.of(db, "bagged_logistic", "forget_decay = 0.8", "members = 3"),
                Arguments.of(db, "bagged_svm", "forget_window = 4", "members = 3")));
    }

    /**
     * What a view forgets is transactional: a view whose examples took a rolled-back statement (one that crossed a
     * window's end, or decayed the model seven times) has, after the same later examples, the live model of a view
     * that never saw it; and the option is in effect (a view without it learns another model from the same examples).
     */
    @ParameterizedTest
    @MethodSource("forgettingKinds")
    void aRolledBackStatementLeavesNoTraceInWhatTheViewForgets(ViewsDatabase db, String kind, String forgetting, String others)
            throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO ent SELECT g, sin(g * 12.9898), cos(g * 78.233) FROM " + db.series(200));
            for (String ex : new String[]{"ex_rolled", "ex_clean"}) {
                st.execute("CREATE TABLE " + ex + " (id INT NOT NULL, y INT)");
                st.execute("INSERT INTO " + ex + " SELECT id, CASE WHEN a + b > 0 THEN 1 ELSE 0 END FROM ent WHERE id <= 30");
            }
            String create = "CREATE CLASSIFICATION VIEW %s KEY id ENTITIES FROM ent EXAMPLES FROM %s KEY id LABEL y"
                    + " FEATURE FUNCTION (a, b) USING " + kind + " WITH (learning_rate = 0.3, " + others + "%s)";
            st.execute(String.format(create, "cv_rolled", "ex_rolled", ", " + forgetting));
            st.execute(String.format(create, "cv_clean", "ex_clean", ", " + forgetting));
            st.execute(String.format(create, "cv_plain", "ex_clean", ""));
            // the concept flipped: labels the opposite of the first model's, so every step moves it
            String batch = "INSERT INTO %s SELECT id, CASE WHEN a + b > 0 THEN 0 ELSE 1 END FROM ent WHERE id BETWEEN %d AND %d";
            for (String ex : new String[]{"ex_rolled", "ex_clean"}) {
                st.execute(String.format(batch, ex, 31, 36));
            }
            c.setAutoCommit(false);
            st.execute(String.format(batch, "ex_rolled", 37, 43));
            c.rollback();
            c.setAutoCommit(true);
            for (String ex : new String[]{"ex_rolled", "ex_clean"}) {
                st.execute(String.format(batch, ex, 44, 48));
            }
            Map<Object, Object[]> rolled = liveScoring(db, st, "cv_rolled", false);
            Map<Object, Object[]> clean = liveScoring(db, st, "cv_clean", false);
            Map<Object, Object[]> plain = liveScoring(db, st, "cv_plain", false);
            int differsFromPlain = 0;
            for (Map.Entry<Object, Object[]> e : clean.entrySet()) {
                assertThat(rolled.get(e.getKey())).as("entity " + e.getKey()).containsExactly(e.getValue());
                differsFromPlain += (double) plain.get(e.getKey())[1] != (double) e.getValue()[1] ? 1 : 0;
            }
            assertThat(differsFromPlain).isEqualTo(clean.size());
        }
    }

    /** Forgetting's options are checked (22023 naming the option and what it takes) and shown in AUGUR.VIEWS. */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void forgettingOptionsAreCheckedAndVisible(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION)");
            st.execute("INSERT INTO ent VALUES (1, 0.5), (2, -0.5)");
            st.execute("CREATE TABLE ex (id INT, y INT)");
            st.execute("INSERT INTO ex VALUES (1, 1), (2, 0)");
            String create = "CREATE CLASSIFICATION VIEW %s KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION (a) USING %s WITH (%s)";
            for (String decay : new String[]{"0", "1.5", "-0.25"}) {
                fails(st, String.format(create, "cv", "logistic", "forget_decay = " + decay), "22023",
                        "option forget_decay must be a number in (0, 1]", "1 forgets nothing", "got " + decay);
            }
            fails(st, String.format(create, "cv", "logistic", "forget_decay = '0.9'"), "22023", "option forget_decay must be a number");
            for (String window : new String[]{"0", "2.5", "-3", "1000000001"}) {
                fails(st, String.format(create, "cv", "bagged_logistic", "forget_window = " + window), "22023",
                        "option forget_window must be an integer between 1 and 1000000000", "got " + window);
            }
            fails(st, String.format(create, "cv", "logistic", "forget_decay = 0.9, forget_window = 10"), "22023",
                    "options forget_decay and forget_window are two ways to forget: give one of them");
            fails(st, "CREATE PREDICTION VIEW pv AS SELECT id, PREDICT('m', a) FROM ent WITH (forget_window = 10)", "22023",
                    "option forget_window is for classification views", "CREATE CLASSIFICATION VIEW ... WITH (forget_window = ...)");
            fails(st, "CREATE PREDICTION VIEW pv AS SELECT id, PREDICT('m', a) FROM ent WITH (mode = eager, forget_decay = 0.9)", "22023",
                    "option forget_decay is for classification views");
            st.execute(String.format(create, "cv_decay", "logistic", "forget_decay = 0.97"));
            st.execute(String.format(create, "cv_window", "bagged_svm", "forget_window = 50, members = 2"));
            st.execute(String.format(create, "cv_plain", "svm", "learning_rate = 0.5"));
            try (ResultSet rs = st.executeQuery("SELECT NAME, FORGET_DECAY, FORGET_WINDOW FROM AUGUR.VIEWS WHERE NAME LIKE 'cv_%' ORDER BY NAME")) {
                assertThat(rs.next()).isTrue();
                assertThat(new Object[]{rs.getString(1), rs.getObject(2), rs.getObject(3)}).containsExactly("cv_decay", 0.97, null);
                assertThat(rs.next()).isTrue();
                assertThat(new Object[]{rs.getString(1), rs.getObject(2), rs.getInt(3)}).containsExactly("cv_plain", null, 0);
                assertThat(rs.next()).isTrue();
                assertThat(new Object[]{rs.getString(1), rs.getObject(2), rs.getInt(3)}).containsExactly("cv_window", null, 50);
            }
        }
    }

    /** An ensemble's options are checked: members from 2, members only for a bagged kind; a bag of words is taken. */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void ensemblesRefuseTooFewMembersAndTakeBagsOfWords(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION, body VARCHAR(100))");
            st.execute("INSERT INTO ent VALUES (1, 0.5, 'cheap pills now'), (2, -0.5, 'meeting notes attached')");
            st.execute("CREATE TABLE ex (id INT, y INT)");
            st.execute("INSERT INTO ex VALUES (1, 1), (2, 0)");
            String create = "CREATE CLASSIFICATION VIEW cv KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION %s USING %s WITH (%s)";
            fails(st, String.format(create, "(a)", "bagged_logistic", "members = 1"), "22023", "option members", "between 2 and");
            fails(st, String.format(create, "(a)", "logistic", "members = 3"), "22023", "option members", "USING bagged_logistic");
            fails(st, String.format(create, "(a)", "bagged_linear", "members = 3"), "22023",
                    "USING logistic or svm, or bagged_logistic or bagged_svm for an ensemble");
            st.execute(String.format(create, "(a)", "bagged_svm", "members = 2"));
            assertThat(intValue(st, "SELECT COUNT(*) FROM cv WHERE spread IS NOT NULL")).isEqualTo(2);
            st.execute(String.format(create.replace("VIEW cv ", "VIEW cvb "), "bag_of_words(body)", "bagged_svm", "members = 3, hash_bits = 6"));
            assertThat(intValue(st, "SELECT COUNT(*) FROM cvb WHERE spread IS NOT NULL")).isEqualTo(2);
        }
    }

    private static void fails(Statement st, String sql, String state, String... fragments) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state);
            assertThat(e.getMessage()).contains(fragments);
        });
    }

    /** The seed is any 64-bit integer on both databases, as the engine takes it (PostgreSQL took 1 to 18 digits, and text). */
    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void theSeedIsAny64BitIntegerOnBothDatabases(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ent (id INT PRIMARY KEY, body VARCHAR(100))");
            st.execute("INSERT INTO ent VALUES (1, 'cheap pills now'), (2, 'meeting notes attached'), (3, 'win cash now')");
            st.execute("CREATE TABLE ex (id INT, y INT)");
            st.execute("INSERT INTO ex VALUES (1, 1), (2, 0)");
            String create = "CREATE CLASSIFICATION VIEW %s KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                    + " FEATURE FUNCTION bag_of_words(body) WITH (seed = %s)";
            st.execute(String.format(create, "cv_min", "-9223372036854775808"));
            st.execute(String.format(create, "cv_max", "9223372036854775807"));
            st.execute(String.format(create, "cv_whole", "42.0"));
            for (String bad : new String[]{"'42'", "9223372036854775808", "4.5"}) {
                assertThatThrownBy(() -> st.execute(String.format(create, "cv_bad", bad))).as(bad)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("22023");
                            assertThat(e.getMessage()).contains("seed", "64-bit integer");
                        });
            }
        }
    }
}
