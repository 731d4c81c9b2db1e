package dev.augur.engine;

import java.util.List;

/** The margins of one row, and what SQL asks of them: score, label, class probability. */
public final class Evaluation {
    private final Model model;
    private final double[] margins;

    Evaluation(Model model, double[] margins) {
        this.model = model;
        this.margins = margins;
    }

    public double margin() {
        return margins[0];
    }

    /** PREDICT: P(positive) for binary classifiers, the value for regression, max class probability for softmax. */
    public double score() {
        if (model.kind() == ModelKind.SOFTMAX) {
            return probabilities()[argmax()];
        }
        return model.scoreOfMargin(margins[0]);
    }

    /** PREDICT_LABEL: the class label as text. */
    public String label() {
        List<String> classes = model.classes();
        return switch (model.kind()) {
            case LINEAR -> throw Errors.invalidParameter("model '" + model.name()
                    + "' is a linear regression model and has no labels; use PREDICT for its value");
            case LOGISTIC, SVM -> classes.get(margins[0] >= 0 ? 1 : 0);
            case SOFTMAX -> classes.get(argmax());
        };
    }

    /** PREDICT_PROBA: the probability of one class, named by its label. */
    public double probability(String clazz) {
        if (model.kind() == ModelKind.LINEAR) {
            throw Errors.invalidParameter("model '" + model.name()
                    + "' is a linear regression model and has no classes; use PREDICT for its value");
        }
        List<String> classes = model.classes();
        int c = classes.indexOf(clazz);
        if (c < 0) {
            throw Errors.invalidParameter("model '" + model.name() + "' has no class '" + clazz + "' (classes: "
                    + String.join(", ", classes) + ")");
        }
        return switch (model.kind()) {
            case LINEAR -> throw new IllegalStateException("unreachable: checked above");
            case LOGISTIC, SVM -> {
                double p = Model.sigmoid(margins[0]);
                yield c == 1 ? p : 1 - p;
            }
            case SOFTMAX -> probabilities()[c];
        };
    }

    private int argmax() {
        int best = 0;
        for (int i = 1; i < margins.length; i++) {
            if (margins[i] > margins[best]) {
                best = i;
            }
        }
        return best;
    }

    private double[] probabilities() {
        return softmax(margins);
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
