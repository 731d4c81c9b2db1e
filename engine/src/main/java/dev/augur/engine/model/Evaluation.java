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

    /** PREDICT_PROBA: the probability of one class, named by its label. */
    public double probability(String clazz) {
        return model.probabilityOf(clazz, margins);
    }
}
