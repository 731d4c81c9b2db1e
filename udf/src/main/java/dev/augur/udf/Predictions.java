package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Evaluation;
import dev.augur.engine.Explanations;
import dev.augur.engine.Model;
import dev.augur.engine.ModelKind;

import java.sql.Connection;
import java.sql.SQLException;

/** The PREDICT family on H2: resolution per statement, then the engine's scoring. */
final class Predictions {
    private Predictions() {
    }

    /** Dense fast path: primitive inputs (H2 has already turned NULL inputs into a NULL result). */
    static double score(Connection conn, String ref, double[] x) throws SQLException {
        Model m = H2Statements.resolve(conn, ref).model();
        try {
            m.checkDense(x);
            if (m.kind() != ModelKind.SOFTMAX) {
                return m.scoreOfMargin(m.margin(x));
            }
            return m.evaluate(boxed(x)).score();
        } catch (AugurException e) {
            throw sql(e);
        }
    }

    static Double score(Connection conn, String ref, Object[] x) throws SQLException {
        Evaluation e = evaluate(conn, ref, x);
        return e == null ? null : e.score();
    }

    static String label(Connection conn, String ref, Object[] x) throws SQLException {
        Evaluation e = evaluate(conn, ref, x);
        try {
            return e == null ? null : e.label();
        } catch (AugurException ex) {
            throw sql(ex);
        }
    }

    static Double probability(Connection conn, String ref, String clazz, Object[] x) throws SQLException {
        if (clazz == null) {
            return null;
        }
        Evaluation e = evaluate(conn, ref, x);
        try {
            return e == null ? null : e.probability(clazz);
        } catch (AugurException ex) {
            throw sql(ex);
        }
    }

    static String explain(Connection conn, String ref, Integer k, Object[] x) throws SQLException {
        if (k == null) {
            return null;
        }
        H2Statements.Resolved r = H2Statements.resolve(conn, ref);
        try {
            return Explanations.explain(r.model(), r.version(), k, inputs(r.model(), x));
        } catch (AugurException ex) {
            throw sql(ex);
        }
    }

    private static Evaluation evaluate(Connection conn, String ref, Object[] x) throws SQLException {
        Model m = H2Statements.resolve(conn, ref).model();
        try {
            return m.evaluate(inputs(m, x));
        } catch (AugurException e) {
            throw sql(e);
        }
    }

    /**
     * H2 passes a single input as text (one overload serves text and numbers, as H2 tells overloads apart by
     * count only); a dense model parses it back.
     */
    private static Object[] inputs(Model m, Object[] x) {
        if (x.length == 1 && x[0] instanceof String s && !(m.features() instanceof dev.augur.engine.BagOfWords)) {
            try {
                return new Object[]{Double.parseDouble(s.trim())};
            } catch (NumberFormatException e) {
                throw Errors.wrongType(m.name(), m.inputs().get(0), "a number", s);
            }
        }
        return x;
    }

    private static Object[] boxed(double[] x) {
        Object[] o = new Object[x.length];
        for (int i = 0; i < x.length; i++) {
            o[i] = x[i];
        }
        return o;
    }

    static SQLException sql(AugurException e) {
        return new SQLException(e.getMessage(), e.sqlState(), e);
    }
}
