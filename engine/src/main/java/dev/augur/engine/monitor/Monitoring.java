package dev.augur.engine.monitor;

import dev.augur.engine.feedback.FeedbackRule;

/**
 * Monitoring's views, written once: plain SQL that H2 and PostgreSQL read alike (the H2 binding declares them on
 * install), over the tables the bindings keep per served prediction (AUGUR.MONITOR_WINDOWS, AUGUR.MONITOR_SCORE_BINS)
 * and each version's reference (AUGUR.MODEL_REFERENCES, AUGUR.REFERENCE_SCORE_BINS).
 * <ul>
 *   <li>{@code AUGUR.MODEL_DRIFT}: per model version and window, the served count, mean score, the PSI of the window's
 *       scores against the reference ({@link Psi}; NULL without a reference), the estimated accuracy (binary
 *       classifiers: the mean of max(p, 1 − p) over the window's served scores) and the reference's;</li>
 *   <li>{@code AUGUR.ACCURACY_ESTIMATES}: the estimate beside the realized accuracy of each feedback on the model whose
 *       window is the monitor's (so the windows are the same).</li>
 * </ul>
 */
public final class Monitoring {
    /** A model's monitoring window when AUGUR.SET_MONITOR set none: a day, as feedback's. */
    public static final double DEFAULT_WINDOW_SECONDS = FeedbackRule.DEFAULT_WINDOW_SECONDS;

    private Monitoring() {
    }

    public static long defaultWindowMicros() {
        return FeedbackRule.intervalMicros("WINDOW", DEFAULT_WINDOW_SECONDS);
    }

    private static String share(String count, String total) {
        return "GREATEST(CAST(" + Psi.FLOOR + " AS DOUBLE PRECISION), CAST(" + count + " AS DOUBLE PRECISION) / " + total + ")";
    }

    public static String driftViewQuery() {
        String live = share("COALESCE(b.n, 0)", "w.n");
        String ref = share("r.n", "ref.rows_used");
        // outer joins and a GROUP BY, not a correlated subquery: H2 plans a view again on every open, and a subquery
        // whose conditions it may order otherwise makes it rewrite the view's catalog row (see H2CatalogReopenTest)
        return "SELECT w.model, w.model_version, w.window_start, w.n,\n"
                + "       w.score_sum / w.n AS mean_score,\n"
                // NULL without a reference, stated rather than left to GREATEST: PostgreSQL's skips NULLs (0.0), H2's does not
                + "       SUM(CASE WHEN r.bin IS NOT NULL THEN (" + live + " - " + ref + ") * LN(" + live + " / " + ref + ") END) AS score_psi,\n"
                + "       w.confidence_sum / w.n AS estimated_accuracy,\n"
                + "       ref.mean_confidence AS reference_accuracy\n"
                + "FROM augur.monitor_windows w\n"
                + "LEFT JOIN augur.model_references ref ON ref.name = w.model AND ref.version = w.model_version\n"
                + "LEFT JOIN augur.reference_score_bins r ON r.name = w.model AND r.version = w.model_version\n"
                + "LEFT JOIN augur.monitor_score_bins b ON b.model = w.model AND b.model_version = w.model_version\n"
                + "     AND b.window_start = w.window_start AND b.bin = r.bin\n"
                + "GROUP BY w.model, w.model_version, w.window_start, w.n, w.score_sum, w.confidence_sum, ref.mean_confidence,"
                + " ref.rows_used";
    }

    public static String accuracyViewQuery() {
        return "SELECT f.name AS feedback, d.model, d.model_version, d.window_start, d.n AS served, d.estimated_accuracy,\n"
                + "       l.n AS labelled, l.accuracy AS realized_accuracy,\n"
                + "       d.estimated_accuracy - l.accuracy AS estimate_error\n"
                + "FROM augur.model_drift d JOIN augur.feedbacks f ON f.model = d.model AND f.target = 'class'\n"
                + "     AND f.window_us = COALESCE((SELECT mo.window_us FROM augur.monitors mo WHERE mo.model = d.model), "
                + defaultWindowMicros() + ")\n"
                + "LEFT JOIN augur.live_metrics l ON l.feedback = f.name AND l.model_version = d.model_version AND l.window_start = d.window_start\n"
                + "WHERE d.estimated_accuracy IS NOT NULL";
    }

    /** {@code AUGUR.LIVE_COVERAGE}: per feedback, version and window, the static and the adaptive sets' coverage of the labels. */
    public static String coverageViewQuery() {
        return "SELECT v.feedback, f.model, v.model_version, v.window_start, v.n, a.alpha AS target_alpha,\n"
                + "       CAST(v.covered_static AS DOUBLE PRECISION) / v.n AS static_coverage,\n"
                + "       CAST(v.covered_adaptive AS DOUBLE PRECISION) / v.n AS adaptive_coverage,\n"
                + "       v.alpha_t_sum / v.n AS mean_alpha_t\n"
                + "FROM augur.conformal_coverage v JOIN augur.feedbacks f ON f.name = v.feedback\n"
                + "LEFT JOIN augur.adaptive_conformal a ON a.model = f.model";
    }

    /** 55000 for a version without a reference, saying how to capture one (PostgreSQL's augur.no_reference says the same). */
    public static dev.augur.engine.AugurException noReference(String model, int version) {
        return new dev.augur.engine.AugurException(dev.augur.engine.Errors.NOT_IN_PREREQUISITE_STATE, "model '" + model + "' version "
                + version + " has no monitoring reference (references are captured by TRAIN MODEL; an imported version has none): capture"
                + " one with SELECT AUGUR.CAPTURE_REFERENCE('" + model + "', 'SELECT <its inputs> FROM <rows like its training data>', "
                + version + ")");
    }

    /** What an alarm says moved, in words (AUGUR.MONITOR_EVENTS.WHAT). */
    public static String what(String signal, String source, PageHinkley.Alarm a) {
        String subject = signal.equals("score") ? "the served scores' mean" : "the realized error of feedback " + source;
        return String.format(java.util.Locale.ROOT, "%s %s: Page-Hinkley statistic %.4g > %.4g after %d observations (mean %.4f since the last reset)",
                subject, a.direction() == PageHinkley.Direction.UP ? "rose" : "fell", a.statistic(), a.threshold(), a.observations(), a.mean());
    }
}
