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

    public static int deployModel(Connection c, String name) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.deployModel(c, name));
    }

    public static int deployModel(Connection c, String name, Integer version) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.deployModel(c, name, version));
    }

    public static int rollbackModel(Connection c, String name) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.rollbackModel(c, name));
    }

    public static int dropModel(Connection c, String name) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.dropModel(c, name));
    }
}
