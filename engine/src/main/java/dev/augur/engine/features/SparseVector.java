package dev.augur.engine.features;

/** A sparse feature vector: strictly increasing indices with their values. */
public record SparseVector(int[] indices, double[] values) implements FeatureVector {
    public static final SparseVector EMPTY = new SparseVector(new int[0], new double[0]);

    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices (" + indices.length + ") and values (" + values.length
                    + ") must have the same length");
        }
    }

    public int size() {
        return indices.length;
    }

    /**
     * {@code bias + Σ_j weights[offset + idx[j]] · val[j]} over the first {@code size} entries, summed in that order:
     * the one margin of a sparse row, whether the row is a vector or a vectorizer's working arrays.
     */
    public static double affine(double bias, double[] weights, int offset, int[] idx, double[] val, int size) {
        double m = bias;
        for (int j = 0; j < size; j++) {
            m += weights[offset + idx[j]] * val[j];
        }
        return m;
    }
}
