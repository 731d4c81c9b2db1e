package dev.augur.engine.model;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Scoring one row: NULL handling, input checks, and what PREDICT, PREDICT_LABEL and PREDICT_PROBA return. */
class ModelTest {
    /** margin = 2a - b + 0.5 */
    private static final Model LOGISTIC = Model.of("m", ModelKind.LOGISTIC, new DenseFeatures(List.of("a", "b")),
            List.of("ham", "spam"), new double[]{2, -1}, new double[]{0.5});
    private static final Model SVM = Model.of("s", ModelKind.SVM, new DenseFeatures(List.of("a", "b")),
            List.of("0", "1"), new double[]{2, -1}, new double[]{0.5});
    private static final Model LINEAR = Model.of("price", ModelKind.LINEAR, new DenseFeatures(List.of("a", "b")),
            List.of(), new double[]{3, -2}, new double[]{5});
    /** Three classes over (a, b): margins a, b and 0. */
    private static final Model SOFTMAX = Model.of("color", ModelKind.SOFTMAX, new DenseFeatures(List.of("a", "b")),
            List.of("red", "green", "blue"), new double[]{1, 0, 0, 1, 0, 0}, new double[]{0, 0, 0});
    private static final Model TEXT = Model.of("spam", ModelKind.LOGISTIC,
            new BagOfWords("body", BagOfWords.Weighting.TF, 1, 0, false, new String[]{"cheap", "meeting"}, null),
            List.of("0", "1"), new double[]{2, -3}, new double[]{-1});

    @Test
    void nullInAnyInputGivesNull() {
        assertThat(LOGISTIC.evaluate(null, 1.0)).isNull();
        assertThat(LOGISTIC.evaluate(1.0, null)).isNull();
        assertThat(TEXT.evaluate((Object) null)).isNull();
    }

