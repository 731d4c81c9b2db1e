package dev.augur.migrations;

import dev.augur.sql.AugurInstaller;

import java.sql.Connection;
import java.sql.SQLException;

/** The driver's hook: installs or upgrades Augur's catalog when a database is first opened through {@code jdbc:augur:}. */
public final class CatalogInstaller implements AugurInstaller {
    @Override
    public void install(Connection connection) throws SQLException {
        AugurCatalog.install(connection);
    }
}
