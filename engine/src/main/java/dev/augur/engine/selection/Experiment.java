package dev.augur.engine.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.OptionValues;
import dev.augur.engine.feedback.LiveMetrics;
import dev.augur.engine.model.Links;
import dev.augur.engine.model.ModelKind;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
 *
 * <p>Over regressors the reward is the squared error (y - score)^2 of each label: an arm keeps its labels n, the sum of
 * their squared errors S1 and the sum of the squared errors' squares S2 (for their variance), and the better arm is the
 * one with the smaller mean squared error. {@code bandit} then routes to the arm whose draw from a Gaussian posterior on
 * its mean squared error is smallest ({@link #squaredErrorDraw}); {@code best} promotes the arm with the lowest mean
 * squared error once a one-sided Welch t-test puts it below each other arm ({@link #welchPValue}, Welch-Satterthwaite
 * degrees of freedom, the Student t tail exact: {@link #studentTUpperTail}). The hash, the floor and the
 * Bonferroni correction are the classifiers'.
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

    /**
     * What an arm is rewarded by: a classifier's labels by whether the served score's class is the label (accuracy), a
     * regressor's by the squared error of the served score (lower is better).
     */
    public enum Reward {
        ACCURACY, SQUARED_ERROR;

        /** As AUGUR.EXPERIMENTS.REWARD holds it: {@code accuracy}, {@code squared_error}. */
        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Reward fromSqlName(String s) {
            for (Reward r : values()) {
                if (r.sqlName().equals(s)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown experiment reward '" + s + "'");
        }

        /** The reward of an experiment over versions of this kind. */
        public static Reward of(ModelKind kind) {
            return kind.isClassifier() ? ACCURACY : SQUARED_ERROR;
        }

        /** The feedback target whose labels give this reward: classes for accuracy, numbers for squared error. */
        public LiveMetrics.Target target() {
            return this == ACCURACY ? LiveMetrics.Target.CLASS : LiveMetrics.Target.VALUE;
        }
    }

    /**
     * One candidate version with the rewards it realized in this experiment: its labels, the correct ones (classifiers),
     * and for regressors the sum of the labels' squared errors and the sum of those squared errors' squares.
     */
    public record Arm(int version, long labels, long correct, double squaredErrorSum, double squaredErrorSquares) {
        /** A classifier's arm (no squared errors). */
        public Arm(int version, long labels, long correct) {
            this(version, labels, correct, 0, 0);
        }

        /** A regressor's arm. */
        public static Arm ofSquaredErrors(int version, long labels, double squaredErrorSum, double squaredErrorSquares) {
            return new Arm(version, labels, 0, squaredErrorSum, squaredErrorSquares);
        }

        public double accuracy() {
            return labels == 0 ? 0 : (double) correct / labels;
        }

        /** The mean of the labels' squared errors (0 without labels). */
        public double meanSquaredError() {
            return labels == 0 ? 0 : squaredErrorSum / labels;
        }

        /** The sum of the squared errors' squared deviations from their mean, S2 - S1 (S1 / n), at least 0. */
        double squaredDeviations() {
            return labels == 0 ? 0 : Math.max(0, squaredErrorSquares - squaredErrorSum * (squaredErrorSum / labels));
        }

        /** The sample variance of the squared errors, S2 - S1^2 / n over n - 1 (0 with fewer than 2 labels). */
        public double squaredErrorVariance() {
            return labels < 2 ? 0 : squaredDeviations() / (labels - 1);
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
    public static int route(Strategy strategy, Reward reward, List<Arm> arms, Options options, String key) {
        int k = arms.size();
        if (strategy == Strategy.BEST || uniform(options.seed(), "floor", key) < options.floor()) {
            return Math.min(k - 1, (int) (uniform(options.seed(), "arm", key) * k));
        }
        int best = 0;
        if (reward == Reward.SQUARED_ERROR) {
            // Thompson minimizing the expected squared error: the smallest draw (ties: the first)
            Pooled pooled = pooled(arms);
            double bestDraw = Double.POSITIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                double draw = squaredErrorDraw(arms.get(i), pooled, uniform(options.seed(), Integer.toString(i), key));
                if (draw < bestDraw) {
                    best = i;
                    bestDraw = draw;
                }
            }
            return best;
        }
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
     * What all arms' squared errors say together, the prior of an arm with fewer than 2 labels: the pooled mean of the
     * squared errors and the variance of one squared error.
     */
    public record Pooled(double mean, double variance) {
    }

    /**
     * The pooled prior over all arms (N labels, S1 and S2 summed over the arms): its mean S1 / N (0 without labels);
     * its variance the pooled sample variance (S2 - S1 (S1 / N)) / (N - 1) when N &ge; 2 and that is positive, else
     * 2 (S1 / N)^2 when that is positive (a Gaussian error's squared error has variance twice its mean squared), else 1.
     * Pooling over arms that differ adds the spread between them: a wide prior, never narrower than the data.
     */
    public static Pooled pooled(List<Arm> arms) {
        long n = 0;
        double s1 = 0;
        double s2 = 0;
        for (Arm a : arms) {
            n += a.labels();
            s1 += a.squaredErrorSum();
            s2 += a.squaredErrorSquares();
        }
        double mean = n == 0 ? 0 : s1 / n;
        double variance = 0;
        if (n >= 2) {
            variance = (s2 - s1 * mean) / (n - 1);
        }
        if (!(variance > 0)) {
            variance = 2 * mean * mean;
        }
        if (!(variance > 0)) {
            variance = 1;
        }
        return new Pooled(mean, variance);
    }

    /**
     * Thompson's draw of an arm's mean squared error at quantile {@code u}: m + se z(u), a Gaussian posterior with mean
     * m = S1 / n (the pooled mean without labels) and standard error se = sqrt(v / max(n, 1)), where the per-label
     * variance v = (S2 - S1^2 / n + V) / n is the arm's sample variance pooled with one prior observation of the pooled
     * variance V (so v = V with 0 or 1 label, and tends to the sample variance as labels come).
     */
    public static double squaredErrorDraw(Arm arm, Pooled pooled, double u) {
        long n = arm.labels();
        double mean = n == 0 ? pooled.mean() : arm.squaredErrorSum() / n;
        double v = n == 0 ? pooled.variance() : (arm.squaredDeviations() + pooled.variance()) / n;
        double se = Math.sqrt(v / Math.max(n, 1));
        return mean + se * normalQuantile(u);
    }

    /** The arm {@code best} promotes now, or -1 ({@link #winner(List, Options)} for accuracy). */
    public static int winner(Reward reward, List<Arm> arms, Options options) {
        return reward == Reward.ACCURACY ? winner(arms, options) : squaredErrorWinner(arms, options);
    }

    /**
     * The arm {@code best} promotes among regressors, or -1: the arm with the lowest mean squared error (ties: the
     * first), once every arm has {@code minLabels} labels (at least 2: a variance needs two) and a one-sided Welch
     * t-test ({@link #welchPValue}) puts its mean squared error below each other arm's at {@code confidence},
     * Bonferroni-corrected over the other arms: each p-value below (1 - confidence) / (arms - 1). (That is the same as
     * each t statistic above the exact Student t quantile at 1 - (1 - confidence) / (arms - 1) of its degrees of freedom.)
     */
    public static int squaredErrorWinner(List<Arm> arms, Options options) {
        long need = Math.max(2, options.minLabels());
        int best = 0;
        for (int i = 0; i < arms.size(); i++) {
            if (arms.get(i).labels() < need) {
                return -1;
            }
            if (arms.get(i).meanSquaredError() < arms.get(best).meanSquaredError()) {
                best = i;
            }
        }
        double alpha = (1 - options.confidence()) / (arms.size() - 1);
        Arm b = arms.get(best);
        for (int i = 0; i < arms.size(); i++) {
            if (i != best && !(welchPValue(b, arms.get(i)) < alpha)) {
                return -1;
            }
        }
        return best;
    }

    /**
     * The one-sided Welch test's p-value that {@code better}'s mean squared error is below {@code other}'s (both with at
     * least 2 labels): t = (mse_other - mse_better) / sqrt(s_b^2 / n_b + s_o^2 / n_o) with the squared errors' sample
     * variances s^2, the Welch-Satterthwaite degrees of freedom df = (s_b^2/n_b + s_o^2/n_o)^2 / ((s_b^2/n_b)^2 / (n_b - 1)
     * + (s_o^2/n_o)^2 / (n_o - 1)) (computed from the shares of each term, which neither overflow nor underflow), and
     * P(T_df &ge; t) by {@link #studentTUpperTail}. 1 when t &le; 0 or when neither arm's squared errors vary (no evidence
     * of a difference, as the classifiers' z statistic is 0 when its standard error is).
     */
    public static double welchPValue(Arm better, Arm other) {
        double vb = better.squaredErrorVariance() / better.labels();
        double vo = other.squaredErrorVariance() / other.labels();
        double se2 = vb + vo;
        if (!(se2 > 0)) {
            return 1;
        }
        double t = (other.meanSquaredError() - better.meanSquaredError()) / Math.sqrt(se2);
        if (!(t > 0)) {
            return 1;
        }
        double rb = vb / se2;
        double ro = vo / se2;
        // a share below 1e-150 adds less than 1e-300 (and its square would underflow, an error on PostgreSQL)
        double df = 1 / ((rb < 1e-150 ? 0 : rb * rb) / (better.labels() - 1) + (ro < 1e-150 ? 0 : ro * ro) / (other.labels() - 1));
        return studentTUpperTail(t, df);
    }

    /**
     * P(T &ge; t) for Student's t with {@code df} &gt; 0 degrees of freedom (any real df) and t &ge; 0: half the
     * regularized incomplete beta function I_x(df/2, 1/2) at x = df / (df + t^2), by its continued fraction (modified
     * Lentz; the complement 1 - I_y(1/2, df/2), y = t^2 / (df + t^2), where that converges faster), the beta function from
     * ln Gamma(a + 1/2) - ln Gamma(a) (recurrence up to a &ge; 50, then its asymptotic series to 1/a^7). 0.5 for t
     * below 1e-100, 0 for t above 1e100 (below 1e-100 for every df &ge; 1), and 0 where the power terms fall below e^-600
     * (PostgreSQL's exp raises an error where it would underflow; such a tail is below 1e-250). Against 60-digit values
     * the relative error is below 1e-12 up to df = 1e5 and grows with df (about 1e-7 at df = 2e9, where the continued
     * fraction cancels): far below what a comparison with a test's alpha (at least 6.7e-6) can feel. PostgreSQL's
     * augur.student_t_upper_tail computes the same.
     */
    public static double studentTUpperTail(double t, double df) {
        if (!(df > 0) || Double.isInfinite(df) || Double.isNaN(t) || t < 0) {
            throw new IllegalArgumentException("the Student t tail needs t >= 0 and a finite df > 0, got t " + t + ", df " + df);
        }
        if (t < 1e-100) {
            return 0.5;
        }
        if (t > 1e100) {
            return 0;
        }
        double t2 = t * t;
        double x = df / (df + t2);
        double y = t2 / (df + t2);
        double a = df / 2;
        double lnX = x > 0.5 ? log1p(-y) : Math.log(x);
        double lnY = y > 0.5 ? log1p(-x) : Math.log(y);
        // ln of x^a y^(1/2) / B(a, 1/2), B(a, 1/2) = Gamma(a) Gamma(1/2) / Gamma(a + 1/2)
        double lnFront = a * lnX + 0.5 * lnY - (LN_SQRT_PI - lnGammaHalfRatio(a));
        double front = lnFront < -600 ? 0 : Math.exp(lnFront);
        double ix;
        if (x < (a + 1) / (a + 2.5)) {
            ix = front * betaContinuedFraction(a, 0.5, x) / a;
        } else {
            ix = 1 - front * betaContinuedFraction(0.5, a, y) / 0.5;
        }
        return 0.5 * ix;
    }

    private static final double LN_SQRT_PI = 0.5723649429247001;

    /** ln(1 + z) for z &gt; -1 by Goldberg's correction of ln(u), u = 1 + z (PostgreSQL has no log1p). */
    static double log1p(double z) {
        double u = 1 + z;
        return u == 1 ? z : Math.log(u) * z / (u - 1);
    }

    /**
     * ln Gamma(a + 1/2) - ln Gamma(a) for a &ge; 1/2: Gamma(a + 1/2) / Gamma(a) = a / (a + 1/2) * [the same at a + 1],
     * stepped up to a &ge; 50, where 1/2 ln a - 1/(8a) + 1/(192a^3) - 1/(640a^5) + 17/(14336a^7) is within 1e-18.
     */
    static double lnGammaHalfRatio(double a) {
        double product = 1;
        while (a < 50) {
            product *= a / (a + 0.5);
            a += 1;
        }
        double r = 1 / a;
        double r2 = r * r;
        return Math.log(product) + 0.5 * Math.log(a) + r * (-1.0 / 8 + r2 * (1.0 / 192 + r2 * (-1.0 / 640 + r2 * (17.0 / 14336))));
    }

    /** The continued fraction of the incomplete beta function I_x(a, b) (Numerical Recipes' betacf, modified Lentz). */
    static double betaContinuedFraction(double a, double b, double x) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < TINY) {
            d = TINY;
        }
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 1000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) {
                break;
            }
        }
        return h;
    }

    private static final double TINY = 1e-300;

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
     * What {@code best}'s promotion writes as the experiment's outcome: {@code promoted version 4: accuracy 0.9310 on 212
     * labels}, over regressors {@code promoted version 4: rmse 0.3120 on 212 labels} (the root of the mean squared error),
     * numbers by {@link #fixed4}. PostgreSQL's augur.experiment_outcome writes the same.
     */
    public static String outcome(Reward reward, Arm arm) {
        return "promoted version " + arm.version() + ": " + (reward == Reward.ACCURACY ? "accuracy " + fixed4(arm.accuracy())
                : "rmse " + fixed4(Math.sqrt(arm.meanSquaredError()))) + " on " + arm.labels() + " labels";
    }

    /**
     * A non-negative number with 4 decimals, the double's exact value rounded half to even (as C's printf and so
     * PostgreSQL's to_char write it; Java's %.4f rounds the shortest decimal half up: 0.03125 would be 0.0313).
     */
    public static String fixed4(double x) {
        return new BigDecimal(x).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * The square of a label's squared error, which an arm over regressors adds to its S2: 0 below 1e-150 (PostgreSQL
     * raises an error where a product underflows to 0; the term is then below 1e-300), 22003 above 1e150 (its square
     * would overflow the sums), naming the fix.
     */
    public static double squaredErrorSquare(String feedback, double squaredError) {
        if (!(squaredError <= MAX_SQUARED_ERROR)) {
            throw new AugurException(Errors.NUMERIC_OUT_OF_RANGE, "feedback '" + feedback + "': a label's squared error exceeds"
                    + " 1e150, more than an experiment's sums can hold; correct the label or end the experiment with ROLLBACK MODEL");
        }
        return squaredError < 1e-150 ? 0 : squaredError * squaredError;
    }

    /** The largest squared error an experiment over regressors takes (PostgreSQL's augur.experiment_rewarded too). */
    public static final double MAX_SQUARED_ERROR = 1e150;

    /**
     * Refuses a feedback whose labels cannot reward the experiment: class labels for regressors, numbers for classifiers
     * (a feedback takes the kind of the version deployed when it was created).
     */
    public static void checkFeedback(String model, Reward reward, String feedback, LiveMetrics.Target target) {
        if (target != reward.target()) {
            throw Errors.invalidParameter("feedback '" + feedback + "' of model '" + model + "' takes "
                    + (target == LiveMetrics.Target.CLASS ? "class labels" : "numeric labels") + ", but an experiment over "
                    + (reward == Reward.ACCURACY ? "classifiers is rewarded by accuracy and needs class labels"
                    : "regressors is rewarded by squared error and needs numeric labels")
                    + "; create a feedback for these versions and name it: WITH (feedback = '...')");
        }
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
