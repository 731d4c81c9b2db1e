package dev.augur.engine.model;

import dev.augur.engine.Errors;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of model: each is one subclass of {@link Model} (see {@link Model#of}). The ids are part of the codec:
 * never renumber. Every switch on a kind is a switch expression without a default, so a new kind fails to compile
 * wherever it must be handled.
 */
public enum ModelKind {
    /** Linear regression (squared loss); the score is the margin. */
    LINEAR(1, "linear", "linear regression", 0, 0),
    /** Binary logistic regression; the score is P(positive class). */
    LOGISTIC(2, "logistic", "logistic", 2, 2),
    /** Binary linear SVM (hinge loss); the score is the logistic of the margin, uncalibrated; the label is sign(margin). */
    SVM(3, "svm", "svm", 2, 2),
    /** Multi-class softmax regression (cross-entropy); the score is the probability of the most likely class. */
    SOFTMAX(4, "softmax", "softmax", 2, Integer.MAX_VALUE),
    /**
     * A bagged ensemble of linear regressions: K members (K ≥ 2 margins), each trained on its own bootstrap sample; the
     * score is the members' mean, the spread their standard deviation.
     */
    BAGGED_LINEAR(5, "bagged_linear", "bagged linear regression", 0, 0),
    /** A bagged ensemble of logistic regressions: the score is the members' mean probability, the label its side of 1/2. */
    BAGGED_LOGISTIC(6, "bagged_logistic", "bagged logistic", 2, 2),
    /** A bagged ensemble of linear SVMs, scored as {@link #BAGGED_LOGISTIC} (each member's logistic, uncalibrated). */
    BAGGED_SVM(7, "bagged_svm", "bagged svm", 2, 2),
    /**
     * Bayesian linear regression: a Gaussian prior on the weights, the noise variance estimated from the residuals; the
     * score is the posterior mean's prediction, the spread the predictive standard deviation sqrt(σ² + x̃ᵀΣx̃).
     */
    BAYES_LINEAR(8, "bayes_linear", "Bayesian linear regression", 0, 0),
    /**
     * Bayesian logistic regression (Laplace approximation at the MAP): the score is the probit-corrected probability
     * σ(μ / sqrt(1 + π s²/8)), s² = x̃ᵀΣx̃ the margin's posterior variance; the spread is s; the label μ's sign.
     */
    BAYES_LOGISTIC(9, "bayes_logistic", "Bayesian logistic", 2, 2),
    /**
     * Quantile linear regression (pinball loss): the median and the lower and upper quantiles of a trained level; the
     * score is the median.
     */
    QUANTILE_LINEAR(10, "quantile_linear", "quantile linear regression", 0, 0);

    /**
     * What a kind knows of its own uncertainty, beyond its score: nothing; its members' disagreement (an ensemble); a
     * Gaussian posterior over its weights (rows after the first: see {@link Model}); or trained quantiles. The SQL names
     * are the catalog's (PostgreSQL's PL/pgSQL branches on them, never on kind names).
     */
    public enum Uncertainty {
        NONE, MEMBERS, POSTERIOR, QUANTILES;

        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How a kind's margins become its score and label: the identity (no label), the logistic of one margin (the label
     * its sign), or softmax over one margin per class (the label the largest). The SQL names are the catalog's.
     */
    public enum Link {
        IDENTITY("identity", 1.0),
        /** The logistic function's largest slope is 1/4 (at 0): it bounds how far a score moves with its margin. */
        LOGISTIC("logistic", 0.25),
        /** One margin per class: no single-margin score, no Lipschitz constant a view could use. */
        SOFTMAX("softmax", Double.NaN);

        private final String sqlName;
        private final double lipschitz;

        Link(String sqlName, double lipschitz) {
            this.sqlName = sqlName;
            this.lipschitz = lipschitz;
        }

        public String sqlName() {
            return sqlName;
        }

        /** The Lipschitz constant from margin to score (NaN where the score is not a function of one margin). */
        public double lipschitz() {
            return lipschitz;
        }

        /** True where the score and label are functions of one margin. */
        public boolean singleMargin() {
            return this != SOFTMAX;
        }

        /** The score of one margin as SQL text (the engine's arithmetic; see {@link SqlDialect}); single-margin links. */
        public String sqlScoreOf(String margin, SqlDialect dialect) {
            return switch (this) {
                case IDENTITY -> margin;
                case LOGISTIC -> dialect.sigmoid(margin);
                case SOFTMAX -> throw new IllegalStateException("softmax has one margin per class");
            };
        }

        /**
         * The label of one margin as SQL text over a 1-based array of the classes (negative first): NULL for a NULL
         * margin and where the link has no label. The margin is referenced once, so an inlined expression is computed
         * once per row. Its constant is typed as the margin: an operator of mixed types is found through the caller's
         * search_path, where on PostgreSQL a role that may create in a schema on it could supply its own.
         */
        public String sqlLabelOf(String margin, String classesArray) {
            return switch (this) {
                case IDENTITY -> "NULL";
                case LOGISTIC -> "(" + classesArray + ")[2 - CAST(" + margin + " < CAST(0 AS DOUBLE PRECISION) AS INTEGER)]";
                case SOFTMAX -> throw new IllegalStateException("softmax has one margin per class");
            };
        }

        /** The largest of non-NULL margins as SQL text: the shift softmax takes its exponentials from. */
        public static String sqlMaxOf(List<String> margins) {
            return "GREATEST(" + String.join(", ", margins) + ")";
        }

        /**
         * The probability softmax gives the class of margin {@code classMargin} among {@code margins} (one per class, in
         * class order, non-NULL), as SQL text: {@link Links#softmax}'s arithmetic, each margin's exponential shifted by
         * {@code max} (SQL text of {@link #sqlMaxOf}, referenced once per class: pass a variable), summed in class order,
         * the class's divided by the sum; the exponential is the dialect's ({@link SqlDialect#expOfShifted}).
         */
        public String sqlProbabilityOf(List<String> margins, String classMargin, String max, SqlDialect dialect) {
            return switch (this) {
                case IDENTITY, LOGISTIC -> throw new IllegalStateException(sqlName + " has one margin: see sqlScoreOf");
                case SOFTMAX -> dialect.expOfShifted(classMargin + " - " + max) + " / ("
                        + margins.stream().map(m -> dialect.expOfShifted(m + " - " + max)).collect(Collectors.joining(" + ")) + ")";
            };
        }

        /**
         * The label of margins (one per class, in class order, non-NULL) over a 1-based array of the classes, as SQL
         * text: the class of the largest margin, the first of equals ({@link Links#argmax}).
         */
        public String sqlLabelOf(List<String> margins, String classesArray) {
            return switch (this) {
                case IDENTITY, LOGISTIC -> throw new IllegalStateException(sqlName + " has one margin: see sqlLabelOf(String, String)");
                case SOFTMAX -> {
                    // class c wins where its margin is at least every later one, all earlier ones having lost
                    StringBuilder s = new StringBuilder("CASE");
                    int k = margins.size();
                    for (int c = 0; c < k - 1; c++) {
                        String rest = k - c == 2 ? margins.get(k - 1) : sqlMaxOf(margins.subList(c + 1, k));
                        s.append(" WHEN ").append(margins.get(c)).append(" >= ").append(rest)
                                .append(" THEN (").append(classesArray).append(")[").append(c + 1).append("]");
                    }
                    yield s.append(" ELSE (").append(classesArray).append(")[").append(k).append("] END").toString();
                }
            };
        }
    }

    /** The loss a kind is trained with (LinearSgd's gradient); the SQL names are the catalog's. */
    public enum Loss {
        SQUARED, LOGISTIC, HINGE, CROSS_ENTROPY, PINBALL;

        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int id;
    private final String sqlName;
    private final String title;
    private final int minClasses;
    private final int maxClasses;

    ModelKind(int id, String sqlName, String title, int minClasses, int maxClasses) {
        this.id = id;
        this.sqlName = sqlName;
        this.title = title;
        this.minClasses = minClasses;
        this.maxClasses = maxClasses;
    }

    public int id() {
        return id;
    }

    /** The name used in SQL and JSON ({@code logistic}). */
    public String sqlName() {
        return sqlName;
    }

    /** How messages name the kind: "a linear regression model ...". */
    public String title() {
        return title;
    }

    /** The link of each margin (of each member, for an ensemble). */
    public Link link() {
        return member().memberLink();
    }

    private Link memberLink() {
        return switch (this) {
            case LINEAR, BAGGED_LINEAR, BAYES_LINEAR, QUANTILE_LINEAR -> Link.IDENTITY;
            case LOGISTIC, SVM, BAGGED_LOGISTIC, BAGGED_SVM, BAYES_LOGISTIC -> Link.LOGISTIC;
            case SOFTMAX -> Link.SOFTMAX;
        };
    }

    /** The kind of one member: the kind itself, or for an ensemble the kind each member is trained as. */
    public ModelKind member() {
        return switch (this) {
            case LINEAR, LOGISTIC, SVM, SOFTMAX, BAYES_LINEAR, BAYES_LOGISTIC, QUANTILE_LINEAR -> this;
            case BAGGED_LINEAR -> LINEAR;
            case BAGGED_LOGISTIC -> LOGISTIC;
            case BAGGED_SVM -> SVM;
        };
    }

    /** What the kind knows of its uncertainty (see {@link Uncertainty}). */
    public Uncertainty uncertainty() {
        return switch (this) {
            case LINEAR, LOGISTIC, SVM, SOFTMAX -> Uncertainty.NONE;
            case BAGGED_LINEAR, BAGGED_LOGISTIC, BAGGED_SVM -> Uncertainty.MEMBERS;
            case BAYES_LINEAR, BAYES_LOGISTIC -> Uncertainty.POSTERIOR;
            case QUANTILE_LINEAR -> Uncertainty.QUANTILES;
        };
    }

    /** True where PREDICT_STDDEV answers: an ensemble's spread, a posterior's standard deviation. */
    public boolean hasSpread() {
        return uncertainty() == Uncertainty.MEMBERS || uncertainty() == Uncertainty.POSTERIOR;
    }

    /**
     * True where PREDICT_INTERVAL has an answer without a calibration: a Bayesian regressor's Gaussian interval, a
     * quantile model's trained interval (at its trained level only).
     */
    public boolean hasModelInterval() {
        return !isClassifier() && (uncertainty() == Uncertainty.POSTERIOR || uncertainty() == Uncertainty.QUANTILES);
    }

    /** True for an ensemble: one margin per member, averaged through the link. */
    public boolean isEnsemble() {
        return member() != this;
    }

    /** The bagged kind whose members are of this kind, or null when there is none. */
    public ModelKind bagged() {
        for (ModelKind k : values()) {
            if (k.isEnsemble() && k.member() == this) {
                return k;
            }
        }
        return null;
    }

    /** The loss each margin (each member) is trained with. */
    public Loss loss() {
        return switch (member()) {
            case LINEAR -> Loss.SQUARED;
            case LOGISTIC -> Loss.LOGISTIC;
            case SVM -> Loss.HINGE;
            case SOFTMAX -> Loss.CROSS_ENTROPY;
            case BAYES_LINEAR -> Loss.SQUARED;
            case BAYES_LOGISTIC -> Loss.LOGISTIC;
            case QUANTILE_LINEAR -> Loss.PINBALL;
            case BAGGED_LINEAR, BAGGED_LOGISTIC, BAGGED_SVM -> throw new IllegalStateException("a member is never an ensemble");
        };
    }

    /** The fewest classes a model of this kind has (0: a regressor). */
    public int minClasses() {
        return minClasses;
    }

    /** The most classes a model of this kind has ({@link Integer#MAX_VALUE}: no limit). */
    public int maxClasses() {
        return maxClasses;
    }

    public boolean isClassifier() {
        return link() != Link.IDENTITY;
    }

    /** True for kinds with exactly two classes (negative first). */
    public boolean isBinary() {
        return minClasses == 2 && maxClasses == 2;
    }

    /** True for kinds whose score and label are functions of one margin (what a prediction view stores). */
    public boolean isSingleMargin() {
        return uncertainty() == Uncertainty.NONE && link().singleMargin();
    }

    /** The problem with {@code classes} for this kind, in the words of every binding; null when there is none. */
    public String classesProblem(List<String> classes) {
        int n = classes.size();
        String got = ", got " + classes;
        if (maxClasses == 0 && n > 0) {
            return "a " + title + " model has no classes" + got;
        }
        if (minClasses == maxClasses && n != minClasses) {
            return "a " + title + " model needs exactly " + minClasses + " classes" + got;
        }
        if (n < minClasses) {
            return "a " + title + " model needs at least " + minClasses + " classes" + got;
        }
        return null;
    }

    /** The fewest members of an ensemble. */
    public static final int MIN_MEMBERS = 2;

    /**
     * The number of margins a model of this kind has over {@code classes}, which are checked for the kind; an
     * ensemble has as many as it has members, {@code given} (at least {@link #MIN_MEMBERS}).
     */
    int outputsFor(List<String> classes, int given, int dimension, boolean bagOfWords) {
        String problem = classesProblem(classes);
        if (problem != null) {
            throw Errors.invalidParameter(problem);
        }
        if (isEnsemble() && given < MIN_MEMBERS) {
            throw Errors.invalidParameter("a " + title + " model needs at least " + MIN_MEMBERS + " members, got " + given);
        }
        return isEnsemble() ? given : outputCount(classes.size(), dimension, bagOfWords);
    }

    /**
     * The number of margins over {@code classes} labels and {@code dimension} features, unchecked (to size what a reader
     * parses before the model): an ensemble's is its member count, which neither gives: -1. A posterior's rows: the mean,
     * then the factor A of Σ = AᵀA over (1, x) (d + 1 rows; bag of words: one row of variances, a diagonal Σ), then for
     * a regressor the noise row (bias σ); a quantile model's: median, lower, upper, the trained level (bias).
     */
    public int outputCount(int classes, int dimension, boolean bagOfWords) {
        return switch (uncertainty()) {
            case NONE -> link() == Link.SOFTMAX ? classes : 1;
            case MEMBERS -> -1;
            case POSTERIOR -> 1 + (bagOfWords ? 1 : dimension + 1) + (isClassifier() ? 0 : 1);
            case QUANTILES -> QUANTILE_ROWS;
        };
    }

    /** A quantile model's rows: median, lower, upper, and the trained level. */
    public static final int QUANTILE_ROWS = 4;

    /** The classes a model file may leave out: "0" and "1" for binary kinds, none otherwise. */
    public List<String> defaultClasses() {
        return isBinary() ? List.of("0", "1") : List.of();
    }

    public static ModelKind fromId(int id) {
        for (ModelKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        throw Errors.corruptPayload("unknown model kind id " + id);
    }

    public static ModelKind fromSqlName(String name) {
        if (name != null) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            for (ModelKind k : values()) {
                if (k.sqlName.equals(lower)) {
                    return k;
                }
            }
        }
        throw Errors.invalidParameter("unknown model kind '" + name + "'; kinds: " + names());
    }

    /** The binary kinds' names, as messages list them: {@code logistic or svm}. */
    public static String binaryNames() {
        return Arrays.stream(values()).filter(k -> k.isBinary() && k.isSingleMargin()).map(ModelKind::sqlName)
                .collect(Collectors.joining(" or "));
    }

    /** The bagged ensembles of the binary kinds, as messages list them: {@code bagged_logistic or bagged_svm}. */
    public static String baggedBinaryNames() {
        return Arrays.stream(values()).filter(k -> k.isEnsemble() && k.isBinary()).map(ModelKind::sqlName)
                .collect(Collectors.joining(" or "));
    }

    /** The ensemble kinds' names, comma-separated. */
    public static String ensembleNames() {
        return Arrays.stream(values()).filter(ModelKind::isEnsemble).map(ModelKind::sqlName).collect(Collectors.joining(", "));
    }

    /** The names of the kinds PREDICT_STDDEV answers for, comma-separated. */
    public static String spreadNames() {
        return Arrays.stream(values()).filter(ModelKind::hasSpread).map(ModelKind::sqlName).collect(Collectors.joining(", "));
    }

    /** The names of the regressors with a spread (what normalized calibration divides by), comma-separated. */
    public static String regressorSpreadNames() {
        return Arrays.stream(values()).filter(k -> k.hasSpread() && !k.isClassifier()).map(ModelKind::sqlName)
                .collect(Collectors.joining(", "));
    }

    /** The kinds' names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(ModelKind::sqlName).collect(Collectors.joining(", "));
    }
}
