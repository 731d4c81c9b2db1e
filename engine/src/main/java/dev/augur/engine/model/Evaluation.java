package dev.augur.engine.model;

/** The margins of one row, and what SQL asks of them: score, label, class probability (the model's kind answers). */
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
        return model.scoreOf(margins);
    }

    /** PREDICT_LABEL: the class label as text. */
    public String label() {
        return model.labelOf(margins);
    }

    /** PREDICT_STDDEV: the members' standard deviation (an ensemble's), a posterior's; 22023 for one plain model. */
    public double spread() {
        return model.spreadOf(margins);
    }

    /** PREDICT_INTERVAL of an uncalibrated model with one of its own (see {@link Model#checkModelIntervalLevel}). */
    public double[] modelInterval(double level) {
        return model.modelIntervalOf(margins, level);
    }

    /** A quantile model's trained {lower, upper} (its CQR calibration widens it), ordered. */
    public double[] quantileInterval() {
        return QuantileRegression.interval(margins);
    }

    /** The model's classes, in its order (empty for a regressor). */
    public java.util.List<String> classes() {
        return model.classes();
    }

    /** The probability of each of the model's classes, in its order: PREDICT_PROBA of each. */
    public double[] probabilities() {
        java.util.List<String> classes = model.classes();
        double[] p = new double[classes.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = model.probabilityOf(classes.get(i), margins);
        }
        return p;
    }

    /** PREDICT_PROBA: the probability of one class, named by its label. */
    public double probability(String clazz) {
        return model.probabilityOf(clazz, margins);
    }
}
