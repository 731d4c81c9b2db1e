package dev.augur.engine.features;

import dev.augur.engine.Errors;

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

    @Override
    public boolean sameFunctionAs(Features other) {
        return equals(other);
    }

    /** A numeric SQL value (booleans count as 0/1) as a finite double, else a clear error naming model and input. */
    public static double number(String model, String input, Object v, String expected) {
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof Boolean b) {
            d = b ? 1 : 0;
        } else {
            throw Errors.wrongType(model, input, expected, v);
        }
        if (!Double.isFinite(d)) {
            throw Errors.nonFinite(model, input, d);
        }
        return d;
    }
}
