package dev.augur.engine;

/**
 * An error with a stable SQLSTATE, raised anywhere in Augur and surfaced unchanged by the database bindings.
 * Messages name the problem and the fix; {@link Errors} is the one catalogue that builds them.
 */
public final class AugurException extends RuntimeException {
    private final String sqlState;

    public AugurException(String sqlState, String message) {
        this(sqlState, message, null);
    }

    public AugurException(String sqlState, String message, Throwable cause) {
        super(message, cause);
        if (sqlState == null || sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters: " + sqlState);
        }
        this.sqlState = sqlState;
    }

    /** The five-character SQLSTATE, e.g. {@code 42704} for an unknown model. */
    public String sqlState() {
        return sqlState;
    }
}
