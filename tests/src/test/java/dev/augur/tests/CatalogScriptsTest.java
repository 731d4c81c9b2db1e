package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a database must reach is derived from the scripts Augur ships, never a constant raised by hand (a new V&lt;n&gt;
 * without it would never be applied to existing databases): on H2 the number of versioned scripts; on PostgreSQL,
 * where functions are repeatable scripts that change without a new version, a fingerprint of every script shipped.
 * From the class folder and from the runnable jar alike.
 */
class CatalogScriptsTest {
    private static final Path SCRIPTS = ServeCommandTest.ROOT.resolve("migrations/src/main/resources/dev/augur/migrations");
    private static final Path CLASSES = ServeCommandTest.ROOT.resolve("migrations/target/classes");
    private static final Path JAR = ServeCommandTest.ROOT.resolve("cli/target/augur-cli-0.1.0-SNAPSHOT-all.jar");

    @Test
    void theCatalogVersionIsTheNumberOfScriptsShipped() throws Exception {
        for (String dialect : new String[]{"h2", "postgresql"}) {
            int onDisk = versioned(SCRIPTS.resolve(dialect));
            assertThat(onDisk).isPositive();
            assertThat(invoke(catalog(), "shippedMigrations", dialect)).as(dialect + ", class folder").isEqualTo(onDisk);
            assumeTrue(Files.isRegularFile(JAR), "the CLI jar " + JAR + " is not built (mvn verify builds it)");
            try (URLClassLoader loader = new URLClassLoader(new URL[]{JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                assertThat(invoke(loader.loadClass("dev.augur.migrations.AugurCatalog"), "shippedMigrations", dialect))
                        .as(dialect + ", runnable jar").isEqualTo(onDisk);
            }
        }
    }

    /** A changed function script (a repeatable migration, no new version) changes the PostgreSQL fingerprint. */
    @Test
    void aChangedFunctionChangesThePostgresFingerprint(@TempDir Path dir) throws Exception {
        String shipped = (String) invoke(catalog(), "shippedFingerprint", "postgresql");
        assertThat(shipped).matches("[0-9a-f]{64}");
        Path functions = dir.resolve("dev/augur/udf/postgresql/functions");
        Files.createDirectories(functions);
        // from the built class folder: it also holds the scripts written at build time (R__augur_kinds.sql)
        try (Stream<Path> files = Files.list(ServeCommandTest.ROOT.resolve("udf/postgresql/target/classes/dev/augur/udf/postgresql/functions"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, functions.resolve(f.getFileName()));
            }
        }
        assertThat(fingerprintWith(dir)).as("the same scripts").isEqualTo(shipped);
        Path sigmoid = functions.resolve("R__augur_sigmoid.sql");
        Files.writeString(sigmoid, Files.readString(sigmoid).replace("0.5::float8 * m", "0.5::float8 * m + 0"));
        assertThat(fingerprintWith(dir)).as("one function changed").isNotEqualTo(shipped);
        assumeTrue(Files.isRegularFile(JAR), "the CLI jar " + JAR + " is not built (mvn verify builds it)");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            assertThat(invoke(loader.loadClass("dev.augur.migrations.AugurCatalog"), "shippedFingerprint", "postgresql"))
                    .as("runnable jar").isEqualTo(shipped);
        }
    }

    /** The fingerprint AugurCatalog computes when folder dir (with changed function scripts) comes first on the class path. */
    private static Object fingerprintWith(Path dir) throws Exception {
        // Augur's migrations classes and resources from these folders first, everything else (Flyway) as the test's
        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL(), CLASSES.toUri().toURL()},
                CatalogScriptsTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("dev.augur.migrations.")) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }

            @Override
            public URL getResource(String name) {
                URL own = findResource(name);
                return own != null ? own : super.getResource(name);
            }
        }) {
            Class<?> catalog = loader.loadClass("dev.augur.migrations.AugurCatalog");
            assertThat(catalog.getClassLoader()).isSameAs(loader);
            return invoke(catalog, "shippedFingerprint", "postgresql");
        }
    }

    private static Class<?> catalog() throws ClassNotFoundException {
        return Class.forName("dev.augur.migrations.AugurCatalog");
    }

    private static int versioned(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    private static Object invoke(Class<?> catalog, String method, String dialect) throws Exception {
        Method m = catalog.getDeclaredMethod(method, String.class);
        m.setAccessible(true);
        return m.invoke(null, dialect);
    }
}
