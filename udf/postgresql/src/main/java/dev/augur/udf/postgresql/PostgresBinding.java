package dev.augur.udf.postgresql;

import dev.augur.sql.DatabaseBinding;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The PostgreSQL binding: its catalog (tables in versioned migrations, functions in repeatable ones, each defined in
 * one file), the engine calls of TRAIN_MODEL, CAPTURE_REFERENCE and INPUT_DRIFT, and (in {@link PgMaintainer}) the maintainer of engine-side views.
 */
public final class PostgresBinding implements DatabaseBinding {
    private static final PgTrainCall TRAIN = new PgTrainCall();
    private static final PgMonitorCall MONITOR = new PgMonitorCall();

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean handles(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class);
    }

    /** Its functions, one repeatable script each, and afterMigrate.sql (privileges, regenerated functions). */
    @Override
    public List<String> catalogLocations() {
        return List.of("dev/augur/udf/postgresql/functions");
    }

    @Override
    public String rewriteEngineCall(Connection raw, String sql) throws SQLException {
        return MONITOR.rewrite(raw, TRAIN.rewrite(raw, sql));
    }
}
