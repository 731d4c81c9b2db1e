package dev.augur.udf;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** A row of AUGUR.VIEWS. {@code logServed}: the view logs every row it writes in the served log (V13; set at creation). */
record ViewDefinition(String name, String kind, String mode, double tolerance, double alpha, String baseTable,
                      String keyColumn, List<String> inputColumns, String model, String examplesTable, String examplesKey,
                      String labelColumn, double learningRate, double l2, boolean logServed) {

    boolean classification() {
        return kind.equals("classification");
    }

    /** Whether the view is a table kept by triggers (eager, hybrid), not a plain SQL view (lazy). */
    boolean maintained() {
        return !mode.equals("lazy");
    }

    /** The table holding the view's rows: the view itself, or for a hybrid view the labels behind it. */
    String table() {
        return mode.equals("hybrid") ? name + "_labels" : name;
    }

    /** The score tolerance maintenance works to: a hybrid view computes scores on read, so only labels count. */
    double maintainedTolerance() {
        return mode.equals("hybrid") ? Double.POSITIVE_INFINITY : tolerance;
    }

    ViewDefinition withTuning(double newTolerance, double newAlpha, double newRate, double newL2) {
        return new ViewDefinition(name, kind, mode, newTolerance, newAlpha, baseTable, keyColumn, inputColumns, model, examplesTable,
                examplesKey, labelColumn, newRate, newL2, logServed);
    }

    static ViewDefinition load(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT KIND, MODE, TOLERANCE, ALPHA, BASE_TABLE, KEY_COLUMN, INPUT_COLUMNS,"
                + " MODEL, EXAMPLES_TABLE, EXAMPLES_KEY, LABEL_COLUMN, LEARNING_RATE, L2, LOG_SERVED FROM AUGUR.VIEWS WHERE NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new ViewDefinition(name, rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4), rs.getString(5),
                        rs.getString(6), Arrays.asList(rs.getString(7).split(",")), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getDouble(12), rs.getDouble(13), rs.getBoolean(14));
            }
        }
    }
}
