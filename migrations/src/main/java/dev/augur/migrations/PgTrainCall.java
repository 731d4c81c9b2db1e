package dev.augur.migrations;

import dev.augur.engine.AugurException;
import dev.augur.engine.Model;
import dev.augur.engine.ModelJson;
import dev.augur.engine.ModelKind;
import dev.augur.engine.Names;
import dev.augur.engine.SgdTrainer;
import dev.augur.engine.TrainingOptions;
import dev.augur.sql.PgEngineCalls;

import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SELECT AUGUR.TRAIN_MODEL('name', 'kind', 'query' [, 'options'])} through {@code jdbc:augur:postgresql:}:
 * the engine reads the training query over the caller's connection (same transaction), trains, and the statement
 * becomes {@code SELECT augur.register_model('name', '<model json>', 'train', '<options>')}, which registers the
 * model in PL/pgSQL exactly as AUGUR.IMPORT_MODEL does (same payload and SHA-256 as on H2). Training happens when
 * the statement is executed, or when it is prepared for a prepared statement. Only literal arguments are
 * recognized; anything else reaches the in-database AUGUR.TRAIN_MODEL, which explains how to train.
 */
public final class PgTrainCall implements PgEngineCalls {
    private static final String LIT = "(NULL|'(?:[^']|'')*')";
    private static final Pattern CALL = Pattern.compile("(?is)\\s*SELECT\\s+AUGUR\\s*\\.\\s*TRAIN_MODEL\\s*\\(\\s*" + LIT
            + "\\s*,\\s*" + LIT + "\\s*,\\s*" + LIT + "(?:\\s*,\\s*" + LIT + ")?\\s*\\)\\s*;?\\s*");

    @Override
    public String rewrite(Connection raw, String sql) throws SQLException {
        Matcher m = CALL.matcher(sql);
        if (!m.matches()) {
            return sql;
        }
        String name = unquote(m.group(1));
        String kind = unquote(m.group(2));
        String query = unquote(m.group(3));
        String options = m.group(4) == null ? null : unquote(m.group(4));
        try {
            Model model = train(raw, name, kind, query, options);
            return "SELECT augur.register_model(" + literal(model.name()) + ", " + literal(ModelJson.toJson(model))
                    + ", 'train', " + (options == null || options.isBlank() ? "NULL" : literal(options)) + ")";
        } catch (AugurException e) {
            throw new SQLException(e.getMessage(), e.sqlState(), e);
        }
    }

    /** The same steps as {@code dev.augur.udf.Admin.trainModel}, without registering. */
    static Model train(Connection conn, String name, String kind, String query, String optionsJson) throws SQLException {
        String model = Names.checkModelName(name);
        ModelKind modelKind = ModelKind.fromSqlName(kind);
        TrainingOptions options = TrainingOptions.fromJson(optionsJson);
        if (query == null || query.isBlank()) {
            throw dev.augur.engine.Errors.invalidParameter("TRAIN_MODEL needs a training query, e.g. "
                    + "'SELECT body, is_spam FROM emails' (inputs first, the label last)");
        }
        List<String> inputs = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            if (n < 2) {
                throw dev.augur.engine.Errors.invalidParameter("the training query returns " + n
                        + " column; it needs the inputs followed by the label column");
            }
            for (int c = 1; c < n; c++) {
                inputs.add(md.getColumnLabel(c).toLowerCase(Locale.ROOT));
            }
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    Object v = rs.getObject(c + 1);
                    row[c] = v instanceof Clob clob ? clob.getSubString(1, (int) clob.length()) : v;
                }
                rows.add(row);
            }
        }
        return SgdTrainer.train(model, modelKind, inputs, rows, options, null);
    }

    static String unquote(String lit) {
        if (lit.equalsIgnoreCase("NULL")) {
            return null;
        }
        return lit.substring(1, lit.length() - 1).replace("''", "'");
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
