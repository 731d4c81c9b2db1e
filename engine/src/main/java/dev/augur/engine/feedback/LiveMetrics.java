package dev.augur.engine.feedback;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;

import java.util.List;

/**
 * The live metrics' definitions, written once: what one joined pair (a served score and its label) adds to the sums
 * that {@code AUGUR.FEEDBACK_METRICS} and {@code AUGUR.FEEDBACK_CALIBRATION} keep per model version and window, and how
 * the view {@code AUGUR.LIVE_METRICS} turns the sums into metrics. For a binary classifier the score is the probability
 * of the positive class (the second of the model's classes) and y is 1 for that class, 0 for the other:
 * <ul>
 *   <li>accuracy: the share of pairs whose predicted class (positive when score ≥ 1/2) is the label;</li>
 *   <li>log loss: the mean of −(y ln p + (1 − y) ln(1 − p)), p the score clipped to [{@value #EPSILON}, 1 − {@value #EPSILON}];</li>
 *   <li>Brier score: the mean of (score − y)²;</li>
 *   <li>expected calibration error: Σ over {@value #BINS} equal-width score bins b of |Σ_b y − Σ_b score| / n
 *       (bin ⌊10·score⌋, a score of 1 in the last bin), i.e. the bins' |accuracy − confidence| weighted by their share.</li>
 * </ul>
 * For a model with more than two classes the served prediction is the probability vector p (one per class, in the
 * model's order; its confidence max p, its predicted class the first with that probability) and y the label's class:
 * <ul>
 *   <li>accuracy: the share of pairs whose predicted class is the label;</li>
 *   <li>log loss: the mean of −ln p_y, p_y clipped as above;</li>
 *   <li>Brier score: the mean of Σ over the classes c of (p_c − [c = y])²;</li>
 *   <li>expected calibration error (top label): Σ over {@value #BINS} equal-width bins of the confidence of
 *       |Σ_b correct − Σ_b confidence| / n. {@code FEEDBACK_CALIBRATION} keeps the correct ones in POSITIVES and the
 *       confidences in SCORE_SUM, so the view's formula is the binary one.</li>
 * </ul>
 * For a regressor: MAE, the mean of |score − y|, and RMSE, the square root of the mean of (score − y)².
 */
public final class LiveMetrics {
    /** Log loss clips probabilities this far from 0 and 1 (a sure wrong prediction costs ln(1e15) ≈ 34.5, not infinity). */
    public static final double EPSILON = 1e-15;
    /** Calibration bins of equal width over [0, 1]. */
    public static final int BINS = 10;
    /** How far from 1 a served probability vector may sum (rounding, not a different distribution). */
    public static final double PROBABILITY_SUM_TOLERANCE = 1e-6;

    private LiveMetrics() {
    }

    /**
     * The query of the view {@code AUGUR.LIVE_METRICS} (one row per feedback, model version and window), the sums turned
     * into the metrics defined above. Plain SQL that H2 and PostgreSQL read alike (unquoted names, standard casts): the
     * H2 binding declares it on install, PostgreSQL's catalog script is written from it at build time.
     */
    public static String viewQuery() {
        String cls = "f.target = '" + Target.CLASS.sqlName() + "'";
        String val = "f.target = '" + Target.VALUE.sqlName() + "'";
        // outer joins only, and no correlated subquery: H2 stores a view as its plan, made again on every open, and a
        // plan that depends on the tables' statistics (the order of an inner join, of a subquery's conditions) rewrites
        // the view's catalog row while the database opens, which a kill at that moment leaves unopenable (see README,
        // Durability). Every metrics row has its feedback (a foreign key), so the LEFT JOIN is the inner join.
        return "SELECT m.feedback, f.model, m.model_version, m.window_start, m.n,\n"
                + "       CASE WHEN " + cls + " THEN CAST(m.correct AS DOUBLE PRECISION) / m.n END AS accuracy,\n"
                + "       CASE WHEN " + cls + " THEN m.log_loss_sum / m.n END AS log_loss,\n"
                + "       CASE WHEN " + cls + " THEN m.brier_sum / m.n END AS brier,\n"
                + "       CASE WHEN " + cls + " THEN c.gap / m.n END AS ece,\n"
                + "       CASE WHEN " + val + " THEN m.abs_error_sum / m.n END AS mae,\n"
                + "       CASE WHEN " + val + " THEN SQRT(m.squared_error_sum / m.n) END AS rmse\n"
                + "FROM augur.feedback_metrics m LEFT JOIN augur.feedbacks f ON f.name = m.feedback\n"
                + "LEFT JOIN (SELECT feedback, model_version, window_start, SUM(ABS(positives - score_sum)) AS gap\n"
                + "           FROM augur.feedback_calibration GROUP BY feedback, model_version, window_start) c\n"
                + "       ON c.feedback = m.feedback AND c.model_version = m.model_version AND c.window_start = m.window_start";
    }

