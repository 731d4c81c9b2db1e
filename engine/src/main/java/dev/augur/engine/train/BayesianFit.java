package dev.augur.engine.train;

import dev.augur.engine.Errors;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.Links;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The posteriors of the Bayesian kinds, as rows of a linear map (see {@code BayesianModel}): row 0 the mean, then the
 * covariance (dense: the factor A = σ L⁻¹ of Σ = AᵀA, L the Cholesky factor of the precision; bag of words: its diagonal),
 * then a regressor's noise row. Over x̃ = (1, x), with D = diag(0, 1, ..., 1): the intercept has a flat prior, each weight
 * a Gaussian one of precision {@code prior}.
 * <ul>
 * <li>Linear: w ~ N(0, σ²/prior) given the noise σ², so the posterior mean θ = (X̃ᵀX̃ + prior·D)⁻¹ X̃ᵀy does not depend on
 * σ², and Σ = σ² (X̃ᵀX̃ + prior·D)⁻¹ with σ² = RSS / (n − d − 1) (RSS / n when n ≤ d + 1).</li>
 * <li>Logistic (Laplace): the MAP by Newton's method on the log loss plus prior/2 ‖w‖², Σ the inverse Hessian there,
 * H = X̃ᵀ diag(p(1 − p)) X̃ + prior·D.</li>
 * </ul>
 * Dense inputs are solved in the trainer's standardized space; the trainer folds the rows back to the raw inputs.
 */
final class BayesianFit {
    /** The most dense inputs a posterior is kept for: (d + 1)² covariance entries, solved by a Cholesky factorization. */
    static final int MAX_DENSE = 2_000;
    private static final int MAX_NEWTON = 100;

    private BayesianFit() {
    }

