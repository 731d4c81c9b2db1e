package dev.augur.engine.features;

/** ‖x‖_q for q in {1, 2, ∞}: the norms a prediction view keeps per row to bound margin changes. */
public final class Norms {
    private Norms() {
    }

    public static double of(double[] x, int from, int to, double q) {
        double acc = 0;
        if (q == 1) {
            for (int i = from; i < to; i++) {
                acc += Math.abs(x[i]);
            }
            return acc;
        }
        if (q == 2) {
            for (int i = from; i < to; i++) {
                acc += x[i] * x[i];
            }
            return Math.sqrt(acc);
        }
        if (Double.isInfinite(q)) {
            for (int i = from; i < to; i++) {
                acc = Math.max(acc, Math.abs(x[i]));
            }
            return acc;
        }
        throw new IllegalArgumentException("only q = 1, 2 and infinity are supported, got " + q);
    }
}
