package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.calibration.Conformal;
import dev.augur.engine.model.Model;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves model references once per SQL statement on H2, so a scan calls the catalog once, not once per row,
 * and every row of one statement sees the same model version.
 *
 * <p>H2 gives a function no per-statement hook; the statement is recognised by the value of the session's
 * command-start timestamp (nanoseconds), set at every statement start. A query run from inside a function moves
 * that timestamp, so it is read again after each lookup here, and the AUGUR functions carry the statement over
 * their own catalog queries ({@link #carryingStatement}). Another function that runs queries makes PREDICT
 * resolve again, which may then see a deploy committed meanwhile.
 */
final class H2Statements {
    /** A model resolved for the current statement, and its conformal calibration once a function asks for it. */
    static final class Resolved {
        private final CatalogStore.VersionRef ref;
        private final Model model;
        private Calibration calibration;
        private boolean calibrationRead;

        Resolved(CatalogStore.VersionRef ref, Model model) {
            this.ref = ref;
            this.model = model;
        }

        Model model() {
            return model;
        }

        int version() {
            return ref.version();
        }

        /** The version's calibration, read once per statement; 55000 when it has none. */
        Calibration calibration(Connection conn, String function) throws SQLException {
            Calibration c = calibrationIfAny(conn);
            if (c == null) {
                throw Predictions.sql(Conformal.notCalibrated(ref.name(), ref.version(), function));
            }
            return c;
        }

        /** The version's calibration, read once per statement; null when it has none. */
        Calibration calibrationIfAny(Connection conn) throws SQLException {
            if (!calibrationRead) {
                Object session = H2Internals.sessionOf(conn);
                Object before = H2Internals.statementStamp(conn);
                try {
                    calibration = new CalibrationStore(conn).find(ref);
                } catch (AugurException e) {
                    throw new SQLException(e.getMessage(), e.sqlState(), e);
                }
                calibrationRead = true;
                // the catalog query above moved the statement stamp: this statement keeps its resolved models
                Current current = CURRENT.get();
                if (current.session == session && before.equals(current.statement)) {
                    current.statement = H2Internals.statementStamp(conn);
                }
            }
            return calibration;
        }

        /** How error messages name the model: {@code 'spam' version 3}. */
        String shown() {
            return "'" + ref.name() + "' version " + ref.version();
        }
    }

    private static final class Current {
        Object session;
        Object statement;
        final Map<String, Resolved> byRef = new HashMap<>();
    }

    private static final ThreadLocal<Current> CURRENT = ThreadLocal.withInitial(Current::new);

    private H2Statements() {
    }

    static Resolved resolve(Connection conn, String ref) throws SQLException {
        Object session = H2Internals.sessionOf(conn);
        Object statement = H2Internals.statementStamp(conn);
        Current current = CURRENT.get();
        if (current.session != session || !statement.equals(current.statement)) {
            current.session = session;
            current.statement = statement;
            current.byRef.clear();
        }
        Resolved r = current.byRef.get(ref);
        if (r == null) {
            try {
                CatalogStore store = new CatalogStore(conn);
                CatalogStore.VersionRef v = store.resolve(ref);
                r = new Resolved(v, store.load(v));
            } catch (AugurException e) {
                throw new SQLException(e.getMessage(), e.sqlState(), e);
            }
            current.statement = H2Internals.statementStamp(conn);
            current.byRef.put(ref, r);
        }
        return r;
    }

    /**
     * Runs an AUGUR function's catalog queries as part of the calling statement (all or nothing) and without ending
     * the statement's resolved models, so {@code SELECT PREDICT('m', x), AUGUR.DEPLOY_MODEL('m', 2) FROM t} scores
     * every row with one version. Autocommit is off for the call, so the calling statement commits or rolls back
     * the function's work as one.
     */
    static <T> T carryingStatement(Connection conn, H2Internals.SqlCall<T> call) throws SQLException {
        Object session = H2Internals.sessionOf(conn);
        Object before = H2Internals.statementStamp(conn);
        try {
            return H2Internals.underSavepoint(conn, call, () -> {
                // a query the function runs (a training query) nests deeper than H2's recursive parser can follow
                AugurException tooComplex = dev.augur.engine.Errors.tooComplex("a query it runs nests deeper than H2's parser can follow");
                return new SQLException(tooComplex.getMessage(), tooComplex.sqlState());
            });
        } finally {
            Current current = CURRENT.get();
            if (current.session == session && before.equals(current.statement)) {
                current.statement = H2Internals.statementStamp(conn);
            }
        }
    }
}
