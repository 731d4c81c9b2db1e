package dev.augur.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server tests use: {@code AUGUR_TEST_PG_URL} when set (a pgjdbc URL of a superuser, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), else a throw-away {@link PgLocalServer} started
 * once per JVM. Without either, {@link #url()} throws IllegalStateException naming why, which tests turn into a skip
 * that says so.
 */
public final class TestPostgres {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String baseUrl;
    private static String failure;

    private TestPostgres() {
    }

    /** The superuser URL (pgjdbc) of the server, starting it on first use. */
    public static synchronized String url() {
        if (baseUrl == null && failure == null) {
            String env = System.getenv("AUGUR_TEST_PG_URL");
            if (env != null && !env.isBlank()) {
                baseUrl = env.trim();
            } else {
                try {
                    baseUrl = PgLocalServer.startNew().url();
                } catch (Exception e) {
                    failure = e.getMessage();
                }
            }
        }
        if (baseUrl == null) {
            throw new IllegalStateException("no PostgreSQL for this test: " + failure);
        }
        return baseUrl;
    }

    /** A fresh database on the server; returns its pgjdbc URL. */
    public static String newDatabase(String prefix) throws SQLException {
        String base = url();
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet()).toLowerCase();
        try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return withDatabase(base, name);
    }

    /** The URL with its database replaced. */
    public static String withDatabase(String url, String db) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int q = url.indexOf('?');
        String tail = q < 0 ? "" : url.substring(q);
        return url.substring(0, slash + 1) + db + tail;
    }
}
