package dev.augur.engine.model;

import dev.augur.engine.Errors;
import dev.augur.engine.features.Features;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A bagged ensemble of K single-margin members of one kind (linear, logistic or svm), each trained on its own bootstrap
 * sample: its linear map has one row per member, so K members over a row are one matrix product on any backend. The
 * score is the mean of the members' scores (their link of their margin); the spread is the members' standard deviation
 * (population form, over K); a classifier's label is the side of 1/2 its mean probability falls on (the members' mean
 * at exactly 1/2 is the positive class, as a margin of 0 is).
 */
abstract sealed class BaggedEnsemble extends Model permits BaggedEnsemble.Linear, BaggedEnsemble.Logistic, BaggedEnsemble.Svm {
    BaggedEnsemble(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
    }

    /** {@link ModelKind#BAGGED_LINEAR}. */
    static final class Linear extends BaggedEnsemble {
        Linear(String name, Features features, List<String> classes, double[] weights, double[] bias) {
            super(name, features, classes, weights, bias);
        }

        @Override
        public ModelKind kind() {
            return ModelKind.BAGGED_LINEAR;
        }
    }

    /** {@link ModelKind#BAGGED_LOGISTIC}. */
    static final class Logistic extends BaggedEnsemble {
        Logistic(String name, Features features, List<String> classes, double[] weights, double[] bias) {
            super(name, features, classes, weights, bias);
        }

        @Override
        public ModelKind kind() {
            return ModelKind.BAGGED_LOGISTIC;
        }
    }

    /** {@link ModelKind#BAGGED_SVM}. */
    static final class Svm extends BaggedEnsemble {
        Svm(String name, Features features, List<String> classes, double[] weights, double[] bias) {
            super(name, features, classes, weights, bias);
        }

        @Override
        public ModelKind kind() {
            return ModelKind.BAGGED_SVM;
        }
    }

    /** The number of members (margins). */
    public int members() {
        return outputs();
    }

    @Override
    public final Set<Output> outputsSupported() {
        return kind().isClassifier() ? EnumSet.allOf(Output.class) : EnumSet.of(Output.SCORE, Output.SPREAD);
    }

    @Override
    public double score(double[] x) {
        double sum = 0;
        int k = members();
        for (int o = 0; o < k; o++) {
            sum += memberScore(margin(x, o));
        }
        return sum / k;
    }

    private double memberScore(double margin) {
        return kind().link() == ModelKind.Link.IDENTITY ? margin : Links.sigmoid(margin);
    }

    @Override
    double scoreOf(double[] margins) {
        double sum = 0;
        for (double m : margins) {
            sum += memberScore(m);
        }
        return sum / margins.length;
    }

    @Override
    double spreadOf(double[] margins) {
        double mean = scoreOf(margins);
        double ss = 0;
        for (double m : margins) {
            double d = memberScore(m) - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / margins.length);
    }

    @Override
    String labelOf(double[] margins) {
        if (!kind().isClassifier()) {
            throw Errors.invalidParameter("model '" + name() + "' is a " + kind().title() + " model and has no labels; use PREDICT for its value");
        }
        return classes().get(scoreOf(margins) >= 0.5 ? 1 : 0);
    }

    @Override
    double probabilityOf(String clazz, double[] margins) {
        if (!kind().isClassifier()) {
            throw Errors.invalidParameter("model '" + name() + "' is a " + kind().title() + " model and has no classes; use PREDICT for its value");
        }
        int c = classIndex(clazz);
        double p = scoreOf(margins);
        return c == 1 ? p : 1 - p;
    }

    /** Each member's Hölder bound through the link, averaged (see {@link ViewBounds}). */
    @Override
    public ViewBound viewBound() {
        return ViewBound.HOLDER_PER_MEMBER;
    }

    /**
     * A view stores the decision value as the margin: the mean score less 1/2 for a classifier (exact where the mean is
     * at least 1/4, by Sterbenz's lemma, and of the mean's side of 1/2 everywhere, so its sign is the label), the mean
     * for a regressor; the score is the mean itself, not the margin plus 1/2, so that it equals PREDICT bit for bit.
     */
    @Override
    public ViewValues viewValues(double[] margins) {
        double mean = scoreOf(margins);
        boolean classifier = kind().isClassifier();
        return new ViewValues(classifier ? mean - 0.5 : mean, classifier ? labelOf(margins) : null, mean, spreadOf(margins));
    }

    @Override
    public double scoreOfMargin(double margin) {
        throw new UnsupportedOperationException("an ensemble has one margin per member, not one");
    }

    @Override
    public String labelOfMargin(double margin) {
        throw new UnsupportedOperationException("an ensemble has one margin per member, not one");
    }

    @Override
    public Optional<String> sqlScore(List<String> inputs, SqlDialect dialect) {
        return Optional.empty();
    }
}
