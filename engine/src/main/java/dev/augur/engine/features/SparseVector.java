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
}
