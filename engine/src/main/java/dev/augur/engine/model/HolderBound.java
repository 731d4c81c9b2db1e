package dev.augur.engine.model;

/**
 * How far a model change can move a margin: for Δ = (w' − w, b' − b) and any Hölder pair (p, q),
 * |margin' − margin| ≤ ‖Δw‖_p · ‖x‖_q + |Δb|. With per-row norms for q ∈ {1, 2, ∞} the tightest of the three
 * pairs (∞,1), (2,2), (1,∞) bounds each row.
 */
public record HolderBound(double deltaL1, double deltaL2, double deltaLinf, double deltaBias) {
    /**
     * The bound between two single-output models of the same kind, shape, feature function and classes, or null when
     * no bound covers the change (then every row is re-scored).
     */
    public static HolderBound between(Model from, Model to) {
        return from.boundTo(to);
    }

    /** The bound between two single-output linear maps of the same shape. */
    static HolderBound of(double[] fromWeights, double fromBias, double[] toWeights, double toBias) {
        double l1 = 0;
        double l2 = 0;
        double linf = 0;
        for (int i = 0; i < fromWeights.length; i++) {
            double d = Math.abs(toWeights[i] - fromWeights[i]);
            l1 += d;
            l2 += d * d;
            linf = Math.max(linf, d);
        }
        return new HolderBound(l1, Math.sqrt(l2), linf, Math.abs(toBias - fromBias));
    }

    /** The tightest bound for a row with the given norms. */
    public double forRow(double normL1, double normL2, double normLinf) {
        double b = Math.min(deltaLinf * normL1, Math.min(deltaL2 * normL2, deltaL1 * normLinf));
        return b + deltaBias;
    }

    /** Zero: the models are the same. */
    public boolean isZero() {
        return deltaL1 == 0 && deltaBias == 0;
    }
}
