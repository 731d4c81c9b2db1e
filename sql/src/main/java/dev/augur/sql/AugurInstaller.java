package dev.augur.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Installs or upgrades Augur's catalog and functions in a database; found through {@link java.util.ServiceLoader}
 * so the driver can install on first connect without depending on the module that owns the migrations.
 */
public interface AugurInstaller {
    /**
     * Called on every connect through the driver, so it must return quickly when nothing is to be done.
     *
     * @param connection an open connection to the database (autocommit on); the installer may use it or open its own
     */
    void install(Connection connection) throws SQLException;
}
