package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.calibration.Conformal;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.model.Evaluation;
import dev.augur.engine.model.Explanations;
import dev.augur.engine.model.Model;
import org.h2.value.DataType;
import org.h2.value.Value;
import org.h2.value.ValueDouble;
import org.h2.value.ValueNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * The PREDICT family on H2: resolution per statement, then the engine's scoring. The inputs arrive as H2 values with
 * their SQL types (see {@link H2Functions}), so that the model decides what they must be: text for a bag-of-words
 * model (an INTEGER, BOOLEAN or DATE is 42804, not its text scored), numbers for a dense one (numeric types, BOOLEAN as
 * 0/1, and text that is a number), in the model's count (22023 before any conversion).
 */
final class Predictions {
    static final int MAX_INPUTS = dev.augur.sql.SqlSurface.MAX_INPUTS;
    private static final Pattern NUMBER_TEXT = Pattern.compile("\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*");

    /** The second argument of a correct call, for the messages of a call without inputs (PREDICT_EXPLAIN's k otherwise). */
    private static final java.util.Map<String, String> EXAMPLE_SECOND = java.util.Map.of("PREDICT_PROBA", "'1', ",
            "PREDICT_SET", "0.1, ", "PREDICT_LABEL_IF_CERTAIN", "0.1, ", "PREDICT_INTERVAL", "0.9, ");

    private Predictions() {
    }

    /** PREDICT; dense models take the fast path: no boxing of inputs, a primitive margin. */
    static Double predict(Connection conn, String ref, Value[] x) throws SQLException {
        if (x.length == 1) {
            Evaluation e = evaluate(conn, ref, x);
            return e == null ? null : e.score();
        }
        Model m = model(conn, ref, x);
        double[] row = new double[x.length];
        for (int i = 0; i < row.length; i++) {
            Value v = x[i];
            if (v instanceof ValueDouble d) {
                row[i] = d.getDouble();
            } else if (v == ValueNull.INSTANCE) {
                return null;
            } else {
                row[i] = number(m, i, v);
            }
        }
        try {
            m.checkDense(row);
            return m.score(row);
        } catch (AugurException e) {
            throw sql(e);
        }
    }

    static String predictLabel(Connection conn, String ref, Value[] x) throws SQLException {
        Evaluation e = evaluate(conn, ref, x);
        try {
            return e == null ? null : e.label();
        } catch (AugurException ex) {
            throw sql(ex);
        }
    }

    /**
     * What PREDICT_SERVED records beside the score of a model with more than two classes: the probability of each class
     * (null for a binary classifier or a regressor, or a NULL input).
     */
    static Double[] servedProbabilities(Connection conn, String ref, Value[] x) throws SQLException {
        Model m = model(conn, ref, x);
        if (!dev.augur.engine.feedback.LiveMetrics.multiclass(m.classes())) {
            return null;
        }
        Evaluation e = evaluate(m, x);
        return e == null ? null : java.util.Arrays.stream(e.probabilities()).boxed().toArray(Double[]::new);
    }

    /** PREDICT_SERVED: PREDICT by the version the key is routed to, recorded as served ({@link H2Experiments}). */
    static Double predictServed(Connection conn, String model, String key, Value[] x) throws SQLException {
        return H2Experiments.predictServed(conn, model, key, x);
    }

    /** PREDICT_STDDEV: how far an ensemble's members disagree on the row. */
    static Double predictStddev(Connection conn, String ref, Value[] x) throws SQLException {
        Evaluation e = evaluate(conn, ref, x);
        try {
            return e == null ? null : e.spread();
        } catch (AugurException ex) {
            throw sql(ex);
        }
    }

