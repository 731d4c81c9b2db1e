package dev.augur.engine.calibration;

import dev.augur.engine.Errors;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A model version's stored calibration: its nonconformity scores on a calibration set, sorted, in one pool
 * ({@link Method#SPLIT}) or one per class ({@link Method#MONDRIAN}, in the model's class order). Immutable.
 *
 * <p>The split-conformal quantile at miscoverage alpha of n scores is the k-th smallest, k = ⌈(n + 1)(1 − alpha)⌉
 * (the rank rule); when k exceeds n, n scores cannot guarantee 1 − alpha and the answer is an error naming the
 * smallest n that can. PostgreSQL's PL/pgSQL computes the same k with the same float8 arithmetic (pinned by
 * golden vectors).
 */
public final class Calibration {
    /** Below this alpha the smallest calibration set exceeds 10^9 rows and is not walked to (see {@link #minimumSize}). */
    static final double TINY_ALPHA = 1e-9;

    private final Method method;
    private final List<String> strata;
    private final double[][] scores;
    private final double spreadOffset;

    private Calibration(Method method, List<String> strata, double[][] scores, double spreadOffset) {
        this.method = method;
        this.strata = strata;
        this.scores = scores;
        this.spreadOffset = spreadOffset;
    }

    /**
     * A {@link Method#NORMALIZED} calibration: its scores (residuals over spread + offset) and the offset added to every
     * spread, the calibration rows' median spread (positive and finite).
     */
    public static Calibration normalized(double[] scores, double spreadOffset) {
        if (!(spreadOffset > 0) || !Double.isFinite(spreadOffset)) {
            throw Errors.corruptPayload("a normalized calibration's spread offset is " + spreadOffset);
        }
        Calibration c = of(Method.NORMALIZED, List.of(), new double[][]{scores});
        return new Calibration(c.method, c.strata, c.scores, spreadOffset);
    }

    /** What a normalized calibration adds to every spread (NaN for the other methods). */
    public double spreadOffset() {
        return spreadOffset;
    }

    /**
     * @param strata for {@link Method#MONDRIAN}, the class of each list of scores (the model's classes, in order);
     *               for {@link Method#SPLIT}, empty, with exactly one list
     * @param scores the nonconformity scores of each stratum, in any order (finite, sorted here)
     */
    public static Calibration of(Method method, List<String> strata, double[][] scores) {
        Objects.requireNonNull(method);
        List<String> names = List.copyOf(strata);
        boolean pooled = method != Method.MONDRIAN;
        int expected = pooled ? 1 : names.size();
        if (pooled && !names.isEmpty() || !pooled && names.isEmpty() || scores.length != expected) {
            throw Errors.corruptPayload("a " + method.sqlName() + " calibration needs " + (pooled
                    ? "one list of scores" : "one list of scores per class") + ", got " + scores.length + " for classes " + names);
        }
        double[][] sorted = new double[scores.length][];
        for (int s = 0; s < scores.length; s++) {
            sorted[s] = scores[s].clone();
            for (double v : sorted[s]) {
                if (!Double.isFinite(v)) {
                    throw Errors.corruptPayload("a calibration score is " + v);
                }
            }
            Arrays.sort(sorted[s]);
        }
        return new Calibration(method, names, sorted, Double.NaN);
    }

    public Method method() {
        return method;
    }

    /** The classes of the strata (Mondrian), or empty (split: one stratum). */
    public List<String> strata() {
        return strata;
    }

    /** The number of strata: 1 for split. */
    public int strataCount() {
        return scores.length;
    }

    /** The sorted scores of stratum {@code s} (a copy). */
    public double[] scores(int s) {
        return scores[s].clone();
    }

    /** How many calibration rows in all. */
    public int size() {
        int n = 0;
        for (double[] s : scores) {
            n += s.length;
        }
        return n;
    }

    /** The stratum of a class: its index for Mondrian, 0 for split; -1 when Mondrian has no such class. */
    public int stratumOf(String clazz) {
        return method != Method.MONDRIAN ? 0 : strata.indexOf(clazz);
    }

    /**
     * The conformal quantile q̂ of stratum {@code s} at miscoverage {@code alpha} (checked to lie in (0, 1)):
     * the k-th smallest score, k = {@link #rank}; a 22023 error naming the smallest calibration set that works
     * when k exceeds the stratum's size.
     *
     * @param model the model's name and version, for the error message
     * @param asked what the caller asked, for the error message: {@code alpha 0.1}, {@code level 0.9}
     */
    public double quantile(double alpha, int s, String model, String asked) {
        Conformal.checkAlpha(alpha);
        double[] sc = scores[s];
        long k = rank(sc.length, alpha);
        if (k > sc.length) {
            String where = method != Method.MONDRIAN ? "" : " of class '" + strata.get(s) + "'";
            throw Errors.invalidParameter("model " + model + " is calibrated on " + sc.length + " row" + (sc.length == 1 ? "" : "s")
                    + where + ", too few for " + asked + ": a conformal guarantee at " + asked + " needs at least "
                    + minimumSize(alpha) + " calibration rows" + (method != Method.MONDRIAN ? "" : " per class")
                    + "; calibrate on more rows or use a larger alpha");
        }
        return sc[(int) k - 1];
    }

    /** The rank rule: ⌈(n + 1)(1 − alpha)⌉, in float8 arithmetic as PostgreSQL evaluates it. */
    public static long rank(long n, double alpha) {
        return (long) Math.ceil((n + 1) * (1 - alpha));
    }

    /** The smallest calibration size n whose rank fits (rank(n, alpha) ≤ n), found with the same rule. */
    public static long minimumSize(double alpha) {
        Conformal.checkAlpha(alpha);
        if (alpha < TINY_ALPHA) {
            // beyond any calibration table (over 10^9 rows): the exact-arithmetic bound, capped below 2^63
            double cap = 9.2e18;
            return (long) (alpha <= 1 / cap ? cap : Math.ceil(Math.min(1 / alpha - 1, cap)));
        }
        // exact arithmetic gives n ≥ 1/alpha − 1; start a little below and walk up with the rank rule itself
        long n = Math.max(1, (long) Math.floor(1 / alpha) - 2);
        while (rank(n, alpha) > n) {
            n++;
        }
        return n;
    }
}
