package dev.augur.engine.features;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bag-of-words rule written the plain way, slow and clear: tokens as Strings char by char, terms joined with a
 * StringBuilder, each looked up (a map or the FNV-1a bucket), counts in a sorted map, then weighted, normalized and
 * summed in ascending feature order. {@link BagOfWords} does all of it in one pass over the chars and must equal this
 * bit for bit (PostgreSQL's in-database PREDICT is pinned to the same rule by golden vectors).
 */
final class BagOfWordsReference {
    private BagOfWordsReference() {
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                token.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                token.append((char) (c - 'A' + 'a'));
            } else if (token.length() > 0) {
                out.add(token.toString());
                token.setLength(0);
            }
        }
        return out;
    }

    static List<String> terms(String text, int ngrams) {
        List<String> tokens = tokens(text);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            StringBuilder term = new StringBuilder(tokens.get(i));
            out.add(term.toString());
            for (int k = 1; k < ngrams && i + k < tokens.size(); k++) {
                term.append(' ').append(tokens.get(i + k));
                out.add(term.toString());
            }
        }
        return out;
    }

    /** FNV-1a 32 over the chars. */
    static int fnv(String term) {
        int h = 0x811c9dc5;
        for (char c : term.toCharArray()) {
            h = (h ^ c) * 0x01000193;
        }
        return h;
    }

    static int featureOf(BagOfWords bow, Map<String, Integer> vocabulary, String term) {
        if (bow.hashBits() > 0) {
            return fnv(term) & ((1 << bow.hashBits()) - 1);
        }
        return vocabulary.getOrDefault(term, -1);
    }

    static SparseVector vectorize(BagOfWords bow, String text) {
        String[] terms = bow.vocabulary();
        Map<String, Integer> vocabulary = new HashMap<>();
        for (int i = 0; i < terms.length; i++) {
            vocabulary.put(terms[i], i);
        }
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (String term : terms(text, bow.ngrams())) {
            int f = featureOf(bow, vocabulary, term);
            if (f >= 0) {
                counts.merge(f, 1, Integer::sum);
            }
        }
        int[] idx = new int[counts.size()];
        double[] val = new double[counts.size()];
        double[] idf = bow.idf();
        int j = 0;
        double sumSq = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            idx[j] = e.getKey();
            double count = e.getValue();
            val[j] = switch (bow.weighting()) {
                case BINARY -> 1.0;
                case TF -> count;
                case TFIDF -> count * idf[e.getKey()];
            };
            sumSq += val[j] * val[j];
            j++;
        }
        if (bow.normalize() && sumSq > 0) {
            double inv = 1.0 / Math.sqrt(sumSq);
            for (j = 0; j < val.length; j++) {
                val[j] *= inv;
            }
        }
        return new SparseVector(idx, val);
    }

    /** Output o's margin: bias[o] + Σ w[o·d + i]·x_i in ascending i. */
    static double[] margins(BagOfWords bow, String text, double[] weights, double[] bias) {
        SparseVector x = vectorize(bow, text);
        double[] out = new double[bias.length];
        for (int o = 0; o < bias.length; o++) {
            double m = bias[o];
            for (int j = 0; j < x.size(); j++) {
                m += weights[o * bow.dimension() + x.indices()[j]] * x.values()[j];
            }
            out[o] = m;
        }
        return out;
    }
}
