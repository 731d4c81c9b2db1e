package dev.augur.engine.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.engine.Errors;
import dev.augur.engine.OptionValues;
import dev.augur.engine.model.Links;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The rules of an experiment over versions of one model ({@code DEPLOY MODEL m STRATEGY bandit|best OVER VERSIONS
 * (...)}), written once: which version a key is routed to, and when {@code best} promotes a version. Routing is a
 * pure function of the key and the arms' realized rewards (labels and correct ones from feedback), so a key is routed
 * the same way by every session and database until new labels change the posteriors, and a recorded routing
 * decision can be replayed.
 *
 * <p>{@code bandit} is Thompson sampling with an exploration floor: with probability {@code floor} the key goes to a
 * uniformly chosen arm (so a new version always gets traffic), otherwise to the arm whose sample from its accuracy's
 * posterior, Beta(1 + correct, 1 + wrong), is largest. The sample is drawn from the key: each arm's draw is the
 * posterior's Gaussian approximation (same mean and variance) at a uniform taken from a hash of the seed, the arm and
 * the key. {@code best} routes uniformly and promotes the arm with the highest accuracy once every arm has
 * {@code min_labels} labels and a one-sided two-proportion z-test puts it above each other arm at {@code confidence}
 * (Bonferroni over the other arms).
 */
public final class Experiment {
    public static final List<String> OPTION_KEYS = List.of("floor", "seed", "min_labels", "confidence", "feedback");
    public static final int MAX_ARMS = 16;

    private Experiment() {
    }

    public enum Strategy {
        BANDIT, BEST;

        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Strategy of(String s) {
            for (Strategy v : values()) {
                if (v.sqlName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return v;
                }
            }
            throw Errors.invalidParameter("unknown strategy '" + s + "'; use bandit (Thompson sampling) or best"
                    + " (promote the best version once significant)");
        }
    }

    /** One candidate version with the rewards it realized in this experiment. */
    public record Arm(int version, long labels, long correct) {
        public double accuracy() {
            return labels == 0 ? 0 : (double) correct / labels;
        }
    }

    /**
     * @param floor      share of traffic routed uniformly whatever the rewards (bandit; 0 to 0.9, default 0.1)
     * @param seed       seed of the routing hash
     * @param minLabels  labels every arm needs before {@code best} may promote (default 100)
     * @param confidence one-sided confidence of {@code best}'s promotion (0.5 to 0.9999, default 0.95)
     * @param feedback   the feedback whose labels are the rewards (null: the model's only feedback)
     */
    public record Options(double floor, long seed, long minLabels, double confidence, String feedback) {
        public static Options fromJson(String json) {
            return fromObject(OptionValues.parse(json, "experiment options", "{\"floor\": 0.1, \"seed\": 1}"));
        }

        public static Options fromObject(ObjectNode o) {
            OptionValues.checkKeys(o, "experiment option", OPTION_KEYS);
            JsonNode feedback = o.get("feedback");
            if (feedback != null && !feedback.isTextual()) {
                throw Errors.invalidParameter("experiment option 'feedback' must be a feedback's name as text, got "
                        + OptionValues.shown(feedback));
            }
            return new Options(
                    o.has("floor") ? OptionValues.number("floor", o.get("floor"), 0, 0.9, "a share from 0 to 0.9") : 0.1,
                    o.has("seed") ? OptionValues.int64("seed", o.get("seed")) : 1,
                    o.has("min_labels") ? OptionValues.integer("min_labels", o.get("min_labels"), 1, 1_000_000_000, null) : 100,
                    o.has("confidence") ? OptionValues.number("confidence", o.get("confidence"), 0.5, 0.9999,
                            "a confidence from 0.5 to 0.9999") : 0.95,
                    feedback == null ? null : feedback.asText());
        }
    }

