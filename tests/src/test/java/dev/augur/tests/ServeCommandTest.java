package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.augur.tests.ServeProtocolsTest.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code augur serve} run as the built jar in its own JVM from the project root, where {@code migrations/} is Augur's
 * own module (which the old default {@code --migrations migrations} picked up).
 */
class ServeCommandTest {
    static final Path ROOT = Path.of(System.getProperty("augur.root", ".")).toAbsolutePath().normalize();

    @Test
    void refusesAugursOwnModuleAndAMissingFolderAsMigrations(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Process p = augur("serve", "--data", data.toString(), "--migrations", "migrations", "--tcp-port", String.valueOf(freePort()),
                "--pg-port", String.valueOf(freePort()));
        Output out = new Output(p, null);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        out.join();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out.text()).contains("augur: [22023] the migrations folder migrations holds Augur's own catalog scripts (")
                .contains("use a folder of your own (--migrations DIR; default db/migrations, an example in examples/migrations)");
        assertThat(data).as("nothing is created").doesNotExist();

        p = augur("serve", "--data", data.toString(), "--migrations", "no-such-folder");
        out = new Output(p, null);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        out.join();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out.text()).contains("augur: [22023] the migrations folder no-such-folder (--migrations) does not exist");
        assertThat(data).doesNotExist();
    }

    /** The built CLI jar in a JVM of its own, working folder the project root. */
    static Process augur(String... args) throws IOException {
        Path jar = ROOT.resolve("cli/target/augur-cli-0.1.0-SNAPSHOT-all.jar");
        assumeTrue(Files.isRegularFile(jar), "the CLI jar " + jar + " is not built (mvn verify builds it; or mvn -pl cli -am package)");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
    }

    /** A process's output, read as it comes; ready when a line equals {@code readyLine} (or the process ends). */
    static final class Output {
        private final StringBuffer text = new StringBuffer();
        private final CountDownLatch ready = new CountDownLatch(1);
        private final Thread reader;

        Output(Process p, String readyLine) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        text.append(line).append('\n');
                        if (line.equals(readyLine)) {
                            ready.countDown();
                        }
                    }
                } catch (IOException e) {
                    text.append("(reading the output failed: ").append(e).append(")\n");
                } finally {
                    ready.countDown();
                }
            }, "serve-output");
            reader.setDaemon(true);
            reader.start();
        }

        boolean awaitReady(int seconds) throws InterruptedException {
            return ready.await(seconds, TimeUnit.SECONDS) && text.indexOf("Press Ctrl-C to stop.") >= 0;
        }

        void join() throws InterruptedException {
            reader.join(30_000);
        }

        String text() {
            return text.toString();
        }
    }
}
