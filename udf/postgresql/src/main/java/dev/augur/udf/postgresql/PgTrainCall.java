package dev.augur.udf.postgresql;

import dev.augur.engine.AugurException;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import dev.augur.engine.monitor.Reference;
import dev.augur.sql.TrainingQuery;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SELECT AUGUR.TRAIN_MODEL('name', 'kind', 'query' [, 'options'])} through {@code jdbc:augur:postgresql:}:
 * the engine reads the training query over the caller's connection (same transaction), trains, and the statement
 * becomes {@code SELECT augur.register_trained('name', '<model json>', '<options>', '<reference json>')}, which registers the
 * model in PL/pgSQL exactly as AUGUR.IMPORT_MODEL does (same payload and SHA-256 as on H2) with the monitoring reference
 * the engine captured from the training rows (as H2's TRAIN does). Training happens when
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
            TrainingQuery.Trained t = TrainingQuery.trainKeepingRows(raw, name, kind, query, options);
            Model model = t.model();
            // monitoring's yardstick: the training rows' scores and inputs, captured once, stored beside the version
            String reference = Reference.capture(model, t.rows()).toJson();
            return "SELECT augur.register_trained(" + literal(model.name()) + ", " + literal(ModelJson.toJson(model))
                    + ", " + (options == null || options.isBlank() ? "NULL" : literal(options)) + ", " + literal(reference) + ") AS register_model";
        } catch (AugurException e) {
            throw new SQLException(e.getMessage(), e.sqlState(), e);
        }
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
