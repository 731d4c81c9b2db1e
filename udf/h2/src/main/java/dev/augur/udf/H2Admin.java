package dev.augur.udf;

import java.sql.Connection;
import java.sql.SQLException;

/** The AUGUR administration functions as H2 aliases: {@link Admin}, keeping the calling statement's resolved models. */
public final class H2Admin {
    private H2Admin() {
    }

    public static int trainModel(Connection c, String name, String kind, String query) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.trainModel(c, name, kind, query));
    }

    public static int trainModel(Connection c, String name, String kind, String query, String options) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.trainModel(c, name, kind, query, options));
    }

    public static int importModel(Connection c, String name, String json) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.importModel(c, name, json));
    }

    public static String exportModel(Connection c, String name) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.exportModel(c, name));
    }

    public static String exportModel(Connection c, String name, Integer version) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.exportModel(c, name, version));
    }

    /** Deploys the latest version; eager prediction views on the model follow in the same transaction. */
    public static int deployModel(Connection c, String name) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            H2Experiments.refuseDeploy(c, name);
            int v = Admin.deployModel(c, name);
            H2Views.modelDeployed(c, name);
            return v;
        });
    }

    public static int deployModel(Connection c, String name, Integer version) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            H2Experiments.refuseDeploy(c, name);
            int v = Admin.deployModel(c, name, version);
            H2Views.modelDeployed(c, name);
            return v;
        });
    }

    public static int rollbackModel(Connection c, String name) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            Integer kept = H2Experiments.endByRollback(c, name);
            if (kept != null) {
                return kept; // the experiment ends; the version deployed before it still is
            }
            int v = Admin.rollbackModel(c, name);
            H2Views.modelDeployed(c, name);
            return v;
        });
    }

    public static int calibrateModel(Connection c, String name, Integer version, String query) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.calibrateModel(c, name, version, query, null));
    }

    public static int calibrateModel(Connection c, String name, Integer version, String query, String options) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.calibrateModel(c, name, version, query, options));
    }

    /** Drops a model no prediction view depends on. */
    public static int dropModel(Connection c, String name) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            if (name != null && dev.augur.engine.Names.isIdentifier(name)) {
                java.util.List<String> views = H2Views.viewsOf(c, name);
                if (!views.isEmpty()) {
                    throw new SQLException("cannot drop model '" + name.toLowerCase(java.util.Locale.ROOT) + "': prediction view"
                            + (views.size() == 1 ? " " : "s ") + String.join(", ", views) + " depend on it; drop "
                            + (views.size() == 1 ? "it" : "them") + " first", "2BP01");
                }
            }
            int dropped = Admin.dropModel(c, name);
            H2Experiments.modelDropped(c, name.toLowerCase(java.util.Locale.ROOT));
            H2Monitor.modelDropped(c, name.toLowerCase(java.util.Locale.ROOT));
            return dropped;
        });
    }
}
