package dev.augur.engine.calibration;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.model.Evaluation;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.SgdTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Split-conformal prediction for any model, written once: the nonconformity score of a labelled row (classifiers:
 * 1 − p(true class) from the model's class probabilities; regressors: |y − ŷ|), a calibration from a calibration
 * set, and what PREDICT_SET, PREDICT_INTERVAL and PREDICT_LABEL_IF_CERTAIN answer from it.
 *
 * <p>The guarantee: if the calibration rows and a new row are exchangeable (drawn from the same distribution, in
 * no particular order), the set (interval) holds the new row's true class (value) with probability at least
 * 1 − alpha. It says nothing once the data drift away from the calibration set.
 */
public final class Conformal {
    private Conformal() {
    }

    /** An alpha of PREDICT_SET: strictly between 0 and 1. */
    public static double checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw Errors.invalidParameter("alpha must lie strictly between 0 and 1, got " + alpha
                    + " (alpha is the share of rows whose set may miss the true class, e.g. 0.1)");
        }
        return alpha;
    }

    /** A level of PREDICT_INTERVAL, strictly between 0 and 1; its alpha is 1 − level. */
    public static double alphaOfLevel(double level) {
        if (!(level > 0 && level < 1)) {
            throw Errors.invalidParameter("level must lie strictly between 0 and 1, got " + level
                    + " (level is the share of rows whose interval holds the true value, e.g. 0.9)");
        }
        return 1 - level;
    }

    /**
     * Calibrates {@code model} on labelled rows (its inputs in order, then the true label or value). Rows with a NULL
     * are skipped, as PREDICT answers NULL for them. Each row is scored by the model itself, so a wrong type or count
     * is the model's own error.
     */
    public static Calibration calibrate(Model model, Method method, List<Object[]> rows) {
        int nIn = model.inputs().size();
        boolean classifier = model.kind().isClassifier();
        if (method == Method.MONDRIAN && !classifier) {
            throw Errors.invalidParameter("model '" + model.name() + "' is a " + model.kind().title()
                    + " model without classes; Mondrian calibration groups rows by class: use method split");
        }
        boolean quantiles = model.kind().uncertainty() == ModelKind.Uncertainty.QUANTILES;
        if (method == Method.CQR && !quantiles) {
            throw Errors.invalidParameter("model '" + model.name() + "' is a " + model.kind().title() + " model; method cqr"
                    + " conformalizes a quantile model's trained interval (" + ModelKind.QUANTILE_LINEAR.sqlName() + "): use method split");
        }
        if (quantiles && method == Method.SPLIT) {
            // split conformal of a quantile model scores its interval, not its median (conformalized quantile regression)
            method = Method.CQR;
        }
        if (method == Method.NORMALIZED) {
            return calibrateNormalized(model, rows);
        }
        List<String> classes = model.classes();
        int strata = method != Method.MONDRIAN ? 1 : classes.size();
        double[][] buffers = new double[strata][16];
        int[] counts = new int[strata];
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            if (row.length != nIn + 1) {
                throw columns(model, row.length);
            }
            Object label = row[nIn];
            Object[] inputs = Arrays.copyOf(row, nIn);
            Evaluation e = label == null ? null : model.evaluate(inputs);
            if (e == null) {
                continue;
            }
            int s = 0;
            double score;
            if (classifier) {
                String clazz = SgdTrainer.labelText(label);
                int c = classes.indexOf(clazz);
                if (c < 0) {
                    throw Errors.invalidParameter("calibration row " + (r + 1) + " has the label '" + Errors.abbreviate(clazz, 40)
                            + "', not a class of model '" + model.name() + "' (classes: " + String.join(", ", classes) + ")");
                }
                score = classScore(e, clazz);
                s = method == Method.SPLIT ? 0 : c;
            } else {
                if (!(label instanceof Number y) || !Double.isFinite(y.doubleValue())) {
                    throw new AugurException(Errors.DATATYPE_MISMATCH, "calibration row " + (r + 1) + " has the value " + label
                            + "; model '" + model.name() + "' is a regressor and needs a finite number as the last column");
                }
                score = method == Method.CQR ? cqrScore(y.doubleValue(), e) : Math.abs(y.doubleValue() - e.score());
            }
            if (counts[s] == buffers[s].length) {
                buffers[s] = Arrays.copyOf(buffers[s], counts[s] * 2);
            }
            buffers[s][counts[s]++] = score;
        }
        for (int s = 0; s < strata; s++) {
            if (counts[s] == 0) {
                throw Errors.invalidParameter("the calibration query for model '" + model.name() + "' has no rows without NULL"
                        + (method != Method.MONDRIAN ? "" : " of class '" + classes.get(s) + "'; Mondrian calibration needs examples of every class"));
            }
            buffers[s] = Arrays.copyOf(buffers[s], counts[s]);
        }
        return Calibration.of(method, method != Method.MONDRIAN ? List.of() : classes, buffers);
    }

    /** CQR's nonconformity: max(lo − y, y − hi) over the trained interval (negative when y lies inside it). */
    public static double cqrScore(double y, Evaluation e) {
        double[] interval = e.quantileInterval();
        return Math.max(interval[0] - y, y - interval[1]);
    }

    /**
     * Normalized calibration: residual |y − ŷ| over (σ + β), σ the row's spread, β the median spread of the rows (the
     * lower median: the ⌈n/2⌉-th smallest, as PostgreSQL's percentile_disc(0.5) takes it).
     */
    private static Calibration calibrateNormalized(Model model, List<Object[]> rows) {
        if (model.kind().isClassifier() || !model.outputsSupported().contains(Model.Output.SPREAD)) {
            throw Errors.invalidParameter("model '" + model.name() + "' is a " + model.kind().title() + " model; normalized calibration"
                    + " divides a regressor's residual by its spread, which only regressors with a spread have ("
                    + ModelKind.regressorSpreadNames() + "): use method split");
        }
        int nIn = model.inputs().size();
        double[] residuals = new double[rows.size()];
        double[] spreads = new double[rows.size()];
        int n = 0;
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            if (row.length != nIn + 1) {
                throw columns(model, row.length);
            }
            Object label = row[nIn];
            Evaluation e = label == null ? null : model.evaluate(Arrays.copyOf(row, nIn));
            if (e == null) {
                continue;
            }
            if (!(label instanceof Number y) || !Double.isFinite(y.doubleValue())) {
                throw new AugurException(Errors.DATATYPE_MISMATCH, "calibration row " + (r + 1) + " has the value " + label
                        + "; model '" + model.name() + "' is a regressor and needs a finite number as the last column");
            }
            residuals[n] = Math.abs(y.doubleValue() - e.score());
            spreads[n] = e.spread();
            n++;
        }
        if (n == 0) {
            throw Errors.invalidParameter("the calibration query for model '" + model.name() + "' has no rows without NULL");
        }
        double[] sorted = Arrays.copyOf(spreads, n);
        Arrays.sort(sorted);
        double offset = sorted[(n - 1) / 2];
        if (!(offset > 0)) {
            throw Errors.invalidParameter((model.kind().isEnsemble() ? "the members of model '" + model.name() + "' agree exactly"
                    : "model '" + model.name() + "' has a spread of 0") + " on at least half of the calibration"
                    + " rows (median spread 0), so its spread cannot scale the residuals: use method split");
        }
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = residuals[i] / (spreads[i] + offset);
        }
        return Calibration.normalized(scores, offset);
    }

    /** The calibration query's column count does not match the model: its inputs, then the label. */
    public static AugurException columns(Model model, int got) {
        return Errors.invalidParameter("the calibration query returns " + got + " column" + (got == 1 ? "" : "s")
                + "; model '" + model.name() + "' needs its " + model.inputs().size() + " input" + (model.inputs().size() == 1 ? "" : "s")
                + " (" + String.join(", ", model.inputs()) + ") followed by the " + (model.kind().isClassifier() ? "true class" : "true value"));
    }

    /** The nonconformity of class {@code clazz} for an evaluated row: 1 − p(clazz). */
    public static double classScore(Evaluation e, String clazz) {
        return 1 - e.probability(clazz);
    }

    /**
     * The thresholds of PREDICT_SET at {@code alpha}, one per class of the model (in its order): q̂ for every class
     * (split) or q̂ of the class (Mondrian). Checked before any row is scored, so that a bad alpha or a calibration
     * too small for it is an error whatever the inputs.
     *
     * @param ref      the model as the error messages name it, e.g. {@code 'spam' version 3}
     * @param function the SQL function asking, for the messages
     */
    public static double[] thresholds(Model model, Calibration calibration, double alpha, String ref, String function) {
        requireClassifier(model, function);
        checkAlpha(alpha);
        List<String> classes = model.classes();
        double[] q = new double[classes.size()];
        for (int c = 0; c < q.length; c++) {
            q[c] = calibration.method() == Method.SPLIT && c > 0 ? q[0]
                    : calibration.quantile(alpha, stratum(calibration, classes.get(c), ref), ref, "alpha " + alpha);
        }
        return q;
    }

    /**
     * PREDICT_SET: the classes c with 1 − p(c) ≤ its threshold, in the model's class order; it may be empty (no class
     * conforms) or hold every class.
     */
    public static List<String> predictionSet(Model model, double[] thresholds, Evaluation e) {
        List<String> classes = model.classes();
        List<String> out = new ArrayList<>(2);
        for (int c = 0; c < thresholds.length; c++) {
            if (classScore(e, classes.get(c)) <= thresholds[c]) {
                out.add(classes.get(c));
            }
        }
        return out;
    }

    /** PREDICT_LABEL_IF_CERTAIN: the one class of the conformal set, or null (abstain) when it holds none or several. */
    public static String labelIfCertain(Model model, double[] thresholds, Evaluation e) {
        List<String> set = predictionSet(model, thresholds, e);
        return set.size() == 1 ? set.get(0) : null;
    }

    /** PREDICT_INTERVAL's half width at {@code level}: q̂ at alpha = 1 − level (checked before any row is scored). */
    public static double halfWidth(Model model, Calibration calibration, double level, String ref) {
        requireRegressor(model);
        return calibration.quantile(alphaOfLevel(level), 0, ref, "level " + level);
    }

    /** PREDICT_INTERVAL: [ŷ − q̂, ŷ + q̂]; normalized, [ŷ − q̂ (σ + β), ŷ + q̂ (σ + β)]; CQR, [lo − q̂, hi + q̂]. */
    public static double[] interval(Calibration calibration, double halfWidth, Evaluation e) {
        if (calibration.method() == Method.CQR) {
            double[] trained = e.quantileInterval();
            return new double[]{trained[0] - halfWidth, trained[1] + halfWidth};
        }
        double y = e.score();
        double h = calibration.method() == Method.NORMALIZED ? halfWidth * (e.spread() + calibration.spreadOffset()) : halfWidth;
        return new double[]{y - h, y + h};
    }

    /**
     * PREDICT_INTERVAL of an uncalibrated version: checked before any row is scored (the kind, 42809; a kind with no
     * interval of its own, 55000 naming CALIBRATE_MODEL; the level, 22023; a quantile model's trained level, 22023).
     * Afterwards {@link Evaluation#modelInterval} answers each row: a Bayesian regressor's μ ± z·sd, a quantile model's
     * trained interval.
     */
    public static void checkModelInterval(Model model, int version, double level) {
        requireRegressor(model);
        if (!model.kind().hasModelInterval()) {
            throw notCalibrated(model.name(), version, "PREDICT_INTERVAL");
        }
        alphaOfLevel(level);
        model.checkModelIntervalLevel(level);
    }

    /** PREDICT_SET and PREDICT_LABEL_IF_CERTAIN are for classifiers: a regressor is 42809, naming PREDICT_INTERVAL. */
    public static void requireClassifier(Model model, String function) {
        if (!model.kind().isClassifier()) {
            throw new AugurException(Errors.WRONG_OBJECT_TYPE, "model '" + model.name() + "' is a " + model.kind().title()
                    + " model without classes; " + function + " is for classifiers: use PREDICT_INTERVAL(model, level, ...)"
                    + " for its conformal interval");
        }
    }

    /** PREDICT_INTERVAL is for regressors: a classifier is 42809, naming PREDICT_SET. */
    public static void requireRegressor(Model model) {
        if (model.kind().isClassifier()) {
            throw new AugurException(Errors.WRONG_OBJECT_TYPE, "model '" + model.name() + "' is a " + model.kind().title()
                    + " classifier; PREDICT_INTERVAL is for regressors: use PREDICT_SET(model, alpha, ...) for its conformal set of classes");
        }
    }

    /** An uncalibrated model asked for a conformal guarantee: 55000, naming CALIBRATE_MODEL. */
    public static AugurException notCalibrated(String name, int version, String function) {
        return new AugurException(Errors.NOT_IN_PREREQUISITE_STATE, "model '" + name + "' version " + version
                + " is not calibrated, and " + function + " gives a conformal guarantee only from a calibration: run AUGUR.CALIBRATE_MODEL('"
                + name + "', " + version + ", 'SELECT <inputs>, <label> FROM <held-out rows>') and deploy (or pin as '" + name
                + "@<version>') the version it returns");
    }

    private static int stratum(Calibration calibration, String clazz, String ref) {
        int s = calibration.stratumOf(clazz);
        if (s < 0) {
            throw Errors.corruptPayload("the calibration of model " + ref + " has no scores for class '" + clazz + "'");
        }
        return s;
    }
}
