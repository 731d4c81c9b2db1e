package dev.augur.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable trained model: a kind, a feature function and a linear map (one row of weights per output).
 * Binary classifiers and regressors have one output whose margin is w·x + b; softmax has one per class.
 */
public final class Model {
    private final String name;
    private final ModelKind kind;
    private final Features features;
    private final List<String> classes;
    private final double[] weights;
    private final double[] bias;

    /**
     * @param classes the class labels: two for binary classifiers (negative first), k ≥ 2 for softmax, none for linear
     * @param weights outputs × dimension, row-major
     * @param bias    one per output
     */
    public Model(String name, ModelKind kind, Features features, List<String> classes, double[] weights, double[] bias) {
        this.name = Names.checkModelName(name);
        this.kind = Objects.requireNonNull(kind);
        this.features = Objects.requireNonNull(features);
        this.classes = List.copyOf(classes);
        distinct(this.name, "class", this.classes, false);
        if (features instanceof DenseFeatures) {
            // inputs name columns, which SQL compares case-insensitively
            distinct(this.name, "input", features.inputs(), true);
        }
        int outputs = outputsFor(kind, this.classes);
        int d = features.dimension();
        if (weights.length != (long) outputs * d) {
            throw Errors.invalidParameter("model '" + name + "' needs " + outputs + " x " + d + " = " + (outputs * d)
                    + " weights, got " + weights.length);
        }
        if (bias.length != outputs) {
            throw Errors.invalidParameter("model '" + name + "' needs " + outputs + " bias values, got " + bias.length);
        }
        for (double v : weights) {
            if (!Double.isFinite(v)) {
                throw Errors.invalidParameter("model '" + name + "' has a non-finite weight " + v);
            }
        }
        for (double v : bias) {
            if (!Double.isFinite(v)) {
                throw Errors.invalidParameter("model '" + name + "' has a non-finite bias " + v);
            }
        }
        this.weights = weights.clone();
        this.bias = bias.clone();
    }

    private static void distinct(String model, String what, List<String> values, boolean ignoreCase) {
        String twice = firstRepeated(values, ignoreCase);
        if (twice != null) {
            throw Errors.duplicate(model, what, twice, values);
        }
    }

