package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.view.ViewIndex;

import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** What keeps a view's table equal to a full re-scoring: data changes, model changes, full refreshes. */
final class ViewMaintenance {
    private ViewMaintenance() {
    }

    static Object sqlValue(Object v) throws SQLException {
        if (v instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        return v;
    }

    /** A base-table row was inserted (old null), updated, or deleted (new null). */
    static void rowChanged(Connection conn, ViewRuntime rt, Object oldKey, Object newKey, Object[] newInputs) throws SQLException {
        if (oldKey != null && (newKey == null || !oldKey.equals(newKey))) {
            rt.index.remove(oldKey);
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + rt.def.table() + " WHERE " + rt.def.keyColumn() + " = ?")) {
                ps.setObject(1, oldKey);
                ps.executeUpdate();
            }
        }
        if (newKey == null) {
            return;
        }
        if (oldKey == null && rt.index.get(newKey) != null) {
            throw new SQLException("view '" + rt.name + "' needs unique keys, and " + rt.def.baseTable() + "." + rt.def.keyColumn()
                    + " = " + newKey + " is there twice; make " + rt.def.keyColumn() + " a primary key", "23505");
        }
        FeatureVector features;
        try {
            features = ViewIndex.featuresOf(rt.current, newInputs);
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
        ViewIndex.Scored s = rt.index.put(newKey, features, rt.current, rt.currentVersion);
        write(conn, rt.def.table(), rt.def.keyColumn(), s == null ? List.of() : List.of(s), rt.currentVersion, true, newKey, rt.ensemble());
        ViewServedLog.written(conn, rt, s == null ? List.of() : List.of(s), rt.currentVersion);
    }

    /**
     * Brings the view to {@code rt.current}: incrementally where the Hölder bound allows, or by a full
     * re-scoring that becomes the new anchor when the skiing rule says so (or {@code full}).
     */
    static long modelChanged(Connection conn, ViewRuntime rt, String event, boolean full) throws SQLException {
        long t0 = System.nanoTime();
        ViewIndex index = rt.index;
        boolean refeatured = !ViewIndex.sameFeatures(index.anchor(), rt.current);
        if (refeatured) {
            // another feature function (a new vocabulary, say): the stored feature vectors are the old function's
            refeature(conn, rt);
        }
        boolean reorganize = index.shouldReanchor(rt.def.alpha(), full, refeatured); // for the event's note
        ViewIndex.Plan plan = index.maintain(rt.current, rt.currentVersion, rt.def.maintainedTolerance(), rt.def.alpha(), full, refeatured);
        if (plan.full()) {
            saveViewModel(conn, rt.name, "anchor", rt.current, rt.currentVersion);
        }
        write(conn, rt.def.table(), rt.def.keyColumn(), plan.changed(), rt.currentVersion, false, null, rt.ensemble());
        ViewServedLog.written(conn, rt, plan.changed(), rt.currentVersion);
        double millis = (System.nanoTime() - t0) / 1e6;
        String kind = plan.full() ? (full ? "refresh_full" : "reorganize") : event;
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.VIEW_EVENTS (VIEW_NAME, EVENT, MODEL_VERSION,"
                + " ROWS_CHECKED, ROWS_RESCORED, ROWS_WRITTEN, BOUND, MILLIS, NOTE, SCORER) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, rt.name);
            ps.setString(2, kind);
            ps.setInt(3, rt.currentVersion);
            ps.setLong(4, plan.rowsChecked());
            ps.setLong(5, plan.rowsRescored());
            ps.setLong(6, plan.changed().size());
            if (Double.isNaN(plan.bound())) {
                ps.setNull(7, Types.DOUBLE);
            } else {
                ps.setDouble(7, plan.bound());
            }
            ps.setDouble(8, millis);
            String note = null;
            if (refeatured) {
                note = "the model's feature function changed: features recomputed, re-scored all and re-anchored";
            } else if (plan.full() && !full) {
                note = reorganize ? "incremental cost since the anchor exceeded alpha x a full re-scoring: re-anchored"
                        : "the bounds left most rows to re-score: re-scored all and re-anchored";
            }
            ps.setString(9, note);
            ps.setString(10, plan.scorer());
            ps.executeUpdate();
        }
        return plan.changed().size();
    }

