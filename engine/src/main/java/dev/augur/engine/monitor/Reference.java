package dev.augur.engine.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.model.Evaluation;
import dev.augur.engine.model.Model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model version's inputs and scores looked like when it was made, the yardstick of monitoring without labels
 * (written once; a binding stores {@link #toJson()} and the score bins):
 * <ul>
 *   <li>scores: a histogram over {@value #BINS} bins: equal-width bins over [0, 1] for a binary classifier (its score is
 *       the probability of the positive class), the reference scores' deciles for a regressor;</li>
 *   <li>dense inputs: each input's mean, standard deviation and a histogram over its reference deciles;</li>
 *   <li>bag of words: the {@value #TOP_TERMS} terms in most documents, with their document counts, and the count of
 *       the other (document, term) pairs.</li>
 * </ul>
 * For a binary classifier it also keeps the mean confidence max(p, 1 − p), the accuracy its scores promise (NaN otherwise).
 */
public record Reference(boolean classifier, long rows, double[] scoreEdges, long[] scoreCounts, double meanConfidence,
                        List<Feature> features, List<String> terms, long[] termDocuments, long otherTermPairs) {
    public static final int BINS = 10;
    public static final int TOP_TERMS = 50;

    /** A dense input's summary: mean, standard deviation (population) and its histogram over the reference deciles. */
    public record Feature(String name, double mean, double std, double[] edges, long[] counts) {
    }

    /** The accuracy a binary classifier's score promises: the probability of the class it predicts. */
    public static double confidence(double score) {
        return Math.max(score, 1 - score);
    }

    /** The reference of a model from rows of its inputs (the training rows without their label); 22023 when there are none. */
    public static Reference capture(Model model, List<Object[]> inputRows) {
        if (inputRows.isEmpty()) {
            throw new AugurException(Errors.INVALID_PARAMETER, "a reference of model '" + model.name() + "' needs at least one row of"
                    + " its inputs; the query returned none");
        }
        boolean classifier = model.kind().isClassifier();
        int inputs = model.inputs().size();
        double[] scores = new double[inputRows.size()];
        int n = 0;
        for (Object[] row : inputRows) {
            Object[] in = row.length == inputs ? row : Arrays.copyOf(row, inputs);
            Evaluation e = model.evaluate(in);
            if (e != null) {
                scores[n++] = e.score();
            }
        }
        if (n == 0) {
            throw new AugurException(Errors.INVALID_PARAMETER, "every row of the reference query of model '" + model.name()
                    + "' has a NULL input; a reference needs rows the model scores");
        }
        scores = Arrays.copyOf(scores, n);
        double[] edges = classifier ? fixedEdges() : quantileEdges(scores);
        long[] counts = histogram(edges, scores);
        // the promise of max(p, 1 - p) is a binary classifier's (a softmax score is already the top class's probability)
        boolean binary = classifier && model.classes().size() == 2;
        double confidence = binary ? 0 : Double.NaN;
        if (binary) {
            for (double s : scores) {
                confidence += confidence(s);
            }
            confidence /= n;
        }
        List<Feature> features = new ArrayList<>();
        List<String> terms = List.of();
        long[] termDocs = new long[0];
        long other = 0;
        if (model.features() instanceof BagOfWords) {
            TermCounts tc = TermCounts.of(inputRows, null);
            terms = tc.top(TOP_TERMS);
            termDocs = new long[terms.size()];
            long all = 0;
            for (int i = 0; i < terms.size(); i++) {
                termDocs[i] = tc.documents.get(terms.get(i));
            }
            for (long d : tc.documents.values()) {
                all += d;
            }
            other = all - Arrays.stream(termDocs).sum();
        } else {
            for (int j = 0; j < inputs; j++) {
                double[] x = column(model, inputRows, j);
                double mean = Arrays.stream(x).average().orElse(0);
                double var = 0;
                for (double v : x) {
                    var += (v - mean) * (v - mean);
                }
                double[] fe = quantileEdges(x);
                features.add(new Feature(model.inputs().get(j), mean, Math.sqrt(var / x.length), fe, histogram(fe, x)));
            }
        }
        return new Reference(classifier, n, edges, counts, confidence, features, terms, termDocs, other);
    }

    /** The score histogram of live scores over this reference's bins. */
    public long[] scoreHistogram(double[] scores) {
        return histogram(scoreEdges, scores);
    }

    /** The score bin of one live score. */
    public int scoreBin(double score) {
        return Psi.bin(scoreEdges, score);
    }

    static double[] fixedEdges() {
        double[] e = new double[BINS - 1];
        for (int k = 1; k < BINS; k++) {
            e[k - 1] = k / (double) BINS;
        }
        return e;
    }

    /** The deciles of the values as ascending interior edges, repeats dropped (a constant gives one bin). */
    static double[] quantileEdges(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        List<Double> edges = new ArrayList<>();
        for (int k = 1; k < BINS; k++) {
            double q = sorted[(int) Math.min(sorted.length - 1, Math.floor((double) k * sorted.length / BINS))];
            if (q > sorted[0] && (edges.isEmpty() || q > edges.get(edges.size() - 1))) {
                edges.add(q);
            }
        }
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static long[] histogram(double[] edges, double[] values) {
        long[] h = new long[edges.length + 1];
        for (double v : values) {
            h[Psi.bin(edges, v)]++;
        }
        return h;
    }

    static double[] column(Model model, List<Object[]> rows, int j) {
        double[] x = new double[rows.size()];
        int n = 0;
        for (Object[] r : rows) {
            if (r[j] != null) {
                x[n++] = dev.augur.engine.features.DenseFeatures.number(model.name(), model.inputs().get(j), r[j], "a number");
            }
        }
        return Arrays.copyOf(x, n);
    }

    /** Document counts of the unigram terms of the first column of text rows (only {@code only}'s terms when given). */
    record TermCounts(Map<String, Long> documents, long docs) {
        static TermCounts of(List<Object[]> rows, Set<String> only) {
            Map<String, Long> docs = new HashMap<>();
            long n = 0;
            for (Object[] r : rows) {
                if (!(r[0] instanceof String text)) {
                    continue;
                }
                n++;
                Set<String> seen = new HashSet<>();
                BagOfWords.forEachTerm(text, 1, seen::add);
                for (String t : seen) {
                    docs.merge(t, 1L, Long::sum);
                }
            }
            return new TermCounts(docs, n);
        }

        /** The k terms in most documents (ties: alphabetical). */
        List<String> top(int k) {
            return documents.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(k).map(Map.Entry::getKey).toList();
        }
    }

    // ------------------------------------------------------------------ stored form

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("classifier", classifier);
        o.put("rows", rows);
        o.set("score_edges", doubles(scoreEdges));
        o.set("score_counts", longs(scoreCounts));
        if (!Double.isNaN(meanConfidence)) {
            o.put("mean_confidence", meanConfidence);
        }
        ArrayNode fs = o.putArray("features");
        for (Feature f : features) {
            ObjectNode fo = fs.addObject();
            fo.put("name", f.name());
            fo.put("mean", f.mean());
            fo.put("std", f.std());
            fo.set("edges", doubles(f.edges()));
            fo.set("counts", longs(f.counts()));
        }
        ArrayNode ts = o.putArray("terms");
        terms.forEach(ts::add);
        o.set("term_documents", longs(termDocuments));
        o.put("other_term_pairs", otherTermPairs);
        return o.toString();
    }

    public static Reference fromJson(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            List<Feature> fs = new ArrayList<>();
            for (JsonNode f : o.get("features")) {
                fs.add(new Feature(f.get("name").asText(), f.get("mean").asDouble(), f.get("std").asDouble(), doubles(f.get("edges")),
                        longs(f.get("counts"))));
            }
            List<String> terms = new ArrayList<>();
            o.get("terms").forEach(t -> terms.add(t.asText()));
            return new Reference(o.get("classifier").asBoolean(), o.get("rows").asLong(), doubles(o.get("score_edges")),
                    longs(o.get("score_counts")), o.path("mean_confidence").asDouble(Double.NaN), fs, terms, longs(o.get("term_documents")),
                    o.get("other_term_pairs").asLong());
        } catch (java.io.IOException | RuntimeException e) {
            throw Errors.corruptPayload("a stored monitoring reference is not readable: " + e.getMessage());
        }
    }

    private static ArrayNode doubles(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    private static ArrayNode longs(long[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (long d : v) {
            a.add(d);
        }
        return a;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static long[] longs(JsonNode a) {
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asLong();
        }
        return v;
    }
}
