package dev.augur.engine.model;

import dev.augur.engine.Errors;
import dev.augur.engine.features.Features;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Quantile linear regression: rows 0, 1 and 2 of its linear map are the median and the lower and upper quantiles,
 * (1 − level)/2 and (1 + level)/2, each trained by the pinball loss; row 3 holds the trained level as its bias (its
 * weights 0: its margin is the level whatever the row). The score is the median. Uncalibrated, PREDICT_INTERVAL answers
 * the trained interval at the trained level only; a CQR calibration (conformalized quantile regression) widens or
 * narrows it for any level.
 */
final class QuantileRegression extends Model {
    static final int MEDIAN = 0;
    static final int LOWER = 1;
    static final int UPPER = 2;
    static final int LEVEL = 3;

    QuantileRegression(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
        int d = features.dimension();
        for (int i = 0; i < d; i++) {
            if (weights[LEVEL * d + i] != 0) {
                throw Errors.invalidParameter("model '" + name + "' has a level row (its last) with a weight " + weights[LEVEL * d + i]
                        + "; the level row's weights are 0 and its bias is the trained level");
            }
        }
        if (!(bias[LEVEL] > 0 && bias[LEVEL] < 1)) {
            throw Errors.invalidParameter("model '" + name + "' has a trained level " + bias[LEVEL] + "; it must lie strictly between 0 and 1");
        }
    }

    @Override
    public ModelKind kind() {
        return ModelKind.QUANTILE_LINEAR;
    }

    /** The level the lower and upper quantiles were trained for. */
    public double trainedLevel() {
        return bias(LEVEL);
    }

    @Override
    public Set<Output> outputsSupported() {
        return EnumSet.of(Output.SCORE);
    }

    @Override
    public double score(double[] x) {
        return margin(x, MEDIAN);
    }

    @Override
    double scoreOf(double[] margins) {
        return margins[MEDIAN];
    }

    /** The trained quantiles as an interval, {min, max} of the two (so that crossed quantiles still bound an interval). */
    static double[] interval(double[] margins) {
        double lo = margins[LOWER];
        double hi = margins[UPPER];
        return lo <= hi ? new double[]{lo, hi} : new double[]{hi, lo};
    }

    @Override
    public void checkModelIntervalLevel(double level) {
        if (level != trainedLevel()) {
            throw Errors.invalidParameter("model '" + name() + "' is a quantile model trained for level " + trainedLevel()
                    + " and is not calibrated: its own interval answers level " + trainedLevel() + " only, got " + level
                    + "; calibrate it (AUGUR.CALIBRATE_MODEL, conformalized quantile regression) for any level");
        }
    }

    @Override
    double[] modelIntervalOf(double[] margins, double level) {
        checkModelIntervalLevel(level);
        return interval(margins);
    }

    @Override
    String labelOf(double[] margins) {
        throw Errors.invalidParameter("model '" + name() + "' is a " + kind().title() + " model and has no labels; use PREDICT for its value");
    }

    @Override
    double probabilityOf(String clazz, double[] margins) {
        throw Errors.invalidParameter("model '" + name() + "' is a " + kind().title() + " model and has no classes; use PREDICT for its value");
    }

    @Override
    public ViewBound viewBound() {
        return ViewBound.NONE;
    }

    @Override
    public double scoreOfMargin(double margin) {
        throw new UnsupportedOperationException("a quantile model has one margin per quantile, not one");
    }

    @Override
    public String labelOfMargin(double margin) {
        throw new UnsupportedOperationException("a quantile model has one margin per quantile, not one");
    }

    @Override
    public Optional<String> sqlScore(List<String> inputs, SqlDialect dialect) {
        return Optional.empty();
    }
}
