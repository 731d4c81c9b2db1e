package dev.augur.engine.codec;

import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.Features;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/** Random models of every kind and feature function, for round-trip properties of the codec and the JSON form. */
final class ModelArbitraries {
    private ModelArbitraries() {
    }

    static Arbitrary<Model> models() {
        return Arbitraries.oneOf(denseModels(), bagOfWordsModels());
    }

    static Arbitrary<Model> denseModels() {
        Arbitrary<Features> features = labels().list().uniqueElements().ofMinSize(1).ofMaxSize(6).map(DenseFeatures::new);
        return Combinators.combine(modelNames(), Arbitraries.of(ModelKind.class), features).flatAs(ModelArbitraries::model);
    }

    static Arbitrary<Model> bagOfWordsModels() {
        return Combinators.combine(modelNames(), Arbitraries.of(ModelKind.class), bagsOfWords()).flatAs(ModelArbitraries::model);
    }

    /** Vocabulary or hashing (kept to 2^6 buckets so that tries stay fast), every weighting, tf-idf with its idf. */
    static Arbitrary<Features> bagsOfWords() {
        Arbitrary<String> input = labels().filter(s -> !s.isEmpty());
        Arbitrary<Integer> hashBits = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(2, 0), net.jqwik.api.Tuple.of(1, 1), net.jqwik.api.Tuple.of(1, 6));
        Arbitrary<List<String>> vocabulary = Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '0', '9')
                .ofMinLength(1).ofMaxLength(12).list().uniqueElements().ofMinSize(1).ofMaxSize(30);
        return Combinators.combine(input, Arbitraries.of(BagOfWords.Weighting.class), Arbitraries.integers().between(1, 5),
                        hashBits, Arbitraries.of(true, false), vocabulary)
                .flatAs((in, weighting, ngrams, bits, normalize, vocab) -> {
                    String[] terms = bits > 0 ? new String[0] : vocab.toArray(String[]::new);
                    int dim = bits > 0 ? 1 << bits : terms.length;
                    if (weighting != BagOfWords.Weighting.TFIDF) {
                        return Arbitraries.just(new BagOfWords(in, weighting, ngrams, bits, normalize, terms, null));
                    }
                    return Arbitraries.doubles().between(1, 20).array(double[].class).ofSize(dim)
                            .map(idf -> new BagOfWords(in, weighting, ngrams, bits, normalize, terms, idf));
                });
    }

    private static Arbitrary<Model> model(String name, ModelKind kind, Features features) {
        Arbitrary<List<String>> classes = switch (kind) {
            case LINEAR, BAGGED_LINEAR, BAYES_LINEAR, QUANTILE_LINEAR -> Arbitraries.just(List.of());
            case LOGISTIC, SVM, BAGGED_LOGISTIC, BAGGED_SVM, BAYES_LOGISTIC -> labels().list().uniqueElements().ofSize(2);
            case SOFTMAX -> labels().list().uniqueElements().ofMinSize(2).ofMaxSize(5);
        };
        // an ensemble has 2 to 6 members, whatever its classes
        Arbitrary<Integer> members = kind.isEnsemble() ? Arbitraries.integers().between(2, 6) : Arbitraries.just(0);
        return Combinators.combine(classes, members).flatAs((cs, k) -> {
            int outputs = kind.isEnsemble() ? k : kind.outputCount(cs.size(), features.dimension(), features instanceof BagOfWords);
            return Combinators.combine(
                            anyFiniteDouble().array(double[].class).ofSize(outputs * features.dimension()),
                            anyFiniteDouble().array(double[].class).ofSize(outputs))
                    .as((w, b) -> Model.of(name, kind, features, cs, w, conform(kind, features, w, b)));
        });
    }

    /**
     * Makes random rows a valid payload of {@code kind} (in place; returns the bias): a regressor's noise row and a quantile
     * model's level row have no weights, the noise is non-negative, the level in (0, 1), a diagonal posterior's variances
     * non-negative.
     */
    static double[] conform(ModelKind kind, Features features, double[] w, double[] b) {
        int d = features.dimension();
        int last = b.length - 1;
        boolean constantLast = kind.uncertainty() == ModelKind.Uncertainty.QUANTILES
                || kind.uncertainty() == ModelKind.Uncertainty.POSTERIOR && !kind.isClassifier();
        if (constantLast) {
            java.util.Arrays.fill(w, last * d, (last + 1) * d, 0);
            b[last] = kind.uncertainty() == ModelKind.Uncertainty.QUANTILES ? 1 / (2 + Math.abs(b[last] % 7)) : Math.abs(b[last]);
        }
        if (kind.uncertainty() == ModelKind.Uncertainty.POSTERIOR && features instanceof BagOfWords) {
            for (int i = d; i < 2 * d; i++) {
                w[i] = Math.abs(w[i]);
            }
            b[1] = Math.abs(b[1]);
        }
        return b;
    }

    /** Model names as users type them (any case): the model keeps the lower-case form. */
    static Arbitrary<String> modelNames() {
        return Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').ofLength(1),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_').ofMaxLength(20))
                .as(String::concat);
    }

    /** Input names and class labels: any text, including non-ASCII letters that take several UTF-8 bytes. */
    static Arbitrary<String> labels() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_', ' ', '"', '\\', 'é', 'ß', '中', '\u0000')
                .ofMaxLength(10);
    }

    /** Every finite double, bit pattern by bit pattern (subnormals, -0.0, extremes), mixed with ordinary values. */
    static Arbitrary<Double> anyFiniteDouble() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
                Arbitraries.doubles().between(-10, 10).ofScale(6),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, 1e-300));
    }
}
