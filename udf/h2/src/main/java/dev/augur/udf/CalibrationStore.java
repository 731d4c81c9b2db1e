package dev.augur.udf;

import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.calibration.Conformal;
import dev.augur.engine.calibration.Method;
import dev.augur.engine.codec.ModelCache;
import dev.augur.engine.model.Model;
import dev.augur.sql.TrainingQuery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Conformal calibrations in the catalog (AUGUR.CALIBRATIONS, AUGUR.CALIBRATION_SCORES, AUGUR.MODELS.CALIBRATION),
 * through the caller's connection: CALIBRATE_MODEL copies a version as a new one and stores its calibration; PREDICT_SET
 * and PREDICT_INTERVAL read it back.
 */
final class CalibrationStore {
    private final Connection conn;
    private final CatalogStore catalog;

    CalibrationStore(Connection conn) {
        this.conn = conn;
        this.catalog = new CatalogStore(conn);
    }

    /**
     * CALIBRATE_MODEL: scores the calibration query's rows (the model's inputs, then the true class or value) with
     * version {@code version} (null: the deployed one), and stores a new version, the same model, carrying the
     * calibration; returns it (not deployed).
     */
    int calibrate(String rawName, Integer version, String query, String optionsJson) throws SQLException {
        String name = Names.checkModelName(rawName);
        CatalogStore.VersionRef from = version == null ? catalog.requireDeployed(name) : catalog.version(name, version);
        Method method = Method.fromOptions(optionsJson);
        if (query == null || query.isBlank()) {
            throw Errors.invalidParameter("CALIBRATE_MODEL needs a calibration query, e.g. 'SELECT body, is_spam FROM held_out'"
                    + " (the model's inputs first, the true label last)");
        }
        Model model = catalog.load(from);
        TrainingQuery.Rows rows = TrainingQuery.read(conn, query);
        if (rows.columns().size() != model.inputs().size() + 1) {
            throw Conformal.columns(model, rows.columns().size());
        }
        Calibration calibration = Conformal.calibrate(model, method, rows.rows());
        // the calibration's own method: split calibration of a quantile model is CQR
        method = calibration.method();
        int to = catalog.latest(name) + 1;
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.MODELS (NAME, VERSION, KIND, INPUTS, CLASSES, SPEC,"
                + " SHA256, PAYLOAD_BYTES, SOURCE, CALIBRATION, INTERVAL_SOURCE) SELECT NAME, ?, KIND, INPUTS, CLASSES, SPEC, SHA256,"
                + " PAYLOAD_BYTES, 'calibrate', ?, ? FROM AUGUR.MODELS WHERE NAME = ? AND VERSION = ?")) {
            ps.setInt(1, to);
            ps.setString(2, method.sqlName());
            ps.setString(3, CatalogStore.intervalSource(model.kind(), true));
            ps.setString(4, name);
            ps.setInt(5, from.version());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.MODEL_PAYLOADS (NAME, VERSION, PAYLOAD)"
                + " SELECT NAME, ?, PAYLOAD FROM AUGUR.MODEL_PAYLOADS WHERE NAME = ? AND VERSION = ?")) {
            ps.setInt(1, to);
            ps.setString(2, name);
            ps.setInt(3, from.version());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.CALIBRATIONS (NAME, VERSION, METHOD, CALIBRATED_FROM,"
                + " ROWS_USED, SPREAD_OFFSET) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setInt(2, to);
            ps.setString(3, method.sqlName());
            ps.setInt(4, from.version());
            ps.setInt(5, calibration.size());
            if (method == Method.NORMALIZED) {
                ps.setDouble(6, calibration.spreadOffset());
            } else {
                ps.setNull(6, java.sql.Types.DOUBLE);
            }
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.CALIBRATION_SCORES (NAME, VERSION, STRATUM, CLASS_LABEL,"
                + " N, SCORES) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int s = 0; s < calibration.strataCount(); s++) {
                double[] scores = calibration.scores(s);
                Double[] boxed = new Double[scores.length];
                for (int i = 0; i < scores.length; i++) {
                    boxed[i] = scores[i];
                }
                ps.setString(1, name);
                ps.setInt(2, to);
                ps.setInt(3, method != Method.MONDRIAN ? 0 : s + 1);
                ps.setString(4, method != Method.MONDRIAN ? null : calibration.strata().get(s));
                ps.setInt(5, scores.length);
                ps.setArray(6, conn.createArrayOf("DOUBLE PRECISION", boxed));
                ps.executeUpdate();
            }
        }
        // the same payload scores as its source did: the copy is monitored against the source's reference
        H2Monitor.copyReference(conn, name, from.version(), to);
        ModelCache.get(name, to, from.sha256(), () -> model);
        return to;
    }

    /** The calibration of a version, or null when it has none. */
    Calibration find(CatalogStore.VersionRef ref) throws SQLException {
        Method method;
        double offset;
        try (PreparedStatement ps = conn.prepareStatement("SELECT METHOD, SPREAD_OFFSET FROM AUGUR.CALIBRATIONS WHERE NAME = ? AND VERSION = ?")) {
            ps.setString(1, ref.name());
            ps.setInt(2, ref.version());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                method = Method.fromSqlName(rs.getString(1));
                offset = rs.getDouble(2);
            }
        }
        List<String> strata = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT CLASS_LABEL, SCORES FROM AUGUR.CALIBRATION_SCORES"
                + " WHERE NAME = ? AND VERSION = ? ORDER BY STRATUM")) {
            ps.setString(1, ref.name());
            ps.setInt(2, ref.version());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (method == Method.MONDRIAN) {
                        strata.add(rs.getString(1));
                    }
                    Array a = rs.getArray(2);
                    Object[] values = (Object[]) a.getArray();
                    double[] s = new double[values.length];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = ((Number) values[i]).doubleValue();
                    }
                    scores.add(s);
                }
            }
        }
        if (method == Method.NORMALIZED) {
            if (scores.size() != 1) {
                throw Errors.corruptPayload("the normalized calibration of model '" + ref.name() + "' version " + ref.version()
                        + " has " + scores.size() + " lists of scores");
            }
            return Calibration.normalized(scores.get(0), offset);
        }
        return Calibration.of(method, strata, scores.toArray(new double[0][]));
    }
}
