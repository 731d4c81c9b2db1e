package dev.augur.engine.model;

/** The links from margins to probabilities, shared by scoring and training so that they can never disagree. */
public final class Links {
    private Links() {
    }

    /** The logistic function, evaluated without overflow on either side. */
    public static double sigmoid(double m) {
        return m >= 0 ? 1.0 / (1.0 + Math.exp(-m)) : Math.exp(m) / (1.0 + Math.exp(m));
    }

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
