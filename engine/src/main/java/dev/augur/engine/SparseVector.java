package dev.augur.engine;

/** A sparse feature vector: strictly increasing indices with their values. */
public record SparseVector(int[] indices, double[] values) {
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

    /** Hölder norms of the vector, used for view-maintenance bounds. */
    public double norm(double q) {
        return Norms.of(values, 0, values.length, q);
    }
}
