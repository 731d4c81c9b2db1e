package dev.augur.engine.features;

import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-pass vectorizer against {@link BagOfWordsReference}, bit for bit: the same tokens and terms, the same
 * features and values (compared as raw bits), the same margins, through {@link BagOfWords#vectorize},
 * {@link BagOfWords#margins} and a model's evaluation (the path of PREDICT).
 */
class BagOfWordsOnePassTest {
    @Property(tries = 600)
    void onePassEqualsTheReferenceBitForBit(@ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 5) int ngrams,
                                            @ForAll @IntRange(min = 0, max = 16) int hashBits,
                                            @ForAll BagOfWords.Weighting weighting, @ForAll boolean normalize,
                                            @ForAll long seed) {
        Random rnd = new Random(seed);
        List<String> terms = BagOfWordsReference.terms(text, ngrams);
        String[] vocabulary = hashBits == 0 ? vocabulary(terms, rnd) : null;
        int dim = hashBits > 0 ? 1 << hashBits : vocabulary.length;
        double[] idf = weighting == BagOfWords.Weighting.TFIDF ? gaussians(dim, rnd) : null;
        BagOfWords bow = new BagOfWords("body", weighting, ngrams, hashBits, normalize, vocabulary, idf);

        assertThat(BagOfWords.tokenize(text)).isEqualTo(BagOfWordsReference.tokens(text));
        List<String> oneForEach = new ArrayList<>();
        BagOfWords.forEachTerm(text, ngrams, oneForEach::add);
        assertThat(oneForEach).isEqualTo(terms);
        for (String term : terms) {
            assertThat(bow.indexOf(term)).as("feature of '%s'", term)
                    .isEqualTo(hashBits > 0 ? BagOfWordsReference.fnv(term) & (dim - 1) : Arrays.asList(vocabulary).indexOf(term));
        }

        SparseVector want = BagOfWordsReference.vectorize(bow, text);
        SparseVector got = bow.vectorize(text);
        assertThat(got.indices()).isEqualTo(want.indices());
        assertThat(bits(got.values())).isEqualTo(bits(want.values()));

        int outputs = 1 + rnd.nextInt(3);
        double[] weights = gaussians(outputs * dim, rnd);
        double[] bias = gaussians(outputs, rnd);
        double[] margins = new double[outputs];
        bow.margins(text, weights, bias, margins);
        double[] wantMargins = BagOfWordsReference.margins(bow, text, weights, bias);
        assertThat(bits(margins)).isEqualTo(bits(wantMargins));

        Model logistic = Model.of("spam", ModelKind.LOGISTIC, bow, List.of("ham", "spam"), Arrays.copyOf(weights, dim),
                new double[]{bias[0]});
        assertThat(Double.doubleToRawLongBits(logistic.evaluate(text).margin())).isEqualTo(Double.doubleToRawLongBits(
                BagOfWordsReference.margins(bow, text, Arrays.copyOf(weights, dim), new double[]{bias[0]})[0]));
    }

    /**
     * Texts of words (cased, with digits), unicode that lower-casing or Latin-1 could mistake for letters (dotted I,
     * Kelvin sign, ÿ, Ā, surrogate pairs and lone surrogates), long runs of one token or of separators, and noise.
     */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> words = Arbitraries.of("spam", "SPAM", "Ham", "eggs", "free", "Money", "a", "AB", "ba",
                "x86_64", "zz9", "2026", "0", "buy", "now", "café", "naïve", "straße", "İ", "\u212A", "ÿ", "Ā", "Ｆｕｌｌ",
                "\uD83D\uDE00", "\uD800", "\uDC00x", "中文", "\u0000", "\t", "\r\n", "", "-", " ", ",", "...", "__");
        Arbitrary<String> runs = Arbitraries.of("ab", "Z", "9", " ", "é", "\uD83D\uDE00").flatMap(s ->
                Arbitraries.integers().between(50, 3000).map(s::repeat));
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<String> asciiNoise = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, words), net.jqwik.api.Tuple.of(1, runs),
                        net.jqwik.api.Tuple.of(2, noise), net.jqwik.api.Tuple.of(2, asciiNoise))
                .list().ofMaxSize(60).map(l -> String.join("", l));
    }

    /**
     * Some of the text's own terms (so the vocabulary is hit) and terms no text produces (upper case, a leading space,
     * empty, beyond ASCII), shuffled so that feature order is not text order.
     */
    private static String[] vocabulary(List<String> terms, Random rnd) {
        Set<String> v = new LinkedHashSet<>();
        for (String t : terms) {
            if (rnd.nextInt(3) > 0) {
                v.add(t);
            }
        }
        Collections.addAll(v, "spam", "free money", "zz9 2026 0", "SPAM", " ham", "", "café", "İ", "a  b");
        List<String> shuffled = new ArrayList<>(v);
        Collections.shuffle(shuffled, rnd);
        return shuffled.toArray(String[]::new);
    }

    private static double[] gaussians(int n, Random rnd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 3);
        }
        return out;
    }

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