    @Test
    void wrongArityNamesExpectedInputs() {
        assertThatThrownBy(() -> LOGISTIC.evaluate(1.0, 2.0, 3.0))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
                    assertThat(e.getMessage()).isEqualTo("model 'm' expects 2 inputs (a, b), got 3");
                });
        assertThatThrownBy(() -> TEXT.evaluate())
                .isInstanceOfSatisfying(AugurException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("model 'spam' expects 1 input (body), got 0"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void nonFiniteInputIsInvalidParameterNamingTheInput(double bad) {
        assertThatThrownBy(() -> LOGISTIC.evaluate(1.0, bad))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
                    assertThat(e.getMessage()).contains("input 'b' is " + bad);
                });
        assertThatThrownBy(() -> LOGISTIC.evaluate((float) bad, 1))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER));
        assertThatThrownBy(() -> LOGISTIC.checkDense(new double[]{bad, 1}))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER));
    }

    @Test
    void textGivenToDenseModelIsDatatypeMismatch() {
        assertThatThrownBy(() -> LOGISTIC.evaluate("1.5", 2.0))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.DATATYPE_MISMATCH);
                    assertThat(e.getMessage()).contains("input 'a' expects a number", "text '1.5'");
                });
    }

    @Test
    void numberGivenToTextModelIsDatatypeMismatch() {
        assertThatThrownBy(() -> TEXT.evaluate(42))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.DATATYPE_MISMATCH);
                    assertThat(e.getMessage()).contains("input 'body' expects text");
                });
        assertThatThrownBy(() -> TEXT.checkDense(new double[]{1}))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.DATATYPE_MISMATCH));
    }

    @Test
    void checkDenseRejectsWrongArity() {
        assertThatThrownBy(() -> LOGISTIC.checkDense(new double[]{1}))
                .isInstanceOfSatisfying(AugurException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("model 'm' expects 2 inputs (a, b), got 1"));
    }

    @Test
    void anyNumericSqlTypeAndBooleansAreAccepted() {
        double expected = LOGISTIC.evaluate(1.0, 0.0).margin();

        assertThat(LOGISTIC.evaluate(1, 0L).margin()).isEqualTo(expected);
        assertThat(LOGISTIC.evaluate(new BigDecimal("1.0"), (short) 0).margin()).isEqualTo(expected);
        assertThat(LOGISTIC.evaluate(true, false).margin()).isEqualTo(expected);
    }

    @Test
    void logisticScoreIsSigmoidOfMarginAndLabelIsItsSign() {
        Evaluation positive = LOGISTIC.evaluate(1.0, 2.0);
        Evaluation negative = LOGISTIC.evaluate(0.0, 3.0);

        assertThat(positive.margin()).isEqualTo(0.5);
        assertThat(positive.score()).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-15));
        assertThat(positive.label()).isEqualTo("spam");
        assertThat(positive.probability("spam")).isEqualTo(positive.score());
        assertThat(positive.probability("ham")).isCloseTo(1 - positive.score(), within(1e-15));
        assertThat(negative.margin()).isEqualTo(-2.5);
        assertThat(negative.score()).isCloseTo(1 / (1 + Math.exp(2.5)), within(1e-15));
        assertThat(negative.label()).isEqualTo("ham");
    }

    @Test
    void zeroMarginIsThePositiveClass() {
        Evaluation onBoundary = LOGISTIC.evaluate(0.0, 0.5);

        assertThat(onBoundary.margin()).isZero();
        assertThat(onBoundary.score()).isEqualTo(0.5);
        assertThat(onBoundary.label()).isEqualTo("spam");
    }

    @Test
    void extremeMarginsGiveZeroOrOneNeverNaN() {
        assertThat(LOGISTIC.evaluate(1e300, 0.0).score()).isEqualTo(1.0);
        assertThat(LOGISTIC.evaluate(-1e300, 0.0).score()).isEqualTo(0.0);
        assertThat(LOGISTIC.evaluate(-1e300, 0.0).probability("ham")).isEqualTo(1.0);
    }

    @Test
    void svmScoreIsSigmoidOfMarginAndLabelIsItsSign() {
        Evaluation e = SVM.evaluate(0.0, 3.0);

        assertThat(e.score()).isCloseTo(1 / (1 + Math.exp(2.5)), within(1e-15));
        assertThat(e.label()).isEqualTo("0");
        assertThat(SVM.evaluate(1.0, 0.0).label()).isEqualTo("1");
    }

    @Test
    void linearScoreIsTheMarginAndHasNoLabelOrProbability() {
        Evaluation e = LINEAR.evaluate(2.0, 1.0);

        assertThat(e.score()).isEqualTo(3 * 2 - 2 + 5);
        assertThatThrownBy(e::label)
                .isInstanceOfSatisfying(AugurException.class, ex -> {
                    assertThat(ex.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
                    assertThat(ex.getMessage()).contains("'price'", "no labels", "use PREDICT");
                });
        assertThatThrownBy(() -> e.probability("1"))
                .isInstanceOfSatisfying(AugurException.class, ex -> {
                    assertThat(ex.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
                    assertThat(ex.getMessage()).contains("'price'", "regression");
                });
    }

    @Property(tries = 200)
    void softmaxProbabilitiesSumToOneAndScoreIsTheLabelsProbability(@ForAll @DoubleRange(min = -800, max = 800) double a,
                                                                   @ForAll @DoubleRange(min = -800, max = 800) double b) {
        Evaluation e = SOFTMAX.evaluate(a, b);

        double sum = 0;
        for (String c : SOFTMAX.classes()) {
            double p = e.probability(c);
            assertThat(p).isBetween(0.0, 1.0);
            sum += p;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        assertThat(e.score()).isEqualTo(e.probability(e.label()));
        for (String c : SOFTMAX.classes()) {
            assertThat(e.probability(c)).isLessThanOrEqualTo(e.score());
        }
    }

    @Test
    void softmaxLabelIsTheClassWithTheLargestMargin() {
        assertThat(SOFTMAX.evaluate(2.0, 1.0).label()).isEqualTo("red");
        assertThat(SOFTMAX.evaluate(1.0, 2.0).label()).isEqualTo("green");
        assertThat(SOFTMAX.evaluate(-1.0, -2.0).label()).isEqualTo("blue");
        Evaluation equal = SOFTMAX.evaluate(0.0, 0.0);
        assertThat(equal.probability("red")).isCloseTo(1 / 3.0, within(1e-15));
        assertThat(equal.probability("blue")).isCloseTo(1 / 3.0, within(1e-15));
    }

    @Test
    void probabilityOfUnknownClassNamesTheClasses() {
        assertThatThrownBy(() -> SOFTMAX.evaluate(1.0, 1.0).probability("purple"))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
                    assertThat(e.getMessage()).contains("'purple'", "red, green, blue");
                });
    }

    @Test
    void textModelScoresItsTerms() {
        Evaluation e = TEXT.evaluate("CHEAP, cheap! Meeting?");

        assertThat(e.margin()).isEqualTo(2 * 2 - 3 - 1);
        assertThat(e.label()).isEqualTo("1");
        assertThat(TEXT.evaluate("").margin()).isEqualTo(-1);
    }

    @Test
    void modelNamesAreCaseInsensitiveAndChecked() {
        assertThat(LOGISTIC.withName("Spam_V2").name()).isEqualTo("spam_v2");
        assertThatThrownBy(() -> LOGISTIC.withName("2fast"))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_NAME));
        assertThatThrownBy(() -> LOGISTIC.withName("drop table"))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_NAME));
    }

    @Test
    void constructorRejectsInconsistentShapes() {
        DenseFeatures ab = new DenseFeatures(List.of("a", "b"));
        assertInvalid(() -> Model.of("m", ModelKind.LINEAR, ab, List.of(), new double[]{1}, new double[]{0}), "2 weights, got 1");
        assertInvalid(() -> Model.of("m", ModelKind.LINEAR, ab, List.of(), new double[]{1, 2}, new double[]{0, 0}), "1 bias values, got 2");
        assertInvalid(() -> Model.of("m", ModelKind.LINEAR, ab, List.of("x"), new double[]{1, 2}, new double[]{0}), "no classes");
        assertInvalid(() -> Model.of("m", ModelKind.LOGISTIC, ab, List.of("x", "y", "z"), new double[]{1, 2}, new double[]{0}),
                "exactly 2 classes");
        assertInvalid(() -> Model.of("m", ModelKind.SOFTMAX, ab, List.of("x", "x"), new double[]{1, 2, 3, 4}, new double[]{0, 0}),
                "distinct");
        assertInvalid(() -> Model.of("m", ModelKind.LINEAR, ab, List.of(), new double[]{1, Double.NaN}, new double[]{0}),
                "non-finite weight");
        assertInvalid(() -> Model.of("m", ModelKind.LINEAR, ab, List.of(), new double[]{1, 2},
                new double[]{Double.POSITIVE_INFINITY}), "non-finite bias");
        assertInvalid(() -> new DenseFeatures(List.of()), "at least one input");
    }

    @Test
    void weightsAndBiasAreDefensiveCopies() {
        double[] weights = {1, 2};
        Model model = Model.of("m", ModelKind.LINEAR, new DenseFeatures(List.of("a", "b")), List.of(), weights, new double[]{0});

        weights[1] = 99;
        model.weights()[0] = 99;
        model.bias()[0] = 99;

        assertThat(model.weights()).containsExactly(1, 2);
        assertThat(model.bias()).containsExactly(0);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AugurException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
