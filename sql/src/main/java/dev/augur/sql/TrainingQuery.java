package dev.augur.sql;

import dev.augur.engine.Names;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.train.TrainingOptions;

import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TRAIN_MODEL's steps that every database shares: its training query read over JDBC (in the caller's transaction; the
 * last column is the label, the others the inputs in order), then the engine's training. Registering the model is the
 * binding's.
 */
public final class TrainingQuery {
    private TrainingQuery() {
    }

    /**
     * Runs the training query over {@code conn} (the caller's transaction) and trains, without registering: the
     * steps every database binding shares.
     */
    public static Model train(Connection conn, String name, String kind, String query, String optionsJson) throws SQLException {
        return trainKeepingRows(conn, name, kind, query, optionsJson).model();
    }

    /** A trained model and the rows it was trained on (inputs, then the label), for what is captured beside it. */
    public record Trained(Model model, List<Object[]> rows) {
    }

    /** {@link #train}, keeping the training rows (monitoring captures its reference from them). */
    public static Trained trainKeepingRows(Connection conn, String name, String kind, String query, String optionsJson) throws SQLException {
        String model = Names.checkModelName(name);
        ModelKind modelKind = ModelKind.fromSqlName(kind);
        TrainingOptions options = TrainingOptions.fromJson(optionsJson);
        if (query == null || query.isBlank()) {
            throw dev.augur.engine.Errors.invalidParameter("TRAIN_MODEL needs a training query, e.g. "
                    + "'SELECT body, is_spam FROM emails' (inputs first, the label last)");
        }
        Rows rows = read(conn, query);
        int n = rows.columns().size();
        if (n < 2) {
            throw dev.augur.engine.Errors.invalidParameter("the training query returns " + n
                    + " column; it needs the inputs followed by the label column");
        }
        return new Trained(SgdTrainer.train(model, modelKind, rows.columns().subList(0, n - 1), rows.rows(), options, null), rows.rows());
    }

    /**
     * The rows of a query of a model's inputs (no label: monitoring's reference and live rows) for AUGUR function
     * {@code function}; 22023 for no query or other columns, its example naming {@code exampleTable}.
     */
    public static List<Object[]> inputRows(Connection conn, dev.augur.engine.model.Model m, String query, String function,
                                           String exampleTable) throws SQLException {
        if (query == null || query.isBlank()) {
            throw dev.augur.engine.Errors.invalidParameter(function + " needs a query of the model's inputs, e.g. 'SELECT "
                    + String.join(", ", m.inputs()) + " FROM " + exampleTable + "'");
        }
        Rows rows = read(conn, query);
        if (rows.columns().size() != m.inputs().size()) {
            throw dev.augur.engine.Errors.invalidParameter("the query of " + function + " for model '" + m.name() + "' returns "
                    + rows.columns().size() + " columns; it needs the model's inputs (" + String.join(", ", m.inputs()) + "), no label");
        }
        return rows.rows();
    }

    /** A query's column labels (lower case) and its rows as JDBC values (CLOBs read as text). */
    public record Rows(List<String> columns, List<Object[]> rows) {
    }

    /** Runs a labelled query (inputs, then the label: training and calibration queries) in the caller's transaction. */
    public static Rows read(Connection conn, String query) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            for (int c = 1; c <= n; c++) {
                columns.add(md.getColumnLabel(c).toLowerCase(Locale.ROOT));
            }
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    row[c] = value(rs.getObject(c + 1));
                }
                rows.add(row);
            }
        }
        return new Rows(columns, rows);
    }

    private static Object value(Object v) throws SQLException {
        if (v instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        return v;
    }
}
