package dev.augur.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code bag_of_words(text)}: ASCII-lower-cased tokens split on anything that is not an ASCII letter or digit,
 * optional n-grams (joined by one space), weighted binary / tf / tf-idf, mapped through a vocabulary or hashed
 * into 2^k buckets, optionally L2-normalized.
 *
 * <p>Tokens are ASCII on purpose: the rule is exactly reproducible in SQL ({@code [^a-z0-9]+} on any database),
 * so PostgreSQL's in-database PREDICT tokenizes byte for byte as the engine does.
 */
public final class BagOfWords implements Features {
    public static final int CODEC_ID = 2;

    /** How a term's count becomes its feature value. Ids are part of the codec. */
    public enum Weighting {
        BINARY(1), TF(2), TFIDF(3);

        final int id;

        Weighting(int id) {
            this.id = id;
        }

        public int id() {
            return id;
        }

        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Weighting fromId(int id) {
            for (Weighting w : values()) {
                if (w.id == id) {
                    return w;
                }
            }
            throw Errors.corruptPayload("unknown weighting id " + id);
        }

        public static Weighting fromSqlName(String s) {
            for (Weighting w : values()) {
                if (w.sqlName().equalsIgnoreCase(s)) {
                    return w;
                }
            }
            throw Errors.invalidParameter("unknown features option '" + s + "'; use binary, tf or tfidf");
        }
    }

    private final String input;
    private final Weighting weighting;
    private final int ngrams;
    private final int hashBits;
    private final boolean normalize;
    private final String[] vocabulary;
    private final double[] idf;
    private final Map<String, Integer> index;

    /**
     * @param vocabulary the terms, feature i is vocabulary[i]; empty when hashing
     * @param idf        per-feature inverse document frequency for tf-idf, else null
     */
    public BagOfWords(String input, Weighting weighting, int ngrams, int hashBits, boolean normalize,
                      String[] vocabulary, double[] idf) {
        this.input = Objects.requireNonNull(input);
        this.weighting = Objects.requireNonNull(weighting);
        if (ngrams < 1 || ngrams > 5) {
            throw Errors.invalidParameter("ngrams must be between 1 and 5, got " + ngrams);
        }
        if (hashBits < 0 || hashBits > 26) {
            throw Errors.invalidParameter("hash_bits must be between 1 and 26 (0 means a vocabulary), got " + hashBits);
        }
        this.ngrams = ngrams;
        this.hashBits = hashBits;
        this.normalize = normalize;
        this.vocabulary = vocabulary == null ? new String[0] : vocabulary;
        if (hashBits == 0 && this.vocabulary.length == 0) {
            throw Errors.invalidParameter("a bag-of-words model needs a vocabulary or hash_bits");
        }
        int dim = hashBits > 0 ? 1 << hashBits : this.vocabulary.length;
        if (weighting == Weighting.TFIDF && (idf == null || idf.length != dim)) {
            throw Errors.invalidParameter("tf-idf weighting needs " + dim + " idf values, got "
                    + (idf == null ? "none" : idf.length));
        }
        if (weighting == Weighting.TFIDF) {
            for (double v : idf) {
                if (!Double.isFinite(v)) {
                    throw Errors.invalidParameter("tf-idf weighting needs finite idf values, got " + v);
                }
            }
        }
        this.idf = weighting == Weighting.TFIDF ? idf : null;
        this.index = new HashMap<>(this.vocabulary.length * 2);
        for (int i = 0; i < this.vocabulary.length; i++) {
            if (index.put(this.vocabulary[i], i) != null) {
                throw Errors.invalidParameter("vocabulary term '" + this.vocabulary[i] + "' appears twice");
            }
        }
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    public String input() {
        return input;
    }

    public Weighting weighting() {
        return weighting;
    }

    public int ngrams() {
        return ngrams;
    }

    public int hashBits() {
        return hashBits;
    }

    public boolean normalize() {
        return normalize;
    }

    /** The vocabulary (a copy); empty when hashing. */
    public String[] vocabulary() {
        return vocabulary.clone();
    }

    /** The idf values (a copy) or null when the weighting is not tf-idf. */
    public double[] idf() {
        return idf == null ? null : idf.clone();
    }

    @Override
    public int dimension() {
        return hashBits > 0 ? 1 << hashBits : vocabulary.length;
    }

    @Override
    public int codecId() {
        return CODEC_ID;
    }

    /** Splits text into lower-case ASCII alphanumeric tokens. */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        forEachToken(text, out::add);
        return out;
    }

