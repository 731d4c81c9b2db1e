package dev.augur.engine.features;

import dev.augur.engine.Errors;

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
    /** Open-addressing table of vocabulary indices by the FNV-1a hash of the term's chars (-1: empty slot). */
    private final int[] termTable;

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
        this.termTable = new int[Integer.highestOneBit(Math.max(4, this.vocabulary.length * 2)) << 1];
        Arrays.fill(termTable, -1);
        int mask = termTable.length - 1;
        for (int i = 0; i < this.vocabulary.length; i++) {
            int slot = fnv(this.vocabulary[i]) & mask;
            while (termTable[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            termTable[slot] = i;
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

    @Override
    public boolean sameFunctionAs(Features other) {
        return other instanceof BagOfWords b && input.equals(b.input) && weighting == b.weighting && ngrams == b.ngrams
                && hashBits == b.hashBits && normalize == b.normalize && Arrays.equals(vocabulary, b.vocabulary)
                && Arrays.equals(idf, b.idf);
    }

    /** Splits text into lower-case ASCII alphanumeric tokens. */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        forEachToken(text, out::add);
        return out;
    }

    /** A char of a token, lower-cased (ASCII letters and digits only, as SQL's [^a-z0-9] split), or -1 for a separator. */
    private static int tokenChar(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            return c;
        }
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : -1;
    }

    static void forEachToken(String text, Consumer<String> sink) {
        int n = text.length();
        char[] buf = new char[Math.min(n, 1024)];
        int len = 0;
        for (int i = 0; i <= n; i++) {
            int c = i < n ? tokenChar(text.charAt(i)) : -1;
            if (c >= 0) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[len++] = (char) c;
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
    public static int bucket(String term, int bits) {
        return fnv(term) & ((1 << bits) - 1);
    }

    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    static int fnv(String term) {
        int h = FNV_OFFSET;
        for (int i = 0; i < term.length(); i++) {
            h ^= term.charAt(i);
            h *= FNV_PRIME;
        }
        return h;
    }

    /**
     * The feature index of every unigram of a text, in order (-1 outside the vocabulary), straight from its chars:
     * the tokenizer of {@link #forEachToken} with the FNV-1a hash kept as it goes, and the vocabulary probed by that
     * hash, so no String is made per token (what dominated bag-of-words scoring).
     */
    private int unigramIndices(String text, int[][] out) {
        int n = text.length();
        char[] buf = new char[64];
        int len = 0;
        int h = FNV_OFFSET;
        int count = 0;
        int[] found = out[0];
        int mask = termTable.length - 1;
        for (int i = 0; i <= n; i++) {
            int c = i < n ? tokenChar(text.charAt(i)) : -1;
            if (c >= 0) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[len++] = (char) c;
                h = (h ^ c) * FNV_PRIME;
            } else if (len > 0) {
                int f;
                if (hashBits > 0) {
                    f = h & ((1 << hashBits) - 1);
                } else {
                    f = -1;
                    for (int slot = h & mask; termTable[slot] >= 0; slot = (slot + 1) & mask) {
                        String t = vocabulary[termTable[slot]];
                        if (t.length() == len && sameChars(t, buf, len)) {
                            f = termTable[slot];
                            break;
                        }
                    }
                }
                if (f >= 0) {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, count * 2);
                    }
                    found[count++] = f;
                }
                len = 0;
                h = FNV_OFFSET;
            }
        }
        out[0] = found;
        return count;
    }

    private static boolean sameChars(String t, char[] buf, int len) {
        for (int i = 0; i < len; i++) {
            if (t.charAt(i) != buf[i]) {
                return false;
            }
        }
        return true;
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
        if (ngrams == 1) {
            n[0] = unigramIndices(text, buf);
        } else {
            forEachTerm(text, ngrams, term -> {
                int i = indexOf(term);
                if (i >= 0) {
                    if (n[0] == buf[0].length) {
                        buf[0] = Arrays.copyOf(buf[0], n[0] * 2);
                    }
                    buf[0][n[0]++] = i;
                }
            });
        }
        found = buf[0];
        // distinct features and their counts through a small open-addressing table, then only the distinct ones
        // sorted: a mail has ~3x more tokens than distinct terms, and sorting every token dominated vectorizing
        int cap = Integer.highestOneBit(Math.max(8, n[0])) << 2;
        int mask = cap - 1;
        int[] slotKey = new int[cap];
        int[] slotCount = new int[cap];
        Arrays.fill(slotKey, -1);
        int[] idx = new int[n[0]];
        int distinct = 0;
        for (int j = 0; j < n[0]; j++) {
            int f = found[j];
            int slot = countSlot(f, mask);
            while (slotKey[slot] >= 0 && slotKey[slot] != f) {
                slot = (slot + 1) & mask;
            }
            if (slotKey[slot] < 0) {
                slotKey[slot] = f;
                idx[distinct++] = f;
            }
            slotCount[slot]++;
        }
        idx = Arrays.copyOf(idx, distinct);
        Arrays.sort(idx);
        double[] val = new double[distinct];
        for (int j = 0; j < distinct; j++) {
            int f = idx[j];
            int slot = countSlot(f, mask);
            while (slotKey[slot] != f) {
                slot = (slot + 1) & mask;
            }
            val[j] = slotCount[slot];
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

    /** First probe for feature f in vectorize's counting table (multiplicative hashing spreads adjacent buckets). */
    private static int countSlot(int f, int mask) {
        return (f * 0x9E3779B9) >>> 7 & mask;
    }

    /** The human name of feature i: its term for a vocabulary, its bucket for hashing. */
    public String featureName(int i) {
        return hashBits > 0 ? "#" + i : vocabulary[i];
    }
}
