package dev.augur.engine.codec;

import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.model.SqlDialect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every model kind is one class of the sealed {@link Model}: it round-trips through both codecs, and the capabilities
 * it states agree with what it does (outputs, dense scoring against the general path, view bound, SQL rendering).
 */
class EveryKindTest {
    @Test
    void everyKindIsItsOwnClassAndStatesItsCapabilities() {
        Set<Class<?>> classes = new HashSet<>();
        for (ModelKind kind : ModelKind.values()) {
            Model m = twoInputModel(kind);
            assertThat(m.kind()).isEqualTo(kind);
            assertThat(classes.add(m.getClass())).as("%s has a class of its own", kind).isTrue();
            assertThat(m.outputsSupported()).contains(Model.Output.SCORE);
            assertThat(m.outputsSupported().contains(Model.Output.LABEL)).as("%s labels", kind).isEqualTo(kind.isClassifier());
            assertThat(m.outputsSupported().contains(Model.Output.PROBABILITY)).as("%s probabilities", kind).isEqualTo(kind.isClassifier());
            assertThat(m.outputsSupported().contains(Model.Output.SPREAD)).as("%s spread", kind).isEqualTo(kind.hasSpread());
            // a view keeps one margin per row, or an ensemble's decision value: softmax has no bound, and so re-scores in full
            if (m.outputs() != 1) {
                assertThat(m.viewBound()).isEqualTo(kind.isEnsemble() ? Model.ViewBound.HOLDER_PER_MEMBER : Model.ViewBound.NONE);
                assertThat(m.sqlScore(List.of("a", "b"), SqlDialect.H2)).isEmpty();
            } else {
                assertThat(m.viewBound()).isNotEqualTo(Model.ViewBound.NONE);
                assertThat(m.linkLipschitz()).isPositive();
                assertThat(m.sqlScore(List.of("a", "b"), SqlDialect.H2)).isPresent();
                assertThat(m.labelOfMargin(0.5) == null).isEqualTo(!kind.isClassifier());
            }
            assertThat(ModelCodec.decode(ModelCodec.encode(m))).isEqualTo(m);
            assertThat(ModelJson.fromJson(ModelJson.toJson(m))).isEqualTo(m);
        }
        assertThat(classes).hasSize(ModelKind.values().length);
    }

    @Test
    void aBagOfWordsModelHasNoSqlRendering() {
        BagOfWords bow = new BagOfWords("body", BagOfWords.Weighting.BINARY, 1, 0, false, new String[]{"a", "b"}, null);
        for (ModelKind kind : ModelKind.values()) {
            List<String> classes = classes(kind);
            int outputs = kind.isEnsemble() ? 4 : kind.outputCount(classes.size(), 2, true);
            double[] w = new double[2 * outputs];
            Model m = Model.of("t", kind, bow, classes, w, ModelArbitraries.conform(kind, bow, w, new double[outputs]));
            assertThat(m.sqlScore(List.of("body"), SqlDialect.POSTGRESQL)).as("%s", kind).isEmpty();
        }
    }

    /** The dense fast path (no boxing) gives the general path's score, bit for bit, for every kind. */
    @Property(tries = 300)
    void denseScoreIsTheEvaluatedScore(@ForAll("denseModelsAndRows") Object[] modelAndRow) {
        Model m = (Model) modelAndRow[0];
        double[] x = (double[]) modelAndRow[1];
        Object[] boxed = new Object[x.length];
        for (int i = 0; i < x.length; i++) {
            boxed[i] = x[i];
        }
        assertThat(Double.doubleToLongBits(m.score(x))).isEqualTo(Double.doubleToLongBits(m.evaluate(boxed).score()));
        if (m.outputs() == 1) {
            assertThat(Double.doubleToLongBits(m.scoreOfMargin(m.margin(x)))).isEqualTo(Double.doubleToLongBits(m.score(x)));
        }
    }

    @Property(tries = 200)
    void everyModelRoundTripsThroughBothCodecs(@ForAll("models") Model m) {
        assertThat(ModelCodec.decode(ModelCodec.encode(m))).isEqualTo(m);
        assertThat(ModelCodec.decode(ModelCodec.encode(m)).getClass()).isEqualTo(m.getClass());
        assertThat(ModelJson.fromJson(ModelJson.toJson(m)).kind()).isEqualTo(m.kind());
    }

    @Provide
    Arbitrary<Model> models() {
        return ModelArbitraries.models();
    }

    @Provide
    Arbitrary<Object[]> denseModelsAndRows() {
        Arbitrary<Double> value = Arbitraries.doubles().between(-1e3, 1e3);
        return Combinators.combine(Arbitraries.of(ModelKind.class), Arbitraries.integers().between(1, 6))
                .flatAs((kind, d) -> {
                    int outputs = outputs(kind, d);
                    List<String> inputs = new ArrayList<>();
                    for (int i = 0; i < d; i++) {
                        inputs.add("x" + i);
                    }
                    return Combinators.combine(value.array(double[].class).ofSize(outputs * d),
                                    value.array(double[].class).ofSize(outputs), value.array(double[].class).ofSize(d))
                            .as((w, b, x) -> new Object[]{Model.of("m", kind, new DenseFeatures(inputs), classes(kind), w,
                                    ModelArbitraries.conform(kind, new DenseFeatures(inputs), w, b)), x});
                });
    }

    private static List<String> classes(ModelKind kind) {
        return switch (kind) {
            case LINEAR, BAGGED_LINEAR, BAYES_LINEAR, QUANTILE_LINEAR -> List.of();
            case LOGISTIC, SVM, BAGGED_LOGISTIC, BAGGED_SVM, BAYES_LOGISTIC -> List.of("0", "1");
            case SOFTMAX -> List.of("x", "y", "z");
        };
    }

    /** Margins of the test models: an ensemble's are its 4 members'. */
    private static int outputs(ModelKind kind, int dimension) {
        return kind.isEnsemble() ? 4 : kind.outputCount(classes(kind).size(), dimension, false);
    }

    private static Model twoInputModel(ModelKind kind) {
        List<String> classes = classes(kind);
        int outputs = outputs(kind, 2);
        double[] w = new double[2 * outputs];
        double[] b = new double[outputs];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.25 * (i + 1) - 0.6;
        }
        DenseFeatures features = new DenseFeatures(List.of("a", "b"));
        return Model.of("k_" + kind.sqlName(), kind, features, classes, w, ModelArbitraries.conform(kind, features, w, b));
    }
}
