package dev.augur.tests;

import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.features.Features;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.model.SqlDialect;
import dev.augur.engine.train.LinearSgd;
import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.train.TrainingOptions;
import dev.augur.engine.view.MarginScreen;
import dev.augur.engine.view.ViewIndex;
import dev.augur.testkit.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Golden vectors for PostgreSQL's hand-written PL/pgSQL (DESIGN.md, "One source of truth"): the engine computes every
 * expected value here, at test time, and the in-database function must reproduce it. Integers, hashes, tokens and
 * random streams bit for bit; doubles bit for bit where the algorithm is the same float64 operations in the same
 * order (tf values, SGD trajectories, Hölder bounds, dense PREDICT); where PostgreSQL sums in another order or uses
 * another formula, the test says so and how far apart the two may be.
 *
 * <p>Complements {@link PgTokenizationTest} (tokens and n-grams of the whole corpus through {@code augur.terms}),
 * {@link PgClassificationViewsTest} (live weights within 1e-12) and the H2-vs-PostgreSQL conformance tests (1e-9).
 */
class PgGoldenVectorsTest {
    private static Connection pg;

    @BeforeAll
    static void connect() throws SQLException {
        pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("golden").substring("jdbc:".length()));
    }

    @AfterAll
    static void close() throws SQLException {
        if (pg != null) {
            pg.close();
        }
    }

    // ------------------------------------------------------------------ 1. tokens, feature hashes, tf and tf-idf

    @Test
    void tokensHashedIndicesAndTfIdfValuesOfACorpusSampleAreTheEngines() throws Exception {
        String root = System.getProperty("augur.root", ".");
        Path corpus = Path.of(root, "..", "shared", "datasets", "spamassassin.jsonl.gz");
        assumeTrue(Files.isRegularFile(corpus), "the SpamAssassin corpus is not at " + corpus.normalize()
                + " (../shared/datasets beside the project); the corpus golden vectors need it");
        List<String> sample = corpusSample(Corpus.read(corpus), 200, new Random(20240611));
        assertThat(sample).anyMatch(t -> t.chars().anyMatch(ch -> ch > 127)).anyMatch(t -> t.contains("http://"))
                .anyMatch(t -> t.matches("(?s).*\\d{3,}.*"));
        int[] bitsChoices = {3, 18, 31};
        int terms = 0;
        // the buckets of augur.terms' terms (augur.term_array, PREDICT's, gives the same terms: checked on the sample's
        // first mails only, as it is slow on long texts, see corpusSample)
        try (PreparedStatement ps = pg.prepareStatement("SELECT augur.tokens(?), CASE WHEN ? THEN augur.term_array(?, ?) END, "
                + "ARRAY(SELECT augur.fnv1a(u.term, ?) FROM augur.terms(?, ?) AS u ORDER BY u.pos)")) {
            for (int m = 0; m < sample.size(); m++) {
                String text = sample.get(m);
                for (int ngrams = 1; ngrams <= 3; ngrams++) {
                    int bits = bitsChoices[(m + ngrams) % bitsChoices.length];
                    boolean termArray = m < 20;
                    ps.setString(1, text);
                    ps.setBoolean(2, termArray);
                    ps.setString(3, text);
                    ps.setInt(4, ngrams);
                    ps.setInt(5, bits);
                    ps.setString(6, text);
                    ps.setInt(7, ngrams);
                    List<String> engineTerms = new ArrayList<>();
                    BagOfWords.forEachTerm(text, ngrams, engineTerms::add);
                    List<Integer> engineBuckets = engineTerms.stream().map(t -> BagOfWords.bucket(t, bits)).toList();
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(strings(rs.getArray(1))).as("tokens of sample mail %d", m).isEqualTo(BagOfWords.tokenize(text));
                        if (termArray) {
                            assertThat(strings(rs.getArray(2))).as("%d-gram terms of sample mail %d", ngrams, m).isEqualTo(engineTerms);
                        }
                        assertThat(ints(rs.getArray(3))).as("FNV-1a buckets (%d bits) of the %d-gram terms of mail %d", bits, ngrams, m)
                                .isEqualTo(engineBuckets);
                    }
                    terms += engineTerms.size();
                }
            }
        }
        assertThat(terms).isGreaterThan(20_000);

        // the feature values of two models the engine trains on the sample: tf-idf over a vocabulary of uni- and bigrams
        // (normalized), and tf counts hashed into 2^12 buckets (not normalized)
        List<Object[]> rows = new ArrayList<>();
        for (int m = 0; m < sample.size(); m++) {
            rows.add(new Object[]{sample.get(m), m % 3 == 0 ? "spam" : "ham"});
        }
        Model tfidf = SgdTrainer.train("golden_tfidf", ModelKind.LOGISTIC, List.of("body"), rows,
                new TrainingOptions(1, 0, 1e-6, 42, BagOfWords.Weighting.TFIDF, 2, 0, 2, 20_000, true, 0), null);
        Model tf = SgdTrainer.train("golden_tf", ModelKind.SVM, List.of("body"), rows,
                new TrainingOptions(1, 0, 1e-6, 42, BagOfWords.Weighting.TF, 1, 12, 1, 1 << 18, false, 0), null);
        int tfidfUlps = 0;
        for (Model model : List.of(tfidf, tf)) {
            H2Db.exec(pg, "SELECT AUGUR.IMPORT_MODEL('" + model.name() + "', '" + ModelJson.toJson(model).replace("'", "''") + "')");
            BagOfWords bow = (BagOfWords) model.features();
            try (PreparedStatement ps = pg.prepareStatement("SELECT array_agg(feature ORDER BY feature), array_agg(value ORDER BY feature) "
                    + "FROM augur.bow_vector(?, 1, ?)")) {
                for (int m = 0; m < sample.size(); m++) {
                    SparseVector x = bow.vectorize(sample.get(m));
                    ps.setString(1, model.name());
                    ps.setString(2, sample.get(m));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(ints(rs.getArray(1))).as("features of mail %d under %s", m, model.name())
                                .isEqualTo(Arrays.stream(x.indices()).boxed().toList());
                        double[] values = doubles(rs.getArray(2));
                        if (bow.normalize()) {
                            // PostgreSQL's sum() of the squares runs in its aggregate's order, the engine's in feature order:
                            // the norm, and so every value, may differ in the last bits (a relative 1e-15 bounds it)
                            for (int j = 0; j < values.length; j++) {
                                assertThat(values[j]).as("tf-idf of feature %d of mail %d", x.indices()[j], m)
                                        .isCloseTo(x.values()[j], org.assertj.core.api.Assertions.withinPercentage(1e-13));
                                tfidfUlps = Math.max(tfidfUlps, (int) Math.abs(Double.doubleToLongBits(values[j])
                                        - Double.doubleToLongBits(x.values()[j])));
                            }
                        } else {
                            assertThat(values).as("tf of mail %d under %s", m, model.name()).isEqualTo(x.values());
                        }
                    }
                }
            }
        }
        System.out.println("tf-idf golden vectors: at most " + tfidfUlps + " ulp(s) apart");
    }

    /**
     * {@code n} distinct mails of at most 3000 chars chosen by {@code rnd}, NUL-free (PostgreSQL text holds none), starting
     * with the hard cases. Long mails are left to PgTokenizationTest: augur.term_array slices its token array once per term,
     * which is quadratic in a mail's length.
     */
    private static List<String> corpusSample(List<Corpus.Message> mails, int n, Random rnd) {
        TreeSet<Integer> chosen = new TreeSet<>();
        for (java.util.function.Predicate<String> hard : List.<java.util.function.Predicate<String>>of(
                t -> t.chars().anyMatch(ch -> ch > 127), t -> t.contains("http://"), t -> t.matches("(?s).*\\d{3,}.*"))) {
            for (int tries = 0; tries < 100_000; tries++) {
                int i = rnd.nextInt(mails.size());
                if (mails.get(i).text().length() <= 3000 && hard.test(mails.get(i).text())) {
                    chosen.add(i);
                    break;
                }
            }
        }
        while (chosen.size() < n) {
            int i = rnd.nextInt(mails.size());
            if (mails.get(i).text().length() <= 3000) {
                chosen.add(i);
            }
        }
        return chosen.stream().map(i -> mails.get(i).text().replace("\u0000", "")).toList();
    }

    // ------------------------------------------------------------------ 2. java.util.Random and Collections.shuffle

    private static final long[] SEEDS = {0, 1, 42, -1, 7, 123_456_789_012_345L, Long.MIN_VALUE, Long.MAX_VALUE};

    /** java.util.Random's seed scrambling, as augur.cv_create applies it before the first shuffle. */
    private static final String SCRAMBLE = "(?::bigint # 25214903917) & 281474976710655";

    @Test
    void next31StreamIsJavaUtilRandomsForSeveralSeeds() throws Exception {
        int n = 2000;
        try (PreparedStatement ps = pg.prepareStatement("WITH RECURSIVE s(i, seed, r) AS (SELECT 0, " + SCRAMBLE + ", NULL::integer "
                + "UNION ALL SELECT s.i + 1, (x.n).seed, (x.n).r FROM s, LATERAL (SELECT augur.cv_next31(s.seed) AS n) x WHERE s.i < ?) "
                + "SELECT array_agg(r ORDER BY i) FROM s WHERE i > 0")) {
            for (long seed : SEEDS) {
                Random rnd = new Random(seed);
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(rnd.nextInt() >>> 1);  // next(31): the top 31 of the 48 bits, as nextInt(bound) draws them
                }
                ps.setLong(1, seed);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(ints(rs.getArray(1))).as("next(31) stream of seed %d", seed).isEqualTo(expected);
                }
            }
        }
    }

    /** A Random that counts its draws of next(bits): more draws than shuffle steps means nextInt(bound) rejected some. */
    private static final class CountingRandom extends Random {
        long draws;

        CountingRandom(long seed) {
            super(seed);
        }

        @Override
        protected int next(int bits) {
            draws++;
            return super.next(bits);
        }
    }

    @Test
    void shuffleIsCollectionsShuffleEpochAfterEpoch() throws Exception {
        // sizes: empty, one, powers of two (nextInt's multiply path), others (its modulo path), and one large enough that
        // nextInt(bound) rejects draws (its loop) several times
        int[] sizes = {0, 1, 2, 3, 16, 17, 100, 1024, 1025, 300_000};
        long rejections = 0;
        try (PreparedStatement ps = pg.prepareStatement("SELECT (s).items, (s).seed FROM (SELECT augur.cv_shuffle(?, ?) AS s) x");
             PreparedStatement scramble = pg.prepareStatement("SELECT " + SCRAMBLE);
             PreparedStatement next = pg.prepareStatement("SELECT (augur.cv_next31(?)).r")) {
            for (int k = 0; k < sizes.length; k++) {
                int size = sizes[k];
                long seed = SEEDS[k % SEEDS.length];
                CountingRandom rnd = new CountingRandom(seed);
                List<Integer> list = new ArrayList<>();
                Integer[] items = new Integer[size];
                for (int i = 0; i < size; i++) {
                    list.add(i);
                    items[i] = i;
                }
                scramble.setLong(1, seed);
                long state;
                try (ResultSet rs = scramble.executeQuery()) {
                    rs.next();
                    state = rs.getLong(1);
                }
                for (int epoch = 0; epoch < (size > 10_000 ? 1 : 3); epoch++) {
                    long before = rnd.draws;
                    Collections.shuffle(list, rnd);
                    rejections += rnd.draws - before - Math.max(0, size - 1);
                    ps.setArray(1, pg.createArrayOf("integer", items));
                    ps.setLong(2, state);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        items = Arrays.stream((Integer[]) rs.getArray(1).getArray()).toArray(Integer[]::new);
                        state = rs.getLong(2);
                    }
                    assertThat(Arrays.asList(items)).as("epoch %d of the shuffle of %d items, seed %d", epoch, size, seed).isEqualTo(list);
                }
                // the stream goes on where Java's does
                next.setLong(1, state);
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the draw after shuffling %d items, seed %d", size, seed).isEqualTo(rnd.nextInt() >>> 1);
                }
            }
        }
        assertThat(rejections).as("draws nextInt(bound) rejected (its loop ran)").isPositive();
    }

    // ------------------------------------------------------------------ 3. SGD trajectories of classification views

    private static final String[] WORDS = {"buy", "now", "cheap", "offer", "free", "win", "hello", "meeting", "team", "lunch",
            "report", "thanks", "Monday", "prize", "click", "project", "2024", "x86_64", "caf\u00e9", "http://example.com/a?b=1"};

    /** A classification view under test: its options, and the engine's replay of it. */
    private record LearnerCase(String view, String examples, String features, ModelKind kind, double rate, double l2, int epochs,
                               long seed) {
        String options() {
            return String.format(Locale.ROOT, "{\"learning_rate\": %s, \"l2\": %s, \"epochs\": %d, \"seed\": %d, \"hash_bits\": 7}",
                    rate, l2, epochs, seed);
        }

        boolean bagOfWords() {
            return features.startsWith("bag_of_words");
        }
    }

    @Test
    void liveWeightsAfterEveryStepAreTheEnginesLinearSgd() throws Exception {
        Random rnd = new Random(19);
        int entities = 120;
        Map<Integer, Object[]> rows = new LinkedHashMap<>();
        H2Db.exec(pg, "CREATE TABLE gl_ent (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, c DOUBLE PRECISION, body TEXT)");
        try (PreparedStatement ps = pg.prepareStatement("INSERT INTO gl_ent VALUES (?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= entities; id++) {
                StringBuilder body = new StringBuilder();
                for (int k = 1 + rnd.nextInt(9); k > 0; k--) {
                    body.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextInt(3) == 0 ? ", " : " ");
                }
                // inputs of mixed scales (margins beyond exp's range: sgdStepsAtHugeMarginsAreTheEngines)
                Object[] row = {rnd.nextGaussian() * 3, rnd.nextDouble() - 0.5, Math.scalb(rnd.nextGaussian(), rnd.nextInt(10) - 7),
                        body.toString()};
                rows.put(id, row);
                ps.setInt(1, id);
                for (int j = 0; j < 3; j++) {
                    ps.setDouble(2 + j, (Double) row[j]);
                }
                ps.setString(5, body.toString());
                ps.executeUpdate();
            }
        }
        List<LearnerCase> cases = List.of(
                new LearnerCase("gl_dlog", "gl_ex1", "(a, b, c)", ModelKind.LOGISTIC, 0.3, 0.01, 7, -9),
                // a strong decay: the lazy scale falls below 1e-9 and is folded back into the weights
                new LearnerCase("gl_dsvm", "gl_ex2", "(a, b, c)", ModelKind.SVM, 0.2, 2.0, 20, 123_456_789_012L),
                // learning_rate · l2 >= 1 in the first epoch: each such step zeroes the weights
                new LearnerCase("gl_dzero", "gl_ex3", "(c, a)", ModelKind.LOGISTIC, 1.0, 1.5, 3, -123_456_789_012_345_678L),
                new LearnerCase("gl_blog", "gl_ex4", "bag_of_words(body)", ModelKind.LOGISTIC, 0.5, 1e-6, 10, 42),
                new LearnerCase("gl_bsvm", "gl_ex5", "bag_of_words(body)", ModelKind.SVM, 0.05, 0.0, 4, 7));
        Map<Integer, Integer> labels = new LinkedHashMap<>();
        for (int id = 1; id <= entities; id++) {
            Object[] r = rows.get(id);
            labels.put(id, (Double) r[0] - 2 * (Double) r[1] + 0.5 * rnd.nextGaussian() > 0 || ((String) r[3]).contains("free") ? 1 : 0);
        }
        int steps = 0;
        for (LearnerCase lc : List.of(cases.toArray(new LearnerCase[0]))) {
            H2Db.exec(pg, "CREATE TABLE " + lc.examples() + " (id INT PRIMARY KEY, y INT)");
            // the initial examples, inserted out of key order: the view trains on them in key order
            List<Integer> initial = new ArrayList<>();
            for (int id = 30; id >= 1; id -= 1) {
                initial.add(id);
            }
            Collections.shuffle(initial, new Random(lc.seed()));
            StringBuilder values = new StringBuilder();
            for (int id : initial) {
                values.append(values.length() == 0 ? "" : ", ").append("(").append(id).append(", ").append(labels.get(id)).append(")");
            }
            H2Db.exec(pg, "INSERT INTO " + lc.examples() + " VALUES " + values);
            H2Db.exec(pg, "SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('" + lc.view() + "', 'gl_ent', 'id', '" + lc.examples() + "', 'id', 'y', '"
                    + lc.features() + "', '" + lc.kind().sqlName() + "', '" + lc.options() + "')");
            Map<Integer, FeatureVector> features = new LinkedHashMap<>();
            Model shape = lc.bagOfWords()
                    ? Model.of("shape", lc.kind(), new BagOfWords("body", BagOfWords.Weighting.BINARY, 1, 7, true, null, null),
                    List.of("0", "1"), new double[1 << 7], new double[1])
                    : Model.of("shape", lc.kind(), new DenseFeatures(lc.features().equals("(c, a)") ? List.of("c", "a") : List.of("a", "b", "c")),
                    List.of("0", "1"), new double[lc.features().equals("(c, a)") ? 2 : 3], new double[1]);
            for (Map.Entry<Integer, Object[]> e : rows.entrySet()) {
                Object[] r = e.getValue();
                Object[] inputs = lc.bagOfWords() ? new Object[]{r[3]} : lc.features().equals("(c, a)") ? new Object[]{r[2], r[0]}
                        : new Object[]{r[0], r[1], r[2]};
                features.put(e.getKey(), shape.featureVector(inputs));
            }
            // the engine's initial training (H2's CREATE CLASSIFICATION VIEW): epochs over the examples in key order, each
            // epoch shuffled by one java.util.Random of the view's seed, the rate decaying as rate / sqrt(1 + epoch)
            LinearSgd sgd = new LinearSgd(lc.kind(), shape.dimension(), 1, lc.l2());
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                order.add(i);
            }
            Random shuffles = new Random(lc.seed());
            for (int epoch = 0; epoch < lc.epochs(); epoch++) {
                Collections.shuffle(order, shuffles);
                for (int i : order) {
                    sgd.step(features.get(i + 1), labels.get(i + 1), lc.rate() / Math.sqrt(1.0 + epoch));
                }
            }
            assertLive(lc, sgd, "the initial training");
            // online learning: one example per statement (the weights after every step), then statements of several
            List<Integer> next = new ArrayList<>();
            for (int id = 31; id <= entities; id++) {
                next.add(id);
            }
            Collections.shuffle(next, rnd);
            for (int s = 0; !next.isEmpty(); s++) {
                int take = s < 40 ? 1 : Math.min(next.size(), 1 + rnd.nextInt(4));
                // each statement resumes from the live model as stored, w = scale · v materialized (H2's ExampleTrigger:
                // LinearSgd.resume of the current model), not from the previous statement's lazy scale
                sgd = new LinearSgd(lc.kind(), shape.dimension(), 1, lc.l2(), sgd.weights(), sgd.bias());
                StringBuilder batch = new StringBuilder();
                for (int k = 0; k < take; k++) {
                    int id = next.remove(0);
                    batch.append(k == 0 ? "" : ", ").append("(").append(id).append(", ").append(labels.get(id)).append(")");
                    sgd.step(features.get(id), labels.get(id), lc.rate());
                    steps++;
                }
                H2Db.exec(pg, "INSERT INTO " + lc.examples() + " VALUES " + batch);
                assertLive(lc, sgd, "statement " + s + " (" + batch + ")");
            }
        }
        assertThat(steps).isEqualTo(cases.size() * (entities - 30));
    }

    /**
     * Steps at margins far beyond exp's range (|z| up to 1e6, an input of a large scale): the engine's IEEE arithmetic
     * gives a gradient of 0 or a subnormal one; PostgreSQL's float8 raised 22003 "value out of range: underflow" where a
     * product of non-zero numbers rounds to 0. The weights afterwards are the engine's bit for bit.
     */
    @Test
    void sgdStepsAtHugeMarginsAreTheEngines() throws Exception {
        int checked = 0;
        try (PreparedStatement ps = pg.prepareStatement("SELECT w, b FROM augur.cv_sgd(?, ?, ?::float8[], ?, '{0,1}'::integer[], ?::float8[],"
                + " '{0,2}'::integer[], ?::integer[], '{1,1,1}'::integer[], '{0.5,0.25,0.125}'::float8[])")) {
            for (ModelKind kind : List.of(ModelKind.LOGISTIC, ModelKind.SVM)) {
                for (double x : new double[]{710, 745, 750, 800, 1e4, 1e6, -710, -750, -1e6}) {
                    for (int target : new int[]{0, 1}) {
                        for (double l2 : new double[]{0, 1e-6}) {
                            double[] w = {1.0, 0.5};
                            double[] val = {x, 1.0};
                            LinearSgd sgd = new LinearSgd(kind, 2, 1, l2, w, new double[]{0.25});
                            for (double eta : new double[]{0.5, 0.25, 0.125}) {
                                sgd.step(val, target, eta);
                            }
                            ps.setString(1, kind.sqlName());
                            ps.setDouble(2, l2);
                            ps.setString(3, "{1.0,0.5}");
                            ps.setDouble(4, 0.25);
                            ps.setString(5, "{" + x + ",1.0}");
                            ps.setString(6, "{" + target + "}");
                            String where = kind + " x=" + x + " y=" + target + " l2=" + l2;
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                Double[] live = (Double[]) rs.getArray(1).getArray();
                                assertThat(new double[]{live[0], live[1], rs.getDouble(2)}).as(where)
                                        .containsExactly(sgd.weights()[0], sgd.weights()[1], sgd.bias()[0]);
                            } catch (SQLException e) {
                                throw new AssertionError(where + ": " + e.getSQLState() + " " + e.getMessage(), e);
                            }
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(72);
    }

    private static void assertLive(LearnerCase lc, LinearSgd sgd, String after) throws SQLException {
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT live_weights, live_bias FROM augur.view_learners WHERE view_name = '" + lc.view() + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(doubles(rs.getArray(1))).as("live weights of %s after %s", lc.view(), after).isEqualTo(sgd.weights());
            assertThat(rs.getDouble(2)).as("live bias of %s after %s", lc.view(), after).isEqualTo(sgd.bias()[0]);
        }
    }

    // ------------------------------------------------------------------ 4. plan decisions of prediction views

    /** A prediction view under test and the engine's index of it. */
    private record PlanCase(String view, double tolerance, double alpha, ViewIndex index) {
    }

    @Test
    void incrementalOrFullIsTheEnginesViewIndexDecision() throws Exception {
        assertPlansAreTheEngines("gp", ModelKind.LOGISTIC, 1, 400, false);
    }

    /** The same for an ensemble's view: its per-member bounds (augur.ensemble_margin_bound, _spread_bound) are ViewBounds'. */
    @Test
    void incrementalOrFullOfAnEnsembleIsTheEnginesViewIndexDecision() throws Exception {
        assertPlansAreTheEngines("ge", ModelKind.BAGGED_LOGISTIC, 4, 150, false);
    }

    /**
     * The same for an ensemble over a bag of words: its members' bounds over their sparse weights (augur.ensemble_view_bounds)
     * and its rows' norms (augur.bow_norms) are the engine's.
     */
    @Test
    void incrementalOrFullOfABagOfWordsEnsembleIsTheEnginesViewIndexDecision() throws Exception {
        assertPlansAreTheEngines("gb", ModelKind.BAGGED_LOGISTIC, 3, 150, true);
    }

    private static final String[] PLAN_WORDS = {"buy", "now", "cheap", "hello", "meeting", "offer", "free", "team", "lunch", "win"};

    /**
     * Views of one table under seven option sets, through model versions of {@code kind} with {@code members} margins
     * (one, or an ensemble's): after every deploy, each view's event is the plan the engine's ViewIndex makes. The table
     * holds three dense inputs, or ({@code text}) texts under a bag of words (hashed into 8 buckets, tf, L2-normalized).
     */
    private static void assertPlansAreTheEngines(String table, ModelKind kind, int members, int n, boolean text) throws Exception {
        Random rnd = new Random(23);
        String model = table + "m";
        Features features = text
                ? new BagOfWords("body", BagOfWords.Weighting.TF, 1, 3, true, new String[0], null)
                : new DenseFeatures(List.of("a", "b", "c"));
        H2Db.exec(pg, "CREATE TABLE " + table + (text ? " (id INT PRIMARY KEY, body TEXT)"
                : " (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, c DOUBLE PRECISION)"));
        Map<Integer, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = pg.prepareStatement("INSERT INTO " + table + " VALUES (?" + (text ? ", ?)" : ", ?, ?, ?)"))) {
            for (int id = 1; id <= n; id++) {
                Object[] r;
                if (text) {
                    StringBuilder body = new StringBuilder();
                    for (int w = 1 + rnd.nextInt(7); w > 0; w--) {
                        body.append(PLAN_WORDS[rnd.nextInt(PLAN_WORDS.length)]).append(' ');
                    }
                    r = new Object[]{body.toString()};
                } else {
                    r = new Object[]{rnd.nextGaussian(), rnd.nextGaussian() * 2, rnd.nextDouble() * 4 - 2};
                }
                rows.put(id, r);
                ps.setInt(1, id);
                for (int j = 0; j < r.length; j++) {
                    ps.setObject(2 + j, r[j]);
                }
                ps.executeUpdate();
            }
        }
        // model versions: a base, then changes from tiny (only rows near the boundary re-scored) to large (most rows: full)
        double[] base = text ? new double[]{0.8, -0.6, 1.1, 0.3, -0.9, 0.0, 0.5, -0.2} : new double[]{0.8, -0.6, 1.1};
        int d = base.length;
        double[] steps = {1e-4, 3e-3, 2e-2, 1e-4, 0.5, 1e-5, 5e-3, 2.0, 1e-3, 1e-3, 1e-3, 4e-2, 1e-6, 1e-3, 0.1, 1e-4};
        List<Model> versions = new ArrayList<>();
        double[] w = new double[d * members];
        double[] b = new double[members];
        for (int k = 0; k < members; k++) {
            for (int j = 0; j < d; j++) {
                w[d * k + j] = base[j] * (1 + 0.3 * k);
            }
            b[k] = 0.05 * (1 - k);
        }
        for (int v = 0; v <= steps.length; v++) {
            if (v > 0) {
                for (int j = 0; j < w.length; j++) {
                    w[j] += steps[v - 1] * rnd.nextGaussian();
                }
                for (int k = 0; k < members; k++) {
                    b[k] += steps[v - 1] * rnd.nextGaussian() * 0.5;
                }
            }
            Model m = Model.of(model, kind, features, List.of("0", "1"), w.clone(), b.clone());
            versions.add(m);
            H2Db.exec(pg, "SELECT AUGUR.IMPORT_MODEL('" + model + "', '" + ModelJson.toJson(m) + "')");
        }
        H2Db.exec(pg, "SELECT AUGUR.DEPLOY_MODEL('" + model + "', 1)");
        List<PlanCase> cases = new ArrayList<>();
        double[][] options = {{0.01, 1}, {0.05, 2}, {0, 1}, {0.2, 0.05}, {0.01, 0}, {0.001, 0.5}, {0.3, 10}};
        for (int k = 0; k < options.length; k++) {
            String view = table + "_v" + k;
            H2Db.exec(pg, "SELECT AUGUR.CREATE_PREDICTION_VIEW('" + view + "', 'SELECT id, PREDICT(''" + model + "'', "
                    + (text ? "body" : "a, b, c") + ") FROM " + table + "', "
                    + String.format(Locale.ROOT, "'{\"tolerance\": %s, \"alpha\": %s}')", options[k][0], options[k][1]));
            ViewIndex index = new ViewIndex(versions.get(0), 1);
            for (Map.Entry<Integer, Object[]> e : rows.entrySet()) {
                index.put(e.getKey(), versions.get(0).featureVector(e.getValue()), versions.get(0), 1);
            }
            index.resort();
            cases.add(new PlanCase(view, options[k][0], options[k][1], index));
        }
        int incremental = 0;
        int skiing = 0;
        int boundsFull = 0;
        for (int v = 2; v <= versions.size(); v++) {
            Model current = versions.get(v - 1);
            H2Db.exec(pg, "SELECT AUGUR.DEPLOY_MODEL('" + model + "', " + v + ")");
            for (PlanCase pc : cases) {
                String where = "version " + v + " on " + pc.view() + " (tolerance " + pc.tolerance() + ", alpha " + pc.alpha()
                        + ", incremental cost " + pc.index().incrementalCost() + ", " + pc.index().size() + " rows)";
                boolean reanchor = pc.index().shouldReanchor(pc.alpha(), false, false);
                // as H2's binding maintains its view: the skiing rule re-anchors writing only what the tolerance requires
                // (alpha 0: never incremental, every row that differs)
                ViewIndex.Plan plan = pc.index().maintain(current, v, pc.tolerance(), pc.alpha(), false, false);
                List<Object> event = H2Db.rows(pg, "SELECT event, rows_checked, rows_rescored, bound, note, rows_written FROM augur.view_events "
                        + "WHERE view_name = '" + pc.view() + "' ORDER BY id DESC LIMIT 1").get(0);
                assertThat(event.get(0)).as("event of %s", where).isEqualTo(plan.full() ? "reorganize" : "deploy");
                assertThat(((Number) event.get(5)).longValue()).as("rows written, %s", where).isEqualTo(plan.changed().size());
                if (plan.full()) {
                    assertThat((String) event.get(4)).as("why %s re-scored in full", where)
                            .contains(reanchor ? "exceeded alpha" : "bounds left most rows");
                    if (reanchor) {
                        skiing++;
                    } else {
                        boundsFull++;
                    }
                } else {
                    incremental++;
                    assertThat(((Number) event.get(1)).longValue()).as("rows checked, %s", where).isEqualTo(plan.rowsChecked());
                    assertThat(((Number) event.get(2)).longValue()).as("rows re-scored, %s", where).isEqualTo(plan.rowsRescored());
                    assertThat(((Number) event.get(3)).doubleValue()).as("Hölder bound, %s", where).isEqualTo(plan.bound());
                }
                assertThat(H2Db.doubleValue(pg, "SELECT incremental_cost FROM augur.views WHERE name = '" + pc.view() + "'"))
                        .as("incremental cost after %s", where).isEqualTo(pc.index().incrementalCost());
            }
        }
        assertThat(incremental).as("incremental plans").isPositive();
        assertThat(skiing).as("skiing-rule re-anchorings").isPositive();
        assertThat(boundsFull).as("full re-scorings the bounds chose").isPositive();
    }

    /** A dense ensemble's PREDICT is generated like a single model's: each member's arithmetic inlined, averaged. */
    @Test
    void generatedPredictOfAnEnsembleInlinesItsMembers() throws Exception {
        Random rnd = new Random(41);
        int k = 5;
        double[] w = new double[3 * k];
        double[] b = new double[k];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < k; i++) {
            b[i] = rnd.nextGaussian();
        }
        Model m = Model.of("gens", ModelKind.BAGGED_LOGISTIC, new DenseFeatures(List.of("p", "q", "r")), List.of("0", "1"), w, b);
        H2Db.exec(pg, "SELECT AUGUR.IMPORT_MODEL('gens', '" + ModelJson.toJson(m) + "')", "SELECT AUGUR.DEPLOY_MODEL('gens', 1)");
        try (Statement st = pg.createStatement();
             ResultSet rs = st.executeQuery("SELECT prosrc FROM pg_proc WHERE oid = 'public.predict(text, float8, float8, float8)'::regprocedure")) {
            rs.next();
            String src = rs.getString(1);
            for (int o = 1; o <= k; o++) {
                assertThat(src).contains("augur.member_coefs('gens', 1, " + o + ")");
            }
        }
        for (String sig : List.of("public.predict_label(text, float8, float8, float8)", "public.predict_proba(text, text, float8, float8, float8)")) {
            try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT prosrc FROM pg_proc WHERE oid = '" + sig + "'::regprocedure")) {
                rs.next();
                assertThat(rs.getString(1)).as(sig + " inlines the ensemble").contains("augur.member_coefs('gens', 1, " + k + ")");
            }
        }
        try (PreparedStatement ps = pg.prepareStatement("SELECT predict('gens', ?, ?, ?), predict('gens@1', ?, ?, ?),"
                + " predict_label('gens', ?, ?, ?), predict_proba('gens', '0', ?, ?, ?)")) {
            for (int row = 0; row < 50; row++) {
                double[] x = {rnd.nextGaussian() * 2, rnd.nextGaussian(), rnd.nextGaussian() * 3};
                for (int j = 0; j < 3; j++) {
                    for (int rep = 0; rep < 4; rep++) {
                        ps.setDouble(1 + 3 * rep + j, x[j]);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    // each member through augur.sigmoid, tanh's form: within 4e-16 of the engine's per member (see below)
                    assertThat(rs.getDouble(1)).isCloseTo(m.score(x), org.assertj.core.api.Assertions.within(1e-15));
                    assertThat(rs.getDouble(2)).isEqualTo(rs.getDouble(1));
                    assertThat(rs.getString(3)).isEqualTo(m.evaluate(x[0], x[1], x[2]).label());
                    assertThat(rs.getDouble(4)).isCloseTo(1 - m.score(x), org.assertj.core.api.Assertions.within(1e-15));
                }
            }
        }
    }

    // ------------------------------------------------------------------ 4b. a prediction view's query

    /**
     * A stock client's CREATE_PREDICTION_VIEW parses its query in PL/pgSQL (augur.view_query): it must accept what the
     * engine's parser accepts ({@code ViewDefinitions.predictionQuery}, which H2 uses) with the same key, model, inputs
     * and table, and refuse what it refuses.
     */
    @Test
    void viewQueryParseIsTheEngines() throws Exception {
        List<String> queries = new ArrayList<>(List.of(
                "SELECT id, PREDICT('m', a, b) FROM t", "select id, predict('m', a) from s.t", "SELECT id, PREDICT('m', a) AS score FROM t",
                "SELECT id, PREDICT('m', a) FROM t;", "SELECT id, PREDICT('m', a) FROM t ;", "\n\tSELECT\n id ,\n PREDICT ( 'm' , a , b ) \nFROM\n t \n",
                "SELECT id,PREDICT('m',a,b)FROM t", "SELECT id, PREDICT('m') FROM t", "SELECT \"id\", PREDICT('m', a) FROM t",
                "SELECT id, PREDICT('m', a) FROM t WHERE a > 0", "SELECT id, PREDICT('m', a + 1) FROM t", "SELECT id, PREDICT('m', a) FROM t -- c",
                "SELECT id, PREDICT('m', a) FROM t;;", "SELECT id, PREDICT('m', a), b FROM t", "SELECT id, PREDICT('m', a) FROM a.b.c",
                "SELECT id, PREDICT('m', a) AS FROM t", "SELECT id, PREDICT('m', a) score FROM t", "SELECT id, PREDICT('m', a) FROM s . t",
                "SELECT id, PREDICT('my model', a) FROM t", "SELECT id, PREDICT('it''s', a) FROM t", "SELECT id, PREDICT(m, a) FROM t",
                "SELECT id, PREDICT('m', a,) FROM t", "SELECT id PREDICT('m', a) FROM t", "SELECT id, PREDICT('m', a) FROM", "SELECT 1, PREDICT('m', a) FROM t",
                "SELECT id, PREDICT('', a) FROM t", "SELECT _k9, PREDICT('M_1', A_b, c2) FROM S1.T_2", "SELECT id, PREDICT('m', a) FROM t /* c */",
                "SELECT id, PREDICT('m', 1) FROM t", "SELECT id, PREDICT_LABEL('m', a) FROM t", "SELECT id, PREDICT('m', a) FROM \"t\"", "",
                "SELECT id, PREDICT('m--x', a) FROM t", "SELECT id, /* c */ PREDICT('m', a) -- c\n FROM t", "SELECT id, PREDICT('a''--b', a) FROM t",
                "SELECT " + "k".repeat(63) + ", PREDICT('m', a) FROM t", "SELECT " + "k".repeat(64) + ", PREDICT('m', a) FROM t",
                "SELECT id, PREDICT('m', a) FROM t -- c\n;", "SELECT id, PREDICT('m', a) FROM t/**/;--"));
        int accepted = 0;
        List<String> differ = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement("SELECT key, model, inputs, tbl FROM augur.view_query(?)")) {
            for (String q : queries) {
                String engine;
                try {
                    dev.augur.sql.ViewDefinitions.PredictionQuery p = dev.augur.sql.ViewDefinitions.predictionQuery(q);
                    engine = p.key().toLowerCase(java.util.Locale.ROOT) + " | " + p.model() + " | "
                            + p.inputs().stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList() + " | " + p.table();
                    accepted++;
                } catch (dev.augur.engine.AugurException e) {
                    assertThat(e.sqlState()).as(q).isEqualTo("42601");
                    engine = "refused";
                }
                ps.setString(1, q);
                String inDb;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    inDb = rs.getString(1) == null ? "refused" : rs.getString(1) + " | " + rs.getString(2) + " | "
                            + Arrays.asList((Object[]) rs.getArray(3).getArray()) + " | " + rs.getString(4);
                }
                if (!engine.equals(inDb)) {
                    differ.add(q.replace("\n", "\\n") + ": engine " + engine + ", PostgreSQL " + inDb);
                }
            }
        }
        assertThat(differ).as("queries parsed otherwise by PostgreSQL").isEmpty();
        assertThat(accepted).as("accepted queries in the corpus").isGreaterThan(8);
    }

    // ------------------------------------------------------------------ 5. the generated dense PREDICT

    @Test
    void generatedPredictIsTheEnginesRenderingAndScoreBitForBit() throws Exception {
        Random rnd = new Random(29);
        int models = 0;
        long sigmoidDiffer = 0;
        long sigmoidChecked = 0;
        double maxRelative = 0;
        for (ModelKind kind : List.of(ModelKind.LINEAR, ModelKind.LOGISTIC, ModelKind.SVM)) {
            for (int d : new int[]{1, 2, 3, 5, 8}) {
                String name = "gpred_" + kind.sqlName() + "_" + d;
                List<String> inputs = new ArrayList<>();
                double[] w = new double[d];
                for (int j = 0; j < d; j++) {
                    inputs.add("x" + j);
                    w[j] = Math.scalb(rnd.nextGaussian(), rnd.nextInt(12) - 6);
                }
                Model m = Model.of(name, kind, new DenseFeatures(inputs), kind == ModelKind.LINEAR ? List.of() : List.of("no", "yes"), w,
                        new double[]{rnd.nextGaussian()});
                H2Db.exec(pg, "SELECT AUGUR.IMPORT_MODEL('" + name + "', '" + ModelJson.toJson(m) + "')",
                        "SELECT AUGUR.DEPLOY_MODEL('" + name + "', 1)");
                models++;
                String placeholders = String.join(", ", Collections.nCopies(d, "?"));
                String rendered = m.sqlScore(Collections.nCopies(d, "CAST(? AS DOUBLE PRECISION)"), SqlDialect.POSTGRESQL).orElseThrow();
                try (PreparedStatement ps = pg.prepareStatement("SELECT predict('" + name + "', " + placeholders + "), predict('" + name
                        + "@1', " + placeholders + "), " + rendered)) {
                    for (int row = 0; row < 60; row++) {
                        Object[] x = new Object[d];
                        for (int j = 0; j < d; j++) {
                            x[j] = row < 5 ? (double) (row - 2) : Math.scalb(rnd.nextGaussian(), rnd.nextInt(8) - 3);
                            ps.setDouble(1 + j, (Double) x[j]);
                            ps.setDouble(1 + d + j, (Double) x[j]);
                            ps.setDouble(1 + 2 * d + j, (Double) x[j]);
                        }
                        double engine = m.evaluate(x).score();
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            String where = name + " at " + Arrays.toString(x);
                            assertThat(rs.getDouble(1)).as("PREDICT of %s vs the engine's rendering", where).isEqualTo(rs.getDouble(3));
                            assertThat(rs.getDouble(2)).as("PREDICT of %s@1 vs the engine's rendering", where).isEqualTo(rs.getDouble(3));
                            if (kind == ModelKind.LINEAR) {
                                assertThat(rs.getDouble(1)).as("PREDICT of %s vs the engine's score", where).isEqualTo(engine);
                            } else {
                                sigmoidChecked++;
                                sigmoidDiffer += rs.getDouble(1) == engine ? 0 : 1;
                                // not bit for bit (a finding): augur.sigmoid is 0.5 + 0.5 tanh(m / 2) (inlinable, strict), the
                                // engine's the two-sided 1 / (1 + exp(-m)). tanh's form is exact to ~1e-16 absolutely but
                                // cancels in the lower tail (relative error 7e-10 at m = -18, score 0 below m = -38)
                                assertThat(rs.getDouble(1)).as("PREDICT of %s vs the engine's score", where)
                                        .isCloseTo(engine, org.assertj.core.api.Assertions.within(4e-16));
                                if (engine > 0) {
                                    maxRelative = Math.max(maxRelative, Math.abs(rs.getDouble(1) - engine) / engine);
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.println("sigmoid golden vectors: " + sigmoidDiffer + " of " + sigmoidChecked + " differ, relative difference at most " + maxRelative);
        assertThat(models).isEqualTo(15);
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    // ------------------------------------------------------------------ conformal rank rule

    /**
     * PREDICT_SET's quantile is the k-th smallest of n calibration scores, k = ⌈(n + 1)(1 − alpha)⌉, and the smallest n that
     * works is named in an error: PL/pgSQL's augur.conformal_rank and augur.conformal_minimum give the engine's k and n for
     * every n up to 3000, at alphas where (n + 1)(1 − alpha) is an integer in exact arithmetic (float8 rounding decides
     * the ceiling there) and at random ones.
     */
    /**
     * PREDICT(model, text) of a single-output vocabulary model is scored by a generated augur.bow_score_* function (the
     * vocabulary an in-memory jsonb lookup folded into the session's plan): for every weighting, with and without the
     * L2 norm, unigrams and bigrams, every kind with one margin, it gives the engine's score (the sum of the terms runs in
     * PostgreSQL's aggregate order, so a relative 1e-13), the same as the general path (augur.predict_any), and its
     * function names the version, never a term or a weight (pg_proc is readable by every role).
     */
    @Test
    void generatedBagOfWordsPredictIsTheEnginesScore() throws Exception {
        Random rnd = new Random(31);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            words.add("tq" + Integer.toString(i * 7919 + 13, 36));
        }
        List<String> texts = new ArrayList<>(List.of("", "   ", "...", "naïve café ÉTÉ", words.get(0), words.get(0) + " " + words.get(0),
                words.get(1).toUpperCase(Locale.ROOT) + "!" + words.get(2) + "\t" + words.get(1) + "é" + words.get(3) + "42"));
        for (int t = 0; t < 40; t++) {
            StringBuilder text = new StringBuilder();
            int n = rnd.nextInt(30);
            for (int k = 0; k < n; k++) {
                String w = rnd.nextInt(5) == 0 ? "oov" + rnd.nextInt(50) : words.get(rnd.nextInt(words.size()));
                text.append(rnd.nextBoolean() ? w : w.toUpperCase(Locale.ROOT)).append(List.of(" ", ", ", "\n", "-", "ü", "  ").get(rnd.nextInt(6)));
            }
            texts.add(text.toString());
        }
        // texts on both of the binary scorer's ways to the distinct terms (under 2,048 bytes of terms in all, or not),
        // exactly at the bound, and a token longer than a tsvector entry's 11-bit length whose first 2,100 mod 2,048
        // chars are a term of their own: both are in every vocabulary, so a truncated token would score as the prefix
        String longToken = words.get(0).repeat(700);
        String prefix = longToken.substring(0, longToken.length() % 2048);
        texts.add(longToken);
        texts.add(prefix + " " + longToken + " " + words.get(1) + " " + prefix);
        for (int bytes = 2046; bytes <= 2049; bytes++) {
            int k = (bytes - 1) / words.get(0).length();
            texts.add((words.get(0) + " ").repeat(k) + "z".repeat(bytes - k * words.get(0).length()));
        }
        StringBuilder many = new StringBuilder();
        for (int k = 0; k < 400; k++) {
            many.append(rnd.nextInt(5) == 0 ? "oov" + rnd.nextInt(50) : words.get(rnd.nextInt(words.size()))).append(' ');
        }
        texts.add(many.toString());
        int models = 0;
        for (ModelKind kind : List.of(ModelKind.LINEAR, ModelKind.LOGISTIC, ModelKind.SVM)) {
            for (BagOfWords.Weighting weighting : BagOfWords.Weighting.values()) {
                for (boolean normalize : new boolean[]{false, true}) {
                    for (int ngrams = 1; ngrams <= 2; ngrams++) {
                        String name = "gbow_" + kind.sqlName() + "_" + weighting.name().toLowerCase(Locale.ROOT) + "_" + normalize + "_" + ngrams;
                        List<String> vocabulary = new ArrayList<>();
                        for (String w : words) {
                            if (rnd.nextInt(4) != 0) {
                                vocabulary.add(w);
                            }
                        }
                        for (int b = 0; ngrams == 2 && b < 30; b++) {
                            String bigram = words.get(rnd.nextInt(words.size())) + " " + words.get(rnd.nextInt(words.size()));
                            if (!vocabulary.contains(bigram)) {
                                vocabulary.add(bigram);
                            }
                        }
                        vocabulary.add(longToken);
                        vocabulary.add(prefix);
                        double[] w = new double[vocabulary.size()];
                        double[] idf = new double[vocabulary.size()];
                        for (int j = 0; j < w.length; j++) {
                            // a fifth weigh exactly 0 (no weight row: they still count in the norm)
                            w[j] = rnd.nextInt(5) == 0 ? 0 : Math.scalb(rnd.nextGaussian(), rnd.nextInt(6) - 3);
                            idf[j] = 1 + rnd.nextDouble() * 4;
                        }
                        w[w.length - 2] = 0.75;
                        w[w.length - 1] = -1.25;
                        Model m = Model.of(name, kind, new BagOfWords("body", weighting, ngrams, 0, normalize, vocabulary.toArray(String[]::new),
                                weighting == BagOfWords.Weighting.TFIDF ? idf : null), kind == ModelKind.LINEAR ? List.of() : List.of("no", "yes"),
                                w, new double[]{rnd.nextGaussian()});
                        H2Db.exec(pg, "SELECT AUGUR.IMPORT_MODEL('" + name + "', '" + ModelJson.toJson(m).replace("'", "''") + "')",
                                "SELECT AUGUR.DEPLOY_MODEL('" + name + "', 1)");
                        models++;
                        try (PreparedStatement ps = pg.prepareStatement("SELECT predict('" + name + "', ?), predict('" + name + "@1', ?),"
                                + " augur.predict_any('" + name + "', NULL, ?)")) {
                            for (String text : texts) {
                                ps.setString(1, text);
                                ps.setString(2, text);
                                ps.setString(3, text);
                                double engine = m.evaluate(new Object[]{text}).score();
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    String where = name + " on '" + text + "'";
                                    double tolerance = Math.max(4e-16, Math.abs(engine) * 1e-13);
                                    assertThat(rs.getDouble(1)).as("PREDICT of %s vs the engine", where).isCloseTo(engine,
                                            org.assertj.core.api.Assertions.within(tolerance));
                                    assertThat(rs.getDouble(2)).as("PREDICT of %s@1", where).isEqualTo(rs.getDouble(1));
                                    assertThat(rs.getDouble(3)).as("the general path of %s", where).isCloseTo(rs.getDouble(1),
                                            org.assertj.core.api.Assertions.within(tolerance));
                                }
                            }
                        }
                        if (kind != ModelKind.LINEAR) {
                            assertGeneratedLabelAndProbaAreTheEngines(m, texts);
                        }
                    }
                }
            }
        }
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE p.prosrc ~ 'tq|[0-9]\\.[0-9]')"
                + " FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'augur'::regnamespace AND p.proname ~ '^bow_score_'"
                + " AND p.prosrc LIKE '%''gbow\\_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("a generated scorer per version").isEqualTo(models);
            assertThat(rs.getInt(2)).as("scorers whose text holds a term or a weight").isZero();
        }
        // a dropped version's scorer goes with it
        H2Db.exec(pg, "SELECT AUGUR.DROP_MODEL('gbow_svm_binary_true_2')");
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_catalog.pg_proc p"
                + " WHERE p.pronamespace = 'augur'::regnamespace AND p.proname ~ '^bow_score_' AND p.prosrc LIKE '%''gbow\\_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(models - 1);
        }
    }

    /**
     * PREDICT_LABEL(model, text) and PREDICT_PROBA(model, class, text) of a bag-of-words binary classifier are generated
     * beside PREDICT (the same augur.bow_score_* margin, the label and probability by the engine's link), not the general
     * path: the engine's label and probabilities, the general path's answers bit for bit, NULL for a NULL body, and the
     * general path's error for a class the model lacks.
     */
    private static void assertGeneratedLabelAndProbaAreTheEngines(Model m, List<String> texts) throws SQLException {
        String name = m.name();
        for (String sig : List.of("public.predict_label(text, text)", "public.predict_proba(text, text, text)")) {
            try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT prosrc FROM pg_proc WHERE oid = '" + sig + "'::regprocedure")) {
                rs.next();
                assertThat(rs.getString(1)).as("%s has an arm for %s scored by its generated scorer", sig, name)
                        .containsPattern("WHEN '" + name + "' THEN CASE WHEN x1 IS NULL THEN [^W]*WHEN augur\\.intact\\('" + name
                                + "', 1, '[0-9a-f]{64}'\\) THEN [^']*('[^']*'[^']*)??augur\\.bow_score_[0-9a-f]{32}\\(x1\\)");
            }
        }
        try (PreparedStatement ps = pg.prepareStatement("SELECT predict_label('" + name + "', ?), predict_label('" + name + "@1', ?),"
                + " augur.label_any('" + name + "', NULL, ?), predict_proba('" + name + "', 'yes', ?), predict_proba('" + name + "@1', 'no', ?),"
                + " augur.proba_any('" + name + "', 'yes', NULL, ?), augur.proba_any('" + name + "', 'no', NULL, ?)")) {
            for (String text : texts) {
                for (int i = 1; i <= 7; i++) {
                    ps.setString(i, text);
                }
                var engine = m.evaluate(new Object[]{text});
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String where = name + " on '" + text + "'";
                    double tolerance = Math.max(4e-16, engine.score() * 1e-13);
                    assertThat(rs.getString(1)).as("PREDICT_LABEL of %s vs the engine", where).isEqualTo(engine.label());
                    assertThat(rs.getString(2)).as("PREDICT_LABEL of %s@1", where).isEqualTo(engine.label());
                    assertThat(rs.getString(3)).as("the general path's label of %s", where).isEqualTo(engine.label());
                    assertThat(rs.getDouble(4)).as("PREDICT_PROBA 'yes' of %s vs the engine", where).isCloseTo(engine.score(),
                            org.assertj.core.api.Assertions.within(tolerance));
                    assertThat(rs.getDouble(5)).as("PREDICT_PROBA 'no' of %s@1 vs the engine", where).isCloseTo(1 - engine.score(),
                            org.assertj.core.api.Assertions.within(tolerance));
                    assertThat(rs.getDouble(4)).as("PREDICT_PROBA 'yes' of %s vs the general path", where).isCloseTo(rs.getDouble(6),
                            org.assertj.core.api.Assertions.within(tolerance));
                    assertThat(rs.getDouble(5)).as("PREDICT_PROBA 'no' of %s vs the general path", where).isCloseTo(rs.getDouble(7),
                            org.assertj.core.api.Assertions.within(tolerance));
                }
            }
        }
        assertThat(H2Db.rows(pg, "SELECT predict_label('" + name + "', NULL), predict_proba('" + name + "', 'yes', NULL),"
                + " predict_proba('" + name + "', NULL, 'x')")).containsExactly(java.util.Arrays.asList(null, null, null));
        assertThatThrownBy(() -> H2Db.scalar(pg, "SELECT predict_proba('" + name + "', 'maybe', 'x')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("model '" + name + "' has no class 'maybe' (classes: no, yes)")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
    }

    @Test
    void conformalRankAndMinimumSizeAreTheEngines() throws Exception {
        List<Double> alphas = new ArrayList<>(List.of(0.1, 0.05, 0.2, 0.25, 0.3, 0.5, 0.7, 0.9, 0.01, 0.001, 1.0 / 3, 2.0 / 3,
                0.15, 0.95, 0.99, 1e-6, Math.nextUp(0.0), Math.nextDown(1.0)));
        Random rnd = new Random(20261201);
        for (int i = 0; i < 40; i++) {
            alphas.add(rnd.nextDouble() * 0.5 + 1e-3);
        }
        int n = 3000;
        try (PreparedStatement rank = pg.prepareStatement("SELECT array_agg(augur.conformal_rank(g, ?) ORDER BY g) FROM generate_series(1, ?) g");
             PreparedStatement minimum = pg.prepareStatement("SELECT augur.conformal_minimum(?)")) {
            for (double alpha : alphas) {
                List<Long> expected = new ArrayList<>();
                for (long g = 1; g <= n; g++) {
                    expected.add(Calibration.rank(g, alpha));
                }
                rank.setDouble(1, alpha);
                rank.setInt(2, n);
                try (ResultSet rs = rank.executeQuery()) {
                    rs.next();
                    assertThat(Arrays.stream((Object[]) rs.getArray(1).getArray()).map(v -> ((Number) v).longValue()).toList())
                            .as("ranks at alpha %s", alpha).isEqualTo(expected);
                }
                minimum.setDouble(1, alpha);
                try (ResultSet rs = minimum.executeQuery()) {
                    rs.next();
                    long min = Calibration.minimumSize(alpha);
                    assertThat(rs.getLong(1)).as("minimum calibration size at alpha %s", alpha).isEqualTo(min);
                    if (alpha >= 1e-9) {
                        assertThat(Calibration.rank(min, alpha)).isLessThanOrEqualTo(min);
                        assertThat(min == 1 || Calibration.rank(min - 1, alpha) > min - 1).as("no smaller size works").isTrue();
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ the margin screen of views learning online

    /**
     * The margin screen's step of a model change and each row's margin interval (ViewIndex's learning views) are the same
     * float64 operations in the same order in the engine (MarginScreen) and in PL/pgSQL (augur.screen_step, and the SQL
     * that augur.screen_interval_sql renders for classification views), so both bit for bit: steps from 1e-12 to 10 against weights from 1e-6 to 1e6, rows whose
     * magnitudes span twelve orders, zero rows and rows with a zero feature, and the limits where the screen stops
     * (513 weights, a weight or a feature above 1e100, a row whose largest feature is below 1e-290: no step, no interval).
     */
    @Test
    void marginScreenStepAndIntervalAreTheEngines() throws Exception {
        Random rnd = new Random(20261204);
        int intervals = 0;
        String rendered;
        try (Statement s = pg.createStatement();
             ResultSet rs = s.executeQuery("SELECT augur.screen_interval_sql('true', 't.x', 't.ninf', 't.n2', 't.am', 't.p', 't.st')")) {
            rs.next();
            rendered = rs.getString(1);
        }
        try (PreparedStatement step = pg.prepareStatement("SELECT s.steps, s.step_scale, s.steps_norm, s.rest_norm, s.delta_bias,"
                + " s.weight_norms, s.bias_magnitude FROM augur.screen_step(?, ?, ?, ?) s");
             PreparedStatement interval = pg.prepareStatement("SELECT ARRAY[scr.lo, scr.hi] FROM (SELECT CAST(? AS float8[]) AS x,"
                     + " CAST(? AS float8) AS ninf, CAST(? AS float8) AS n2, CAST(? AS float8) AS am, CAST(? AS integer[]) AS p,"
                     + " CAST(? AS float8[]) AS st) t, " + rendered)) {
            for (int c = 0; c < 60; c++) {
                int d = c == 0 ? 513 : 1 + rnd.nextInt(c < 30 ? 8 : 80);
                double wScale = Math.pow(10, rnd.nextInt(13) - 6);
                double stepScale = Math.pow(10, rnd.nextInt(14) - 12);
                double[] wa = new double[d];
                double[] w = new double[d];
                for (int j = 0; j < d; j++) {
                    wa[j] = rnd.nextGaussian() * wScale;
                    w[j] = rnd.nextInt(5) == 0 ? wa[j] : wa[j] + rnd.nextGaussian() * stepScale;
                }
                if (c == 1) {
                    w[0] = 2e100; // above MarginScreen.MAX_MAGNITUDE: no step
                }
                double ba = rnd.nextGaussian();
                double b = ba + rnd.nextGaussian() * stepScale;
                Model anchor = Model.of("s", ModelKind.LOGISTIC, denseFeatures(d), List.of("0", "1"), wa, new double[]{ba});
                Model current = Model.of("s", ModelKind.LOGISTIC, denseFeatures(d), List.of("0", "1"), w, new double[]{b});
                MarginScreen.Step expected = MarginScreen.stepBetween(anchor, current, d);
                step.setArray(1, pg.createArrayOf("float8", boxed(wa)));
                step.setArray(2, pg.createArrayOf("float8", boxed(w)));
                step.setDouble(3, ba);
                step.setDouble(4, b);
                double[] st;
                Array steps;
                try (ResultSet rs = step.executeQuery()) {
                    rs.next();
                    steps = rs.getArray(1);
                    if (expected == null) {
                        assertThat(steps).as("case %s: no step (d = %s)", c, d).isNull();
                        continue;
                    }
                    assertThat(Arrays.stream((Object[]) steps.getArray()).mapToInt(v -> ((Number) v).intValue()).toArray())
                            .as("case %s: steps", c).isEqualTo(expected.steps());
                    st = new double[]{rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)};
                }
                assertThat(st).as("case %s: scale, steps' norm, rest's norm, bias change, weight norms, bias magnitude", c)
                        .containsExactly(expected.stepScale(), expected.stepsNorm(), expected.restNorm(), expected.deltaBias(),
                                expected.weightNorms(), expected.biasMagnitude());
                for (int r = 0; r < 25; r++) {
                    double[] x = new double[d];
                    double xScale = Math.pow(10, rnd.nextInt(13) - 6);
                    for (int j = 0; j < d; j++) {
                        x[j] = r == 0 ? 0 : rnd.nextInt(6) == 0 ? 0 : rnd.nextGaussian() * xScale;
                    }
                    if (r == 1) {
                        x[d - 1] = -3e100; // above MarginScreen.MAX_MAGNITUDE: no interval
                    }
                    if (r == 2) {
                        Arrays.fill(x, 0);
                        x[0] = 3e-295; // below MarginScreen.MIN_MAGNITUDE: no interval either
                    }
                    double norm2 = 0;
                    double normInf = 0;
                    for (double v : x) {
                        norm2 += v * v;
                        normInf = Math.max(normInf, Math.abs(v));
                    }
                    norm2 = Math.sqrt(norm2);
                    double anchorMargin = anchor.margin(x);
                    double[] out = new double[2];
                    MarginScreen.intervalOf(x, norm2, anchorMargin, expected, out);
                    interval.setArray(1, pg.createArrayOf("float8", boxed(x)));
                    interval.setDouble(2, normInf);
                    interval.setDouble(3, norm2);
                    interval.setDouble(4, anchorMargin);
                    interval.setArray(5, steps);
                    interval.setArray(6, pg.createArrayOf("float8", boxed(st)));
                    try (ResultSet rs = interval.executeQuery()) {
                        rs.next();
                        Object[] a = (Object[]) rs.getArray(1).getArray();
                        if (r == 1 || r == 2) {
                            assertThat(a).as("case %s: a feature above 1e100, or all below 1e-290", c).containsExactly(null, null);
                            // the engine's is unbounded (or NaN for a step of zero scale): never screened safe either
                            assertThat(out[0] == Double.NEGATIVE_INFINITY || Double.isNaN(out[0])).as("the engine's %s", out[0]).isTrue();
                            continue;
                        }
                        double[] got = Arrays.stream(a).mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                        assertThat(got).as("case %s row %s: the interval", c, r).containsExactly(out[0], out[1]);
                        intervals++;
                    }
                }
            }
        }
        assertThat(intervals).as("intervals compared").isGreaterThan(1000);
    }

    private static DenseFeatures denseFeatures(int d) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        return new DenseFeatures(names);
    }

    private static Double[] boxed(double[] x) {
        Double[] o = new Double[x.length];
        for (int i = 0; i < x.length; i++) {
            o[i] = x[i];
        }
        return o;
    }

    // ------------------------------------------------------------------ Bayesian intervals and probabilities

    /**
     * A Bayesian regressor's interval is μ ± Φ⁻¹((1 + level)/2)·sd and a Bayesian classifier's probability σ(μ / sqrt(1 +
     * π s²/8)): PL/pgSQL's augur.normal_quantile and augur.probit_corrected are the engine's Links arithmetic, the same
     * float8 operations in the same order except the logarithm (libm's against Java's, within an ulp or two) and the
     * sigmoid (tanh against exp), so they agree to a few ulps, at levels near the ends of (0, 1) and in the middle.
     */
    @Test
    void normalQuantileAndProbitCorrectionAreTheEngines() throws Exception {
        List<Double> ps = new ArrayList<>(List.of(0.5, 0.95, 0.975, 0.9, 0.8, 0.05, 0.02425, 0.97575, 1e-6, 1 - 1e-6, 1e-300,
                Math.nextUp(0.0), Math.nextDown(1.0)));
        Random rnd = new Random(20261202);
        for (int i = 0; i < 200; i++) {
            ps.add(rnd.nextDouble());
        }
        try (PreparedStatement q = pg.prepareStatement("SELECT augur.normal_quantile(?)");
             PreparedStatement probit = pg.prepareStatement("SELECT augur.probit_corrected(?, ?)")) {
            for (double p : ps) {
                if (!(p > 0 && p < 1)) {
                    continue;
                }
                q.setDouble(1, p);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    double want = dev.augur.engine.model.Links.normalQuantile(p);
                    assertThat(rs.getDouble(1)).as("quantile at %s", p).isCloseTo(want, org.assertj.core.data.Offset.offset(8 * Math.ulp(want) + 1e-300));
                }
            }
            for (int i = 0; i < 200; i++) {
                double mu = rnd.nextGaussian() * 5;
                double s2 = rnd.nextDouble() * 30;
                probit.setDouble(1, mu);
                probit.setDouble(2, s2);
                try (ResultSet rs = probit.executeQuery()) {
                    rs.next();
                    assertThat(rs.getDouble(1)).isCloseTo(dev.augur.engine.model.Links.probitCorrected(mu, s2),
                            org.assertj.core.data.Offset.offset(1e-15));
                }
            }
        }
    }

    private static List<Integer> ints(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((Integer[]) a.getArray());
    }

    private static double[] doubles(Array a) throws SQLException {
        if (a == null) {
            return new double[0];
        }
        Double[] boxed = (Double[]) a.getArray();
        double[] out = new double[boxed.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }
}
