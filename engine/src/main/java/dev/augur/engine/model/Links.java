package dev.augur.engine.model;

/** The links from margins to probabilities, shared by scoring and training so that they can never disagree. */
public final class Links {
    private Links() {
    }

    /** The logistic function, evaluated without overflow on either side. */
    public static double sigmoid(double m) {
        return m >= 0 ? 1.0 / (1.0 + Math.exp(-m)) : Math.exp(m) / (1.0 + Math.exp(m));
    }

    /**
     * The probit-corrected probability of a Gaussian margin N(mu, s2) under the logistic link, σ(μ / sqrt(1 + π s²/8))
     * (MacKay's approximation of the expected logistic); monotone in μ, toward 1/2 as s² grows.
     */
    public static double probitCorrected(double mu, double s2) {
        return sigmoid(mu / Math.sqrt(1 + Math.PI * s2 / 8));
    }

    /**
     * The standard normal quantile Φ⁻¹(p), 0 &lt; p &lt; 1: Acklam's rational approximation (relative error below
     * 1.15e-9), no refinement. PostgreSQL's augur.normal_quantile is the
     * same arithmetic (pinned by golden vectors).
     */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must lie in (0, 1), got " + p);
        }
        double q;
        double x;
        if (p < P_LOW) {
            q = Math.sqrt(-2 * Math.log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        } else if (p <= 1 - P_LOW) {
            q = p - 0.5;
            double r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                    / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        } else {
            q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        return x;
    }

    private static final double P_LOW = 0.02425;
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};

    /** Softmax of margins, shifted by their maximum. */
    public static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The index of the largest margin (the first of equals). */
    static int argmax(double[] margins) {
        int best = 0;
        for (int i = 1; i < margins.length; i++) {
            if (margins[i] > margins[best]) {
                best = i;
            }
        }
        return best;
    }
}
