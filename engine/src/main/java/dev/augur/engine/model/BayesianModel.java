package dev.augur.engine.model;

import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseVector;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.features.Features;
import dev.augur.engine.features.SparseVector;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A linear model with a Gaussian posterior over its weights, stored in the rows of its linear map so that every
 * backend and both databases score it as they score any model:
 * <ul>
 * <li>row 0: the posterior mean (or MAP) weights and bias, whose margin μ is the prediction;</li>
 * <li>dense inputs: rows 1..d+1, a factor A of the posterior covariance Σ = AᵀA over x̃ = (1, x) (row k's bias is
 * A_k0, its weights A_k1..A_kd), so the margin's posterior variance s² = x̃ᵀΣx̃ = Σ_k (A_k·x̃)², the sum of the squares
 * of those rows' margins;</li>
 * <li>bag of words: row 1 holds a diagonal Σ (its bias the intercept's variance, its weights the features'), so
 * s² = bias + Σ_i v_i x_i²;</li>
 * <li>a regressor's last row: the noise, weights 0 and bias σ (its margin is σ whatever x), so the predictive variance
 * is s² + σ², the sum of squares of every row after the mean (dense).</li>
 * </ul>
 */
abstract sealed class BayesianModel extends Model permits BayesianModel.Linear, BayesianModel.Logistic {
    private final boolean diagonal;

    BayesianModel(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
        this.diagonal = features instanceof BagOfWords;
        if (diagonal) {
            if (!(bias[1] >= 0)) {
                throw Errors.invalidParameter("model '" + name + "' has a negative posterior variance " + bias[1] + " (its intercept's)");
            }
            int d = features.dimension();
            for (int i = 0; i < d; i++) {
                if (!(weights[d + i] >= 0)) {
                    throw Errors.invalidParameter("model '" + name + "' has a negative posterior variance " + weights[d + i]
                            + " (of feature " + i + ")");
                }
            }
        }
        if (!kind().isClassifier()) {
            int last = bias.length - 1;
            int d = features.dimension();
            for (int i = 0; i < d; i++) {
                if (weights[last * d + i] != 0) {
                    throw Errors.invalidParameter("model '" + name + "' has a noise row (its last) with a weight " + weights[last * d + i]
                            + "; the noise row's weights are 0 and its bias is the noise deviation");
                }
            }
            if (!(bias[last] >= 0)) {
                throw Errors.invalidParameter("model '" + name + "' has a negative noise deviation " + bias[last]);
            }
        }
    }

    /** {@link ModelKind#BAYES_LINEAR}: the score is μ, the spread the predictive deviation sqrt(s² + σ²). */
    static final class Linear extends BayesianModel {
        Linear(String name, Features features, List<String> classes, double[] weights, double[] bias) {
            super(name, features, classes, weights, bias);
        }

        @Override
        public ModelKind kind() {
            return ModelKind.BAYES_LINEAR;
        }

        @Override
        public Set<Output> outputsSupported() {
            return EnumSet.of(Output.SCORE, Output.SPREAD);
        }

        @Override
        public double score(double[] x) {
            return margin(x);
        }

        @Override
        double scoreOf(double[] margins) {
            return margins[0];
        }

        @Override
        double spreadOf(double[] margins) {
            double noise = margins[margins.length - 1];
            return Math.sqrt(posteriorVariance(margins) + noise * noise);
        }

        /** The Gaussian predictive interval μ ± z sqrt(s² + σ²), z = Φ⁻¹((1 + level)/2). */
        @Override
        double[] modelIntervalOf(double[] margins, double level) {
            double half = Links.normalQuantile((1 + level) / 2) * spreadOf(margins);
            return new double[]{margins[0] - half, margins[0] + half};
        }

        @Override
        String labelOf(double[] margins) {
            throw Errors.invalidParameter("model '" + name() + "' is a " + kind().title() + " model and has no labels; use PREDICT for its value");
        }

        @Override
        double probabilityOf(String clazz, double[] margins) {
            throw Errors.invalidParameter("model '" + name() + "' is a " + kind().title() + " model and has no classes; use PREDICT for its value");
        }
    }

    /**
     * {@link ModelKind#BAYES_LOGISTIC}: the score and the probabilities are probit-corrected, σ(μ / sqrt(1 + π s²/8));
     * the label is μ's sign (the corrected probability is on the same side of 1/2); the spread is s, the margin's
     * posterior deviation (on the margin's scale, not the probability's).
     */
    static final class Logistic extends BayesianModel {
        Logistic(String name, Features features, List<String> classes, double[] weights, double[] bias) {
            super(name, features, classes, weights, bias);
        }

        @Override
        public ModelKind kind() {
            return ModelKind.BAYES_LOGISTIC;
        }

        @Override
        public Set<Output> outputsSupported() {
            return EnumSet.allOf(Output.class);
        }

        @Override
        public double score(double[] x) {
            return scoreOf(marginsOf(new DenseVector(x)));
        }

        @Override
        double scoreOf(double[] margins) {
            return Links.probitCorrected(margins[0], posteriorVariance(margins));
        }

        @Override
        double spreadOf(double[] margins) {
            return Math.sqrt(posteriorVariance(margins));
        }

        @Override
        String labelOf(double[] margins) {
            return classes().get(margins[0] >= 0 ? 1 : 0);
        }

        @Override
        double probabilityOf(String clazz, double[] margins) {
            int c = classIndex(clazz);
            double p = scoreOf(margins);
            return c == 1 ? p : 1 - p;
        }
    }

    /** True where Σ is diagonal (bag of words), false where rows 1..d+1 are its factor (dense). */
    boolean diagonal() {
        return diagonal;
    }

    /** s² = x̃ᵀΣx̃ from one row's margins: the factor rows' squares summed (dense), the variance row's margin (diagonal). */
    final double posteriorVariance(double[] margins) {
        if (diagonal) {
            return margins[1];
        }
        int end = 1 + dimension() + 1;
        double s2 = 0;
        for (int k = 1; k < end; k++) {
            s2 += margins[k] * margins[k];
        }
        return s2;
    }

    /** A diagonal posterior's row 1 is the quadratic form bias + Σ v_i x_i², not a linear margin. */
    @Override
    double[] marginsOf(FeatureVector x) {
        double[] m = super.marginsOf(x);
        if (diagonal) {
            SparseVector sv = (SparseVector) x;
            double[] w = weightsView();
            int d = dimension();
            double s2 = bias(1);
            int[] idx = sv.indices();
            double[] val = sv.values();
            for (int j = 0; j < sv.size(); j++) {
                s2 += w[d + idx[j]] * val[j] * val[j];
            }
            m[1] = s2;
        }
        return m;
    }

    @Override
    boolean linearRows() {
        return !diagonal;
    }

    /** Several margins per row: no bound a view could use, and no single-margin score. */
    @Override
    public ViewBound viewBound() {
        return ViewBound.NONE;
    }

    @Override
    public double scoreOfMargin(double margin) {
        throw new UnsupportedOperationException("a Bayesian model's score needs its posterior rows, not one margin");
    }

    @Override
    public String labelOfMargin(double margin) {
        throw new UnsupportedOperationException("a Bayesian model's score needs its posterior rows, not one margin");
    }

    @Override
    public Optional<String> sqlScore(List<String> inputs, SqlDialect dialect) {
        return Optional.empty();
    }
}
