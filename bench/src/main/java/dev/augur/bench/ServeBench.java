package dev.augur.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./augur bench serve}: what a stock client meets at {@code augur serve}: the round trip of {@code SELECT 1}
 * over the PostgreSQL protocol (pgjdbc, through Augur's proxy) beside H2's own TCP protocol, and streaming a result
 * with a fetch size (a cursor, as BI tools do) beside reading it in one fetch, alternating in one run.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "augur serve as stock clients meet it: SELECT 1 round trips (PostgreSQL protocol vs H2 TCP) and streaming with a fetch size vs one fetch.")
final class ServeBench implements Callable<Integer> {
    @Option(names = "--round-trips", defaultValue = "2000", description = "SELECT 1 round trips per protocol (default: ${DEFAULT-VALUE})")
    int roundTrips;

    @Option(names = "--rows", defaultValue = "100000", description = "rows streamed (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--reps", defaultValue = "5", description = "alternating repetitions of each read (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--out", defaultValue = "bench/results/serve.txt", description = "where to keep the result (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("augur-bench-serve");
        StringBuilder report = new StringBuilder("augur bench serve: " + Machine.describe() + "\n");
        String password = "bench-serve";
        try (Served server = Served.start(dir.resolve("data"), password)) {
            try (Connection c = DriverManager.getConnection(server.pgUrl(), "sa", password); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE big AS SELECT x AS id, 'row number ' || x AS v FROM SYSTEM_RANGE(1, " + rows + ") r (x)");
            }
            double pg;
            double tcp;
            try (Connection p = DriverManager.getConnection(server.pgUrl(), "sa", password);
                 Connection t = DriverManager.getConnection(server.tcpUrl(), "sa", password)) {
                roundTrips(p, roundTrips / 10);
                roundTrips(t, roundTrips / 10);
                pg = roundTrips(p, roundTrips);
                tcp = roundTrips(t, roundTrips);
            }
            report.append(String.format(Locale.ROOT, "SELECT 1 round trip, median of %,d: PostgreSQL protocol %.3f ms, H2 TCP %.3f ms%n",
                    roundTrips, pg / 1e6, tcp / 1e6));
            long[] oneFetch = new long[reps];
            long[] streamed = new long[reps];
            read(server, password, 0);
            read(server, password, 1000);
            for (int r = 0; r < reps; r++) {
                oneFetch[r] = read(server, password, 0);
                streamed[r] = read(server, password, 1000);
            }
            double one = Machine.median(oneFetch);
            double stream = Machine.median(streamed);
            report.append(String.format(Locale.ROOT, "%,d rows over pgjdbc, median of %d (alternating): one fetch %.0f ms, fetch size 1000 %.0f ms%n",
                    rows, reps, one / 1e6, stream / 1e6));
            report.append(String.format(Locale.ROOT, "pg round trip median: %.3f ms%n", pg / 1e6));
            report.append(String.format(Locale.ROOT, "pg streaming/one-fetch time ratio: %.2f%n", stream / one));
            System.out.print(report);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report.toString());
            Path png = Charts.beside(out);
            Charts.bars(png, "Streaming " + String.format(Locale.ROOT, "%,d", rows) + " rows over pgjdbc, " + LocalDate.now(), "milliseconds",
                    List.of("one fetch", "fetch size 1000 (a cursor)"), List.of("PostgreSQL protocol (augur serve)"),
                    List.of(List.of(one / 1e6, stream / 1e6)));
            Charts.bars(png.resolveSibling("serve-round-trip.png"), "SELECT 1 round trip, median of " + String.format(Locale.ROOT, "%,d",
                    roundTrips) + ", " + LocalDate.now(), "milliseconds", List.of("SELECT 1"),
                    List.of("PostgreSQL protocol (pgjdbc, through the proxy)", "H2 TCP"), List.of(List.of(pg / 1e6), List.of(tcp / 1e6)));
        }
        return 0;
    }

    /** The median nanoseconds of {@code n} round trips of SELECT 1. */
    private static double roundTrips(Connection c, int n) throws Exception {
        long[] t = new long[n];
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                try (ResultSet rs = st.executeQuery("SELECT 1")) {
                    rs.next();
                }
                t[i] = System.nanoTime() - t0;
            }
        }
        return Machine.median(t);
    }

    /** Nanoseconds to read every row; a fetch size needs a transaction (pgjdbc then reads through a portal). */
    private long read(Served server, String password, int fetchSize) throws Exception {
        try (Connection c = DriverManager.getConnection(server.pgUrl(), "sa", password)) {
            c.setAutoCommit(fetchSize == 0);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(fetchSize);
                long t0 = System.nanoTime();
                long n = 0;
                try (ResultSet rs = st.executeQuery("SELECT id, v FROM big")) {
                    while (rs.next()) {
                        n++;
                    }
                }
                long elapsed = System.nanoTime() - t0;
                if (n != rows) {
                    throw new IllegalStateException("read " + n + " rows of " + rows);
                }
                return elapsed;
            }
        }
    }

    /**
     * {@code augur serve} in a child JVM on this class path, as a user runs it (free ports, a given password); its
     * addresses are read from the {@code DATA/augur.server} file it writes once it listens.
     */
    private record Served(Process process, String pgUrl, String tcpUrl) implements AutoCloseable {
        static Served start(Path data, String password) throws Exception {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "dev.augur.cli.Main", "serve", "--data", data.toString(),
                    "--tcp-port", "0", "--pg-port", "0", "--password", password)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Path file = data.resolve("augur.server");
            long deadline = System.nanoTime() + 60_000_000_000L;
            java.util.Properties props = new java.util.Properties();
            while (props.getProperty("pg") == null || props.getProperty("tcp") == null) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("augur serve did not start (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
                }
                Thread.sleep(50);
                if (Files.isRegularFile(file)) {
                    try (java.io.Reader r = Files.newBufferedReader(file)) {
                        props.load(r); // the server writes the file once; a read half way is read again
                    }
                }
            }
            return new Served(p, props.getProperty("pg"), props.getProperty("tcp"));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
