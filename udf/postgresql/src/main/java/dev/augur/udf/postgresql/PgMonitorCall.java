package dev.augur.udf.postgresql;

import dev.augur.engine.AugurException;
import dev.augur.engine.Names;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import dev.augur.engine.monitor.InputDrift;
import dev.augur.engine.monitor.Monitoring;
import dev.augur.engine.monitor.Reference;
import dev.augur.sql.TrainingQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SELECT AUGUR.CAPTURE_REFERENCE('model', 'query' [, version])} and {@code SELECT AUGUR.INPUT_DRIFT(...)} through
 * {@code jdbc:augur:postgresql:}: a reference is the engine's ({@link Reference}: the rows scored and binned, the terms
 * counted by the engine's tokenizer), so the engine reads the query over the caller's connection (same transaction) and
 * the first becomes {@code SELECT augur.store_reference(...)} (which checks the caller may capture references), the
 * second the JSON of {@link InputDrift} over the stored reference. Only literal arguments are recognized, as for
 * {@link PgTrainCall}; anything else reaches the in-database function, which explains the way.
 */
final class PgMonitorCall {
    private static final String LIT = "(NULL|'(?:[^']|'')*')";
    private static final Pattern CALL = Pattern.compile("(?is)\\s*SELECT\\s+AUGUR\\s*\\.\\s*(CAPTURE_REFERENCE|INPUT_DRIFT)\\s*\\(\\s*" + LIT
            + "\\s*,\\s*" + LIT + "(?:\\s*,\\s*(NULL|[0-9]{1,9}))?\\s*\\)\\s*;?\\s*");

    String rewrite(Connection raw, String sql) throws SQLException {
        Matcher m = CALL.matcher(sql);
        if (!m.matches()) {
            return sql;
        }
        boolean capture = m.group(1).equalsIgnoreCase("CAPTURE_REFERENCE");
        String query = PgTrainCall.unquote(m.group(3));
        Integer requested = m.group(4) == null || m.group(4).equalsIgnoreCase("NULL") ? null : Integer.valueOf(m.group(4));
        try {
            String name = Names.checkModelName(PgTrainCall.unquote(m.group(2)));
            int version = version(raw, name, requested);
            if (capture) {
                Model model = load(raw, name, version);
                Reference r = Reference.capture(model, TrainingQuery.inputRows(raw, model, query, "CAPTURE_REFERENCE", "reference_rows"));
                return "SELECT augur.store_reference(" + PgTrainCall.literal(name) + ", " + version + ", 'query', "
                        + PgTrainCall.literal(r.toJson()) + ") AS capture_reference";
            }
            Reference r = stored(raw, name, version);
            Model model = load(raw, name, version);
            String drift = InputDrift.of(r, model, TrainingQuery.inputRows(raw, model, query, "INPUT_DRIFT", "recent_rows"));
            return "SELECT CAST(" + PgTrainCall.literal(drift) + " AS text) AS input_drift";
        } catch (AugurException e) {
            throw new SQLException(e.getMessage(), e.sqlState(), e);
        }
    }

    /** The version asked for (checked), or the deployed one: the catalog's own checks and their errors (42704). */
    private static int version(Connection c, String name, Integer requested) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(requested == null ? "SELECT augur.require_deployed(?)" : "SELECT augur.require_version(?, ?)")) {
            ps.setString(1, name);
            if (requested != null) {
                ps.setInt(2, requested);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Model load(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT augur.export_model(?, ?)")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return ModelJson.fromJson(rs.getString(1));
            }
        }
    }

    /** A version's stored reference, or 55000 saying how to capture one. */
    private static Reference stored(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT spec FROM augur.model_references WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw Monitoring.noReference(name, version);
                }
                return Reference.fromJson(rs.getString(1));
            }
        }
    }
}
