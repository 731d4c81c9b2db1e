package dev.augur.engine.view;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.OptionValues;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.Forgetting;
import dev.augur.engine.train.TrainingOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The options of prediction and classification views (the {@code WITH (...)} of CREATE ... VIEW, or the options
 * JSON of the AUGUR functions), read once for every binding and for the statement parser: a value that is not of
 * the option's type or range is SQLSTATE 22023 naming the option, never its default.
 */
public final class ViewOptions {
    /** The option that makes an eager prediction view log every row it writes in AUGUR.SERVED_PREDICTIONS. */
    public static final String LOG_SERVED = "log_served";
    public static final List<String> PREDICTION_KEYS = List.of("mode", "tolerance", "alpha", LOG_SERVED);
    public static final List<String> CLASSIFICATION_KEYS = List.of("learning_rate", "l2", "hash_bits", "epochs", "tolerance",
            "alpha", "seed", "members", Forgetting.DECAY, Forgetting.WINDOW);
    private static final String WHAT = "view options";

    private ViewOptions() {
    }

    /**
     * A prediction view's options: mode (eager), tolerance on scores (0 = exact), alpha of the skiing rule (1), and
     * log_served (false): whether every row the view writes is appended to the served log, so that feedback joins
     * labels to what the view served. Only an eager view writes what it serves (a lazy or hybrid view computes its
     * scores on read): log_served on another mode is 0A000.
     */
    public record Prediction(String mode, double tolerance, double alpha, boolean logServed) {
        public Prediction(String mode, double tolerance, double alpha) {
            this(mode, tolerance, alpha, false);
        }

        public static Prediction fromJson(String json) {
            return fromObject(OptionValues.parse(json, WHAT, "{\"mode\": \"eager\", \"tolerance\": 0.01}"));
        }

        public static Prediction fromObject(ObjectNode o) {
            Forgetting.refuseOnPredictionView(o);
            OptionValues.checkKeys(o, "view option", PREDICTION_KEYS);
            String mode = o.has("mode") ? OptionValues.word("mode", o.get("mode"), List.of("eager", "lazy", "hybrid")) : "eager";
            boolean log = o.has(LOG_SERVED) && OptionValues.bool(LOG_SERVED, o.get(LOG_SERVED));
            if (log && !mode.equals("eager")) {
                throw logServedOnScoresOnRead(mode);
            }
            return new Prediction(mode, number(o, "tolerance", 0), number(o, "alpha", 1.0), log);
        }
    }

    /** log_served on a lazy or hybrid view: it writes no scores, so there is nothing of what it serves to log. */
    public static AugurException logServedOnScoresOnRead(String mode) {
        return new AugurException(Errors.FEATURE_NOT_SUPPORTED, "option " + LOG_SERVED + " logs the rows an eager view writes, and a "
                + mode + " view computes its scores on read, so it writes none of what it serves: create the view with mode = eager,"
                + " or serve its rows with PREDICT_SERVED (which records each prediction as it is read)");
    }

    /**
     * log_served on a classification view: its model lives in the view (AUGUR.VIEW_MODELS), not in AUGUR.MODELS, so the
     * served log and feedback cannot take it (RECORD_PREDICTION and CREATE FEEDBACK name a model of the catalog), and
     * the labels it would be judged by are its examples, which it learns from.
     */
    public static AugurException logServedOnClassificationView() {
        return new AugurException(Errors.FEATURE_NOT_SUPPORTED, "option " + LOG_SERVED + " is for prediction views: a classification"
                + " view's model lives in the view (AUGUR.VIEW_MODELS), not in AUGUR.MODELS, so the served log and feedback cannot"
                + " take it, and its examples are already the labels it learns from; to log what a model serves, train it"
                + " (TRAIN MODEL), deploy it and CREATE PREDICTION VIEW ... WITH (" + LOG_SERVED + " = true)");
    }

    /**
     * A classification view's options: learning_rate (0.5), l2 (1e-6), hash_bits of bag-of-words features (1 to 24,
     * default 18), epochs of the initial training (0 to 10000, default 10), tolerance on scores (0.01), alpha (1) and
     * the seed of the initial training's shuffles (42; for an ensemble also of its bootstrap samples and of online
     * bagging's draws), and members: an ensemble's member count (2 to {@link TrainingOptions#MAX_MEMBERS}; 0 when not
     * given, {@link TrainingOptions#DEFAULT_MEMBERS} for a bagged kind), and how online learning forgets
     * ({@link Forgetting}: forget_decay or forget_window, at most one).
     */
    public record Classification(double learningRate, double l2, int hashBits, int epochs, double tolerance, double alpha,
                                 long seed, int members, Forgetting forgetting) {
        public static Classification fromJson(String json) {
            return fromObject(OptionValues.parse(json, WHAT, "{\"learning_rate\": 0.5, \"hash_bits\": 18}"));
        }

        public static Classification fromObject(ObjectNode o) {
            if (o.has(LOG_SERVED)) {
                throw logServedOnClassificationView();
            }
            OptionValues.checkKeys(o, "view option", CLASSIFICATION_KEYS);
            JsonNode bits = o.get("hash_bits");
            JsonNode epochs = o.get("epochs");
            JsonNode seed = o.get("seed");
            JsonNode members = o.get("members");
            return new Classification(number(o, "learning_rate", 0.5), number(o, "l2", 1e-6),
                    bits == null ? 18 : OptionValues.integer("hash_bits", bits, 1, 24, null),
                    epochs == null ? 10 : OptionValues.integer("epochs", epochs, 0, TrainingOptions.MAX_EPOCHS, null),
                    number(o, "tolerance", 0.01), number(o, "alpha", 1.0),
                    seed == null ? 42 : OptionValues.int64("seed", seed),
                    members == null ? 0 : OptionValues.integer("members", members, ModelKind.MIN_MEMBERS, TrainingOptions.MAX_MEMBERS, null),
                    Forgetting.fromOptions(o));
        }

        /** The members of a view of {@code kind}: the option, or the default for a bagged kind; members of another kind 22023. */
        public int membersFor(ModelKind kind) {
            if (!kind.isEnsemble()) {
                if (members != 0) {
                    throw Errors.invalidParameter("option members makes a classification view of an ensemble: USING a bagged kind ("
                            + ModelKind.ensembleNames() + "), not " + kind.sqlName()
                            + (kind.bagged() == null ? "" : "; USING " + kind.bagged().sqlName()));
                }
                return 1;
            }
            return members == 0 ? TrainingOptions.DEFAULT_MEMBERS : members;
        }
    }

    private static double number(ObjectNode o, String key, double dflt) {
        JsonNode v = o.get(key);
        return v == null ? dflt : OptionValues.nonNegative(key, v, null);
    }
}
