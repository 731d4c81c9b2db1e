package dev.augur.tests;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the tests use: {@code AUGUR_TEST_PG_URL} when set (a pgjdbc URL of a superuser, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), else a throw-away server started once per JVM
 * from the PostgreSQL 15 binaries ({@code /usr/lib/postgresql/15/bin}, or {@code AUGUR_TEST_PG_BIN}) on a free
 * loopback port in a temp folder. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} OS
 * user (through runuser). io.zonky's embedded PostgreSQL is not used for the same reason: it starts the server
 * as the current user. Without a URL or binaries, tests are skipped with that reason.
 */
final class PgServer {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String baseUrl;
    private static String failure;

    private PgServer() {
    }

    /** The superuser URL (pgjdbc) of the server, starting it on first use; skips the test when there is none. */
    static synchronized String url() {
        if (baseUrl == null && failure == null) {
            String env = System.getenv("AUGUR_TEST_PG_URL");
            if (env != null && !env.isBlank()) {
                baseUrl = env.trim();
            } else {
                try {
                    baseUrl = start();
                } catch (Exception e) {
                    failure = e.getMessage();
                }
            }
        }
        Assumptions.assumeTrue(baseUrl != null, () -> "no PostgreSQL for this test: " + failure);
        return baseUrl;
    }

    /** A fresh database on the server; returns its pgjdbc URL. */
    static String newDatabase(String prefix) throws SQLException {
        String base = url();
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet()).toLowerCase();
        try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return withDatabase(base, name);
    }

    /** The URL with its database replaced. */
    static String withDatabase(String url, String db) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int q = url.indexOf('?');
        String tail = q < 0 ? "" : url.substring(q);
        return url.substring(0, slash + 1) + db + tail;
    }

    private static String start() throws Exception {
        Path bin = Path.of(System.getenv().getOrDefault("AUGUR_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"));
        if (!Files.isExecutable(bin.resolve("postgres"))) {
            throw new IllegalStateException("AUGUR_TEST_PG_URL is not set and there are no PostgreSQL binaries in " + bin);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("augur-pg");
        Path data = dir.resolve("data");
        if (root) {
            run(List.of("chown", "postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync"), root);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off -c synchronous_commit=off"
                        + " -c full_page_writes=off -c max_connections=200", "start"), root);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), root);
                run(List.of("rm", "-rf", dir.toString()), false);
            } catch (Exception ignored) {
                // the JVM is ending
            }
        }));
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private static void run(List<String> cmd, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
        }
    }
}