    /** The first value that repeats an earlier one, or null. */
    static String firstRepeated(List<String> values, boolean ignoreCase) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String v : values) {
            if (!seen.add(ignoreCase ? v.toLowerCase(java.util.Locale.ROOT) : v)) {
                return v;
            }
        }
        return null;
    }

    private static int outputsFor(ModelKind kind, List<String> classes) {
        switch (kind) {
            case LINEAR -> {
                if (!classes.isEmpty()) {
                    throw Errors.invalidParameter("a linear regression model has no classes, got " + classes);
                }
                return 1;
            }
            case LOGISTIC, SVM -> {
                if (classes.size() != 2) {
                    throw Errors.invalidParameter("a " + kind.sqlName() + " model needs exactly 2 classes, got " + classes);
                }
                return 1;
            }
            default -> {
                if (classes.size() < 2) {
                    throw Errors.invalidParameter("a softmax model needs at least 2 classes, got " + classes);
                }
                if (classes.stream().distinct().count() != classes.size()) {
                    throw Errors.invalidParameter("softmax classes must be distinct, got " + classes);
                }
                return classes.size();
            }
        }
    }

    public String name() {
        return name;
    }

    public ModelKind kind() {
        return kind;
    }

    public Features features() {
        return features;
    }

    public List<String> inputs() {
        return features.inputs();
    }

    public List<String> classes() {
        return classes;
    }

    public int outputs() {
        return bias.length;
    }

    public int dimension() {
        return features.dimension();
    }

    /** A copy of the weights (outputs × dimension, row-major). */
    public double[] weights() {
        return weights.clone();
    }

    /** A copy of the bias (one per output). */
    public double[] bias() {
        return bias.clone();
    }

    /** Read-only access for hot scoring loops inside the engine. */
    double[] weightsUnsafe() {
        return weights;
    }

    double[] biasUnsafe() {
        return bias;
    }

    /** A copy under another name (import under a new name). */
    public Model withName(String newName) {
        return new Model(newName, kind, features, classes, weights, bias);
    }

    // ---------------------------------------------------------------- scoring of one row

    /** Margin of output 0 for a dense row (no checks: callers validate). */
    public double margin(double[] x) {
        double m = bias[0];
        int d = x.length;
        for (int i = 0; i < d; i++) {
            m += weights[i] * x[i];
        }
        return m;
    }

    /** Margin of output {@code o} for a sparse row. */
    public double margin(SparseVector x, int o) {
        double m = bias[o];
        int off = o * dimension();
        int[] idx = x.indices();
        double[] val = x.values();
        for (int j = 0; j < idx.length; j++) {
            m += weights[off + idx[j]] * val[j];
        }
        return m;
    }

    /** Margin of output {@code o} for a dense row. */
    public double margin(double[] x, int o) {
        double m = bias[o];
        int off = o * x.length;
        for (int i = 0; i < x.length; i++) {
            m += weights[off + i] * x[i];
        }
        return m;
    }

    /** The score of a single-output model from its margin: the margin itself for regression, else sigmoid. */
    public double scoreOfMargin(double margin) {
        return kind == ModelKind.LINEAR ? margin : sigmoid(margin);
    }

    static double sigmoid(double m) {
        return m >= 0 ? 1.0 / (1.0 + Math.exp(-m)) : Math.exp(m) / (1.0 + Math.exp(m));
    }

    /**
     * Evaluates the model on SQL values. Returns null when any input is NULL (NULL in, NULL out); raises a
     * clear {@link AugurException} on wrong arity, wrong type or a non-finite number.
     */
    public Evaluation evaluate(Object... inputs) {
        List<String> names = features.inputs();
        if (inputs.length != names.size()) {
            throw Errors.wrongArity(name, names, inputs.length);
        }
        for (Object v : inputs) {
            if (v == null) {
                return null;
            }
        }
        double[] margins = new double[outputs()];
        if (features instanceof BagOfWords bow) {
            if (!(inputs[0] instanceof String text)) {
                throw Errors.wrongType(name, names.get(0), "text", inputs[0]);
            }
            SparseVector x = bow.vectorize(text);
            for (int o = 0; o < margins.length; o++) {
                margins[o] = margin(x, o);
            }
        } else {
            double[] x = denseRow(inputs);
            for (int o = 0; o < margins.length; o++) {
                margins[o] = margin(x, o);
            }
        }
        return new Evaluation(this, margins);
    }

    /** Converts SQL values to a dense row, checking types and finiteness. */
    public double[] denseRow(Object[] inputs) {
        List<String> names = features.inputs();
        double[] x = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = number(name, names.get(i), inputs[i], "a number");
        }
        return x;
    }

    /** A numeric SQL value (booleans count as 0/1) as a finite double, else a clear error naming model and input. */
    static double number(String model, String input, Object v, String expected) {
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

    /** Checks a dense row of primitive doubles: arity and finiteness. */
    public void checkDense(double[] x) {
        List<String> names = features.inputs();
        if (features instanceof BagOfWords) {
            throw Errors.wrongType(name, names.get(0), "text", x.length > 0 ? x[0] : "a number");
        }
        if (x.length != names.size()) {
            throw Errors.wrongArity(name, names, x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw Errors.nonFinite(name, names.get(i), x[i]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model m && name.equals(m.name) && kind == m.kind && classes.equals(m.classes)
                && Arrays.equals(weights, m.weights) && Arrays.equals(bias, m.bias)
                && Arrays.equals(ModelCodec.encodeFeatures(features), ModelCodec.encodeFeatures(m.features));
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, Arrays.hashCode(bias));
    }

    @Override
    public String toString() {
        return kind.sqlName() + " model '" + name + "' (" + String.join(", ", inputs()) + " -> " + outputs()
                + " output" + (outputs() == 1 ? "" : "s") + ", " + dimension() + " features)";
    }
}
