package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The catalog version a database must reach is counted from the scripts Augur ships (it was a constant raised by
 * hand, so a new V&lt;n&gt; without it would never be applied to existing databases): from the class folder and from
 * the runnable jar alike.
 */
class CatalogScriptsTest {
    private static final Path SCRIPTS = ServeCommandTest.ROOT.resolve("migrations/src/main/resources/dev/augur/migrations");

    @Test
    void theCatalogVersionIsTheNumberOfScriptsShipped() throws Exception {
        for (String dialect : new String[]{"h2", "postgresql"}) {
            int onDisk = versioned(SCRIPTS.resolve(dialect));
            assertThat(onDisk).isPositive();
            assertThat(shipped(Class.forName("dev.augur.migrations.AugurCatalog"), dialect)).as(dialect + ", class folder").isEqualTo(onDisk);
            Path jar = ServeCommandTest.ROOT.resolve("cli/target/augur-cli-0.1.0-SNAPSHOT-all.jar");
            assumeTrue(Files.isRegularFile(jar), "the CLI jar " + jar + " is not built (mvn verify builds it)");
            try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                assertThat(shipped(loader.loadClass("dev.augur.migrations.AugurCatalog"), dialect)).as(dialect + ", runnable jar")
                        .isEqualTo(onDisk);
            }
        }
    }

    private static int versioned(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    private static int shipped(Class<?> catalog, String dialect) throws Exception {
        Method m = catalog.getDeclaredMethod("shippedMigrations", String.class);
        m.setAccessible(true);
        return (int) m.invoke(null, dialect);
    }
}
