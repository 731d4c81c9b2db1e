package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.augur.testkit.Sockets.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * README's main command, {@code augur serve} with no {@code --migrations}, run as the built jar in its own JVM from the
 * project root (where {@code migrations/} is Augur's own module, which the old default picked up), with only the
 * data folder and the ports moved out of the way.
 */
class ServeCommandTest {
    static final Path ROOT = Path.of(System.getProperty("augur.root", ".")).toAbsolutePath().normalize();

    /** Before: {@code augur: [2F000] migration failed: Found more than one migration with version 1}. */
    @Test
    void theMainCommandServesFromTheProjectRoot(@TempDir Path dir) throws Exception {
        assertThat(ROOT.resolve("migrations/pom.xml")).exists();
        assumeTrue(!Files.exists(ROOT.resolve("db/migrations")), "this checkout has a db/migrations folder of its own");
        int tcp = freePort();
        int pg = freePort();
        Path data = dir.resolve("data");
        Process p = augur("serve", "--data", data.toString(), "--tcp-port", String.valueOf(tcp), "--pg-port", String.valueOf(pg));
        Output out = new Output(p, "Press Ctrl-C to stop.");
        try {
            assertThat(out.awaitReady(120)).as(out.text()).isTrue();
            assertThat(out.text()).contains("no user migrations: db/migrations does not exist").doesNotContain("migration failed");
            Path passwordFile = data.resolve("augur.password");
            String password = Files.readString(passwordFile).strip();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThat(out.text()).contains("PGPASSWORD=" + password + " psql -h 127.0.0.1 -p " + pg + " -U sa -d augur")
                    .contains("jdbc:h2:tcp://127.0.0.1:" + tcp + "/augur");

            String pgUrl = "jdbc:postgresql://127.0.0.1:" + pg + "/augur";
            try (Connection c = DriverManager.getConnection(pgUrl, "sa", password); Statement st = c.createStatement()) {
                assertThat(scalar(st, "SELECT COUNT(*) FROM augur.models")).isEqualTo("0");
                // the class-name path to code execution is closed in the served JVM (h2.allowedClasses)
                assertThatThrownBy(() -> st.execute("CREATE ALIAS run_it FOR 'java.lang.Runtime.getRuntime'"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getMessage()).contains("Access to the class \"java.lang.Runtime\" is denied"));
                // Augur's own aliases still load
                st.execute("CREATE TABLE pts (id INT PRIMARY KEY, a DOUBLE PRECISION, y INT)");
                st.execute("INSERT INTO pts VALUES (1, 0.0, 0), (2, 1.0, 0), (3, 5.0, 1), (4, 6.0, 1)");
                assertThat(scalar(st, "SELECT AUGUR.TRAIN_MODEL('m', 'logistic', 'SELECT a, y FROM pts')")).isEqualTo("1");
                assertThat(scalar(st, "SELECT AUGUR.DEPLOY_MODEL('m', 1)")).isEqualTo("1");
                // a view's triggers are Augur classes too
                scalar(st, "SELECT AUGUR.CREATE_PREDICTION_VIEW('v', 'SELECT id, PREDICT(''m'', a) FROM pts')");
                st.execute("INSERT INTO pts VALUES (5, 7.0, 1)");
                assertThat(scalar(st, "SELECT COUNT(*) FROM v")).isEqualTo("5");
            }
            try (Connection c = DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + tcp + "/augur", "sa", password)) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThatThrownBy(() -> DriverManager.getConnection(pgUrl, "sa", "").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            for (int port : new int[]{tcp, pg}) {
                assertThat(dev.augur.testkit.Sockets.listeningOn(port)).as("port " + port).isNotEmpty().allMatch(dev.augur.testkit.Sockets::loopback);
            }
        } finally {
            p.toHandle().destroy(); // SIGTERM, as Ctrl-C: the shutdown hook stops the server (Process.destroy() would close the output)
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        out.join();
        assertThat(out.text()).contains("Augur stopped.").doesNotContain("Exception");
    }

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

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
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