    /** Recomputes every entity's features from the base table with the current model's feature function. */
    private static void refeature(Connection conn, ViewRuntime rt) throws SQLException {
        forEachEntity(conn, rt.def.baseTable(), rt.def.keyColumn(), rt.def.inputColumns(),
                (key, inputs) -> rt.index.refeature(key, ViewIndex.featuresOf(rt.current, inputs)));
    }

    /** What to do with one entity: its key and its input values. */
    interface EntitySink {
        void accept(Object key, Object[] inputs) throws SQLException;
    }

    /** Reads every entity's key and input values from a table; Augur's errors become SQLExceptions. */
    static void forEachEntity(Connection conn, String table, String key, List<String> inputs, EntitySink sink) throws SQLException {
        try (java.sql.Statement st = conn.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT " + key
                + ", " + String.join(", ", inputs) + " FROM " + table)) {
            while (rs.next()) {
                Object[] in = new Object[inputs.size()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = sqlValue(rs.getObject(2 + i));
                }
                sink.accept(rs.getObject(1), in);
            }
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
    }

    static void saveViewModel(Connection conn, String view, String role, Model model, int version) throws SQLException {
        byte[] payload = ModelCodec.encode(model);
        try (PreparedStatement ps = conn.prepareStatement("MERGE INTO AUGUR.VIEW_MODELS (VIEW_NAME, ROLE, VERSION, SHA256, PAYLOAD)"
                + " KEY (VIEW_NAME, ROLE) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, view);
            ps.setString(2, role);
            ps.setInt(3, version);
            ps.setString(4, ModelCodec.sha256(payload));
            ps.setBytes(5, payload);
            ps.executeUpdate();
        }
    }

    /**
     * Writes scored rows: MERGE for data changes (a row may be new), UPDATE for model changes. A NULL input
     * gives a row of NULLs for {@code nullKey}. {@code spread}: the view holds an ensemble, and its table a SPREAD column.
     */
    static void write(Connection conn, String view, String keyColumn, List<ViewIndex.Scored> rows, int version, boolean merge,
                      Object nullKey, boolean spread) throws SQLException {
        // the spread goes last, after the key, so the other columns keep their positions whatever the view holds
        String sql = merge
                ? "MERGE INTO " + view + " (SCORE, LABEL, MARGIN, NORM_1, NORM_2, NORM_INF, MODEL_VERSION, SCORED_AT, " + keyColumn
                + (spread ? ", SPREAD" : "") + ") KEY (" + keyColumn + ") VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, ?"
                + (spread ? ", ?" : "") + ")"
                : "UPDATE " + view + " SET SCORE = ?1, LABEL = ?2, MARGIN = ?3, NORM_1 = ?4, NORM_2 = ?5, NORM_INF = ?6, MODEL_VERSION = ?7,"
                + " SCORED_AT = CURRENT_TIMESTAMP" + (spread ? ", SPREAD = ?9" : "") + " WHERE " + keyColumn + " = ?8";
        if (!rows.isEmpty() && H2Internals.writeViewRows(conn, view, keyColumn, rows, version, spread)) {
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            if (rows.isEmpty() && nullKey != null) {
                for (int i = 1; i <= 7; i++) {
                    ps.setNull(i, i == 2 ? Types.VARCHAR : (i == 7 ? Types.INTEGER : Types.DOUBLE));
                }
                ps.setObject(8, nullKey);
                if (spread) {
                    ps.setNull(9, Types.DOUBLE);
                }
                ps.executeUpdate();
                return;
            }
            int pending = 0;
            for (ViewIndex.Scored s : rows) {
                ps.setDouble(1, s.score());
                ps.setString(2, s.label());
                ps.setDouble(3, s.margin());
                ps.setDouble(4, s.norm1());
                ps.setDouble(5, s.norm2());
                ps.setDouble(6, s.normInf());
                ps.setInt(7, version);
                ps.setObject(8, s.key());
                if (spread) {
                    ps.setDouble(9, s.spread());
                }
                ps.addBatch();
                if (++pending == 1000) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    static AugurException unknownView(String name) {
        return new AugurException(Errors.UNDEFINED_OBJECT, "unknown prediction view '" + name
                + "'; see AUGUR.VIEWS for the views there are");
    }
}
