package dev.augur.engine.train;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SgdTrainerTest {
    private static final TrainingOptions DEFAULTS = TrainingOptions.defaults();

    @Test
    void linearRegressionRecoversNoiselessCoefficients() {
        Random random = new Random(1);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double a = random.nextDouble() * 100;      // inputs on very different scales
            double b = random.nextDouble() * 0.2 - 0.1;
            rows.add(new Object[]{a, b, 3 * a - 2 * b + 5});
        }

        Model model = SgdTrainer.train("price", ModelKind.LINEAR, List.of("a", "b"), rows, DEFAULTS, null);

        assertThat(model.kind()).isEqualTo(ModelKind.LINEAR);
        assertThat(model.classes()).isEmpty();
        assertThat(model.weights()[0]).isCloseTo(3, within(1e-2));
        assertThat(model.weights()[1]).isCloseTo(-2, within(1e-2));
        assertThat(model.bias()[0]).isCloseTo(5, within(1e-2));
        assertThat(model.evaluate(10, 0.05).score()).isCloseTo(30 - 0.1 + 5, within(1e-2));
    }

    /** A plain SGD step on 100 standardized inputs at the default rate overshoots (rate · ‖x‖² ≈ 5) and diverges. */
    @Test
    void linearRegressionOnManyInputsConverges() {
        int d = 100;
        Random random = new Random(2);
        List<String> inputs = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            inputs.add("x" + j);
        }
        double[] truth = new double[d];
        Arrays.setAll(truth, j -> (j % 3) - 1.0);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Object[] row = new Object[d + 1];
            double y = 5;
            for (int j = 0; j < d; j++) {
                double v = random.nextGaussian() * 3 + 1;
                row[j] = v;
                y += truth[j] * v;
            }
            row[d] = y;
            rows.add(row);
        }

        Model model = SgdTrainer.train("wide", ModelKind.LINEAR, inputs, rows, DEFAULTS, null);

        double[] w = model.weights();
        for (int j = 0; j < d; j++) {
            assertThat(w[j]).as("weight of x%d", j).isCloseTo(truth[j], within(1e-2));
        }
        assertThat(model.bias()[0]).isCloseTo(5, within(1e-1));
    }

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"LOGISTIC", "SVM"})
    void binaryClassifiersSeparateLinearlySeparableData(ModelKind kind) {
        List<Object[]> train = separable(new Random(3), 400);
        List<Object[]> test = separable(new Random(4), 400);

        Model model = SgdTrainer.train("sep", kind, List.of("a", "b"), train, DEFAULTS, null);

        assertThat(model.classes()).containsExactly("0", "1");
        assertThat(accuracy(model, train)).isEqualTo(1.0);
        assertThat(accuracy(model, test)).isGreaterThanOrEqualTo(0.99);
    }

    /** Class 1 when 2a - b > 1, with a gap of 0.5 around the boundary; inputs on different scales. */
    private static List<Object[]> separable(Random random, int n) {
        List<Object[]> rows = new ArrayList<>();
        while (rows.size() < n) {
            double a = random.nextDouble() * 10 - 5;
            double b = random.nextDouble() * 1000 - 500;
            double s = 2 * a - b / 100 - 1;
            if (Math.abs(s) >= 0.5) {
                rows.add(new Object[]{a, b, s > 0 ? 1 : 0});
            }
        }
        return rows;
    }

    @Test
    void softmaxSeparatesThreeClusters() {
        List<Object[]> train = clusters(new Random(5), 300);
        List<Object[]> test = clusters(new Random(6), 300);

        Model model = SgdTrainer.train("color", ModelKind.SOFTMAX, List.of("x", "y"), train, DEFAULTS, null);

        assertThat(model.classes()).containsExactly("blue", "green", "red");
        assertThat(model.outputs()).isEqualTo(3);
        assertThat(accuracy(model, test)).isGreaterThanOrEqualTo(0.99);
        assertThat(model.evaluate(10.0, 0.0).label()).isEqualTo("green");
        assertThat(model.evaluate(10.0, 0.0).score()).isGreaterThan(0.9);
    }

    private static List<Object[]> clusters(Random random, int n) {
        String[] labels = {"red", "green", "blue"};
        double[][] centers = {{0, 0}, {10, 0}, {0, 10}};
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            rows.add(new Object[]{centers[c][0] + random.nextGaussian(), centers[c][1] + random.nextGaussian(), labels[c]});
        }
        return rows;
    }

    /** Softmax keeps one output per class also for two classes (it used to train a single output and fail). */
    @Test
    void softmaxTrainsOnTwoClasses() {
        List<Object[]> rows = separable(new Random(7), 200);

        Model model = SgdTrainer.train("two", ModelKind.SOFTMAX, List.of("a", "b"), rows, DEFAULTS, null);

        assertThat(model.outputs()).isEqualTo(2);
        assertThat(accuracy(model, rows)).isGreaterThanOrEqualTo(0.99);
    }

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void oneTextInputTrainsABagOfWordsModel(ModelKind kind) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(new Object[]{"Cheap PILLS, buy now! offer " + i, 1});
            rows.add(new Object[]{"Meeting agenda for Monday, notes " + i, 0});
        }

        Model model = SgdTrainer.train("spam", kind, List.of("body"), rows, DEFAULTS, null);

        assertThat(model.features()).isInstanceOfSatisfying(BagOfWords.class, bow -> {
            assertThat(bow.input()).isEqualTo("body");
            assertThat(bow.weighting()).isEqualTo(DEFAULTS.weighting());
            assertThat(bow.vocabulary()).contains("cheap", "meeting", "19");
        });
        if (!kind.isClassifier()) {
            // a Bayesian mean is shrunk toward 0 by its prior (precision 1 against 40 rows), toward the intercept
            double tolerance = kind.uncertainty() == ModelKind.Uncertainty.POSTERIOR ? 0.15 : 0.05;
            assertThat(model.evaluate("Cheap PILLS, buy now! offer 3").score()).isCloseTo(1, within(tolerance));
            assertThat(model.evaluate("Meeting agenda for Monday, notes 3").score()).isCloseTo(0, within(tolerance));
            assertThat(model.evaluate("buy cheap pills").score()).isGreaterThan(0.5);
            assertThat(model.evaluate("the meeting agenda").score()).isLessThan(0.5);
        } else {
            assertThat(model.evaluate("buy cheap pills").label()).isEqualTo("1");
            assertThat(model.evaluate("the meeting agenda").label()).isEqualTo("0");
        }
    }

    @Test
    void textOptionsShapeTheFeatureFunction() {
        List<Object[]> rows = List.of(new Object[]{"free money now", "spam"}, new Object[]{"free lunch at noon", "ham"},
                new Object[]{"money money", "spam"}, new Object[]{"lunch meeting", "ham"});
        TrainingOptions options = TrainingOptions.fromJson(
                "{\"features\": \"tfidf\", \"ngrams\": 2, \"min_df\": 2, \"normalize\": false}");

        Model model = SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("t"), rows, options, null);

        BagOfWords bow = (BagOfWords) model.features();
        assertThat(bow.vocabulary()).containsExactlyInAnyOrder("free", "money", "lunch");
        assertThat(bow.ngrams()).isEqualTo(2);
        assertThat(bow.normalize()).isFalse();
        // smooth idf: ln((1 + n) / (1 + df)) + 1 with n = 4, df = 2
        assertThat(bow.idf()).containsOnly(Math.log(5.0 / 3.0) + 1);
        assertThat(model.classes()).containsExactly("ham", "spam");
    }

    @Test
    void hashingOptionGivesBucketsWithoutVocabulary() {
        List<Object[]> rows = List.of(new Object[]{"free money", 1}, new Object[]{"lunch", 0});

        Model model = SgdTrainer.train("m", ModelKind.SVM, List.of("t"), rows, TrainingOptions.fromJson("{\"hash_bits\": 8}"), null);

        BagOfWords bow = (BagOfWords) model.features();
        assertThat(bow.hashBits()).isEqualTo(8);
        assertThat(bow.vocabulary()).isEmpty();
        assertThat(model.dimension()).isEqualTo(256);
        assertThat(model.evaluate("free money").label()).isEqualTo("1");
    }

    @Test
    void maxFeaturesKeepsTheMostFrequentTerms() {
        List<Object[]> rows = List.of(new Object[]{"common rare1", 1}, new Object[]{"common rare2", 0},
                new Object[]{"common middle", 1}, new Object[]{"middle", 0});

        Model model = SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("t"), rows,
                TrainingOptions.fromJson("{\"max_features\": 2}"), null);

        assertThat(((BagOfWords) model.features()).vocabulary()).containsExactly("common", "middle");
    }

    @Test
    void minDfThatRemovesEveryTermIsInvalidParameter() {
        List<Object[]> rows = List.of(new Object[]{"alpha", 1}, new Object[]{"beta", 0});

        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("t"), rows,
                TrainingOptions.fromJson("{\"min_df\": 5}"), null), "no terms (after min_df 5)");
    }

    @Test
    void labelsOfEqualValueAreOneClassAndNumericLabelsSortNumerically() {
        List<Object[]> rows = new ArrayList<>();
        Object[] labels = {10, 9.0, 2L, 10.0, 9, 2.0};
        for (int i = 0; i < labels.length; i++) {
            rows.add(new Object[]{(double) i, labels[i]});
        }

        Model model = SgdTrainer.train("m", ModelKind.SOFTMAX, List.of("x"), rows, DEFAULTS, null);

        assertThat(model.classes()).containsExactly("2", "9", "10");
        assertThat(SgdTrainer.labelText(1.50)).isEqualTo("1.5");
        assertThat(SgdTrainer.labelText(new java.math.BigDecimal("3.000"))).isEqualTo("3");
    }

    @Test
    void booleanLabelsPutFalseFirst() {
        List<Object[]> rows = List.of(new Object[]{1.0, true}, new Object[]{-1.0, false});

        Model model = SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("x"), rows, DEFAULTS, null);

        assertThat(model.classes()).containsExactly("false", "true");
        assertThat(model.evaluate(1.0).label()).isEqualTo("true");
    }

    @Test
    void sameSeedGivesTheSameModelAndProgressCountsEpochs() {
        List<Object[]> rows = separable(new Random(8), 100);
        List<Integer> progress = new ArrayList<>();
        TrainingOptions options = TrainingOptions.fromJson("{\"epochs\": 4, \"seed\": 11}");

        Model first = SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("a", "b"), rows, options, progress::add);
        Model second = SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("a", "b"), rows, options, null);

        assertThat(first).isEqualTo(second);
        assertThat(progress).containsExactly(1, 2, 3, 4);
    }

    @Test
    void noRowsIsInvalidParameter() {
        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("a"), List.of(), DEFAULTS, null), "returned no rows");
    }

    @Test
    void noInputColumnsIsInvalidParameter() {
        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LINEAR, List.of(), List.<Object[]>of(new Object[]{1}), DEFAULTS, null),
                "at least one input column");
    }

    @Test
    void nullInARowIsNullValueNotAllowedNamingRowAndColumn() {
        List<Object[]> nullInput = List.of(new Object[]{1.0, 2.0, 1}, new Object[]{1.0, null, 0});
        List<Object[]> nullLabel = List.of(new Object[]{1.0, 2.0, 1}, new Object[]{1.0, 3.0, null});

        assertThatThrownBy(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("a", "b"), nullInput, DEFAULTS, null))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22004");
                    assertThat(e.getMessage()).contains("row 2", "'b'", "IS NOT NULL");
                });
        assertThatThrownBy(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("a", "b"), nullLabel, DEFAULTS, null))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22004");
                    assertThat(e.getMessage()).contains("row 2", "the label");
                });
    }

    @Test
    void singleClassIsInvalidParameter() {
        List<Object[]> rows = List.of(new Object[]{1.0, "yes"}, new Object[]{2.0, "yes"});

        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("a"), rows, DEFAULTS, null),
                "at least 2 classes", "[yes]");
    }

    @Test
    void threeClassesForABinaryKindSuggestSoftmax() {
        List<Object[]> rows = List.of(new Object[]{1.0, "a"}, new Object[]{2.0, "b"}, new Object[]{3.0, "c"});

        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("x"), rows, DEFAULTS, null),
                "3 classes", "softmax");
    }

    @Test
    void nonFiniteInputIsInvalidParameter() {
        List<Object[]> rows = List.of(new Object[]{1.0, 1}, new Object[]{Double.NaN, 0});

        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("x"), rows, DEFAULTS, null), "'x' is NaN");
    }

    @Test
    void nonFiniteClassLabelIsInvalidParameter() {
        List<Object[]> rows = List.of(new Object[]{1.0, 1.0}, new Object[]{2.0, Double.NaN});

        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("x"), rows, DEFAULTS, null), "row 2", "NaN");
    }

    @Test
    void regressionLabelMustBeANumber() {
        List<Object[]> rows = List.of(new Object[]{1.0, 1.0}, new Object[]{2.0, "high"});

        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LINEAR, List.of("x"), rows, DEFAULTS, null), "numeric label", "row 2");
    }

    @Test
    void textAmongSeveralInputsIsDatatypeMismatch() {
        List<Object[]> rows = List.of(new Object[]{"words", 1.0, 1}, new Object[]{"more", 2.0, 0});

        assertThatThrownBy(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, List.of("t", "x"), rows, DEFAULTS, null))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.DATATYPE_MISMATCH);
                    assertThat(e.getMessage()).contains("'t'", "bag_of_words");
                });
    }

    @Test
    void invalidModelNameIsInvalidName() {
        List<Object[]> rows = List.of(new Object[]{1.0, 1}, new Object[]{2.0, 0});

        assertThatThrownBy(() -> SgdTrainer.train("my model", ModelKind.LOGISTIC, List.of("x"), rows, DEFAULTS, null))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_NAME));
    }

    // ---------------------------------------------------------------- options

    @Test
    void optionsFromJsonReadEveryKey() {
        TrainingOptions o = TrainingOptions.fromJson("""
                {"epochs": 3, "learning_rate": 0.1, "l2": 0, "seed": 7, "features": "TFIDF", "ngrams": 2,
                 "hash_bits": 10, "min_df": 2, "max_features": 100, "normalize": false}""");

        assertThat(o).isEqualTo(new TrainingOptions(3, 0.1, 0, 7, BagOfWords.Weighting.TFIDF, 2, 10, 2, 100, false, 0));
    }

    @Test
    void absentOrBlankOptionsAreTheDefaults() {
        assertThat(TrainingOptions.fromJson(null)).isEqualTo(TrainingOptions.defaults());
        assertThat(TrainingOptions.fromJson(" ")).isEqualTo(TrainingOptions.defaults());
        assertThat(TrainingOptions.fromJson("{}")).isEqualTo(TrainingOptions.defaults());
    }

    @Test
    void normalizeAcceptsBooleansAndL2OrNone() {
        assertThat(TrainingOptions.fromJson("{\"normalize\": \"none\"}").normalize()).isFalse();
        assertThat(TrainingOptions.fromJson("{\"normalize\": \"L2\"}").normalize()).isTrue();
        assertThat(TrainingOptions.fromJson("{\"normalize\": true}").normalize()).isTrue();
        assertInvalid(() -> TrainingOptions.fromJson("{\"normalize\": \"false\"}"), "option normalize");
    }

    @Test
    void unknownOptionIsInvalidParameterListingTheOptions() {
        assertInvalid(() -> TrainingOptions.fromJson("{\"epoch\": 5}"), "unknown training option 'epoch'",
                "epochs, features, hash_bits, l2, learning_rate, level, max_features, members, min_df, ngrams, normalize, prior, seed");
    }

    @Test
    void optionsThatAreNotJsonObjectsAreInvalidJson() {
        for (String bad : List.of("{\"epochs\": ", "epochs = 5", "[5]", "null")) {
            assertThatThrownBy(() -> TrainingOptions.fromJson(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_JSON));
        }
    }

    @Test
    void outOfRangeOrMistypedOptionsAreInvalidParameter() {
        assertInvalid(() -> TrainingOptions.fromJson("{\"epochs\": 0}"), "epochs must be an integer between 1 and 10000, got 0");
        assertInvalid(() -> TrainingOptions.fromJson("{\"epochs\": \"5\"}"), "epochs must be an integer");
        assertInvalid(() -> TrainingOptions.fromJson("{\"epochs\": 2.5}"), "epochs must be an integer");
        assertInvalid(() -> TrainingOptions.fromJson("{\"learning_rate\": -1}"), "learning_rate");
        assertInvalid(() -> TrainingOptions.fromJson("{\"l2\": \"a lot\"}"), "l2 must be a finite number >= 0");
        assertInvalid(() -> TrainingOptions.fromJson("{\"ngrams\": 6}"), "ngrams must be an integer between 1 and 5");
        assertInvalid(() -> TrainingOptions.fromJson("{\"hash_bits\": 27}"), "hash_bits");
        assertInvalid(() -> TrainingOptions.fromJson("{\"min_df\": 0}"), "min_df");
        assertInvalid(() -> TrainingOptions.fromJson("{\"features\": \"words\"}"), "binary, tf or tfidf");
    }

    private static double accuracy(Model model, List<Object[]> rows) {
        int right = 0;
        for (Object[] row : rows) {
            Object[] inputs = Arrays.copyOf(row, row.length - 1);
            if (model.evaluate(inputs).label().equals(SgdTrainer.labelText(row[row.length - 1]))) {
                right++;
            }
        }
        return right / (double) rows.size();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... messageParts) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AugurException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
            assertThat(e.getMessage()).contains(messageParts);
        });
    }
}
