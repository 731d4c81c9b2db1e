package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Names;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import dev.augur.sql.TrainingQuery;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The AUGUR administration functions, written once against JDBC so every database binding calls the same
 * code: TRAIN_MODEL, IMPORT_MODEL, EXPORT_MODEL, DEPLOY_MODEL, ROLLBACK_MODEL, DROP_MODEL.
 */
public final class Admin {
    private Admin() {
    }

    /** Trains on a query whose last column is the label and registers the model; returns its version (not deployed). */
    public static int trainModel(Connection conn, String name, String kind, String query, String optionsJson)
            throws SQLException {
        return call(() -> {
            TrainingQuery.Trained t = TrainingQuery.trainKeepingRows(conn, name, kind, query, optionsJson);
            int version = new CatalogStore(conn).register(t.model(), "train", optionsJson);
            // monitoring's yardstick: the training rows' scores and inputs, captured once, beside the version
            H2Monitor.store(conn, t.model().name(), version, "train",
                    dev.augur.engine.monitor.Reference.capture(t.model(), t.rows()));
            return version;
        });
    }

    public static int trainModel(Connection conn, String name, String kind, String query) throws SQLException {
        return trainModel(conn, name, kind, query, null);
    }

    /** Registers a model from its JSON under {@code name} (which overrides the name inside); returns the version. */
    public static int importModel(Connection conn, String name, String json) throws SQLException {
        return call(() -> {
            String model = Names.checkModelName(name);
            if (json == null) {
                throw dev.augur.engine.Errors.malformedJson("the model JSON is NULL");
            }
            Model parsed = ModelJson.fromJson(json).withName(model);
            return new CatalogStore(conn).register(parsed, "import", null);
        });
    }

    public static String exportModel(Connection conn, String name, Integer version) throws SQLException {
        return call(() -> new CatalogStore(conn).export(name, version));
    }

    /** Exports the deployed version, else the latest. */
    public static String exportModel(Connection conn, String name) throws SQLException {
        return exportModel(conn, name, null);
    }

    /** Deploys the latest version; returns it. */
    public static int deployModel(Connection conn, String name) throws SQLException {
        return deployModel(conn, name, null);
    }

    public static int deployModel(Connection conn, String name, Integer version) throws SQLException {
        return call(() -> {
            CatalogStore store = new CatalogStore(conn);
            return store.deploy(name, version == null ? store.latest(name) : version);
        });
    }

    public static int rollbackModel(Connection conn, String name) throws SQLException {
        return call(() -> new CatalogStore(conn).rollback(name));
    }

    public static int dropModel(Connection conn, String name) throws SQLException {
        return call(() -> new CatalogStore(conn).drop(name));
    }

    /**
     * Calibrates version {@code version} (null: the deployed one) on a calibration query (the model's inputs, then the
     * true label or value) and registers the calibrated copy; returns its version (not deployed).
     */
    public static int calibrateModel(Connection conn, String name, Integer version, String query, String optionsJson)
            throws SQLException {
        return call(() -> new CalibrationStore(conn).calibrate(name, version, query, optionsJson));
    }

    /** Runs a catalog call, turning Augur's errors into SQLExceptions that keep their SQLSTATE. */
    static <T> T call(H2Internals.SqlCall<T> body) throws SQLException {
        try {
            return body.run();
        } catch (AugurException e) {
            throw new SQLException(e.getMessage(), e.sqlState(), e);
        }
    }
}
