package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Names;
import dev.augur.engine.codec.ModelJson;
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
 * The AUGUR administration functions, written once against JDBC so every database binding calls the same
 * code: TRAIN_MODEL, IMPORT_MODEL, EXPORT_MODEL, DEPLOY_MODEL, ROLLBACK_MODEL, DROP_MODEL.
 */
public final class Admin {
    private Admin() {
    }

    /** Trains on a query whose last column is the label and registers the model; returns its version (not deployed). */
    public static int trainModel(Connection conn, String name, String kind, String query, String optionsJson)
            throws SQLException {
        return call(() -> new CatalogStore(conn).register(train(conn, name, kind, query, optionsJson), "train", optionsJson));
    }

    /**
     * Runs the training query over {@code conn} (the caller's transaction) and trains, without registering: the
     * steps every database binding shares.
     */
    public static Model train(Connection conn, String name, String kind, String query, String optionsJson) throws SQLException {
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
                    row[c] = value(rs.getObject(c + 1));
                }
                rows.add(row);
            }
        }
        return SgdTrainer.train(model, modelKind, inputs, rows, options, null);
    }

    public static int trainModel(Connection conn, String name, String kind, String query) throws SQLException {
        return trainModel(conn, name, kind, query, null);
    }

    private static Object value(Object v) throws SQLException {
        if (v instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        return v;
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

    interface SqlCall<T> {
        T run() throws SQLException;
    }

    /** Runs a catalog call, turning Augur's errors into SQLExceptions that keep their SQLSTATE. */
    static <T> T call(SqlCall<T> body) throws SQLException {
        try {
            return body.run();
        } catch (AugurException e) {
            throw new SQLException(e.getMessage(), e.sqlState(), e);
        }
    }
}