    /**
     * {@code AUGUR.FEEDBACK_COUNTS}: per feedback, its labels by outcome (joined, duplicates, unmatched, implicit
     * negatives). One outer join and counts of cases, for the reason {@link #viewQuery()} gives.
     */
    public static String countsViewQuery() {
        return "SELECT f.name AS feedback,\n"
                + "       COUNT(CASE WHEN NOT l.implicit THEN 1 END) AS labels,\n"
                + "       COUNT(CASE WHEN l.outcome = 'joined' AND NOT l.implicit THEN 1 END) AS joined,\n"
                + "       COUNT(CASE WHEN l.outcome = 'joined' AND l.implicit THEN 1 END) AS implicit_negatives,\n"
                + "       COUNT(CASE WHEN l.outcome = 'duplicate' THEN 1 END) AS duplicates,\n"
                + "       COUNT(CASE WHEN l.outcome = 'unmatched' THEN 1 END) AS unmatched\n"
                + "FROM augur.feedbacks f LEFT JOIN augur.feedback_labels l ON l.feedback = f.name\n"
                + "GROUP BY f.name";
    }

    /** What a feedback's labels are: a class of a binary classifier, or a regressor's value. */
    public enum Target {
        CLASS, VALUE;

        public String sqlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Target fromSqlName(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * One pair's terms. Classifier: correct (0/1), log loss, Brier, bin, positive (0/1; with more than two classes: correct),
     * confidence (what the bin's SCORE_SUM adds: the score, or max p); regressor: absolute and squared error (the other
     * terms 0).
     */
    public record Terms(long correct, double logLoss, double brier, int bin, long positive, double confidence, double absError,
                        double squaredError) {
    }

    /** The terms of a served score and its label: a class among {@code classes} (negative first), or a value. */
    public static Terms terms(Target target, List<String> classes, double score, String label) {
        return terms(target, classes, score, null, label);
    }

    /**
     * The terms of a served prediction and its label; {@code probabilities} is the served vector of a model with more than
     * two classes (22023 when it is missing: such a prediction cannot be scored from its top probability alone), ignored
     * otherwise.
     */
    public static Terms terms(Target target, List<String> classes, double score, double[] probabilities, String label) {
        if (target == Target.VALUE) {
            double y = value(label);
            double e = score - y;
            return new Terms(0, 0, 0, 0, 0, 0, Math.abs(e), e * e);
        }
        if (multiclass(classes)) {
            return multiclassTerms(classes, probabilities, label);
        }
        int y = classIndex(classes, label);
        double p = Math.min(Math.max(score, EPSILON), 1 - EPSILON);
        double logLoss = y == 1 ? -Math.log(p) : -Math.log(1 - p);
        double d = score - y;
        int predicted = score >= 0.5 ? 1 : 0;
        return new Terms(predicted == y ? 1 : 0, logLoss, d * d, bin(score), y, score, 0, 0);
    }

    /** True when a feedback's classes are more than two: its served predictions carry their probability vectors. */
    public static boolean multiclass(List<String> classes) {
        return classes.size() > 2;
    }

    private static Terms multiclassTerms(List<String> classes, double[] p, String label) {
        int y = classIndex(classes, label);
        if (p == null || p.length != classes.size()) {
            throw new AugurException(Errors.INVALID_PARAMETER, "a served prediction of a model with " + classes.size() + " classes ("
                    + String.join(", ", classes) + ") needs the probability of each class, got "
                    + (p == null ? "none" : p.length) + "; record it with AUGUR.RECORD_PREDICTION_PROBA");
        }
        int predicted = predicted(p);
        double brier = 0;
        for (int c = 0; c < p.length; c++) {
            double d = p[c] - (c == y ? 1 : 0);
            brier += d * d;
        }
        double py = Math.min(Math.max(p[y], EPSILON), 1 - EPSILON);
        long correct = predicted == y ? 1 : 0;
        return new Terms(correct, -Math.log(py), brier, bin(p[predicted]), correct, p[predicted], 0, 0);
    }

    /** The predicted class of a probability vector: the first with the largest probability. */
    public static int predicted(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Checks a served probability vector of {@code model} over {@code classes}: one finite probability in [0, 1] per class,
     * summing to 1 within {@value #PROBABILITY_SUM_TOLERANCE}; 22023 naming the problem otherwise (22004 for NULLs).
     */
    public static double[] checkProbabilities(String model, List<String> classes, Double[] given) {
        if (given == null) {
            throw new AugurException("22004", "the served probabilities of model '" + model + "' are NULL; record one per class ("
                    + String.join(", ", classes) + ")");
        }
        if (given.length != classes.size()) {
            throw new AugurException(Errors.INVALID_PARAMETER, "model '" + model + "' has " + classes.size() + " classes ("
                    + String.join(", ", classes) + "), got " + given.length + " probabilities; record one per class, in that order");
        }
        double[] p = new double[given.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            if (given[c] == null) {
                throw new AugurException("22004", "the served probability of class '" + classes.get(c) + "' of model '" + model
                        + "' is NULL; record one per class");
            }
            p[c] = given[c];
            if (!(p[c] >= 0 && p[c] <= 1)) {
                throw new AugurException(Errors.INVALID_PARAMETER, "the served probability of class '" + classes.get(c) + "' of model '"
                        + model + "' must be a finite number in [0, 1], got " + p[c]);
            }
            sum += p[c];
        }
        if (!(Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE)) {
            throw new AugurException(Errors.INVALID_PARAMETER, "the served probabilities of model '" + model + "' sum to " + sum
                    + ", not 1 (within " + PROBABILITY_SUM_TOLERANCE + "); record the model's probability of each class");
        }
        return p;
    }

    /** The calibration bin of a score in [0, 1]. */
    public static int bin(double score) {
        return Math.min(BINS - 1, Math.max(0, (int) Math.floor(score * BINS)));
    }

    /** 0 or 1: the label's position among a binary classifier's classes; 22023 naming them otherwise. */
    public static int classIndex(List<String> classes, String label) {
        int i = classes.indexOf(label);
        if (i < 0) {
            throw new AugurException(Errors.INVALID_PARAMETER, "label '" + Errors.abbreviate(label, 60) + "' is not one of the model's classes ("
                    + String.join(", ", classes) + "); insert labels of those classes only");
        }
        return i;
    }

    /** A regressor's label as a finite number; 22023 otherwise. */
    public static double value(String label) {
        double y;
        try {
            y = Double.parseDouble(label);
        } catch (NumberFormatException e) {
            y = Double.NaN;
        }
        if (!Double.isFinite(y)) {
            throw new AugurException(Errors.INVALID_PARAMETER, "label '" + Errors.abbreviate(label, 60) + "' of a regressor's feedback is not a"
                    + " finite number; insert numeric labels");
        }
        return y;
    }
}
