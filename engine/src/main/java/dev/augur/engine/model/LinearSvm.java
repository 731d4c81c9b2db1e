package dev.augur.engine.model;

import dev.augur.engine.features.Features;

import java.util.List;

/** Binary linear SVM (hinge loss); its score is the logistic of the margin, uncalibrated. */
final class LinearSvm extends SignClassifier {
    LinearSvm(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
    }

    @Override
    public ModelKind kind() {
        return ModelKind.SVM;
    }
}
