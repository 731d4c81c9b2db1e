package dev.augur.engine.view;

import dev.augur.engine.features.DenseVector;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.model.Model;

import java.util.Arrays;

/**
 * A low-precision copy of a dense view's features that bounds each row's margin change far tighter than the Hölder bound
 * on its norms, at a fraction of an exact re-scoring's cost: each row x as 8-bit codes q with the scale s = ‖x‖∞/127
 * (x = s·q + e; each |e_j| is at most s/2, rounding to nearest, so ‖e‖₂ ≤ r = s·√d/2), and a model change
 * Δw = w − w_anchor as 16-bit steps p with a scale t (Δw = t·p + f). Then
 * Δw·x = t·s·(p·q) + t·p·e + f·x, so
 *
 * <pre>  |margin − (anchor margin + Δb + t·s·(p·q))| ≤ t·‖p‖₂·r + ‖f‖₂·‖x‖₂ + slack</pre>
 *
 * where p·q is an exact integer dot product and the slack covers every floating-point rounding (of both models' computed
 * margins and of this estimate) many times over. After a step of online learning the Hölder bound ‖Δw‖₂·‖x‖₂ leaves most
 * rows of a dense view to re-score (so the view re-anchored, a full pass over its float64 features); this radius is about
 * 1/150 of it (d = 50, features uniform in [-1, 1]), so only the rows whose label or score really moves are re-scored,
 * and each is re-scored exactly: what the view stores is the same bits as without the screen.
 *
 * <p>A row's codes are made from its feature vector when first needed and again whenever the row holds another vector
 * (checked by identity: vectors are never changed in place), so the copy needs no journal: a rollback that puts back
 * another vector makes its codes stale, and they are made again. Rows are coded by the thread that screens them.
 */
public final class MarginScreen {
    private static final int CODE_MAX = 127;
    private static final int STEP_MAX = 32767;
    /** The largest dimension whose integer dot product cannot overflow: d · 32767 · 127 < 2^31. */
    static final int MAX_DIMENSION = 512;
    /**
     * The largest weight or feature magnitude screened: below it no sum of squares or product here can overflow, in any
     * binding's arithmetic (PostgreSQL's raises an error on overflow where Java's gives infinity).
     */
    static final double MAX_MAGNITUDE = 1e100;
    /**
     * The smallest nonzero feature magnitude of a row screened: above it the scale s is a normal number, so x/s is within
     * 2^-53 of its value and each code within 1/2 + 2^-46 of x/s (what the residual's bound assumes).
     */
    static final double MIN_MAGNITUDE = 1e-290;
    /** r = s·√d times this: 1/2 for the rounding to nearest, and a slack over the quotient's and these products' roundings. */
    private static final double RESIDUAL_FACTOR = 0.5000000005;
    /** Relative slack for roundings: each computed margin is within (d + 1)·2^-53 of its terms' magnitude; this is 10^-11. */
    private static final double SLACK = 1e-11;

    private final int dimension;
    private byte[] codes = new byte[0];
    private double[] scale = new double[0];
    private double[] residual = new double[0];
    private FeatureVector[] codedFrom = new FeatureVector[0];

    MarginScreen(int dimension) {
        this.dimension = dimension;
    }

    int dimension() {
        return dimension;
    }

    /** Room for ids below {@code capacity} (before a pass, on one thread). */
    void ensureCapacity(int capacity) {
        if (capacity <= scale.length) {
            return;
        }
        codes = Arrays.copyOf(codes, Math.multiplyExact(capacity, dimension));
        scale = Arrays.copyOf(scale, capacity);
        residual = Arrays.copyOf(residual, capacity);
        codedFrom = Arrays.copyOf(codedFrom, capacity);
    }

    /** A model change as the screen uses it: Δw in 16-bit steps, and what bounds the rest. */
    public record Step(int[] steps, double stepScale, double stepsNorm, double restNorm, double deltaBias, double weightNorms,
                double biasMagnitude) {
    }

    /**
     * The change from {@code anchor} to {@code current}, or null when the screen does not apply: more than one margin, dense
     * features of another dimension than this screen's, more than {@value #MAX_DIMENSION} of them, or a weight or bias not
     * finite or above {@link #MAX_MAGNITUDE} in magnitude.
     */
    Step step(Model anchor, Model current) {
        return stepBetween(anchor, current, dimension);
    }

