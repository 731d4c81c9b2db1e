package dev.augur.migrations;

import dev.augur.engine.AugurException;
import dev.augur.sql.AugurDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The user's migrations folder ({@code db/migrations/} by default in the CLI), applied by Flyway through the {@code jdbc:augur:}
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
        return migrate(jdbcUrl, user, password, folder, null);
    }

    /** Told how many migrations are pending, then each time one of them has been applied. */
    public interface Progress {
        void pending(int count);

        void applied(int done);
    }

    /** As {@link #migrate(String, String, String, Path)}, telling {@code progress} (when not null) how far it is. */
    public static Outcome migrate(String jdbcUrl, String user, String password, Path folder, Progress progress) {
        if (!Files.isDirectory(folder)) {
            return new Outcome(0, null);
        }
        checkFolder(folder);
        Path base = folder.toAbsolutePath().normalize();
        AugurDataSource ds = new AugurDataSource(jdbcUrl, user, password, base);
        try {
            int[] done = {0};
            org.flywaydb.core.api.callback.Callback counter = new org.flywaydb.core.api.callback.BaseCallback() {
                @Override
                public boolean supports(org.flywaydb.core.api.callback.Event event, org.flywaydb.core.api.callback.Context context) {
                    return progress != null && event == org.flywaydb.core.api.callback.Event.AFTER_EACH_MIGRATE;
                }

                @Override
                public boolean canHandleInTransaction(org.flywaydb.core.api.callback.Event event,
                                                      org.flywaydb.core.api.callback.Context context) {
                    return true;
                }

                @Override
                public void handle(org.flywaydb.core.api.callback.Event event, org.flywaydb.core.api.callback.Context context) {
                    progress.applied(++done[0]);
                }
            };
            Flyway flyway = Flyway.configure(UserMigrations.class.getClassLoader())
                    .dataSource(ds)
                    .locations("filesystem:" + base)
                    // a database that already has tables (the usual case when Augur is added) starts at version 0
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .javaMigrations(modelMigrations(base).toArray(ModelMigration[]::new))
                    .callbacks(counter)
                    .load();
            if (progress != null) {
                progress.pending(flyway.info().pending().length);
            }
            MigrateResult result = flyway.migrate();
            return new Outcome(result.migrationsExecuted, result.targetSchemaVersion);
        } catch (FlywayException e) {
            throw new AugurException(sqlState(e), "migration failed: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a folder that is not the user's own (DESIGN.md: "User migrations are the user's folder, never a folder
     * that holds Augur's own sources or build output"): one holding Augur's catalog scripts
     * ({@code dev/augur/migrations/h2/V1__augur_catalog.sql}, ..., which Flyway, scanning the folder recursively, would
     * apply as the user's), a Maven build folder ({@code target} with {@code classes}, ...) or a Maven module
     * ({@code pom.xml}). SQLSTATE 22023, naming what was found where. A missing folder passes (it holds no migrations).
     */
    public static void checkFolder(Path folder) {
        Path base = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            return;
        }
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path p = base; p != null; p = p.getParent()) {
            if (isCatalogFolder(p)) {
                found.put(CATALOG, base);
            }
        }
        try {
            Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), 16, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (name.equals(".git")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (isCatalogFolder(dir)) {
                        found.putIfAbsent(CATALOG, dir);
                    } else if (name.equals("target") && MAVEN_OUTPUT.stream().anyMatch(m -> Files.isDirectory(dir.resolve(m)))) {
                        found.putIfAbsent(BUILD, dir);
                    }
                    return found.size() == 3 ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (name.equals("pom.xml")) {
                        found.putIfAbsent(MODULE, file);
                    } else if (CATALOG_SCRIPT.matcher(name).matches()) {
                        found.putIfAbsent(CATALOG, file);
                    }
                    return found.size() == 3 ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!found.isEmpty()) {
            String what = Stream.of(CATALOG, BUILD, MODULE).filter(found::containsKey)
                    .map(k -> k + " (" + found.get(k) + ")").collect(Collectors.joining(" and "));
            throw new AugurException("22023", "the migrations folder " + folder + " holds " + what
                    + ": it must hold your own migrations only (V1__name.sql, V2__name.model.json), not Augur's sources"
                    + " or build output; use a folder of your own");
        }
    }

    private static final String CATALOG = "Augur's own catalog scripts";
    private static final String BUILD = "a Maven build folder";
    private static final String MODULE = "a Maven module";
    private static final List<String> MAVEN_OUTPUT = List.of("classes", "test-classes", "maven-status", "maven-archiver");
    private static final Pattern CATALOG_SCRIPT = Pattern.compile("V\\d+__augur_catalog\\.sql");

    /** Where Augur's catalog scripts live, in the sources and in the build output: dev/augur/migrations/DIALECT. */
    private static boolean isCatalogFolder(Path dir) {
        return dir.endsWith(Path.of("dev", "augur", "migrations", "h2"))
                || dir.endsWith(Path.of("dev", "augur", "migrations", "postgresql"));
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
