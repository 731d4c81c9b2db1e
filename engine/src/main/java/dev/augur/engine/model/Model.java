package dev.augur.engine.model;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.Scorer;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.DenseVector;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.features.Features;
import dev.augur.engine.features.SparseVector;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable trained model: a feature function and a linear map (one row of weights per output), and a kind.
 * Each kind is one subclass that states its capabilities: what SQL can ask of it ({@link #outputsSupported}),
 * how its margins become a score, a label and class probabilities (one row, or a batch through a {@link Scorer}),
 * its scoring as SQL text ({@link #sqlScore}), and the bound a prediction view may use ({@link #viewBound}).
 * The codec side of a kind (its id, its name, its outputs for given classes) is its {@link ModelKind}.
 *
 * <p>Binary classifiers and regressors have one output whose margin is w·x + b; softmax has one per class.
 */
public abstract sealed class Model permits LinearRegression, SignClassifier, SoftmaxRegression, BaggedEnsemble, BayesianModel,
        QuantileRegression {
    /** What a PREDICT function may ask of a model. */
    public enum Output {
        /** PREDICT. */
        SCORE,
        /** PREDICT_LABEL. */
        LABEL,
        /** PREDICT_PROBA. */
        PROBABILITY,
        /** PREDICT_STDDEV: how far an ensemble's members disagree, or a posterior's standard deviation. */
        SPREAD
    }

    /** How a prediction view keeps its rows after a model change (see {@code ViewIndex}). */
    public enum ViewBound {
        /** The score is the margin: the Hölder bound on the margin bounds the score; no labels. */
        HOLDER_ON_MARGIN,
        /**
         * The score is a link of the margin with Lipschitz constant {@link #linkLipschitz()}, and the label the
         * margin's sign: the Hölder bound bounds both.
         */
        HOLDER_THROUGH_LINK,
        /**
         * An ensemble: each member's margin bounded by Hölder, through the link by its Lipschitz constant, averaged
         * over the members for the score (and so the label) and their root mean square for the spread ({@link ViewBounds}).
         */
        HOLDER_PER_MEMBER,
        /** No bound: every change re-scores the whole view. */
        NONE
    }

    private final String name;
    private final Features features;
    private final List<String> classes;
    private final double[] weights;
    private final double[] bias;

    /** Checks everything for the subclass's kind (a constant of the subclass): classes, shape and finiteness. */
    Model(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        this.name = Names.checkModelName(name);
        this.features = Objects.requireNonNull(features);
        this.classes = List.copyOf(classes);
        distinct(this.name, "class", this.classes, false);
        if (features instanceof DenseFeatures) {
            // inputs name columns, which SQL compares case-insensitively
            distinct(this.name, "input", features.inputs(), true);
        }
        // kind() is a constant of each subclass, so calling it before the subclass is constructed is safe
        int outputs = kind().outputsFor(this.classes, bias.length, features.dimension(), features instanceof BagOfWords);
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

    /**
     * A model of the given kind.
     *
     * @param classes the class labels: two for binary classifiers (negative first), k ≥ 2 for softmax, none for linear
     * @param weights outputs × dimension, row-major
     * @param bias    one per output
     */
    public static Model of(String name, ModelKind kind, Features features, List<String> classes, double[] weights, double[] bias) {
        return switch (Objects.requireNonNull(kind)) {
            case LINEAR -> new LinearRegression(name, features, classes, weights, bias);
            case LOGISTIC -> new LogisticRegression(name, features, classes, weights, bias);
            case SVM -> new LinearSvm(name, features, classes, weights, bias);
            case SOFTMAX -> new SoftmaxRegression(name, features, classes, weights, bias);
            case BAGGED_LINEAR -> new BaggedEnsemble.Linear(name, features, classes, weights, bias);
            case BAGGED_LOGISTIC -> new BaggedEnsemble.Logistic(name, features, classes, weights, bias);
            case BAGGED_SVM -> new BaggedEnsemble.Svm(name, features, classes, weights, bias);
            case BAYES_LINEAR -> new BayesianModel.Linear(name, features, classes, weights, bias);
            case BAYES_LOGISTIC -> new BayesianModel.Logistic(name, features, classes, weights, bias);
            case QUANTILE_LINEAR -> new QuantileRegression(name, features, classes, weights, bias);
        };
    }

    private static void distinct(String model, String what, List<String> values, boolean ignoreCase) {
        String twice = firstRepeated(values, ignoreCase);
        if (twice != null) {
            throw Errors.duplicate(model, what, twice, values);
        }
    }

    /** The first value that repeats an earlier one, or null. */
    public static String firstRepeated(List<String> values, boolean ignoreCase) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (!seen.add(ignoreCase ? v.toLowerCase(Locale.ROOT) : v)) {
                return v;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- the capabilities of a kind

    public abstract ModelKind kind();

    /** What SQL may ask of this model. */
    public abstract Set<Output> outputsSupported();

    /** The score of one dense row (no checks: callers validate with {@link #checkDense}); no boxing. */
    public abstract double score(double[] x);

    /** PREDICT from the margins of one row. */
    abstract double scoreOf(double[] margins);

    /** PREDICT_LABEL from the margins of one row. */
    abstract String labelOf(double[] margins);

    /** PREDICT_PROBA of class {@code clazz} (checked: a clear error when the model has no such class). */
    abstract double probabilityOf(String clazz, double[] margins);

    /** PREDICT_STDDEV from the margins of one row: an ensemble's, a posterior's; one plain model has none (22023). */
    double spreadOf(double[] margins) {
        throw Errors.invalidParameter("model '" + name + "' is one " + kind().title() + " model, not an ensemble, and has no spread;"
                + " PREDICT_STDDEV needs a bagged or Bayesian kind (" + ModelKind.spreadNames() + ")");
    }

    /**
     * PREDICT_INTERVAL without a calibration, from the margins of one row: {lower, upper} at {@code level}, for the kinds
     * that state one ({@link ModelKind#hasModelInterval}); callers check the kind first, so the others never get here.
     */
    double[] modelIntervalOf(double[] margins, double level) {
        throw new IllegalStateException(kind() + " has no model-based interval");
    }

    /**
     * Checks {@code level} for this model's own interval before any row is scored (a quantile model answers only at its
     * trained level); the level itself is checked to lie in (0, 1) by the caller.
     */
    public void checkModelIntervalLevel(double level) {
    }

    /** The margins of one feature vector, one per output (a diagonal posterior's variance row is no linear margin). */
    double[] marginsOf(FeatureVector x) {
        double[] m = new double[outputs()];
        for (int o = 0; o < m.length; o++) {
            m[o] = x instanceof SparseVector sv ? margin(sv, o) : margin(((DenseVector) x).values(), o);
        }
        return m;
    }

    /** True where {@link #evaluate} scores the text by the bag of words' fused margins (every row a linear margin). */
    boolean linearRows() {
        return true;
    }

    /** The bound a prediction view may use when this model replaces another. */
    public abstract ViewBound viewBound();

    /** The Lipschitz constant of the link from margin to score (1 for the identity; see {@link ModelKind.Link}). */
    public final double linkLipschitz() {
        return kind().link().lipschitz();
    }

    /**
     * What a prediction view stores for one row: its view margin (one model: the margin; an ensemble: its decision value,
     * the mean score less 1/2 for a classifier, whose sign is the label, or the mean for a regressor), its label (null
     * where the kind has none), its score and its spread (NaN for one model, which has none).
     */
    public record ViewValues(double margin, String label, double score, double spread) {
    }

    /** What a prediction view stores for a row of these margins (one per output); see {@link ViewValues}. */
    public ViewValues viewValues(double[] margins) {
        double m = margins[0];
        return new ViewValues(m, labelOfMargin(m), scoreOfMargin(m), Double.NaN);
    }

    /** The score of a single-output model from its margin, as a view stores it. */
    public abstract double scoreOfMargin(double margin);

    /** The label of a single-output model from its margin, as a view stores it (null when the kind has none). */
    public abstract String labelOfMargin(double margin);

    /**
     * PREDICT as SQL text over the given float64 input expressions (one per input, in order; cast them where a column
     * is of another type) for a dialect, step for step the engine's arithmetic; empty when the model has no such
     * rendering (bag of words, softmax).
     */
    public abstract Optional<String> sqlScore(List<String> inputs, SqlDialect dialect);

    // ---------------------------------------------------------------- data

    public String name() {
        return name;
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

    /** The number of margins (rows of the linear map). */
    public int outputs() {
        return bias.length;
    }

    public int dimension() {
        return features.dimension();
    }

    /** The number of weights (outputs × dimension), what a cache counts. */
    public int parameterCount() {
        return weights.length;
    }

    /** A copy of the weights (outputs × dimension, row-major). */
    public double[] weights() {
        return weights.clone();
    }

    /** A copy of the bias (one per output). */
    public double[] bias() {
        return bias.clone();
    }

    /** A copy under another name (import under a new name). */
    public Model withName(String newName) {
        return of(newName, kind(), features, classes, weights, bias);
    }

    // ---------------------------------------------------------------- scoring of one row

    /** Margin of output 0 for a dense row (no checks: callers validate). */
    public final double margin(double[] x) {
        double m = bias[0];
        int d = x.length;
        for (int i = 0; i < d; i++) {
            m += weights[i] * x[i];
        }
        return m;
    }

    /** Margin of output {@code o} for a sparse row. */
    public final double margin(SparseVector x, int o) {
        return SparseVector.affine(bias[o], weights, o * dimension(), x.indices(), x.values(), x.size());
    }

    /** Margin of output {@code o} for a dense row. */
    public final double margin(double[] x, int o) {
        double m = bias[o];
        int off = o * x.length;
        for (int i = 0; i < x.length; i++) {
            m += weights[off + i] * x[i];
        }
        return m;
    }

    /** The margins of every output for a feature vector of this model's feature function. */
    public final double[] margins(FeatureVector x) {
        double[] out = new double[outputs()];
        for (int o = 0; o < out.length; o++) {
            out[o] = x instanceof SparseVector sv ? margin(sv, o) : margin(((DenseVector) x).values(), o);
        }
        return out;
    }

    /** Margin of output 0 for a feature vector of this model's feature function. */
    public final double margin(FeatureVector x) {
        return x instanceof SparseVector sv ? margin(sv, 0) : margin(((DenseVector) x).values());
    }

    /** Margins of output {@code o} of {@code rows} dense rows (row-major in {@code x}) on a backend. */
    public final void denseMargins(Scorer scorer, double[] x, int rows, double[] out) {
        scorer.denseMargins(x, rows, dimension(), weights, bias, outputs(), out);
    }

    /** Margins of {@code rows} sparse rows in CSR form on a backend. */
    public final void sparseMargins(Scorer scorer, int[] rowPtr, int[] indices, double[] values, int rows, double[] out) {
        scorer.sparseMargins(rowPtr, indices, values, rows, dimension(), weights, bias, outputs(), out);
    }

    /** How far a change to {@code to} can move a margin, or null when no bound covers it (see {@link HolderBound}). */
    public final HolderBound boundTo(Model to) {
        if (outputs() != 1 || to.outputs() != 1 || dimension() != to.dimension() || kind() != to.kind()
                || !classes.equals(to.classes) || !features.sameFunctionAs(to.features)) {
            return null;
        }
        return HolderBound.of(weights, bias[0], to.weights, to.bias[0]);
    }

    /**
     * Each output's Hölder bound for a change to {@code to} (one per member of an ensemble), or null when no bound covers
     * it: another kind, number of outputs, shape, feature function or classes.
     */
    final HolderBound[] memberBoundsTo(Model to) {
        int k = outputs();
        int d = dimension();
        if (k != to.outputs() || d != to.dimension() || kind() != to.kind() || !classes.equals(to.classes)
                || !features.sameFunctionAs(to.features)) {
            return null;
        }
        HolderBound[] out = new HolderBound[k];
        for (int o = 0; o < k; o++) {
            out[o] = HolderBound.of(Arrays.copyOfRange(weights, o * d, (o + 1) * d), bias[o],
                    Arrays.copyOfRange(to.weights, o * d, (o + 1) * d), to.bias[o]);
        }
        return out;
    }

    /** The weights themselves (no copy), for the subclasses' scoring. */
    final double[] weightsView() {
        return weights;
    }

    /** The weight of feature {@code i} of output {@code o}. */
    final double weight(int o, int i) {
        return weights[o * dimension() + i];
    }

    final double bias(int o) {
        return bias[o];
    }

    /** The class index of a label, or a clear error naming the classes. */
    final int classIndex(String clazz) {
        int c = classes.indexOf(clazz);
        if (c < 0) {
            throw Errors.invalidParameter("model '" + name + "' has no class '" + clazz + "' (classes: "
                    + String.join(", ", classes) + ")");
        }
        return c;
    }

    /** Output 0's margin as SQL: bias + w_0·x_0 + ..., summed left to right as {@link #margin(double[])} does. */
    final Optional<String> sqlMargin(List<String> inputs, SqlDialect dialect) {
        if (!(features instanceof DenseFeatures)) {
            return Optional.empty();
        }
        if (inputs.size() != dimension()) {
            throw Errors.wrongArity(name, features.inputs(), inputs.size());
        }
        StringBuilder sql = new StringBuilder(dialect.number(bias[0]));
        for (int i = 0; i < inputs.size(); i++) {
            sql.append(" + ").append(dialect.number(weights[i])).append(" * ").append(inputs.get(i));
        }
        return Optional.of(sql.toString());
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
            if (!linearRows()) {
                return new Evaluation(this, marginsOf(bow.vectorize(text)));
            }
            bow.margins(text, weights, bias, margins);
        } else {
            double[] x = denseRow(inputs);
            for (int o = 0; o < margins.length; o++) {
                margins[o] = margin(x, o);
            }
        }
        return new Evaluation(this, margins);
    }

    /** The feature vector of a row's inputs; null when an input is NULL. */
    public FeatureVector featureVector(Object[] inputs) {
        for (Object v : inputs) {
            if (v == null) {
                return null;
            }
        }
        if (features instanceof BagOfWords bow) {
            if (!(inputs[0] instanceof String s)) {
                throw Errors.wrongType(name, bow.input(), "text", inputs[0]);
            }
            return bow.vectorize(s);
        }
        return new DenseVector(denseRow(inputs));
    }

    /** Converts SQL values to a dense row, checking types and finiteness. */
    public double[] denseRow(Object[] inputs) {
        List<String> names = features.inputs();
        double[] x = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = DenseFeatures.number(name, names.get(i), inputs[i], "a number");
        }
        return x;
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
    public final boolean equals(Object o) {
        return o instanceof Model m && name.equals(m.name) && kind() == m.kind() && classes.equals(m.classes)
                && Arrays.equals(weights, m.weights) && Arrays.equals(bias, m.bias) && features.sameFunctionAs(m.features);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(name, kind(), Arrays.hashCode(bias));
    }

    @Override
    public String toString() {
        return kind().sqlName() + " model '" + name + "' (" + String.join(", ", inputs()) + " -> " + outputs()
                + " output" + (outputs() == 1 ? "" : "s") + ", " + dimension() + " features)";
    }
}
