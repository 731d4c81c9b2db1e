package dev.augur.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL server for benchmarks and tests: initdb into a temp folder, pg_ctl start on a free
 * loopback port (trust authentication, fsync off), removed on {@link #close()} or at JVM exit. Uses the
 * PostgreSQL 15 binaries in {@code /usr/lib/postgresql/15/bin} (or {@code AUGUR_TEST_PG_BIN}). PostgreSQL refuses
 * to run as root, so as root every server command runs as the {@code postgres} OS user (through runuser).
 * {@link #stop()} and {@link #start()} restart the same server on the same port and data folder.
 */
public final class PgLocalServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean root;
    private final Thread hook;
    private boolean running;

    private PgLocalServer(Path bin, Path dir, int port, boolean root) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.root = root;
        this.hook = new Thread(this::destroyQuietly, "augur-pg-cleanup");
    }

    /** The folder of the PostgreSQL binaries: {@code AUGUR_TEST_PG_BIN} or /usr/lib/postgresql/15/bin. */
    public static Path binaries() {
        return Path.of(System.getenv().getOrDefault("AUGUR_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"));
    }

    /** Creates and starts a fresh server; throws IllegalStateException naming what is missing when it cannot. */
    public static PgLocalServer startNew() throws IOException, InterruptedException {
        return startNew("");
    }

    /** As {@link #startNew()}, with extra server settings appended to the postgres command line (e.g. "-c work_mem=64MB"). */
    public static PgLocalServer startNew(String extraOptions) throws IOException, InterruptedException {
        Path bin = binaries();
        if (!Files.isExecutable(bin.resolve("postgres"))) {
            throw new IllegalStateException("there are no PostgreSQL binaries in " + bin + " (set AUGUR_TEST_PG_BIN, or pass a URL)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("augur-pg");
        if (root) {
            run(List.of("chown", "postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), root);
        int port = Sockets.freePort(); // never a port this process handed out to a test's server
        PgLocalServer server = new PgLocalServer(bin, dir, port, root);
        Files.writeString(dir.resolve("options"), "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 " + extraOptions);
        Runtime.getRuntime().addShutdownHook(server.hook);
        server.start();
        return server;
    }

    /** The superuser's pgjdbc URL of database {@code postgres}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Starts the server (again), waiting until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(),
                "-o", Files.readString(dir.resolve("options")).trim(), "start"), root);
        running = true;
    }

    /** Stops the server at once (pg_ctl -m fast), dropping every connection; the data stays. */
    public synchronized void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), root);
        running = false;
    }

    /** Stops the server and removes its folder. */
    @Override
    public void close() {
        destroyQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already ending
        }
    }

    private synchronized void destroyQuietly() {
        try {
            if (running) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), root);
                running = false;
            }
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (Exception ignored) {
            // best effort: a temp folder may stay behind
        }
    }

    private static void run(List<String> cmd, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
        }
    }
}
