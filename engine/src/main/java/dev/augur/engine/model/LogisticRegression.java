package dev.augur.engine.model;

import dev.augur.engine.features.Features;

import java.util.List;

/** Binary logistic regression (log loss).. */
final class LogisticRegression extends SignClassifier {
    LogisticRegression(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
    }

    @Override
    public ModelKind kind() {
        return ModelKind.LOGISTIC;
    }
}