    /** Refuses an arm list that is not 2 to {@link #MAX_ARMS} distinct versions. */
    public static void checkVersions(String model, List<Integer> versions) {
        if (versions.size() < 2 || versions.size() > MAX_ARMS) {
            throw Errors.invalidParameter("an experiment on model '" + model + "' needs 2 to " + MAX_ARMS + " versions, got "
                    + versions.size() + " " + versions + "; write OVER VERSIONS (3, 4)");
        }
        for (int i = 0; i < versions.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (versions.get(i).equals(versions.get(j))) {
                    throw Errors.invalidParameter("version " + versions.get(i) + " of model '" + model
                            + "' is listed twice in OVER VERSIONS " + versions + "; list each version once");
                }
            }
        }
    }

    /** The index of the arm that serves {@code key}. */
    public static int route(Strategy strategy, List<Arm> arms, Options options, String key) {
        int k = arms.size();
        if (strategy == Strategy.BEST || uniform(options.seed(), "floor", key) < options.floor()) {
            return Math.min(k - 1, (int) (uniform(options.seed(), "arm", key) * k));
        }
        int best = 0;
        double bestDraw = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            double draw = posteriorDraw(arms.get(i), uniform(options.seed(), Integer.toString(i), key));
            if (draw > bestDraw) {
                best = i;
                bestDraw = draw;
            }
        }
        return best;
    }

    /** Thompson's draw for one arm: the Gaussian approximation of Beta(1 + correct, 1 + wrong) at quantile {@code u}. */
    public static double posteriorDraw(Arm arm, double u) {
        double a = 1.0 + arm.correct();
        double b = 1.0 + (arm.labels() - arm.correct());
        double mean = a / (a + b);
        double sd = Math.sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
        return mean + sd * normalQuantile(u);
    }

    /**
     * The arm {@code best} promotes now, or -1: the most accurate arm (ties: the first), once every arm has
     * {@code minLabels} labels and it beats each other arm by a one-sided two-proportion z-test at
     * {@code confidence}, Bonferroni-corrected over the other arms.
     */
    public static int winner(List<Arm> arms, Options options) {
        int best = 0;
        for (int i = 0; i < arms.size(); i++) {
            if (arms.get(i).labels() < options.minLabels()) {
                return -1;
            }
            if (arms.get(i).accuracy() > arms.get(best).accuracy()) {
                best = i;
            }
        }
        double z = normalQuantile(1 - (1 - options.confidence()) / (arms.size() - 1));
        Arm b = arms.get(best);
        for (int i = 0; i < arms.size(); i++) {
            if (i != best && !(zStatistic(b, arms.get(i)) > z)) {
                return -1;
            }
        }
        return best;
    }

    /** The two-proportion z statistic of {@code a}'s accuracy over {@code b}'s (pooled variance; 0 when it is 0). */
    public static double zStatistic(Arm a, Arm b) {
        double pooled = (double) (a.correct() + b.correct()) / (a.labels() + b.labels());
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / a.labels() + 1.0 / b.labels()));
        return se == 0 ? 0 : (a.accuracy() - b.accuracy()) / se;
    }

    /**
     * A uniform in (0, 1) from {@code seed}, a purpose and the key: FNV-1a 32 over the UTF-8 bytes of
     * {@code seed:purpose:key}, then MurmurHash3's 32-bit finalizer (FNV alone leaves the high bits of similar keys
     * correlated), plus a half, over 2^32. PostgreSQL's augur.experiment_uniform computes the same.
     */
    public static double uniform(long seed, String purpose, String key) {
        byte[] bytes = (seed + ":" + purpose + ":" + key).getBytes(StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return ((h & 0xffffffffL) + 0.5) / 4294967296.0;
    }

    /** The standard normal quantile (the engine's one: {@link Links#normalQuantile}), a probability outside (0, 1) 22023. */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw Errors.invalidParameter("a normal quantile needs a probability in (0, 1), got " + p);
        }
        return Links.normalQuantile(p);
    }
}
