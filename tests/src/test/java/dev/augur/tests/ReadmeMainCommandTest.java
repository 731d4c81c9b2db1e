package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * README's main command exactly as README writes it, from the root of a clean clone (committed state, nothing
 * built): it must build what it needs, serve with its defaults, and answer psql's protocol with the printed password.
 */
class ReadmeMainCommandTest {
    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void theReadmeMainCommandServesFromACleanClone(@TempDir Path dir) throws Exception {
        Path root = ServeCommandTest.ROOT;
        assumeTrue(Files.isDirectory(root.resolve(".git")), "not a git checkout: " + root);
        String command = mainCommand(Files.readString(root.resolve("README.md")));
        assertThat(command).isEqualTo("./augur serve");
        assumeTrue(free(9092) && free(5435), "README's default ports 9092 and 5435 are taken on this machine");
        Path clone = dir.resolve("augur");
        Process git = new ProcessBuilder("git", "clone", "--quiet", "--no-hardlinks", root.toString(), clone.toString())
                .redirectErrorStream(true).start();
        assertThat(git.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(new String(git.getInputStream().readAllBytes())).isZero();

        Process serve = new ProcessBuilder(List.of("bash", "-c", "exec " + command)).directory(clone.toFile()).redirectErrorStream(true).start();
        ServeCommandTest.Output out = new ServeCommandTest.Output(serve, "Press Ctrl-C to stop.");
        try {
            assertThat(out.awaitReady(600)).as(out.text()).isTrue();
            String password = Files.readString(clone.resolve("data/augur.password")).strip();
            assertThat(out.text()).contains("PGPASSWORD=" + password + " psql -h 127.0.0.1 -p 5435 -U sa -d augur");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5435/augur", "sa", password);
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM augur.models")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isZero();
            }
        } finally {
            // SIGTERM, as Ctrl-C would stop it (Process.destroy would also close the output before the last lines)
            new ProcessBuilder("kill", "-TERM", String.valueOf(serve.pid())).start().waitFor(10, TimeUnit.SECONDS);
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
        out.join();
        assertThat(out.text()).contains("Augur stopped.");
    }

    /** The first command of README's "The two commands" block. */
    static String mainCommand(String readme) {
        Matcher m = Pattern.compile("## The two commands.*?```sh\\n([^#\\n]+?)\\s*#", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README has a 'The two commands' block").isTrue();
        return m.group(1).trim();
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
