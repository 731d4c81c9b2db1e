package dev.augur.tests;

import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Eager prediction views of bag-of-words models, run on H2 and on PostgreSQL (migration V5): after every committed
 * change the view equals PREDICT / PREDICT_LABEL over the base table (bit for bit on H2, within 1e-12 on PostgreSQL), and its norms are those of each document's
 * feature vector (the engine's {@link BagOfWords#vectorize}), through data changes, deploys that keep the feature
 * function (Hölder-bound maintenance) and deploys that change it (full re-scoring), with rollbacks.
 */
class BagOfWordsViewsTest {
    private static final String[] WORDS = {"buy", "now", "cheap", "hello", "meeting", "offer", "free", "team", "lunch", "win",
            "prize", "report", "call", "today", "click"};

    /**
     * A bag-of-words model version as the catalog stores it: the engine's reading of the imported JSON ({@link ModelJson}), whose
     * view values (margin, spread) a full re-scoring gives.
     */
    record Bow(String kind, BagOfWords features, Model model) {
        double margin(String text) {
            return values(text).margin();
        }

        double spread(String text) {
            return values(text).spread();
        }

        boolean ensemble() {
            return model.kind().isEnsemble();
        }

        boolean labelled() {
            return model.kind().isClassifier();
        }

        private Model.ViewValues values(String text) {
            return model.viewValues(model.margins(features.vectorize(text)));
        }
    }

    static Bow importBow(Statement st, String name, String kind, String weighting, int ngrams, int hashBits, boolean normalize,
                         String[] vocab, double[] idf, double[] weights, double bias) throws SQLException {
        return importBow(st, name, kind, weighting, ngrams, hashBits, normalize, vocab, idf, nums(weights), num(bias));
    }

    /** A bagged ensemble's version: one weight row and one bias per member. */
    static Bow importBowEnsemble(Statement st, String name, String kind, String weighting, int ngrams, int hashBits, boolean normalize,
                                 String[] vocab, double[] idf, double[][] weights, double[] bias) throws SQLException {
        StringBuilder rows = new StringBuilder("[");
        for (int k = 0; k < weights.length; k++) {
            rows.append(k == 0 ? "" : ",").append(nums(weights[k]));
        }
        return importBow(st, name, kind, weighting, ngrams, hashBits, normalize, vocab, idf, rows.append(']').toString(), nums(bias));
    }

    private static Bow importBow(Statement st, String name, String kind, String weighting, int ngrams, int hashBits, boolean normalize,
                                 String[] vocab, double[] idf, String weights, String bias) throws SQLException {
        StringBuilder json = new StringBuilder("{\"name\":\"" + name + "\",\"kind\":\"" + kind + "\",\"features\":{\"type\":\"bag_of_words\","
                + "\"input\":\"body\",\"weighting\":\"" + weighting + "\",\"ngrams\":" + ngrams + ",\"hash_bits\":" + hashBits
                + ",\"normalize\":" + normalize);
        if (hashBits == 0) {
            json.append(",\"vocabulary\":[");
            for (int i = 0; i < vocab.length; i++) {
                json.append(i == 0 ? "" : ",").append('"').append(vocab[i]).append('"');
            }
            json.append(']');
        }
        if (idf != null) {
            json.append(",\"idf\":").append(nums(idf));
        }
        json.append("},").append(kind.endsWith("linear") ? "" : "\"classes\":[\"ham\",\"spam\"],")
                .append("\"weights\":").append(weights).append(",\"bias\":").append(bias).append('}');
        st.executeQuery("SELECT AUGUR.IMPORT_MODEL('" + name + "', '" + json + "')").close();
        BagOfWords f = new BagOfWords("body", BagOfWords.Weighting.fromSqlName(weighting), ngrams, hashBits, normalize,
                hashBits == 0 ? vocab : new String[0], idf);
        return new Bow(kind, f, ModelJson.fromJson(json.toString()));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    private static String nums(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(num(v[i]));
        }
        return sb.append(']').toString();
    }

    static double[] randomWeights(Random rnd, int n, double[] around, double spread) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = (around == null ? rnd.nextGaussian() : around[i]) + rnd.nextGaussian() * spread;
            if (rnd.nextInt(8) == 0 && around == null) {
                w[i] = 0;  // stored sparse: a missing weight is 0
            }
        }
        return w;
    }

    static String randomText(Random rnd) {
        int n = rnd.nextInt(9);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : rnd.nextInt(5) == 0 ? ", " : " ");
            String w = rnd.nextInt(10) == 0 ? "zzz" + rnd.nextInt(3) : WORDS[rnd.nextInt(WORDS.length)];
            sb.append(rnd.nextInt(6) == 0 ? w.toUpperCase(Locale.ROOT) : w);
        }
        return sb.toString();
    }

    static String lit(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }

    /**
     * The view against PREDICT / PREDICT_LABEL over docs with the deployed model: the same keys, labels and scores
     * (within 1e-12, or {@code tolerance}), NULLs for NULL texts; an ensemble's spreads against PREDICT_STDDEV within the
     * same; with {@code expected} (the deployed version) also the margins (the engine's view margins) and the norms of
     * the engine's feature vectors, within 1e-12.
     */
    static void assertView(ViewsDatabase db, Statement st, String view, String model, double tolerance, Bow expected) throws SQLException {
        boolean ensemble = expected != null && expected.ensemble();
        Map<Integer, Object[]> rows = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT id, score, label, margin, norm_1, norm_2, norm_inf, model_version"
                + (ensemble ? ", spread" : "") + " FROM " + view)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), new Object[]{rs.getObject(2), rs.getString(3), rs.getObject(4), rs.getObject(5), rs.getObject(6),
                        rs.getObject(7), rs.getObject(8), ensemble ? rs.getObject(9) : null});
            }
        }
        int deployed;
        try (ResultSet rs = st.executeQuery("SELECT version FROM augur.deployed WHERE name = '" + model + "'")) {
            rs.next();
            deployed = rs.getInt(1);
        }
        boolean labelled = expected == null || expected.labelled();
        int n = 0;
        try (ResultSet rs = st.executeQuery("SELECT id, body, PREDICT('" + model + "', body), "
                + (labelled ? "PREDICT_LABEL('" + model + "', body)" : "CAST(NULL AS VARCHAR(10))") + ", "
                + (ensemble ? "PREDICT_STDDEV('" + model + "', body)" : "CAST(NULL AS DOUBLE PRECISION)") + " FROM docs")) {
            while (rs.next()) {
                n++;
                int key = rs.getInt(1);
                String body = rs.getString(2);
                Object[] r = rows.get(key);
                assertThat(r).as("view row of key %s", key).isNotNull();
                Double full = (Double) rs.getObject(3);
                if (full == null) {
                    assertThat(r).as("row of key %s (NULL text)", key).containsOnlyNulls();
                    continue;
                }
                double slack = Math.max(tolerance, db.exactSlack());
                assertThat(r[0]).as("score of key %s", key).isNotNull();
                assertThat(Math.abs((Double) r[0] - full)).as("score of key %s", key).isLessThanOrEqualTo(slack);
                assertThat(r[1]).as("label of key %s", key).isEqualTo(rs.getString(4));
                if (ensemble) {
                    assertThat(r[7]).as("spread of key %s", key).isNotNull();
                    assertThat(Math.abs((Double) r[7] - rs.getDouble(5))).as("spread of key %s", key).isLessThanOrEqualTo(slack);
                }
                if (tolerance == 0) {
                    assertThat(((Number) r[6]).intValue()).as("model version of key %s", key).isEqualTo(deployed);
                }
                if (expected != null) {
                    SparseVector x = expected.features().vectorize(body);
                    if (tolerance == 0) {
                        assertThat((Double) r[2]).as("margin of key %s", key).isCloseTo(expected.margin(body), org.assertj.core.data.Offset.offset(1e-12));
                        if (ensemble) {
                            assertThat((Double) r[7]).as("spread of key %s (the engine's)", key)
                                    .isCloseTo(expected.spread(body), org.assertj.core.data.Offset.offset(1e-12));
                        }
                    }
                    assertThat((Double) r[3]).as("norm_1 of key %s", key).isCloseTo(x.norm(1), org.assertj.core.data.Offset.offset(1e-12));
                    assertThat((Double) r[4]).as("norm_2 of key %s", key).isCloseTo(x.norm(2), org.assertj.core.data.Offset.offset(1e-12));
                    assertThat((Double) r[5]).as("norm_inf of key %s", key)
                            .isCloseTo(x.norm(Double.POSITIVE_INFINITY), org.assertj.core.data.Offset.offset(1e-12));
                }
            }
        }
        assertThat(rows).as("view rows").hasSize(n);
    }

    static int intValue(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String lastEvent(Statement st, String view) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT event FROM augur.view_events WHERE view_name = '" + view + "' ORDER BY id DESC LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void fillDocs(Statement st, Random rnd, int n) throws SQLException {
        st.execute("CREATE TABLE docs (id INT PRIMARY KEY, body VARCHAR(1000), note VARCHAR(10))");
        StringBuilder sb = new StringBuilder("INSERT INTO docs VALUES ");
        for (int i = 1; i <= n; i++) {
            sb.append(i == 1 ? "" : ", ").append('(').append(i).append(", ").append(i % 37 == 0 ? "NULL" : lit(randomText(rnd))).append(", 'n')");
        }
        st.execute(sb.toString());
    }

    private static final String[] VOCAB = {"buy", "now", "buy now", "cheap", "hello", "meeting", "offer", "free", "free offer",
            "team", "lunch", "win", "prize", "win prize", "report"};
    private static final String[] VOCAB2 = {"buy", "cheap", "hello", "team", "click", "today", "call", "call today"};

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void eagerViewFollowsDataAndDeploysOfEveryFeatureFunction(ViewsDatabase db) throws Exception {
        Random rnd = new Random(3);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            fillDocs(st, rnd, 120);
            double[] idf = new double[VOCAB.length];
            for (int i = 0; i < idf.length; i++) {
                idf[i] = 0.5 + rnd.nextDouble() * 2;
            }
            double[] w1 = randomWeights(rnd, VOCAB.length, null, 0);
            List<Bow> versions = new ArrayList<>();
            versions.add(importBow(st, "spam", "logistic", "tfidf", 2, 0, true, VOCAB, idf, w1, -0.1));
            // 2: the same feature function, weights nudged (the Hölder bound covers it)
            versions.add(importBow(st, "spam", "logistic", "tfidf", 2, 0, true, VOCAB, idf, randomWeights(rnd, VOCAB.length, w1, 0.01), -0.1));
            // 3: another vocabulary (no bound: full re-scoring, new norms)
            versions.add(importBow(st, "spam", "logistic", "tf", 2, 0, false, VOCAB2, null, randomWeights(rnd, VOCAB2.length, null, 0), 0.2));
            // 4: hashing, binary, normalized; 5: the same with other weights
            double[] w4 = randomWeights(rnd, 16, null, 0);
            versions.add(importBow(st, "spam", "svm", "binary", 1, 4, true, null, null, w4, 0.05));
            versions.add(importBow(st, "spam", "svm", "binary", 1, 4, true, null, null, randomWeights(rnd, 16, w4, 0.02), 0.04));
            // 6: hashing, tf-idf
            double[] idf6 = new double[8];
            for (int i = 0; i < 8; i++) {
                idf6[i] = 0.5 + rnd.nextDouble();
            }
            versions.add(importBow(st, "spam", "svm", "tfidf", 2, 3, false, null, idf6, randomWeights(rnd, 8, null, 0), -0.02));
            st.execute("DEPLOY MODEL spam VERSION 1");
            assertThat(st.executeUpdate("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('spam', body) FROM docs")).isEqualTo(120);
            assertView(db, st, "v", "spam", 0, versions.get(0));
            st.execute("INSERT INTO docs VALUES (1000, 'Buy NOW, buy now: cheap!', 'x'), (1001, NULL, 'y'), (1002, '', 'z'),"
                    + " (1003, 'nothing in the vocabulary', 'w')");
            st.execute("UPDATE docs SET body = body || ' free offer' WHERE MOD(id, 7) = 0");
            st.execute("UPDATE docs SET note = 'm' WHERE MOD(id, 5) = 0");
            st.execute("UPDATE docs SET body = NULL WHERE id = 3");
            st.execute("UPDATE docs SET body = 'hello team lunch' WHERE id = 37");
            st.execute("UPDATE docs SET id = 2000 WHERE id = 4");
            st.execute("DELETE FROM docs WHERE MOD(id, 11) = 0");
            assertView(db, st, "v", "spam", 0, versions.get(0));
            try (ResultSet rs = st.executeQuery("SELECT norm_1, norm_2, norm_inf, margin FROM v WHERE id = 1002")) {
                rs.next();
                assertThat(rs.getDouble(1)).isZero();
                assertThat(rs.getDouble(2)).isZero();
                assertThat(rs.getDouble(3)).isZero();
                assertThat(rs.getDouble(4)).isEqualTo(-0.1);
            }
            st.execute("DEPLOY MODEL spam VERSION 2");
            assertView(db, st, "v", "spam", 0, versions.get(1));
            // the same feature function: a bound covers the change (with tolerance 0 it leaves most rows to re-score,
            // which re-anchors; a view with a tolerance re-scores only the band)
            assertThat(st.executeUpdate("CREATE PREDICTION VIEW vt AS SELECT id, PREDICT('spam', body) FROM docs WITH (tolerance = 0.05)"))
                    .isPositive();
            st.execute("DEPLOY MODEL spam VERSION 1");
            st.execute("DEPLOY MODEL spam VERSION 2");
            assertView(db, st, "vt", "spam", 0.05, versions.get(1));
            assertThat(lastEvent(st, "vt")).isEqualTo("deploy");
            assertThat(intValue(st, "SELECT rows_rescored FROM augur.view_events WHERE view_name = 'vt' ORDER BY id DESC LIMIT 1"))
                    .isLessThan(intValue(st, "SELECT COUNT(*) FROM vt"));
            assertThat(st.executeUpdate("DROP PREDICTION VIEW vt")).isEqualTo(1);
            st.execute("INSERT INTO docs VALUES (1004, 'win prize now', 'x')");
            st.execute("UPDATE docs SET body = 'meeting report' WHERE id = 1000");
            assertView(db, st, "v", "spam", 0, versions.get(1));
            for (int v = 3; v <= 6; v++) {
                st.execute("DEPLOY MODEL spam VERSION " + v);
                assertView(db, st, "v", "spam", 0, versions.get(v - 1));
                if (v != 5) {
                    assertThat(lastEvent(st, "v")).as("deploy of version %s (another feature function)", v).isEqualTo("reorganize");
                }
                st.execute("INSERT INTO docs VALUES (" + (3000 + v) + ", " + lit(randomText(rnd)) + ", 'x')");
                st.execute("UPDATE docs SET body = " + lit(randomText(rnd)) + " WHERE MOD(id, 13) = " + v);
                assertView(db, st, "v", "spam", 0, versions.get(v - 1));
            }
            st.execute("ROLLBACK MODEL spam");
            assertView(db, st, "v", "spam", 0, versions.get(4));
            assertThat(lastEvent(st, "v")).isEqualTo("reorganize");
            // a deploy and data changes rolled back leave the view as it was
            c.setAutoCommit(false);
            st.execute("INSERT INTO docs VALUES (5000, 'cheap cheap cheap', 'r')");
            st.execute("DEPLOY MODEL spam VERSION 1");
            st.execute("DELETE FROM docs WHERE id < 100");
            assertView(db, st, "v", "spam", 0, versions.get(0));
            c.rollback();
            c.setAutoCommit(true);
            assertView(db, st, "v", "spam", 0, versions.get(4));
            assertThat(st.executeUpdate("REFRESH PREDICTION VIEW v FULL")).isZero();
            assertView(db, st, "v", "spam", 0, versions.get(4));
            st.execute("TRUNCATE TABLE docs");
            assertThat(intValue(st, "SELECT COUNT(*) FROM v")).as("rows left in the view after TRUNCATE of its base table").isZero();
            st.execute("INSERT INTO docs VALUES (1, 'free offer now', 'a')");
            assertView(db, st, "v", "spam", 0, versions.get(4));
            assertThat(st.executeUpdate("DROP PREDICTION VIEW v")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void randomInterleavingsKeepTheViewEqualToPredict(ViewsDatabase db) throws Exception {
        randomInterleavings(db, 17, 0, "logistic");
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void randomInterleavingsWithAToleranceKeepLabelsExactAndScoresClose(ViewsDatabase db) throws Exception {
        randomInterleavings(db, 23, 0.02, "logistic");
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void ensembleViewsKeepLabelsScoresAndSpreadsEqualToPredict(ViewsDatabase db) throws Exception {
        randomInterleavings(db, 33, 0, "bagged_logistic");
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void ensembleViewsWithAToleranceKeepLabelsExactAndScoresAndSpreadsClose(ViewsDatabase db) throws Exception {
        randomInterleavings(db, 31, 0.02, "bagged_svm");
        randomInterleavings(db, 37, 0.02, "bagged_linear");
    }

    /** The members of an ensemble version: as many as {@code around}'s, each near its own. */
    private static double[][] randomMembers(Random rnd, double[][] around, double spread) {
        double[][] w = new double[around.length][];
        for (int k = 0; k < around.length; k++) {
            w[k] = randomWeights(rnd, around[k].length, around[k], spread);
        }
        return w;
    }

    /**
     * Six versions of a model of {@code kind} (an ensemble: of 4 members) over one feature function, a seventh over
     * another vocabulary, then random data changes and deploys, some rolled back.
     */
    private void randomInterleavings(ViewsDatabase db, long seed, double tolerance, String kind) throws Exception {
        Random rnd = new Random(seed);
        boolean ensemble = kind.startsWith("bagged_");
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            fillDocs(st, rnd, 40);
            double[] idf = new double[VOCAB.length];
            for (int i = 0; i < idf.length; i++) {
                idf[i] = 0.5 + rnd.nextDouble() * 2;
            }
            List<Bow> versions = new ArrayList<>();
            if (ensemble) {
                double[][] w = new double[4][];
                for (int k = 0; k < w.length; k++) {
                    w[k] = randomWeights(rnd, VOCAB.length, null, 0);
                }
                for (int v = 0; v < 6; v++) {
                    versions.add(importBowEnsemble(st, "m", kind, "tfidf", 2, 0, true, VOCAB, idf, randomMembers(rnd, w, 0.03),
                            new double[]{rnd.nextGaussian() * 0.03, rnd.nextGaussian() * 0.03, 0.1, -0.1}));
                }
                double[][] other = new double[4][];
                for (int k = 0; k < other.length; k++) {
                    other[k] = randomWeights(rnd, VOCAB2.length, null, 0);
                }
                versions.add(importBowEnsemble(st, "m", kind, "binary", 1, 0, true, VOCAB2, null, other, new double[]{0.1, 0, 0.2, -0.1}));
            } else {
                double[] w = randomWeights(rnd, VOCAB.length, null, 0);
                for (int v = 0; v < 6; v++) {
                    versions.add(importBow(st, "m", kind, "tfidf", 2, 0, true, VOCAB, idf, randomWeights(rnd, VOCAB.length, w, 0.03),
                            rnd.nextGaussian() * 0.03));
                }
                // and one with another vocabulary
                versions.add(importBow(st, "m", kind, "binary", 1, 0, true, VOCAB2, null, randomWeights(rnd, VOCAB2.length, null, 0), 0.1));
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', body) FROM docs WITH (tolerance = " + tolerance + ", alpha = 0.5)");
            int nextId = 1000;
            int deployed = 1;
            for (int step = 0; step < 40; step++) {
                boolean rollback = rnd.nextInt(6) == 0;
                c.setAutoCommit(false);
                int before = deployed;
                int ops = 1 + rnd.nextInt(3);
                for (int o = 0; o < ops; o++) {
                    switch (rnd.nextInt(5)) {
                        case 0 -> st.execute("INSERT INTO docs VALUES (" + (nextId++) + ", " + lit(rnd.nextInt(15) == 0 ? null : randomText(rnd))
                                + ", 'i')");
                        case 1 -> st.execute("UPDATE docs SET body = " + lit(randomText(rnd)) + " WHERE MOD(id, 17) = " + rnd.nextInt(17));
                        case 2 -> st.execute("DELETE FROM docs WHERE id = " + (1 + rnd.nextInt(nextId)));
                        case 3 -> st.execute("UPDATE docs SET note = 'u' WHERE MOD(id, 3) = " + rnd.nextInt(3));
                        default -> {
                            deployed = rnd.nextInt(10) == 0 ? 7 : 1 + rnd.nextInt(6);
                            st.execute("DEPLOY MODEL m VERSION " + deployed);
                        }
                    }
                }
                if (rollback) {
                    c.rollback();
                    deployed = before;
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
                assertView(db, st, "v", "m", tolerance, versions.get(deployed - 1));
            }
            // the bound let some deploys re-score only part of the view (H2 may check none: rows inserted since a re-anchoring
            // are sorted in when a band scan first needs the sort, and then lie outside the band like the others)
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT = 'deploy'"
                    + " AND ROWS_RESCORED < (SELECT COUNT(*) FROM v)")).isPositive();
            // and the skiing rule (or a new vocabulary) re-anchored now and then
            assertThat(intValue(st, "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'v' AND EVENT = 'reorganize'")).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(ViewsDatabase.class)
    void aBagOfWordsViewNeedsATextColumnAndKeepsItsKindOfFeatures(ViewsDatabase db) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE nums (id INT PRIMARY KEY, body DOUBLE PRECISION)");
            st.execute("INSERT INTO nums VALUES (1, 0.5)");
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('spam', '" + ConformanceTest.BOW + "')").close();
            st.execute("DEPLOY MODEL spam");
            assertThatThrownBy(() -> st.execute("CREATE PREDICTION VIEW s AS SELECT id, PREDICT('spam', body) FROM nums"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42804");
                        assertThat(e.getMessage()).contains("expects text");
                    });
            st.execute("CREATE TABLE docs (id INT PRIMARY KEY, body VARCHAR(200), note VARCHAR(10))");
            st.execute("INSERT INTO docs VALUES (1, 'buy now cheap', 'a'), (2, 'hello meeting', 'b'), (3, NULL, 'c')");
            assertThat(st.executeUpdate("CREATE PREDICTION VIEW s AS SELECT id, PREDICT('spam', body) FROM docs")).isEqualTo(3);
            assertView(db, st, "s", "spam", 0, null);
            // a dense version of the same model cannot be held by a bag-of-words view: the deploy fails whole
            st.executeQuery("SELECT AUGUR.IMPORT_MODEL('spam', '{\"name\": \"spam\", \"kind\": \"logistic\", \"features\": {\"type\": \"dense\","
                    + " \"inputs\": [\"x\"]}, \"weights\": [1.0], \"bias\": 0}')").close();
            SQLException e = H2Db.sqlError(() -> st.execute("DEPLOY MODEL spam VERSION 2"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("version 2 of model 'spam' is a dense model but prediction view 's' holds a"
                    + " bag-of-words model; drop the view and create it again");
            assertThat(intValue(st, "SELECT version FROM augur.deployed WHERE name = 'spam'")).isEqualTo(1);
            assertView(db, st, "s", "spam", 0, null);
        }
    }
}
