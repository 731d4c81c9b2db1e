package dev.augur.engine;

import java.util.List;

/** Numeric columns used as given: input i is feature i. */
public record DenseFeatures(List<String> inputs) implements Features {
    public static final int CODEC_ID = 1;

    public DenseFeatures {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw Errors.invalidParameter("a dense model needs at least one input");
        }
    }

    @Override
    public int dimension() {
        return inputs.size();
    }

    @Override
    public int codecId() {
        return CODEC_ID;
    }
}
