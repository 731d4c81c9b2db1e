package dev.augur.engine.features;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BagOfWordsTest {
    private static final String[] VOCABULARY = {"spam", "ham", "eggs"};

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            Hello, World!               | hello world
            FOO_bar-baz.qux             | foo bar baz qux
            x86_64 2nd R2D2             | x86 64 2nd r2d2
            café naïve                  | caf na ve
            İstanbul ISTANBUL           | stanbul istanbul
            straße STRASSE              | stra e strasse
            ﬁle Ｆｕｌｌ１２              | le
            tab\\tnew\\nline\\r          | tab new line
            ``                          | ``
            `  ...  `                   | ``
            """)
    void tokensAreAsciiLowerCaseSplitOnAnythingElse(String text, String expected) {
        String withControls = text.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r");
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));

        assertThat(BagOfWords.tokenize(withControls)).isEqualTo(want);
    }

    @Test
    void dottedCapitalIAndKelvinSignAreSeparatorsNotLetters() {
        // Java's toLowerCase would turn U+0130 into "i̇" and U+212A into "k"; SQL's [^a-z0-9] treats both as separators
        assertThat(BagOfWords.tokenize("aİb")).containsExactly("a", "b");
        assertThat(BagOfWords.tokenize("\u212Aelvin")).containsExactly("elvin");
    }

    @Test
    void tokenLongerThanTheInitialBufferIsKeptWhole() {
        String longToken = "ab".repeat(3000);

        assertThat(BagOfWords.tokenize("x " + longToken.toUpperCase() + " y")).containsExactly("x", longToken, "y");
    }

    @Property(tries = 300)
    void tokensAreNonEmptyAndOnlyLowerCaseAsciiLettersAndDigits(@ForAll @StringLength(max = 60) String text) {
        for (String token : BagOfWords.tokenize(text)) {
            assertThat(token).isNotEmpty().matches("[a-z0-9]+");
        }
        assertThat(BagOfWords.tokenize(asciiUpperCase(text))).isEqualTo(BagOfWords.tokenize(text));
    }

    private static String asciiUpperCase(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            sb.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
        }
        return sb.toString();
    }

    @Test
    void ngramsJoinConsecutiveTokensWithOneSpace() {
        assertThat(terms("A b, C", 1)).containsExactly("a", "b", "c");
        assertThat(terms("A b, C", 2)).containsExactly("a", "a b", "b", "b c", "c");
        assertThat(terms("A b, C", 3)).containsExactly("a", "a b", "a b c", "b", "b c", "c");
        assertThat(terms("only", 5)).containsExactly("only");
        assertThat(terms("", 2)).isEmpty();
    }

    @Test
    void termFrequencyCountsOccurrencesOfVocabularyTerms() {
        BagOfWords tf = bag(BagOfWords.Weighting.TF, false, null);

        SparseVector x = tf.vectorize("Ham, SPAM spam and toast");

        assertThat(x.indices()).containsExactly(0, 1);
        assertThat(x.values()).containsExactly(2.0, 1.0);
    }

    @Test
    void binaryWeightingMarksPresence() {
        SparseVector x = bag(BagOfWords.Weighting.BINARY, false, null).vectorize("spam spam spam eggs");

        assertThat(x.indices()).containsExactly(0, 2);
        assertThat(x.values()).containsExactly(1.0, 1.0);
    }

    @Test
    void tfidfMultipliesCountsByIdf() {
        SparseVector x = bag(BagOfWords.Weighting.TFIDF, false, new double[]{2.0, 3.0, 5.0}).vectorize("spam spam ham");

        assertThat(x.indices()).containsExactly(0, 1);
        assertThat(x.values()).containsExactly(4.0, 3.0);
    }

    @Test
    void normalizationGivesUnitL2Norm() {
        SparseVector x = bag(BagOfWords.Weighting.TF, true, null).vectorize("spam spam ham");

        assertThat(x.values()[0]).isCloseTo(2 / Math.sqrt(5), within(1e-15));
        assertThat(x.values()[1]).isCloseTo(1 / Math.sqrt(5), within(1e-15));
        assertThat(x.norm(2)).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void textWithoutVocabularyTermsIsTheEmptyVectorEvenWhenNormalized() {
        SparseVector x = bag(BagOfWords.Weighting.TF, true, null).vectorize("nothing known here");

        assertThat(x.size()).isZero();
        assertThat(x.norm(2)).isZero();
    }

    @Test
    void ngramVocabularyMatchesBigrams() {
        BagOfWords bigrams = new BagOfWords("t", BagOfWords.Weighting.TF, 2, 0, false, new String[]{"free money", "money"}, null);

        SparseVector x = bigrams.vectorize("FREE money, free MONEY now");

        assertThat(x.indices()).containsExactly(0, 1);
        assertThat(x.values()).containsExactly(2.0, 2.0);
    }

    @Test
    void hashingBucketIsFnv1a32MaskedToTheBits() {
        // published FNV-1a 32-bit test vectors
        assertThat(BagOfWords.bucket("a", 26)).isEqualTo(0xe40c292c & ((1 << 26) - 1));
        assertThat(BagOfWords.bucket("foobar", 20)).isEqualTo(0xbf9cf968 & 0xFFFFF);
        assertThat(BagOfWords.bucket("", 16)).isEqualTo(0x811c9dc5 & 0xFFFF);
    }

    @Property(tries = 300)
    void hashingBucketMatchesFnv1aOverUtf8Bytes(@ForAll("asciiTerms") String term, @ForAll @IntRange(min = 1, max = 26) int bits) {
        int h = 0x811c9dc5;
        for (byte b : term.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }

        assertThat(BagOfWords.bucket(term, bits)).isEqualTo(h & ((1 << bits) - 1)).isBetween(0, (1 << bits) - 1);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> asciiTerms() {
        return net.jqwik.api.Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars(' ').ofMaxLength(30);
    }

    @Test
    void hashedFeaturesUseTheBucketsAndMergeCollisions() {
        BagOfWords hashed = new BagOfWords("t", BagOfWords.Weighting.TF, 1, 8, false, null, null);

        SparseVector x = hashed.vectorize("a foobar A");

        assertThat(hashed.dimension()).isEqualTo(256);
        assertThat(hashed.indexOf("a")).isEqualTo(0xe40c292c & 0xFF);
        assertThat(hashed.featureName(hashed.indexOf("a"))).isEqualTo("#" + (0xe40c292c & 0xFF));
        int a = 0xe40c292c & 0xFF;
        int foobar = 0xbf9cf968 & 0xFF;
        assertThat(x.indices()).containsExactly(Math.min(a, foobar), Math.max(a, foobar));
        assertThat(x.values()).containsExactly(a < foobar ? new double[]{2, 1} : new double[]{1, 2});
    }

    @Property(tries = 200)
    void vectorIndicesAreStrictlyIncreasingAndInRange(@ForAll @StringLength(max = 200) String text) {
        BagOfWords hashed = new BagOfWords("t", BagOfWords.Weighting.TF, 2, 4, true, null, null);

        SparseVector x = hashed.vectorize(text + " a b c d e f g h");

        for (int j = 0; j < x.size(); j++) {
            assertThat(x.indices()[j]).isBetween(0, hashed.dimension() - 1);
            if (j > 0) {
                assertThat(x.indices()[j]).isGreaterThan(x.indices()[j - 1]);
            }
        }
        assertThat(x.norm(2)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void vocabularyIndexAndFeatureNames() {
        BagOfWords tf = bag(BagOfWords.Weighting.TF, false, null);

        assertThat(tf.dimension()).isEqualTo(3);
        assertThat(tf.indexOf("eggs")).isEqualTo(2);
        assertThat(tf.indexOf("toast")).isEqualTo(-1);
        assertThat(tf.featureName(1)).isEqualTo("ham");
        assertThat(tf.inputs()).containsExactly("body");
    }

    @Test
    void norms() {
        SparseVector x = new SparseVector(new int[]{1, 4}, new double[]{3, -4});

        assertThat(x.norm(1)).isEqualTo(7);
        assertThat(x.norm(2)).isEqualTo(5);
        assertThat(x.norm(Double.POSITIVE_INFINITY)).isEqualTo(4);
        assertThatThrownBy(() -> x.norm(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidConfigurationsAreInvalidParameter() {
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TF, 0, 0, false, VOCABULARY, null), "ngrams");
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TF, 6, 0, false, VOCABULARY, null), "ngrams");
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TF, 1, 27, false, null, null), "hash_bits");
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TF, 1, 0, false, new String[0], null), "vocabulary or hash_bits");
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TFIDF, 1, 0, false, VOCABULARY, null), "3 idf values, got none");
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TFIDF, 1, 0, false, VOCABULARY, new double[2]), "3 idf values, got 2");
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TFIDF, 1, 0, false, VOCABULARY,
                new double[]{1, Double.NaN, 1}), "finite idf");
        assertInvalid(() -> new BagOfWords("t", BagOfWords.Weighting.TF, 1, 0, false, new String[]{"a", "a"}, null), "'a' appears twice");
        assertInvalid(() -> BagOfWords.Weighting.fromSqlName("bm25"), "binary, tf or tfidf");
    }

    @Test
    void weightingNamesAreCaseInsensitive() {
        assertThat(BagOfWords.Weighting.fromSqlName("TfIdf")).isEqualTo(BagOfWords.Weighting.TFIDF);
        assertThat(BagOfWords.Weighting.BINARY.sqlName()).isEqualTo("binary");
    }

    private static BagOfWords bag(BagOfWords.Weighting weighting, boolean normalize, double[] idf) {
        return new BagOfWords("body", weighting, 1, 0, normalize, VOCABULARY, idf);
    }

    private static List<String> terms(String text, int ngrams) {
        List<String> out = new ArrayList<>();
        BagOfWords.forEachTerm(text, ngrams, out::add);
        return out;
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AugurException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