    /**
     * {@link #step} for a screen of {@code dimension} features: the decision every binding renders (PostgreSQL's
     * augur.screen_step, pinned to this by its golden vectors).
     */
    public static Step stepBetween(Model anchor, Model current, int dimension) {
        if (anchor.outputs() != 1 || current.outputs() != 1 || anchor.dimension() != dimension || current.dimension() != dimension
                || dimension == 0 || dimension > MAX_DIMENSION) {
            return null;
        }
        double ba = anchor.bias()[0];
        double b = current.bias()[0];
        if (!(Math.abs(b) <= MAX_MAGNITUDE && Math.abs(ba) <= MAX_MAGNITUDE)) {
            return null;
        }
        double[] wa = anchor.weights();
        double[] w = current.weights();
        for (int j = 0; j < dimension; j++) {
            if (!(Math.abs(w[j]) <= MAX_MAGNITUDE && Math.abs(wa[j]) <= MAX_MAGNITUDE)) {
                return null;
            }
        }
        double[] delta = new double[dimension];
        double maxAbs = 0;
        double deltaSq = 0;
        double wSq = 0;
        double waSq = 0;
        for (int j = 0; j < dimension; j++) {
            delta[j] = w[j] - wa[j];
            maxAbs = Math.max(maxAbs, Math.abs(delta[j]));
            deltaSq += delta[j] * delta[j];
            wSq += w[j] * w[j];
            waSq += wa[j] * wa[j];
        }
        double t = maxAbs / STEP_MAX;
        int[] p = new int[dimension];
        double pSq = 0;
        double fSq = 0;
        for (int j = 0; j < dimension; j++) {
            int q = t == 0 ? 0 : (int) Math.max(-STEP_MAX, Math.min(STEP_MAX, Math.rint(delta[j] / t)));
            p[j] = q;
            pSq += (double) q * q;
            double f = delta[j] - t * q;
            fSq += f * f;
        }
        // the rest f is computed from the computed Δw: the second term covers Δw's own rounding (2^-53 of each)
        double restNorm = Math.sqrt(fSq) * (1 + 1e-9) + 1e-12 * Math.sqrt(deltaSq);
        return new Step(p, t, Math.sqrt(pSq) * (1 + 1e-12), restNorm, b - ba, Math.sqrt(wSq) + Math.sqrt(waSq),
                Math.abs(b) + Math.abs(ba));
    }

    /**
     * Where entity {@code id}'s margin under the step's model lies: {@code out[0] <= margin <= out[1]}, the margin as the
     * engine computes it. {@code norm2} is ‖x‖₂ of {@code features}, {@code anchorMargin} its margin under the anchor as the
     * engine computed it. NaN where a margin is NaN; infinite for non-finite features.
     */
    void interval(int id, FeatureVector features, double norm2, double anchorMargin, Step step, double[] out) {
        ensureCoded(id, features);
        interval(codes, id * dimension, scale[id], residual[id], norm2, anchorMargin, step, out);
    }

    /** Codes entity {@code id}'s row unless its codes are those of {@code features} already. */
    void ensureCoded(int id, FeatureVector features) {
        if (codedFrom[id] != features) {
            code(id, (DenseVector) features);
        }
    }

    /**
     * {@link #interval} of one row {@code x} (dense, of the step's dimension), coded afresh: the interval every binding
     * renders (the SQL of PostgreSQL's augur.screen_interval_sql, pinned to this by its golden vectors).
     */
    public static void intervalOf(double[] x, double norm2, double anchorMargin, Step step, double[] out) {
        byte[] codes = new byte[x.length];
        double[] scaleResidual = new double[2];
        code(x, codes, 0, scaleResidual);
        interval(codes, 0, scaleResidual[0], scaleResidual[1], norm2, anchorMargin, step, out);
    }

    private static void interval(byte[] q, int off, double scale, double residual, double norm2, double anchorMargin, Step step,
                                 double[] out) {
        int[] p = step.steps();
        int dot = 0;
        for (int j = 0; j < p.length; j++) {
            dot += p[j] * q[off + j];
        }
        double change = step.deltaBias() + step.stepScale() * scale * dot;
        double estimate = anchorMargin + change;
        double radius = step.stepScale() * step.stepsNorm() * residual + step.restNorm() * norm2
                + SLACK * (Math.abs(anchorMargin) + Math.abs(change) + step.weightNorms() * norm2 + step.biasMagnitude());
        out[0] = estimate - radius;
        out[1] = estimate + radius;
    }

    private void code(int id, DenseVector features) {
        double[] x = features.values();
        if (x.length != dimension) {
            throw new IllegalStateException("a dense row of " + x.length + " features in a view of " + dimension);
        }
        double[] scaleResidual = new double[2];
        code(x, codes, id * dimension, scaleResidual);
        scale[id] = scaleResidual[0];
        residual[id] = scaleResidual[1];
        codedFrom[id] = features;
    }

    /**
     * Codes row {@code x} into {@code codes} from {@code off}; its scale and residual's bound into {@code scaleResidual}. The
     * codes never reach the clamp (|x_j|/s is at most 127 within a rounding), which stays as a guard; the bound needs no
     * pass over the residuals, so a binding screening rows afresh at each step (PostgreSQL) computes only the codes.
     */
    private static void code(double[] x, byte[] codes, int off, double[] scaleResidual) {
        int dimension = x.length;
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        if (!(max >= MIN_MAGNITUDE && max <= MAX_MAGNITUDE)) {
            Arrays.fill(codes, off, off + dimension, (byte) 0);
            scaleResidual[0] = 0;
            // a zero row is coded exactly; NaN, infinite, huge or subnormal-scaled features are never screened safe
            scaleResidual[1] = max == 0 ? 0 : Double.POSITIVE_INFINITY;
            return;
        }
        double s = max / CODE_MAX;
        for (int j = 0; j < dimension; j++) {
            codes[off + j] = (byte) Math.max(-CODE_MAX, Math.min(CODE_MAX, Math.rint(x[j] / s)));
        }
        scaleResidual[0] = s;
        scaleResidual[1] = s * Math.sqrt(dimension) * RESIDUAL_FACTOR;
    }
}
