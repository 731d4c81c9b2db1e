package dev.augur.engine.model;

import dev.augur.engine.features.Features;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A binary linear classifier: one margin, the label its sign (classes: negative first), the score and the class
 * probabilities the logistic of the margin. The kinds differ in how they are trained (their loss), not in scoring.
 */
abstract sealed class SignClassifier extends Model permits LogisticRegression, LinearSvm {
    SignClassifier(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
    }

    @Override
    public final Set<Output> outputsSupported() {
        return EnumSet.of(Output.SCORE, Output.LABEL, Output.PROBABILITY);
    }

    @Override
    public final double score(double[] x) {
        return Links.sigmoid(margin(x));
    }

    @Override
    final double scoreOf(double[] margins) {
        return Links.sigmoid(margins[0]);
    }

    @Override
    final String labelOf(double[] margins) {
        return labelOfMargin(margins[0]);
    }

    @Override
    final double probabilityOf(String clazz, double[] margins) {
        int c = classIndex(clazz);
        double p = Links.sigmoid(margins[0]);
        return c == 1 ? p : 1 - p;
    }

    @Override
    public final ViewBound viewBound() {
        return ViewBound.HOLDER_THROUGH_LINK;
    }


    @Override
    public final double scoreOfMargin(double margin) {
        return Links.sigmoid(margin);
    }

    @Override
    public final String labelOfMargin(double margin) {
        return classes().get(margin >= 0 ? 1 : 0);
    }

    @Override
    public final Optional<String> sqlScore(List<String> inputs, SqlDialect dialect) {
        return sqlMargin(inputs, dialect).map(m -> kind().link().sqlScoreOf(m, dialect));
    }
}
