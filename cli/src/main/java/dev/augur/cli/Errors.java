package dev.augur.cli;

import dev.augur.engine.AugurException;

import java.sql.SQLException;

/** One line for a failure: the SQLSTATE where there is one, and the message. */
final class Errors {
    private Errors() {
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return "[" + s.getSQLState() + "] " + s.getMessage();
            }
            if (t instanceof AugurException a) {
                return "[" + a.sqlState() + "] " + a.getMessage();
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
