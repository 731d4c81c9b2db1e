package dev.augur.engine.train;

import dev.augur.engine.Errors;
import dev.augur.engine.OptionValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a classification view's online learner forgets old examples, for concept drift; written once for every binding
 * (PostgreSQL's augur.cv_sgd and augur.cv_online compute the same, pinned by golden vectors). At most one of:
 * <ul>
 * <li>{@code decay} d in (0, 1] (option {@code forget_decay}): before each SGD step the model, weights and biases, is
 * multiplied by d, so after n later steps a step's contribution to the model weighs d^n: exponential forgetting,
 * a memory of about 1 / (1 − d) steps (half-life ln 2 / −ln d), the first model fading the same way. A member of an
 * ensemble decays with its own steps (Poisson(1) per example, one on average). 1 forgets nothing.</li>
 * <li>{@code window} N (option {@code forget_window}): a window of N examples by restarts. Beside the live model a
 * second model learns each example from zero (the same steps, online bagging's draws included); after every N-th
 * example learned online (ordinals N − 1, 2N − 1, ...) that model becomes the live one and a new one starts from zero.
 * So once N examples have been learned online the live model has learned the last n of them, N ≤ n &lt; 2N, and
 * nothing older (neither the first model nor the examples before); 0 means no window.</li>
 * </ul>
 */
public record Forgetting(double decay, int window) {
    public static final Forgetting NONE = new Forgetting(1, 0);
    /** The largest window (a billion examples), the same on every database. */
    public static final int MAX_WINDOW = 1_000_000_000;
    public static final String DECAY = "forget_decay";
    public static final String WINDOW = "forget_window";

    public boolean decays() {
        return decay != 1;
    }

    public boolean windowed() {
        return window > 0;
    }

    /** Whether the example of ordinal {@code ordinal} (examples learned online before it) ends a window. */
    public boolean endsWindow(long ordinal) {
        return window > 0 && (ordinal + 1) % window == 0;
    }

    /** The options forget_decay and forget_window of a classification view's options object; bad values 22023. */
    public static Forgetting fromOptions(ObjectNode o) {
        JsonNode decay = o.get(DECAY);
        JsonNode window = o.get(WINDOW);
        if (decay != null && window != null) {
            throw Errors.invalidParameter("options " + DECAY + " and " + WINDOW + " are two ways to forget: give one of them");
        }
        return new Forgetting(
                decay == null ? 1 : OptionValues.number(DECAY, decay, Double.MIN_VALUE, 1,
                        "a number in (0, 1]: the part of the model kept at each step (1 forgets nothing)"),
                window == null ? 0 : OptionValues.integer(WINDOW, window, 1, MAX_WINDOW, null));
    }

    /** A prediction view does not learn: forgetting options there are 22023, naming what to do instead. */
    public static void refuseOnPredictionView(ObjectNode o) {
        for (String key : new String[]{DECAY, WINDOW}) {
            if (o.has(key)) {
                throw Errors.invalidParameter("option " + key + " is for classification views, which learn online; a prediction view"
                        + " follows its deployed model: CREATE CLASSIFICATION VIEW ... WITH (" + key + " = ...), or deploy a model"
                        + " trained on recent rows");
            }
        }
    }
}
