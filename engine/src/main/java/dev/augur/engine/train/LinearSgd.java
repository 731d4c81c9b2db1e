package dev.augur.engine.train;

import dev.augur.engine.features.DenseVector;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.features.Norms;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.Links;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;

import java.util.Arrays;

/**
 * Stochastic gradient descent on a linear model, one example at a time, with L2 decay applied lazily through a
 * global scale (w = scale · v), so a step costs O(nonzeros) on sparse inputs. Used by the trainer and by online
 * learning on classification views.
 *
 * <p>Losses by kind: squared (linear), logistic (logistic), hinge (svm), cross-entropy (softmax), pinball (quantile_linear,
 * one quantile per output).
 * The squared loss takes the implicit (proximal) step, r / (1 + eta·(‖x‖² + 1)) instead of r, which equals the plain
 * step when eta·‖x‖² is small and never overshoots the residual when it is not (a plain step diverges as soon as
 * eta·(‖x‖² + 1) &gt; 2, e.g. 100 standardized inputs at rate 0.05). The other losses have bounded gradients.
 * Targets: the value for linear, the class index (0 = negative, 1 = positive) for binary, the class index for softmax.
 */
public final class LinearSgd {
    private final ModelKind kind;
    /** Whether the loss takes the implicit step, which needs ‖x‖ (the squared loss). */
    private final boolean implicitStep;
    private final int dim;
    private final int outputs;
    private final double[] v;
    private final double[] bias;
    private final double l2;
    private double scale = 1;
    /** The quantile of each output (pinball loss only), else null. */
    private final double[] quantiles;

    public LinearSgd(ModelKind kind, int dim, int outputs, double l2) {
        this(kind, dim, outputs, l2, new double[outputs * dim], new double[outputs]);
    }

    /** Pinball-loss SGD: one output per quantile in (0, 1), all fitted to the same target. */
    public static LinearSgd quantiles(int dim, double l2, double... quantiles) {
        return new LinearSgd(ModelKind.QUANTILE_LINEAR, dim, quantiles.length, l2, new double[quantiles.length * dim],
                new double[quantiles.length], quantiles.clone());
    }

    /** Resumes from existing weights (copied). */
    public LinearSgd(ModelKind kind, int dim, int outputs, double l2, double[] weights, double[] bias) {
        this(kind, dim, outputs, l2, weights, bias, null);
    }

    private LinearSgd(ModelKind kind, int dim, int outputs, double l2, double[] weights, double[] bias, double[] quantiles) {
        if (kind.loss() == ModelKind.Loss.PINBALL && (quantiles == null || quantiles.length != outputs)) {
            throw new IllegalArgumentException("the pinball loss needs one quantile per output");
        }
        this.quantiles = quantiles;
        if (weights.length != (long) dim * outputs || bias.length != outputs) {
            throw new IllegalArgumentException("weights " + weights.length + " and bias " + bias.length
                    + " do not match " + outputs + " x " + dim);
        }
        this.kind = kind;
        this.implicitStep = switch (kind.loss()) {
            case SQUARED -> true;
            case LOGISTIC, HINGE, CROSS_ENTROPY, PINBALL -> false;
        };
        this.dim = dim;
        this.outputs = outputs;
        this.l2 = l2;
        this.v = weights.clone();
        this.bias = bias.clone();
    }

    public static LinearSgd resume(Model model, double l2) {
        return new LinearSgd(model.kind(), model.dimension(), model.outputs(), l2, model.weights(), model.bias());
    }

