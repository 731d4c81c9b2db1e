package dev.augur.tests;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the tests use: {@code AUGUR_TEST_PG_URL} when set (a pgjdbc URL of a superuser, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), else a throw-away server started once per JVM
 * from the PostgreSQL 15 binaries ({@code /usr/lib/postgresql/15/bin}, or {@code AUGUR_TEST_PG_BIN}) on a free
 * loopback port in a temp folder. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} OS
 * user (through runuser); the server itself is {@link dev.augur.testkit.PgLocalServer}, shared with the benchmark. io.zonky's embedded PostgreSQL is not used for the same reason: it starts the server
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
        return dev.augur.testkit.PgLocalServer.startNew().url();
    }
}
