package dev.augur.engine.view;

import java.util.Objects;

/**
 * When a row a view re-scored must be written: its label changes, or its score (or an ensemble's spread) moves past half
 * the tolerance; with tolerance 0, any change of margin, score or spread. A row left as it is keeps a valid bound, as
 * bounds are taken from the stored values. One rule for every binding: H2's views call {@link #mustWrite}, PostgreSQL's
 * generated scoring functions inline {@link #sql} (rendered into its catalog at build time).
 */
public final class WriteRule {
    private WriteRule() {
    }

    /** Whether the re-scored values must replace the stored ones (NaN spreads: a single model's, equal). */
    public static boolean mustWrite(double margin, String label, double score, double spread, double storedMargin, String storedLabel,
                                    double storedScore, double storedSpread, double tolerance) {
        boolean labelChanged = !Objects.equals(label, storedLabel);
        boolean valuesChanged = tolerance == 0
                ? margin != storedMargin || score != storedScore || Double.compare(spread, storedSpread) != 0
                : Math.abs(score - storedScore) > tolerance / 2 || Math.abs(spread - storedSpread) > tolerance / 2;
        return labelChanged || valuesChanged;
    }

    /**
     * {@link #mustWrite} as a PostgreSQL boolean over SQL texts: the re-scored margin, label, score and spread, the stored
     * ones, and the tolerance; {@code spread} and {@code storedSpread} null for a single model (no spread column).
     */
    public static String sql(String margin, String label, String score, String spread, String storedMargin, String storedLabel,
                             String storedScore, String storedSpread, String tolerance) {
        boolean spreads = spread != null;
        if (spreads != (storedSpread != null)) {
            throw new IllegalArgumentException("a spread and a stored spread, or neither");
        }
        String exact = margin + " <> " + storedMargin + " OR " + score + " <> " + storedScore
                + (spreads ? " OR " + spread + " IS DISTINCT FROM " + storedSpread : "");
        String within = "abs(" + score + " - " + storedScore + ") > " + tolerance + " / 2"
                + (spreads ? " OR abs(" + spread + " - " + storedSpread + ") > " + tolerance + " / 2" : "");
        return "(" + label + " IS DISTINCT FROM " + storedLabel + " OR CASE WHEN " + tolerance + " = 0 THEN " + exact + " ELSE " + within
                + " END)";
    }
}
