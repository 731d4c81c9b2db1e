package dev.augur.engine.model;

import dev.augur.engine.features.Features;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Multi-class softmax regression: one margin per class; the score is the probability of the most likely class. */
final class SoftmaxRegression extends Model {
    SoftmaxRegression(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
    }

    @Override
    public ModelKind kind() {
        return ModelKind.SOFTMAX;
    }

    @Override
    public Set<Output> outputsSupported() {
        return EnumSet.of(Output.SCORE, Output.LABEL, Output.PROBABILITY);
    }

    @Override
    public double score(double[] x) {
        double[] margins = new double[outputs()];
        for (int o = 0; o < margins.length; o++) {
            margins[o] = margin(x, o);
        }
        return scoreOf(margins);
    }

    @Override
    double scoreOf(double[] margins) {
        return Links.softmax(margins)[Links.argmax(margins)];
    }

    @Override
    String labelOf(double[] margins) {
        return classes().get(Links.argmax(margins));
    }

    @Override
    double probabilityOf(String clazz, double[] margins) {
        return Links.softmax(margins)[classIndex(clazz)];
    }

    /** A view keeps one margin per row, and softmax has one per class: no bound, and no single-margin score. */
    @Override
    public ViewBound viewBound() {
        return ViewBound.NONE;
    }


    @Override
    public double scoreOfMargin(double margin) {
        throw new UnsupportedOperationException("a softmax model has one margin per class, not one");
    }

    @Override
    public String labelOfMargin(double margin) {
        throw new UnsupportedOperationException("a softmax model has one margin per class, not one");
    }

    @Override
    public Optional<String> sqlScore(List<String> inputs, SqlDialect dialect) {
        return Optional.empty();
    }
}
