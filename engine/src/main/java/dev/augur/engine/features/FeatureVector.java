package dev.augur.engine.features;

/**
 * A feature vector of one row, as a feature function produces it: {@link DenseVector} for numeric columns, a
 * {@link SparseVector} for bag of words. Views keep one per entity.
 */
public sealed interface FeatureVector permits DenseVector, SparseVector {
    /** The stored values (every value of a dense vector, the nonzeros of a sparse one): what the Hölder norms see. */
    double[] values();

    /** ‖x‖_q for q in {1, 2, ∞}. */
    default double norm(double q) {
        double[] v = values();
        return Norms.of(v, 0, v.length, q);
    }
}