    static Double predictProba(Connection conn, String ref, String clazz, Value[] x) throws SQLException {
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

    static String predictExplain(Connection conn, String ref, Integer k, Value[] x) throws SQLException {
        if (k == null) {
            return null;
        }
        H2Statements.Resolved r = H2Statements.resolve(conn, ref);
        Object[] in = inputs(arity(r.model(), x), x);
        try {
            return in == null ? null : Explanations.explain(r.model(), r.version(), k, in);
        } catch (AugurException ex) {
            throw sql(ex);
        }
    }

    /** PREDICT_SET: the conformal set of classes at miscoverage {@code alpha} of a calibrated classifier. */
    static String[] predictSet(Connection conn, String ref, Double alpha, Value[] x) throws SQLException {
        if (alpha == null) {
            return null;
        }
        H2Statements.Resolved r = H2Statements.resolve(conn, ref);
        double[] thresholds = thresholds(conn, r, alpha, "PREDICT_SET");
        Evaluation e = evaluate(arity(r.model(), x), x);
        return e == null ? null : Conformal.predictionSet(r.model(), thresholds, e).toArray(new String[0]);
    }

    /** PREDICT_LABEL_IF_CERTAIN: the label when the conformal set at {@code alpha} is one class; NULL (abstain) otherwise. */
    static String predictLabelIfCertain(Connection conn, String ref, Double alpha, Value[] x) throws SQLException {
        if (alpha == null) {
            return null;
        }
        H2Statements.Resolved r = H2Statements.resolve(conn, ref);
        double[] thresholds = thresholds(conn, r, alpha, "PREDICT_LABEL_IF_CERTAIN");
        Evaluation e = evaluate(arity(r.model(), x), x);
        return e == null ? null : Conformal.labelIfCertain(r.model(), thresholds, e);
    }

    /**
     * PREDICT_INTERVAL: [lower, upper], the conformal interval at {@code level} of a calibrated regressor, or an uncalibrated
     * Bayesian or quantile model's own.
     */
    static Double[] predictInterval(Connection conn, String ref, Double level, Value[] x) throws SQLException {
        if (level == null) {
            return null;
        }
        H2Statements.Resolved r = H2Statements.resolve(conn, ref);
        double halfWidth = Double.NaN;
        dev.augur.engine.calibration.Calibration calibration;
        try {
            Conformal.requireRegressor(r.model());
            // a calibration answers when there is one; an uncalibrated Bayesian or quantile model answers its own interval
            calibration = r.model().kind().hasModelInterval() ? r.calibrationIfAny(conn) : r.calibration(conn, "PREDICT_INTERVAL");
            if (calibration == null) {
                Conformal.checkModelInterval(r.model(), r.version(), level);
            } else {
                halfWidth = Conformal.halfWidth(r.model(), calibration, level, r.shown());
            }
        } catch (AugurException ex) {
            throw sql(ex);
        }
        Evaluation e = evaluate(arity(r.model(), x), x);
        if (e == null) {
            return null;
        }
        double[] interval;
        try {
            interval = calibration == null ? e.modelInterval(level) : Conformal.interval(calibration, halfWidth, e);
        } catch (AugurException ex) {
            throw sql(ex);
        }
        return new Double[]{interval[0], interval[1]};
    }

    /** A classifier's thresholds at alpha: the kind first, then the calibration, then alpha against it. */
    private static double[] thresholds(Connection conn, H2Statements.Resolved r, double alpha, String function) throws SQLException {
        try {
            Conformal.requireClassifier(r.model(), function);
            return Conformal.thresholds(r.model(), r.calibration(conn, function), alpha, r.shown(), function);
        } catch (AugurException ex) {
            throw sql(ex);
        }
    }

    /**
     * A call with no inputs, or more than {@link #MAX_INPUTS}: the error names what the model expects (or, with no
     * model name either, what the call takes).
     *
     * @param leading the arguments before the inputs (the model; PREDICT_PROBA's class, PREDICT_EXPLAIN's k)
     */
    static SQLException inputCount(Connection conn, String function, int leading, Value[] args) {
        String example = function + "('spam', " + (leading == 2 ? EXAMPLE_SECOND.getOrDefault(function, "3, ") : "") + "body)";
        int got = Math.max(0, args.length - leading);
        if (args.length == 0 || args[0] == ValueNull.INSTANCE) {
            return sql(Errors.inputCount(example, null, null, got, MAX_INPUTS));
        }
        try {
            Model m = H2Statements.resolve(conn, args[0].getString()).model();
            return sql(Errors.inputCount(example, m.name(), m.inputs(), got, MAX_INPUTS));
        } catch (SQLException e) {
            return e;
        }
    }

    private static Evaluation evaluate(Connection conn, String ref, Value[] x) throws SQLException {
        return evaluate(model(conn, ref, x), x);
    }

    private static Evaluation evaluate(Model m, Value[] x) throws SQLException {
        Object[] in = inputs(m, x);
        try {
            return in == null ? null : m.evaluate(in);
        } catch (AugurException e) {
            throw sql(e);
        }
    }

    /** The model of {@code ref}, which must take as many inputs as {@code x} holds. */
    private static Model model(Connection conn, String ref, Value[] x) throws SQLException {
        return arity(H2Statements.resolve(conn, ref).model(), x);
    }

    /**
     * The count must be the model's. Numbers given to a bag-of-words model are the type's error (42804, as on
     * PostgreSQL, whose PREDICT takes several inputs as numbers), texts in the wrong count the count's (22023).
     */
    private static Model arity(Model m, Value[] x) throws SQLException {
        if (m.inputs().size() != x.length) {
            if (m.features() instanceof BagOfWords) {
                for (Value v : x) {
                    if (v != ValueNull.INSTANCE && !DataType.isCharacterStringType(v.getValueType())) {
                        throw sql(wrongType(m, 0, "text", v));
                    }
                }
            }
            throw sql(Errors.wrongArity(m.name(), m.inputs(), x.length));
        }
        return m;
    }

    /** The inputs as the engine takes them (text for bag of words, Double otherwise); null when one is NULL. */
    private static Object[] inputs(Model m, Value[] x) throws SQLException {
        Object[] in = new Object[x.length];
        boolean text = m.features() instanceof BagOfWords;
        for (int i = 0; i < x.length; i++) {
            Value v = x[i];
            if (v == ValueNull.INSTANCE) {
                return null;
            }
            if (text) {
                if (!DataType.isCharacterStringType(v.getValueType())) {
                    throw sql(wrongType(m, i, "text", v));
                }
                in[i] = v.getString();
            } else {
                in[i] = number(m, i, v);
            }
        }
        return in;
    }

    /** A dense input: a numeric type, BOOLEAN (0/1, as in training rows) or text that is a number. */
    private static double number(Model m, int i, Value v) throws SQLException {
        int type = v.getValueType();
        if (DataType.isNumericType(type)) {
            return v.getDouble();
        }
        if (type == Value.BOOLEAN) {
            return v.getBoolean() ? 1 : 0;
        }
        if (DataType.isCharacterStringType(type)) {
            String s = v.getString();
            if (NUMBER_TEXT.matcher(s).matches()) {
                return Double.parseDouble(s.trim());
            }
            switch (s.trim()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity", "+Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> throw sql(Errors.wrongType(m.name(), m.inputs().get(i), "a number", s));
            }
        }
        throw sql(wrongType(m, i, "a number", v));
    }

    private static AugurException wrongType(Model m, int i, String expected, Value v) {
        if (DataType.isCharacterStringType(v.getValueType())) {
            return Errors.wrongType(m.name(), m.inputs().get(i), expected, v.getString());
        }
        return Errors.wrongSqlType(m.name(), m.inputs().get(i), expected, Value.getTypeName(v.getValueType()), v.getString());
    }

    static SQLException sql(AugurException e) {
        return new SQLException(e.getMessage(), e.sqlState(), e);
    }
}
