package dev.augur.engine.train;

import dev.augur.engine.Errors;
import dev.augur.engine.OptionValues;
import dev.augur.engine.features.BagOfWords;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Options of TRAIN_MODEL, given as JSON ({@code {"epochs": 5, "l2": 1e-5}}). Unknown keys are errors, so a
 * typo never trains silently with a default, and values are read exactly (an epochs of 2^32 + 1 is out of range,
 * never 1 epoch).
 */
public record TrainingOptions(int epochs, double learningRate, double l2, long seed,
                              BagOfWords.Weighting weighting, int ngrams, int hashBits, int minDf, int maxFeatures,
                              boolean normalize, int members, double prior, double level) {
    /**
     * Learning rate used when none is given, by input shape. Text vectors are L2-normalized (‖x‖ = 1), so the rate is
     * how far one step can move a margin; classifier losses have bounded gradients and the squared loss takes a
     * step that cannot overshoot (see {@link LinearSgd}), so a large rate is safe and converges in a few epochs.
     */
    public static final double DEFAULT_TEXT_RATE = 5.0;
    public static final double DEFAULT_DENSE_RATE = 0.05;

    private static final List<String> KEYS = List.of("epochs", "features", "hash_bits", "l2", "learning_rate", "level", "max_features",
            "members", "min_df", "ngrams", "normalize", "prior", "seed");
    private static final String EXAMPLE = "{\"epochs\": 5, \"l2\": 1e-5}";
    public static final int MAX_EPOCHS = 10_000;
    /** The members of a bagged kind when the options name none. */
    public static final int DEFAULT_MEMBERS = 10;
    public static final int MAX_MEMBERS = 1_000;

    /** The prior precision of a Bayesian kind when the options name none. */
    public static final double DEFAULT_PRIOR = 1.0;
    /** The interval level a quantile kind is trained for when the options name none. */
    public static final double DEFAULT_LEVEL = 0.9;

    /** Options without prior and level (0: not given). */
    public TrainingOptions(int epochs, double learningRate, double l2, long seed, BagOfWords.Weighting weighting, int ngrams,
                           int hashBits, int minDf, int maxFeatures, boolean normalize, int members) {
        this(epochs, learningRate, l2, seed, weighting, ngrams, hashBits, minDf, maxFeatures, normalize, members, 0, 0);
    }

    public TrainingOptions {
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw Errors.invalidParameter("option epochs must be an integer between 1 and " + MAX_EPOCHS + ", got " + epochs);
        }
        if (!(learningRate >= 0) || !Double.isFinite(learningRate)) {
            throw Errors.invalidParameter("option learning_rate must be a finite number >= 0, got " + learningRate);
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw Errors.invalidParameter("option l2 must be a finite number >= 0, got " + l2);
        }
        if (minDf < 1) {
            throw Errors.invalidParameter("option min_df must be >= 1, got " + minDf);
        }
        if (maxFeatures < 1) {
            throw Errors.invalidParameter("option max_features must be >= 1, got " + maxFeatures);
        }
        if (ngrams < 1 || ngrams > 5) {
            throw Errors.invalidParameter("option ngrams must be an integer between 1 and 5, got " + ngrams);
        }
        if (members != 0 && (members < 2 || members > MAX_MEMBERS)) {
            throw Errors.invalidParameter("option members must be an integer between 2 and " + MAX_MEMBERS + " (an ensemble of one is one model), got " + members);
        }
        if (prior != 0 && !(prior > 0 && Double.isFinite(prior))) {
            throw Errors.invalidParameter("option prior must be a finite number > 0 (the prior precision of the weights), got " + prior);
        }
        if (level != 0 && !(level > 0 && level < 1)) {
            throw Errors.invalidParameter("option level must lie strictly between 0 and 1 (the share of rows the trained interval"
                    + " should hold, e.g. 0.9), got " + level);
        }
        if (hashBits < 0 || hashBits > 26) {
            throw Errors.invalidParameter("option hash_bits must be an integer between 0 and 26 (0 for a vocabulary), got " + hashBits);
        }
    }

    /**
     * Defaults: 10 epochs, rate by input shape (0 here means "choose"), l2 1e-6, seed 42, binary unigrams (a term's
     * presence), L2-normalized, every term kept (min_df 1) up to 2^18 features. On held-out mail (SpamAssassin, whole
     * messages, random half split, logistic) binary scored 0.993, tf-idf 0.984 and tf 0.979 with these settings
     * (tf-idf reached 0.988 at best, with 50 epochs). Members 0: not given ({@link #DEFAULT_MEMBERS} for a bagged kind).
     */
    public static TrainingOptions defaults() {
        return new TrainingOptions(10, 0, 1e-6, 42, BagOfWords.Weighting.BINARY, 1, 0, 1, 1 << 18, true, 0);
    }

    public static TrainingOptions fromJson(String json) {
        return fromObject(OptionValues.parse(json, "training options", EXAMPLE));
    }

    /**
     * The options of a parsed options object. Every value is read exactly ({@link OptionValues}): an integer option
     * out of its range or a number option that is not a number is SQLSTATE 22023 naming the option and its range.
     */
    public static TrainingOptions fromObject(ObjectNode root) {
        TrainingOptions o = defaults();
        OptionValues.checkKeys(root, "training option", KEYS);
        int epochs = o.epochs;
        double rate = o.learningRate;
        double l2 = o.l2;
        long seed = o.seed;
        BagOfWords.Weighting weighting = o.weighting;
        int ngrams = o.ngrams;
        int hashBits = o.hashBits;
        int minDf = o.minDf;
        int maxFeatures = o.maxFeatures;
        boolean normalize = o.normalize;
        int members = o.members;
        double prior = o.prior;
        double level = o.level;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "epochs" -> epochs = OptionValues.integer(k, v, 1, MAX_EPOCHS, null);
                case "learning_rate" -> rate = OptionValues.nonNegative(k, v, "(0 chooses one by input shape)");
                case "l2" -> l2 = OptionValues.nonNegative(k, v, null);
                case "seed" -> seed = OptionValues.int64(k, v);
                case "members" -> members = OptionValues.integer(k, v, 2, MAX_MEMBERS, "(an ensemble of one is one model)");
                case "features" -> weighting = BagOfWords.Weighting.fromSqlName(
                        OptionValues.word(k, v, List.of("binary", "tf", "tfidf")));
                case "ngrams" -> ngrams = OptionValues.integer(k, v, 1, 5, null);
                case "hash_bits" -> hashBits = OptionValues.integer(k, v, 0, 26, "(0 for a vocabulary)");
                case "min_df" -> minDf = OptionValues.integer(k, v, 1, Integer.MAX_VALUE, null);
                case "max_features" -> maxFeatures = OptionValues.integer(k, v, 1, Integer.MAX_VALUE, null);
                case "normalize" -> normalize = normalizeValue(v);
                case "prior" -> prior = OptionValues.number(k, v, Double.MIN_VALUE, Double.MAX_VALUE,
                        "a finite number > 0 (the prior precision of the weights)");
                case "level" -> level = OptionValues.number(k, v, Double.MIN_VALUE, Math.nextDown(1.0),
                        "a number strictly between 0 and 1 (the share of rows the trained interval should hold, e.g. 0.9)");
                default -> throw new IllegalStateException(k); // checkKeys refused it
            }
        }
        return new TrainingOptions(epochs, rate, l2, seed, weighting, ngrams, hashBits, minDf, maxFeatures, normalize, members,
                prior, level);
    }

    /** The prior precision a Bayesian kind trains with. */
    public double priorOrDefault() {
        return prior == 0 ? DEFAULT_PRIOR : prior;
    }

    /** The level a quantile kind trains for. */
    public double levelOrDefault() {
        return level == 0 ? DEFAULT_LEVEL : level;
    }

    /** true/false, or "l2"/"none"; anything else is an error (the string "false" must not mean true). */
    private static boolean normalizeValue(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && v.asText().equalsIgnoreCase("l2")) {
            return true;
        }
        if (v.isTextual() && v.asText().equalsIgnoreCase("none")) {
            return false;
        }
        throw Errors.invalidParameter("option normalize must be true, false, \"l2\" or \"none\", got " + OptionValues.shown(v));
    }

    public TrainingOptions withEpochs(int e) {
        return new TrainingOptions(e, learningRate, l2, seed, weighting, ngrams, hashBits, minDf, maxFeatures, normalize, members,
                prior, level);
    }
}