    /** One step on a sparse example with learning rate eta; returns the loss before the step. */
    public double step(SparseVector x, double target, double eta) {
        int[] idx = x.indices();
        double[] val = x.values();
        double[] z = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double dot = 0;
            int off = o * dim;
            for (int j = 0; j < idx.length; j++) {
                dot += v[off + idx[j]] * val[j];
            }
            z[o] = scale * dot + bias[o];
        }
        double[] g = new double[outputs];
        double loss = gradient(z, target, g, eta, implicitStep ? Norms.of(val, 0, val.length, 2) : 0);
        decay(eta);
        for (int o = 0; o < outputs; o++) {
            if (g[o] == 0) {
                continue;
            }
            double step = eta * g[o] / scale;
            int off = o * dim;
            for (int j = 0; j < idx.length; j++) {
                v[off + idx[j]] -= step * val[j];
            }
            bias[o] -= eta * g[o];
        }
        return loss;
    }

    /** One step on a feature vector (a view's entity). */
    public double step(FeatureVector x, double target, double eta) {
        return x instanceof SparseVector sv ? step(sv, target, eta) : step(((DenseVector) x).values(), target, eta);
    }

    /** One step on a dense example. */
    public double step(double[] x, double target, double eta) {
        double[] z = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double dot = 0;
            int off = o * dim;
            for (int i = 0; i < dim; i++) {
                dot += v[off + i] * x[i];
            }
            z[o] = scale * dot + bias[o];
        }
        double[] g = new double[outputs];
        double loss = gradient(z, target, g, eta, implicitStep ? Norms.of(x, 0, dim, 2) : 0);
        decay(eta);
        for (int o = 0; o < outputs; o++) {
            if (g[o] == 0) {
                continue;
            }
            double step = eta * g[o] / scale;
            int off = o * dim;
            for (int i = 0; i < dim; i++) {
                v[off + i] -= step * x[i];
            }
            bias[o] -= eta * g[o];
        }
        return loss;
    }

    /** dLoss/dz per output into g (the implicit step's residual for squared loss); returns the loss. */
    private double gradient(double[] z, double target, double[] g, double eta, double xNorm) {
        return switch (kind.loss()) {
            case SQUARED -> {
                double r = z[0] - target;
                g[0] = r / (1 + eta * (xNorm * xNorm + 1));
                yield 0.5 * r * r;
            }
            case LOGISTIC -> {
                double p = Links.sigmoid(z[0]);
                g[0] = p - target;
                yield target > 0.5 ? -Math.log(Math.max(p, 1e-300)) : -Math.log(Math.max(1 - p, 1e-300));
            }
            case HINGE -> {
                double y = target > 0.5 ? 1 : -1;
                double margin = y * z[0];
                g[0] = margin < 1 ? -y : 0;
                yield Math.max(0, 1 - margin);
            }
            case CROSS_ENTROPY -> {
                double[] p = Links.softmax(z);
                int c = (int) target;
                for (int o = 0; o < outputs; o++) {
                    g[o] = p[o] - (o == c ? 1 : 0);
                }
                yield -Math.log(Math.max(p[c], 1e-300));
            }
            case PINBALL -> {
                // pinball loss of quantile tau: tau·(y − z) above the target, (1 − tau)·(z − y) below; its subgradient
                double loss = 0;
                for (int o = 0; o < outputs; o++) {
                    double tau = quantiles[o];
                    double r = z[o] - target;
                    g[o] = r > 0 ? 1 - tau : -tau;
                    loss += r > 0 ? (1 - tau) * r : -tau * r;
                }
                yield loss;
            }
        };
    }

    /**
     * Multiplies the whole model (weights and biases) by {@code keep} in (0, 1], lazily through the scale: exponential
     * forgetting ({@link Forgetting}), taken before a step so that every earlier step's contribution shrinks by it.
     */
    public void forget(double keep) {
        if (keep == 1) {
            return;
        }
        scale *= keep;
        for (int o = 0; o < outputs; o++) {
            // a subnormal bias becomes 0, as on PostgreSQL, which refuses a product that underflows
            bias[o] = Math.abs(bias[o]) < Double.MIN_NORMAL ? 0 : bias[o] * keep;
        }
        foldSmallScale();
    }

    private void decay(double eta) {
        if (l2 == 0) {
            return;
        }
        double shrink = 1 - eta * l2;
        if (shrink <= 0) {
            // a decay step this large (learning_rate · l2 >= 1) takes the weights all the way to zero
            Arrays.fill(v, 0);
            scale = 1;
            return;
        }
        scale *= shrink;
        foldSmallScale();
    }

    private void foldSmallScale() {
        if (scale < 1e-9) {
            // fold the scale back into the weights before it underflows
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
            scale = 1;
        }
    }

    /** The current weights (outputs × dim), materialized. */
    public double[] weights() {
        double[] w = new double[v.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = v[i] * scale;
        }
        return w;
    }

    public double[] bias() {
        return bias.clone();
    }
}
