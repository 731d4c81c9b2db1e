package dev.augur.udf.postgresql;

import dev.augur.engine.AugurException;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import dev.augur.sql.TrainingQuery;

import java.sql.Connection;
import java.sql.SQLException;
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
final class PgTrainCall {
    private static final String LIT = "(NULL|'(?:[^']|'')*')";
    private static final Pattern CALL = Pattern.compile("(?is)\\s*SELECT\\s+AUGUR\\s*\\.\\s*TRAIN_MODEL\\s*\\(\\s*" + LIT
            + "\\s*,\\s*" + LIT + "\\s*,\\s*" + LIT + "(?:\\s*,\\s*" + LIT + ")?\\s*\\)\\s*;?\\s*");

    String rewrite(Connection raw, String sql) throws SQLException {
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

    static Model train(Connection conn, String name, String kind, String query, String optionsJson) throws SQLException {
        return TrainingQuery.train(conn, name, kind, query, optionsJson);
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
