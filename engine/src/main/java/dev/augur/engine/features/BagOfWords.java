package dev.augur.engine.features;

import dev.augur.engine.Errors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
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
    /**
     * The vocabulary as an open-addressing table (load at most 2/3). Slot s is two longs: {@code length << 32 | i}
     * (-1: empty) and the term's first 8 bytes (little-endian, zero-padded), so a probe decides a term of up to 8
     * bytes within one cache line and reads {@link #termBytes} (the terms end to end, term i from
     * {@code termStart[i]} to {@code termStart[i + 1]}, then 8 bytes of padding) only for a longer one. Only terms a
     * text can produce are in the table (tokens of [a-z0-9] joined by single spaces): their bytes are never 0, so the
     * padding is exact.
     */
    private final long[] termTable;
    private final int slotMask;
    private final byte[] termBytes;
    private final int[] termStart;

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
        Set<String> distinct = new HashSet<>(this.vocabulary.length * 2);
        for (String term : this.vocabulary) {
            if (!distinct.add(term)) {
                throw Errors.invalidParameter("vocabulary term '" + term + "' appears twice");
            }
        }
        this.termStart = new int[this.vocabulary.length + 1];
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < this.vocabulary.length; i++) {
            if (producible(this.vocabulary[i])) {
                all.append(this.vocabulary[i]);
            }
            termStart[i + 1] = all.length();
        }
        this.termBytes = Arrays.copyOf(all.toString().getBytes(StandardCharsets.US_ASCII), all.length() + 8);
        // load factor at most 2/3
        int slots = Integer.highestOneBit(Math.max(4, this.vocabulary.length * 3 / 2 - 1)) << 1;
        this.termTable = new long[2 * slots];
        Arrays.fill(termTable, -1L);
        this.slotMask = slots - 1;
        for (int i = 0; i < this.vocabulary.length; i++) {
            int from = termStart[i];
            int len = termStart[i + 1] - from;
            if (len == 0) {
                continue;
            }
            int slot = slotOf(termBytes, from, len);
            while (termTable[2 * slot] != -1L) {
                slot = (slot + 1) & slotMask;
            }
            termTable[2 * slot] = (long) len << 32 | i;
            termTable[2 * slot + 1] = word(termBytes, from, len);
        }
    }

    /** Whether some text has this term: tokens of [a-z0-9] joined by single spaces. */
    private static boolean producible(String term) {
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            boolean tokenChar = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!tokenChar && (c != ' ' || i == 0 || i == term.length() - 1 || term.charAt(i - 1) == ' ')) {
                return false;
            }
        }
        return !term.isEmpty();
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
        Tokens t = new Tokens();
        t.read(text);
        List<String> out = new ArrayList<>(t.count);
        for (int i = 0; i < t.count; i++) {
            out.add(t.term(i, i));
        }
        return out;
    }

    /** The terms of a text: its tokens and, for ngrams > 1, the space-joined n-grams up to that length. */
    public static void forEachTerm(String text, int ngrams, Consumer<String> sink) {
        Tokens t = new Tokens();
        t.read(text);
        if (ngrams > 1) {
            t.join();
        }
        for (int i = 0; i < t.count; i++) {
            for (int last = i; last < i + ngrams && last < t.count; last++) {
                sink.accept(t.term(i, last));
            }
        }
    }

    /** The feature index of a term, or -1 when it is outside the vocabulary. */
    public int indexOf(String term) {
        if (hashBits > 0) {
            return bucket(term, hashBits);
        }
        if (!producible(term)) {
            return -1;
        }
        int len = term.length();
        byte[] b = Arrays.copyOf(term.getBytes(StandardCharsets.US_ASCII), len + 8);
        int slot = slotOf(b, 0, len);
        return vocabularyIndex(termTable[2 * slot], slot, word(b, 0, len), b, 0, len);
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

    /** FNV-1a 32 over {@code bytes[from, to)}, continued from {@code h}. */
    private static int fnv(int h, byte[] bytes, int from, int to) {
        for (int k = from; k < to; k++) {
            h = (h ^ bytes[k]) * FNV_PRIME;
        }
        return h;
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The first min(len, 8) bytes at {@code from}, little-endian, zero-padded (8 bytes must be readable there). */
    private static long word(byte[] bytes, int from, int len) {
        return (long) LONG_LE.get(bytes, from) & (-1L >>> ((8 - Math.min(len, 8)) << 3));
    }

    /**
     * The vocabulary table's first slot for the term {@code bytes[from, from + len)}: a multiplicative hash of its
     * 8-byte words (the table is this class's own; what is observable, a hashed model's buckets, is FNV-1a).
     */
    private int slotOf(byte[] bytes, int from, int len) {
        long h = (word(bytes, from, len) ^ len) * 0x9E3779B97F4A7C15L;
        for (int k = 8; k < len; k += 8) {
            h = (Long.rotateLeft(h, 29) ^ word(bytes, from + k, len - k)) * 0xC2B2AE3D27D4EB4FL;
        }
        return (int) (h >>> 32 ^ h) & slotMask;
    }

    /**
     * The vocabulary index of the term {@code bytes[from, from + len)} (its first word {@code w}) probing from
     * {@code slot}, whose first long was read as {@code first}; -1 when it is not in the vocabulary. Length and first
     * word decide a term of up to 8 bytes (its bytes are never 0, so the padding is exact); a longer one compares the
     * rest of its bytes.
     */
    private int vocabularyIndex(long first, int slot, long w, byte[] bytes, int from, int len) {
        long[] table = termTable;
        long key = (long) len << 32;
        for (long e = first; e != -1L; slot = (slot + 1) & slotMask, e = table[2 * slot]) {
            if ((e & 0xFFFFFFFF00000000L) == key && table[2 * slot + 1] == w) {
                int i = (int) e;
                if (len <= 8 || sameTail(termStart[i], bytes, from, len)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Whether the vocabulary's term at {@code termFrom} and {@code bytes[from, from + len)}, both {@code len} long, have
     * the same bytes after their first 8: word by word, the last one masked to the term (both arrays have 8 readable
     * bytes past any term), which for terms of a few words beats a general range comparison.
     */
    private boolean sameTail(int termFrom, byte[] bytes, int from, int len) {
        byte[] terms = termBytes;
        for (int k = 8; k < len; k += 8) {
            if (word(terms, termFrom + k, len - k) != word(bytes, from + k, len - k)) {
                return false;
            }
        }
        return true;
    }

    /** 8 bytes of 0x01, 0x20, 0x80: the lanes of the tokenizer's word-at-a-time arithmetic. */
    private static final long ONES = 0x0101010101010101L;
    private static final long SPACES = 0x20 * ONES;
    private static final long HIGH = 0x80 * ONES;

    /**
     * The one tokenizer. {@link #read} lower-cases a text's tokens in place, 8 chars at a time with no branch per
     * char (separators become spaces), and finds where every token starts and ends from a 64-char bit mask of token
     * chars; {@link #join} copies the tokens end to end with one space between them, so that the n-gram of tokens
     * i..j is the slice from i's start to j's end, exactly its space-joined term.
     */
    private static final class Tokens {
        /** The text as Latin-1 bytes, lower-cased with separators as spaces, zero-padded to whole 64-char blocks. */
        byte[] chars = new byte[0];
        /** The tokens joined by one space (after {@link #join}). */
        byte[] joined = new byte[0];
        /** Where the bytes of {@link #starts} and {@link #ends} are: {@link #chars} or {@link #joined}. */
        byte[] buf;
        int[] starts = new int[0];
        int[] ends = new int[0];
        int count;

        void read(String text) {
            // Latin-1 is a copy (or a vectorized narrowing) of the text's chars; a char beyond Latin-1 becomes '?',
            // a separator as it was (a surrogate pair one '?' instead of two: still one run of separators)
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            int n = raw.length;
            int padded = (n + 63 & -64) + 8;
            if (chars.length < padded) {
                chars = new byte[padded];
            }
            if (starts.length < n / 2 + 2) {
                starts = new int[n / 2 + 2];
                ends = new int[n / 2 + 2];
            }
            byte[] b = chars;
            System.arraycopy(raw, 0, b, 0, n);
            Arrays.fill(b, n, padded, (byte) 0);
            int[] start = starts;
            int[] end = ends;
            int ts = 0;
            int te = 0;
            long carry = 0; // 1 when the char before this block is a token char
            for (int base = 0; base < n; base += 64) {
                long tokens = 0; // bit k: char base + k is a token char
                for (int k = 0; k < 64; k += 8) {
                    long w = (long) LONG_LE.get(b, base + k);
                    long x = w & ~HIGH; // a byte from 0x80 up is a separator: its 7 low bits are tested, then dropped
                    long lower = x | SPACES; // ASCII letters fold to lower case (digits have the bit already)
                    // per byte, with no carry between bytes (each lane stays below 0x100): the high bit is set when
                    // the byte is at least the bound
                    long letter = (lower + (0x80 - 'a') * ONES) & ~(lower + (0x7F - 'z') * ONES);
                    long digit = (x + (0x80 - '0') * ONES) & ~(x + (0x7F - '9') * ONES);
                    long tok = (letter | digit) & ~w & HIGH;
                    long keep = (tok >>> 7) * 0xFF;
                    LONG_LE.set(b, base + k, (lower & keep) | (SPACES & ~keep));
                    tokens |= ((tok >>> 7) * 0x0102040810204080L >>> 56) << k; // the 8 high bits gathered
                }
                long before = tokens << 1 | carry;
                long startBits = tokens & ~before;
                long endBits = ~tokens & before; // the separator right after a token: its end
                carry = tokens >>> 63;
                while (startBits != 0) {
                    start[ts++] = base + Long.numberOfTrailingZeros(startBits);
                    startBits &= startBits - 1;
                }
                while (endBits != 0) {
                    end[te++] = base + Long.numberOfTrailingZeros(endBits);
                    endBits &= endBits - 1;
                }
            }
            if (carry != 0) {
                end[te] = n;
            }
            count = ts;
            buf = b;
        }

        /** Copies the tokens into {@link #joined}, each followed by one space, word by word. */
        void join() {
            int need = (chars.length) + 8;
            if (joined.length < need) {
                joined = new byte[need];
            }
            byte[] from = chars;
            byte[] to = joined;
            int q = 0;
            for (int i = 0; i < count; i++) {
                int s = starts[i];
                int len = ends[i] - s;
                for (int k = 0; k < len; k += 8) {
                    LONG_LE.set(to, q + k, (long) LONG_LE.get(from, s + k));
                }
                starts[i] = q;
                ends[i] = q + len;
                q += len;
                to[q++] = ' ';
            }
            buf = to;
        }

        /** The term of tokens first..last, space-joined (after {@link #join} when first < last). */
        String term(int first, int last) {
            return new String(buf, starts[first], ends[last] - starts[first], StandardCharsets.ISO_8859_1);
        }
    }

    /** What one thread's vectorizing reuses, text after text; a text too long to keep its arrays gets its own. */
    static final class Scratch {
        static final int KEPT_CHARS = 1 << 20;

        final Tokens tokens = new Tokens();
        /** Per term: where it starts and its length, its first slot and that slot's first long. */
        int[] termFrom = new int[0];
        int[] termLen = new int[0];
        int[] termSlot = new int[0];
        long[] termFirst = new long[0];
        /** The feature index of every term found, then sorted (with {@link #sorted} as the other radix buffer). */
        int[] found = new int[0];
        int[] sorted = new int[0];
        int[] radixCounts = new int[0];
        /** One bit per feature, one summary bit per nonzero bitmap word, a count per feature: zero between texts. */
        long[] bitmap = new long[0];
        long[] summary = new long[0];
        int[] tally = new int[0];
        /** The feature vector: {@link #size} ascending indices and their values. */
        int[] idx = new int[0];
        double[] val = new double[0];
        int size;

        long[] bitmap(int dimension) {
            int words = (dimension + 63) >>> 6;
            if (bitmap.length < words) {
                bitmap = new long[words];
                summary = new long[(words + 63) >>> 6];
            }
            return bitmap;
        }

        int[] tally(int dimension) {
            if (tally.length < dimension) {
                tally = new int[dimension];
            }
            return tally;
        }

        void ensureTerms(int terms) {
            if (termFrom.length < terms) {
                termFrom = new int[terms];
                termLen = new int[terms];
                termSlot = new int[terms];
                termFirst = new long[terms];
                found = new int[terms];
                sorted = new int[terms];
                idx = new int[terms];
                val = new double[terms];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** This thread's scratch, or a fresh one for a text too long for its arrays to be kept. */
    private static Scratch scratchFor(String text) {
        return text.length() > Scratch.KEPT_CHARS ? new Scratch() : SCRATCH.get();
    }

    /**
     * The feature vector of a text into {@code s.idx}, {@code s.val} ({@code s.size} of them, indices ascending):
     * tokens in one pass ({@link Tokens}), every term's feature (FNV-1a buckets; or the vocabulary, probed for all
     * terms' first slots before any is compared, so that the cache misses of a large vocabulary overlap), the
     * features radix-sorted and counted by runs, weighted and normalized. No String or boxed value is made.
     */
    private void vectorizeInto(String text, Scratch s) {
        Tokens t = s.tokens;
        t.read(text);
        if (ngrams > 1) {
            t.join();
        }
        int tokens = t.count;
        int terms = Math.toIntExact((long) tokens * ngrams);
        s.ensureTerms(terms);
        int[] found = s.found;
        int[] starts = t.starts;
        int[] ends = t.ends;
        byte[] chars = t.buf;
        int nFound = 0;
        if (hashBits > 0) {
            int bucketMask = (1 << hashBits) - 1;
            for (int i = 0; i < tokens; i++) {
                int h = fnv(FNV_OFFSET, chars, starts[i], ends[i]);
                found[nFound++] = h & bucketMask;
                for (int last = i + 1; last < i + ngrams && last < tokens; last++) {
                    // the n-gram's hash goes on over the space and the next token's chars
                    h = fnv(h, chars, ends[last - 1], ends[last]);
                    found[nFound++] = h & bucketMask;
                }
            }
        } else {
            int[] termFrom = s.termFrom;
            int[] termLen = s.termLen;
            int[] termSlot = s.termSlot;
            long[] termFirst = s.termFirst;
            long[] table = termTable;
            int n = 0;
            if (ngrams == 1) {
                for (int i = 0; i < tokens; i++) {
                    termSlot[i] = slotOf(chars, starts[i], ends[i] - starts[i]);
                }
                termFrom = starts;
                termLen = null;
                n = tokens;
            } else {
                for (int i = 0; i < tokens; i++) {
                    int from = starts[i];
                    for (int last = i; last < i + ngrams && last < tokens; last++) {
                        int len = ends[last] - from;
                        termFrom[n] = from;
                        termLen[n] = len;
                        termSlot[n] = slotOf(chars, from, len);
                        n++;
                    }
                }
            }
            // every term's first slot read in a loop of nothing else, so that a large vocabulary's cache misses overlap
            for (int j = 0; j < n; j++) {
                termFirst[j] = table[2 * termSlot[j]];
            }
            for (int j = 0; j < n; j++) {
                int from = termFrom[j];
                int len = termLen == null ? ends[j] - from : termLen[j];
                int f = termFirst[j] == -1L ? -1 : vocabularyIndex(termFirst[j], termSlot[j], word(chars, from, len), chars, from, len);
                found[nFound] = f;
                nFound += ~f >>> 31; // kept when in the vocabulary
            }
        }
        int distinct = distinctFeatures(found, nFound, dimension(), weighting != Weighting.BINARY, s,
                dimension() <= BITMAP_MAX_DIMENSION);
        int[] idx = s.idx;
        double[] val = s.val;
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
        s.size = distinct;
    }

    /**
     * Up to this dimension a text's distinct features are found through a bitmap of them all (2^20 bits: 128 KiB, a
     * tally of 4 MiB for counted weightings), above it by sorting.
     */
    static final int BITMAP_MAX_DIMENSION = 1 << 20;

    /**
     * The distinct features of {@code found[0, n)} ascending into {@code s.idx}, each with its number of occurrences
     * (or 1 when not {@code counted}) into {@code s.val}; returns how many. With {@code bitmap}, each feature sets
     * its bit in a bitmap of the dimension and each nonzero word of that its bit in a summary, so that reading them
     * back in order costs the distinct features plus dimension / 4096 words, and leaves both zero again; else the
     * features are radix-sorted and counted by runs. Both give the same result.
     */
    static int distinctFeatures(int[] found, int n, int dimension, boolean counted, Scratch s, boolean bitmap) {
        int[] idx = s.idx;
        double[] val = s.val;
        int distinct = 0;
        if (bitmap) {
            long[] bits = s.bitmap(dimension);
            long[] summary = s.summary;
            for (int j = 0; j < n; j++) {
                int f = found[j];
                bits[f >>> 6] |= 1L << f;
                summary[f >>> 12] |= 1L << (f >>> 6);
            }
            int[] tally = counted ? s.tally(dimension) : null;
            if (counted) {
                for (int j = 0; j < n; j++) {
                    tally[found[j]]++;
                }
            }
            int summaryWords = (dimension + 4095) >>> 12;
            for (int sw = 0; sw < summaryWords; sw++) {
                long sb = summary[sw];
                if (sb == 0) {
                    continue;
                }
                summary[sw] = 0;
                do {
                    int w = sw << 6 | Long.numberOfTrailingZeros(sb);
                    sb &= sb - 1;
                    long b = bits[w];
                    bits[w] = 0;
                    do {
                        int f = w << 6 | Long.numberOfTrailingZeros(b);
                        b &= b - 1;
                        idx[distinct] = f;
                        if (counted) {
                            val[distinct] = tally[f];
                            tally[f] = 0;
                        } else {
                            val[distinct] = 1;
                        }
                        distinct++;
                    } while (b != 0);
                } while (sb != 0);
            }
            return distinct;
        }
        int[] order = radixSort(found, s.sorted, n, 32 - Integer.numberOfLeadingZeros(dimension - 1), s);
        // runs of equal features: each distinct feature once, with its count
        int previous = -1;
        int count = 0;
        for (int j = 0; j < n; j++) {
            int f = order[j];
            boolean next = f != previous;
            distinct += next ? 1 : 0;
            count = next ? 1 : count + 1;
            idx[distinct - 1] = f;
            val[distinct - 1] = counted ? count : 1;
            previous = f;
        }
        return distinct;
    }

    /**
     * Sorts {@code a[0, n)} of non-negative keys below 2^bits, least significant digit first with up to 11 bits a
     * digit; returns the array that holds the result ({@code a} or {@code tmp}).
     */
    private static int[] radixSort(int[] a, int[] tmp, int n, int bits, Scratch s) {
        if (n < 64) {
            Arrays.sort(a, 0, n);
            return a;
        }
        int passes = Math.max(1, (bits + 10) / 11);
        int width = (bits + passes - 1) / passes;
        int radix = 1 << width;
        int digitMask = radix - 1;
        if (s.radixCounts.length < radix) {
            s.radixCounts = new int[radix];
        }
        int[] counts = s.radixCounts;
        int[] from = a;
        int[] to = tmp;
        for (int shift = 0; shift < passes * width; shift += width) {
            Arrays.fill(counts, 0, radix, 0);
            for (int j = 0; j < n; j++) {
                counts[from[j] >>> shift & digitMask]++;
            }
            int sum = 0;
            for (int d = 0; d < radix; d++) {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (int j = 0; j < n; j++) {
                int key = from[j];
                to[counts[key >>> shift & digitMask]++] = key;
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        return from;
    }

    /** The feature vector of a text. */
    public SparseVector vectorize(String text) {
        Scratch s = scratchFor(text);
        vectorizeInto(text, s);
        return new SparseVector(Arrays.copyOf(s.idx, s.size), Arrays.copyOf(s.val, s.size));
    }

    /**
     * The margins of a linear map over a text's feature vector, with no vector made: {@code out[o] = bias[o] +
     * Σ weights[o · dimension + i] · x_i}, summed as {@link SparseVector#affine} sums {@link #vectorize}'s vector, so
     * bit for bit the margin of that vector.
     */
    public void margins(String text, double[] weights, double[] bias, double[] out) {
        Scratch s = scratchFor(text);
        vectorizeInto(text, s);
        int d = dimension();
        for (int o = 0; o < out.length; o++) {
            out[o] = SparseVector.affine(bias[o], weights, o * d, s.idx, s.val, s.size);
        }
    }

    /** The human name of feature i: its term for a vocabulary, its bucket for hashing. */
    public String featureName(int i) {
        return hashBits > 0 ? "#" + i : vocabulary[i];
    }
}
