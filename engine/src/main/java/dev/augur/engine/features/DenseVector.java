package dev.augur.engine.features;

/** The feature vector of a dense model: input i is feature i. The array is the caller's (no copy, read-only). */
public record DenseVector(double[] values) implements FeatureVector {
}