    static void forEachToken(String text, Consumer<String> sink) {
        int n = text.length();
        char[] buf = new char[Math.min(n, 1024)];
        int len = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
                keep = true;
            }
            if (keep) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[len++] = c;
            } else if (len > 0) {
                sink.accept(new String(buf, 0, len));
                len = 0;
            }
        }
    }

    /** The terms of a text: its tokens and, for ngrams > 1, the space-joined n-grams up to that length. */
    public static void forEachTerm(String text, int ngrams, Consumer<String> sink) {
        if (ngrams == 1) {
            forEachToken(text, sink);
            return;
        }
        List<String> tokens = tokenize(text);
        for (int i = 0; i < tokens.size(); i++) {
            StringBuilder sb = new StringBuilder(tokens.get(i));
            sink.accept(tokens.get(i));
            for (int k = 1; k < ngrams && i + k < tokens.size(); k++) {
                sb.append(' ').append(tokens.get(i + k));
                sink.accept(sb.toString());
            }
        }
    }

    /** The feature index of a term, or -1 when it is outside the vocabulary. */
    public int indexOf(String term) {
        if (hashBits > 0) {
            return bucket(term, hashBits);
        }
        Integer i = index.get(term);
        return i == null ? -1 : i;
    }

    /** Hashing trick bucket: FNV-1a 32 over the term's chars (ASCII by construction), masked to hashBits. */
    static int bucket(String term, int bits) {
        int h = 0x811c9dc5;
        for (int i = 0; i < term.length(); i++) {
            h ^= term.charAt(i);
            h *= 0x01000193;
        }
        return h & ((1 << bits) - 1);
    }

    /** Counts of each in-vocabulary feature of a text (term frequency), by feature index. */
    public Map<Integer, Integer> counts(String text) {
        Map<Integer, Integer> tf = new HashMap<>();
        forEachTerm(text, ngrams, term -> {
            int i = indexOf(term);
            if (i >= 0) {
                tf.merge(i, 1, Integer::sum);
            }
        });
        return tf;
    }

    /** The feature vector of a text. */
    public SparseVector vectorize(String text) {
        // feature indices of every term, sorted, then counted by runs: no boxing on the per-document hot path
        int[] found = new int[64];
        int[] n = {0};
        int[][] buf = {found};
        forEachTerm(text, ngrams, term -> {
            int i = indexOf(term);
            if (i >= 0) {
                if (n[0] == buf[0].length) {
                    buf[0] = Arrays.copyOf(buf[0], n[0] * 2);
                }
                buf[0][n[0]++] = i;
            }
        });
        found = buf[0];
        Arrays.sort(found, 0, n[0]);
        int distinct = 0;
        for (int j = 0; j < n[0]; j++) {
            if (j == 0 || found[j] != found[j - 1]) {
                distinct++;
            }
        }
        int[] idx = new int[distinct];
        double[] val = new double[distinct];
        int k = -1;
        for (int j = 0; j < n[0]; j++) {
            if (j == 0 || found[j] != found[j - 1]) {
                idx[++k] = found[j];
            }
            val[k]++;
        }
        double sumSq = 0;
        for (int j = 0; j < distinct; j++) {
            double v = switch (weighting) {
                case BINARY -> 1.0;
                case TF -> val[j];
                case TFIDF -> val[j] * idf[idx[j]];
            };
            val[j] = v;
            sumSq += v * v;
        }
        if (normalize && sumSq > 0) {
            double inv = 1.0 / Math.sqrt(sumSq);
            for (int j = 0; j < distinct; j++) {
                val[j] *= inv;
            }
        }
        return new SparseVector(idx, val);
    }

    /** The human name of feature i: its term for a vocabulary, its bucket for hashing. */
    public String featureName(int i) {
        return hashBits > 0 ? "#" + i : vocabulary[i];
    }
}
