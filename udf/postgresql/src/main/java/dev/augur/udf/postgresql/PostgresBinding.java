package dev.augur.udf.postgresql;

import dev.augur.sql.DatabaseBinding;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The PostgreSQL binding: its catalog (tables in versioned migrations, functions in repeatable ones, each defined in
 * one file), TRAIN_MODEL's engine call, and (in {@link PgMaintainer}) the maintainer of engine-side views.
 */
public final class PostgresBinding implements DatabaseBinding {
    private static final PgTrainCall TRAIN = new PgTrainCall();

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
        return TRAIN.rewrite(raw, sql);
    }
}