    /** The rows of a dense Bayesian linear regression over standardized {@code x} and {@code y}: {weights, bias}. */
    static double[][] denseLinear(String model, double[][] x, double[] y, double prior) {
        int n = x.length;
        int d = x[0].length;
        checkDimension(model, d);
        DMatrixRMaj p = gram(x, null, prior);
        DMatrixRMaj rhs = new DMatrixRMaj(d + 1, 1);
        for (int i = 0; i < n; i++) {
            rhs.data[0] += y[i];
            for (int j = 0; j < d; j++) {
                rhs.data[j + 1] += x[i][j] * y[i];
            }
        }
        DMatrixRMaj lower = cholesky(model, p);
        DMatrixRMaj theta = rhs.copy();
        // P θ = X̃ᵀy: L z = rhs, then Lᵀ θ = z
        TriangularSolver_DDRM.solveL(lower.data, theta.data, d + 1);
        TriangularSolver_DDRM.solveTranL(lower.data, theta.data, d + 1);
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - affine(theta.data, x[i]);
            rss += r * r;
        }
        double sigma = Math.sqrt(rss / (n > d + 1 ? n - d - 1 : n));
        return rows(theta.data, lower, sigma, d, true);
    }

    /** The rows of a dense Bayesian logistic regression over standardized {@code x} and 0/1 targets: {weights, bias}. */
    static double[][] denseLogistic(String model, double[][] x, double[] y, double prior) {
        int n = x.length;
        int d = x[0].length;
        checkDimension(model, d);
        double[] theta = new double[d + 1];
        double[] p = new double[n];
        double loss = logLoss(x, y, theta, prior, p);
        DMatrixRMaj lower = null;
        for (int iter = 0; iter < MAX_NEWTON; iter++) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = p[i] * (1 - p[i]);
            }
            lower = cholesky(model, gram(x, w, prior));
            double[] step = new double[d + 1];
            for (int i = 0; i < n; i++) {
                double r = p[i] - y[i];
                step[0] += r;
                for (int j = 0; j < d; j++) {
                    step[j + 1] += r * x[i][j];
                }
            }
            for (int j = 1; j <= d; j++) {
                step[j] += prior * theta[j];
            }
            TriangularSolver_DDRM.solveL(lower.data, step, d + 1);
            TriangularSolver_DDRM.solveTranL(lower.data, step, d + 1);
            // damped: halve the step until the objective does not grow (Newton's full step can overshoot far from the MAP)
            double t = 1;
            double[] next = new double[d + 1];
            double nextLoss;
            double[] nextP = new double[n];
            while (true) {
                for (int j = 0; j <= d; j++) {
                    next[j] = theta[j] - t * step[j];
                }
                nextLoss = logLoss(x, y, next, prior, nextP);
                if (nextLoss <= loss || t < 1e-10) {
                    break;
                }
                t /= 2;
            }
            double moved = 0;
            for (int j = 0; j <= d; j++) {
                moved = Math.max(moved, Math.abs(next[j] - theta[j]));
            }
            theta = next;
            p = nextP;
            boolean done = moved < 1e-10 || loss - nextLoss < 1e-13 * Math.max(1, Math.abs(loss));
            loss = nextLoss;
            if (done) {
                break;
            }
        }
        // the Hessian at the MAP
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = p[i] * (1 - p[i]);
        }
        lower = cholesky(model, gram(x, w, prior));
        return rows(theta, lower, 1, d, false);
    }

    /**
     * The rows of a bag-of-words Bayesian model from its SGD mean ({@code weights}, {@code bias}: one row): the mean,
     * the diagonal of Σ, and for a regressor the noise row. Linear: Σ_ii = σ² / (prior + Σ_n x_ni²), the intercept's
     * σ² / n, σ² = RSS / n; logistic: Σ_ii = 1 / (prior + Σ_n p_n(1 − p_n) x_ni²), the intercept's 1 / Σ_n p_n(1 − p_n).
     */
    static double[][] diagonal(boolean logistic, SparseVector[] x, double[] y, double[] weights, double bias, double prior) {
        int n = x.length;
        int d = weights.length;
        double[] curvature = new double[d];
        double intercept = 0;
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double m = SparseVector.affine(bias, weights, 0, x[i].indices(), x[i].values(), x[i].size());
            double c = 1;
            if (logistic) {
                double p = Links.sigmoid(m);
                c = p * (1 - p);
            } else {
                rss += (y[i] - m) * (y[i] - m);
            }
            intercept += c;
            int[] idx = x[i].indices();
            double[] val = x[i].values();
            for (int j = 0; j < x[i].size(); j++) {
                curvature[idx[j]] += c * val[j] * val[j];
            }
        }
        double noise = logistic ? 1 : rss / n;
        int rows = logistic ? 2 : 3;
        double[] w = new double[rows * d];
        double[] b = new double[rows];
        System.arraycopy(weights, 0, w, 0, d);
        b[0] = bias;
        for (int j = 0; j < d; j++) {
            w[d + j] = noise / (prior + curvature[j]);
        }
        b[1] = intercept > 0 ? noise / intercept : noise / Math.max(prior, Double.MIN_NORMAL);
        if (!logistic) {
            b[2] = Math.sqrt(noise);
        }
        return new double[][]{w, b};
    }

    private static void checkDimension(String model, int d) {
        if (d > MAX_DENSE) {
            throw Errors.invalidParameter("model '" + model + "' has " + d + " dense inputs; a Bayesian kind keeps the covariance of"
                    + " at most " + MAX_DENSE + " (one text input keeps a diagonal one for any vocabulary)");
        }
    }

    /** X̃ᵀ diag(w) X̃ + prior·D ({@code w} null: all ones), (d + 1) × (d + 1). */
    private static DMatrixRMaj gram(double[][] x, double[] w, double prior) {
        int d = x[0].length;
        int k = d + 1;
        double[] g = new double[k * k];
        double[] row = new double[k];
        row[0] = 1;
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, row, 1, d);
            double wi = w == null ? 1 : w[i];
            for (int a = 0; a < k; a++) {
                double ra = wi * row[a];
                if (ra == 0) {
                    continue;
                }
                int off = a * k;
                for (int b = 0; b <= a; b++) {
                    g[off + b] += ra * row[b];
                }
            }
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < a; b++) {
                g[b * k + a] = g[a * k + b];
            }
        }
        for (int j = 1; j < k; j++) {
            g[j * k + j] += prior;
        }
        return DMatrixRMaj.wrap(k, k, g);
    }

    /** The lower Cholesky factor of a symmetric positive definite matrix, or 22023 when it is not (collinear inputs). */
    private static DMatrixRMaj cholesky(String model, DMatrixRMaj a) {
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(a.numRows, true);
        DMatrixRMaj copy = a.copy();
        if (!chol.decompose(copy)) {
            throw Errors.invalidParameter("the training rows of model '" + model + "' leave its posterior precision singular"
                    + " (an input that never varies with a prior too weak to pin it); give option prior a larger value");
        }
        DMatrixRMaj lower = chol.getT(null);
        // getT may leave the upper triangle as it was: zero it, the rows below read it as part of L⁻¹
        for (int i = 0; i < lower.numRows; i++) {
            for (int j = i + 1; j < lower.numCols; j++) {
                lower.set(i, j, 0);
            }
        }
        return lower;
    }

    /** Row 0 θ; rows 1..d+1 scale·L⁻¹ (the factor of Σ = scale² L⁻ᵀL⁻¹); a regressor's noise row, bias {@code scale}. */
    private static double[][] rows(double[] theta, DMatrixRMaj lower, double scale, int d, boolean noise) {
        int k = d + 1;
        DMatrixRMaj inverse = lower.copy();
        TriangularSolver_DDRM.invertLower(inverse.data, k);
        CommonOps_DDRM.scale(scale, inverse);
        int rows = 1 + k + (noise ? 1 : 0);
        double[] w = new double[rows * d];
        double[] b = new double[rows];
        b[0] = theta[0];
        System.arraycopy(theta, 1, w, 0, d);
        for (int r = 0; r < k; r++) {
            b[1 + r] = inverse.get(r, 0);
            for (int j = 0; j < d; j++) {
                w[(1 + r) * d + j] = inverse.get(r, j + 1);
            }
        }
        if (noise) {
            b[rows - 1] = scale;
        }
        return new double[][]{w, b};
    }

    private static double affine(double[] theta, double[] x) {
        double m = theta[0];
        for (int j = 0; j < x.length; j++) {
            m += theta[j + 1] * x[j];
        }
        return m;
    }

    /** The log loss plus prior/2 ‖w‖² at θ; the probabilities into {@code p}. */
    private static double logLoss(double[][] x, double[] y, double[] theta, double prior, double[] p) {
        double loss = 0;
        for (int i = 0; i < x.length; i++) {
            double m = affine(theta, x[i]);
            p[i] = Links.sigmoid(m);
            // log(1 + e^m) − y m, without overflow
            loss += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - y[i] * m;
        }
        for (int j = 1; j < theta.length; j++) {
            loss += 0.5 * prior * theta[j] * theta[j];
        }
        return loss;
    }
}
