package dev.augur.engine.model;

/**
 * How a model's scoring is written as SQL text on a database: literals and casts that keep every step in float64,
 * and the logistic link (H2 inline, with the engine's two-sided form; PostgreSQL through {@code augur.sigmoid}, which
 * its catalog migration defines).
 */
public enum SqlDialect {
    H2 {
        @Override
        public String sigmoid(String margin) {
            String one = number(1);
            return "CASE WHEN " + margin + " >= " + number(0) + " THEN " + one + " / (" + one + " + EXP(-(" + margin + ")))"
                    + " ELSE EXP(" + margin + ") / (" + one + " + EXP(" + margin + ")) END";
        }
    },
    POSTGRESQL {
        @Override
        public String sigmoid(String margin) {
            return "augur.sigmoid(" + margin + ")";
        }
    };

    /** A float64 literal: the shortest decimal that reads back as {@code v}, cast so no step is decimal. */
    public String number(double v) {
        return "CAST(" + v + " AS DOUBLE PRECISION)";
    }

    /** The logistic function of a float64 expression. */
    public abstract String sigmoid(String margin);

    /**
     * The exponential of a margin shifted by the largest ({@code shifted} ≤ 0), as softmax takes it: H2's EXP is Java's
     * ({@link Links#softmax}); PostgreSQL's exp raises 22003 where the result underflows to 0, so the argument is held
     * at -700 or above (the catalog's augur.softmax since V1: a probability under 1e-304 either way).
     */
    public String expOfShifted(String shifted) {
        return switch (this) {
            case H2 -> "EXP(" + shifted + ")";
            case POSTGRESQL -> "exp(greatest(" + shifted + ", " + number(-700) + "))";
        };
    }
}
