package dev.augur.udf;

import org.h2.value.Value;
import org.h2.value.ValueNull;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The PREDICT family as H2 function aliases (PREDICT, PREDICT_LABEL, PREDICT_PROBA, PREDICT_EXPLAIN). One varargs
 * method each: H2 tells overloads apart by count only, and hands a {@code Value...} parameter the values with their
 * SQL types, so the model checks their types and count before any conversion (a number into a bag-of-words model is
 * Augur's error naming the model's inputs, not H2's conversion of the value). The leading arguments (the model, the
 * class, k) are values too, so that a call with none at all still gets Augur's error naming what the call takes.
 */
public final class H2Functions {
    private H2Functions() {
    }

    public static Double predict(Connection c, Value... args) throws SQLException {
        if (args.length < 2 || args.length > 1 + Predictions.MAX_INPUTS) {
            throw Predictions.inputCount(c, "PREDICT", 1, args);
        }
        return Predictions.score(c, args[0].getString(), args, 1);
    }

    public static String predictLabel(Connection c, Value... args) throws SQLException {
        if (args.length < 2 || args.length > 1 + Predictions.MAX_INPUTS) {
            throw Predictions.inputCount(c, "PREDICT_LABEL", 1, args);
        }
        return Predictions.label(c, args[0].getString(), Predictions.inputsOf(args, 1));
    }

    public static Double predictProba(Connection c, Value... args) throws SQLException {
        if (args.length < 3 || args.length > 2 + Predictions.MAX_INPUTS) {
            throw Predictions.inputCount(c, "PREDICT_PROBA", 2, args);
        }
        return Predictions.probability(c, args[0].getString(), args[1].getString(), Predictions.inputsOf(args, 2));
    }

    public static String predictExplain(Connection c, Value... args) throws SQLException {
        if (args.length < 3 || args.length > 2 + Predictions.MAX_INPUTS) {
            throw Predictions.inputCount(c, "PREDICT_EXPLAIN", 2, args);
        }
        return Predictions.explain(c, args[0].getString(), args[1] == ValueNull.INSTANCE ? null : args[1].getInt(),
                Predictions.inputsOf(args, 2));
    }
}
