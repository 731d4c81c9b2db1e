package dev.augur.migrations;

import dev.augur.engine.AugurException;
import dev.augur.sql.AugurDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The user's migrations folder ({@code migrations/} by default), applied by Flyway through the {@code jdbc:augur:}
 * layer so SQL scripts may use Augur's extension statements: {@code V1__emails.sql}, {@code V2__train_spam.sql}
 * ({@code TRAIN MODEL ...; DEPLOY MODEL ...}), and model files {@code V3__spam_v2.model.json} (register and deploy).
 * History in the default schema's {@code flyway_schema_history}, as any Flyway user expects.
 */
public final class UserMigrations {
    private UserMigrations() {
    }

    /** What a migrate run did. */
    public record Outcome(int applied, String schemaVersion) {
    }

    /**
     * Applies pending migrations from {@code folder}; a missing folder applies nothing. A failing migration is
     * rolled back whole (its model registrations and deployments with it) and raised with Flyway's message.
     */
    public static Outcome migrate(String jdbcUrl, String user, String password, Path folder) {
        if (!Files.isDirectory(folder)) {
            return new Outcome(0, null);
        }
        Path base = folder.toAbsolutePath().normalize();
        AugurDataSource ds = new AugurDataSource(jdbcUrl, user, password, base);
        try {
            MigrateResult result = Flyway.configure(UserMigrations.class.getClassLoader())
                    .dataSource(ds)
                    .locations("filesystem:" + base)
                    // a database that already has tables (the usual case when Augur is added) starts at version 0
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .javaMigrations(modelMigrations(base).toArray(ModelMigration[]::new))
                    .load()
                    .migrate();
            return new Outcome(result.migrationsExecuted, result.targetSchemaVersion);
        } catch (FlywayException e) {
            throw new AugurException(sqlState(e), "migration failed: " + e.getMessage(), e);
        }
    }

    /** The SQLSTATE of the statement that failed, where Flyway kept it, else 2F000 (SQL routine exception). */
    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
            if (t instanceof AugurException a) {
                return a.sqlState();
            }
        }
        return "2F000";
    }

    static List<ModelMigration> modelMigrations(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(ModelMigration::isModelFile).sorted().map(ModelMigration::new).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
