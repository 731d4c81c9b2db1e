package dev.augur.engine.features;

import java.util.List;

/**
 * A feature function: how the SQL inputs of a model become its feature vector. One implementation serves
 * training, scoring, bounds and views, so they can never disagree.
 */
public sealed interface Features permits DenseFeatures, BagOfWords {
    /** The SQL inputs, in call order. */
    List<String> inputs();

    /** The length of the feature vector. */
    int dimension();

    /** The stable codec id of this feature function. */
    int codecId();

    /** Whether {@code other} turns the same SQL values into the same vectors (what the codec would write for it). */
    boolean sameFunctionAs(Features other);
}
