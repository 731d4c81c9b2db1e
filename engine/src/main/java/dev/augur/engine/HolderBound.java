package dev.augur.engine;

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
        if (from.outputs() != 1 || to.outputs() != 1 || from.dimension() != to.dimension() || from.kind() != to.kind()
                || !from.classes().equals(to.classes())
                || !java.util.Arrays.equals(ModelCodec.encodeFeatures(from.features()), ModelCodec.encodeFeatures(to.features()))) {
            return null;
        }
        double[] a = from.weightsUnsafe();
        double[] b = to.weightsUnsafe();
        double l1 = 0;
        double l2 = 0;
        double linf = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(b[i] - a[i]);
            l1 += d;
            l2 += d * d;
            linf = Math.max(linf, d);
        }
        return new HolderBound(l1, Math.sqrt(l2), linf, Math.abs(to.biasUnsafe()[0] - from.biasUnsafe()[0]));
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
