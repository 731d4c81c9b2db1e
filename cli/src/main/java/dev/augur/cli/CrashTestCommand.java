package dev.augur.cli;

import dev.augur.sql.AugurDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code augur crash-test}: kills a process holding a file database with {@code kill -9} at random points of a random
 * workload ({@link CrashWorkload}), reopens the database and checks every acknowledged commit is there, nothing
 * unacknowledged is half applied, every view equals a full re-scoring, and nothing hangs ({@link CrashState}).
 * Half of the kills hit {@code augur serve} with a client over H2's TCP protocol, half an application embedding the
 * {@code jdbc:augur:h2:file:} driver.
 */
@Command(name = "crash-test", mixinStandardHelpOptions = true,
        description = "Kill -9 a process serving or embedding a file database at random points of a random workload, "
                + "restart, and check that no acknowledged commit is lost and every view equals a full re-scoring.")
public final class CrashTestCommand implements Callable<Integer> {
    private static final String PASSWORD = "crash-test";
    private static final long CHECK_TIMEOUT_S = 120;
    /** How long the embedding application may take to open the database and start its workload. */
    private static final long START_TIMEOUT_S = 120;
    /** What the embedding application prints once it is started, before its first operation. */
    private static final String READY = "R";

    @Option(names = "--kills", defaultValue = "30", description = "kill -9 cycles, split between serve and embedded (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--data", paramLabel = "DIR", description = "folder for the databases (default: a new temporary folder, removed afterwards)")
    Path data;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the workload and of the kill times (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--mode", defaultValue = "both", description = "serve, embedded or both (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--progress", negatable = true, description = Progress.DESCRIPTION)
    Boolean progress;

    @Option(names = "--keep-before-open", description = "to investigate a loss: copy each database as the kill left it to"
            + " DIR/<mode>/before-open before it is opened again, and stop at the first problem found")
    boolean keepBeforeOpen;

    /** What a run found. */
    public record Outcome(int cycles, int acknowledged, int lost, int viewsWrong, int hangs, List<String> problems) {
        public String summary() {
            return "kill -9 cycles: " + cycles + ", acknowledged commits lost: " + lost + ", views wrong after restart: " + viewsWrong;
        }
    }

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? data : Files.createTempDirectory("augur-crash");
        Outcome outcome;
        try (Progress bar = Progress.of(Progress.enabled(progress), "kill -9", kills)) {
            outcome = run(dir, kills, seed, mode, System.out, bar::step, keepBeforeOpen);
        }
        System.out.println(outcome.summary());
        System.out.println("acknowledged operations: " + outcome.acknowledged() + ", hangs: " + outcome.hangs());
        outcome.problems().forEach(p -> System.out.println("  " + p));
        return outcome.lost() == 0 && outcome.viewsWrong() == 0 && outcome.hangs() == 0 && outcome.problems().isEmpty() ? 0 : 1;
    }

    /** Runs the harness in {@code dir}; {@code mode} is serve, embedded or both (the kills split between them). */
    public static Outcome run(Path dir, int kills, long seed, String mode, java.io.PrintStream log) throws Exception {
        return run(dir, kills, seed, mode, log, () -> { });
    }

    /** As above; {@code onKill} runs after each kill -9 cycle. */
    public static Outcome run(Path dir, int kills, long seed, String mode, java.io.PrintStream log, Runnable onKill) throws Exception {
        return run(dir, kills, seed, mode, log, onKill, false);
    }

    /** As above; with {@code keepBeforeOpen} each database is copied before it is opened again, and the first problem stops. */
    public static Outcome run(Path dir, int kills, long seed, String mode, java.io.PrintStream log, Runnable onKill,
                              boolean keepBeforeOpen) throws Exception {
        int serveKills = switch (mode) {
            case "serve" -> kills;
            case "embedded" -> 0;
            case "both" -> kills / 2;
            default -> throw new IllegalArgumentException("--mode is serve, embedded or both, got '" + mode + "'");
        };
        Files.createDirectories(dir);
        Random random = new Random(seed);
        Totals totals = new Totals();
        totals.onKill = onKill;
        totals.keepBeforeOpen = keepBeforeOpen;
        if (serveKills > 0) {
            new ServeCycles(dir.resolve("serve"), random, totals, log).run(serveKills);
        }
        if (kills - serveKills > 0 && !totals.stop()) {
            new EmbeddedCycles(dir.resolve("embedded"), random, totals, log).run(kills - serveKills);
        }
        return new Outcome(totals.cycles, totals.state.acknowledged + totals.acknowledgedBefore, totals.lost, totals.viewsWrong,
                totals.hangs, totals.problems);
    }

    private static final class Totals {
        CrashState state = new CrashState();
        int acknowledgedBefore;
        int cycles;
        Runnable onKill = () -> { };
        int lost;
        int viewsWrong;
        int hangs;
        final List<String> problems = new ArrayList<>();
        boolean keepBeforeOpen;

        /** With --keep-before-open: the database folder as the kill left it, copied to a sibling before-open folder. */
        void keepBeforeOpen(Path data) throws java.io.IOException {
            if (!keepBeforeOpen || !Files.isDirectory(data)) {
                return;
            }
            Path copy = data.resolveSibling("before-open");
            if (Files.exists(copy)) {
                try (var old = Files.walk(copy)) {
                    for (Path f : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            try (var files = Files.walk(data)) {
                for (Path f : files.toList()) {
                    Path to = copy.resolve(data.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to);
                    }
                }
            }
        }

        /** With --keep-before-open, the first problem ends the run, so before-open holds the database that showed it. */
        boolean stop() {
            return keepBeforeOpen && (lost > 0 || viewsWrong > 0 || hangs > 0 || !problems.isEmpty());
        }

        void fresh() {
            acknowledgedBefore += state.acknowledged;
            state = new CrashState();
        }

        void record(String where, CrashState.Findings f) {
            lost += f.lost();
            viewsWrong += f.viewsWrong();
            for (String p : f.problems()) {
                problems.add(where + ": " + p);
            }
        }
    }

    /** Verifies under a timeout, so a hang is a finding rather than a stuck harness. */
    private static void check(Totals totals, String where, Callable<Connection> open, java.io.PrintStream log) {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "augur-crash-check");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<CrashState.Findings> f = ex.submit(() -> {
                try (Connection c = open.call()) {
                    return totals.state.verify(c);
                }
            });
            CrashState.Findings findings = f.get(CHECK_TIMEOUT_S, TimeUnit.SECONDS);
            totals.record(where, findings);
            if (!findings.clean()) {
                findings.problems().forEach(p -> log.println("  " + where + ": " + p));
            }
        } catch (TimeoutException e) {
            totals.hangs++;
            totals.problems.add(where + ": reopening and checking did not finish in " + CHECK_TIMEOUT_S + " s");
        } catch (Exception e) {
            totals.problems.add(where + ": reopening and checking failed: " + Errors.describe(e));
        } finally {
            ex.shutdownNow();
        }
    }

    /** {@code augur serve} in a child process; this process is its client over H2 TCP and acknowledges what returned. */
    private record ServeCycles(Path dir, Random random, Totals totals, java.io.PrintStream log) {
        void run(int kills) throws Exception {
            totals.fresh();
            Path migrations = Files.createDirectories(dir.resolve("no-migrations"));
            for (int cycle = 1; cycle <= kills + 1; cycle++) {
                totals.keepBeforeOpen(dir.resolve("data"));
                int tcp = 0;
                Process server = null;
                for (int attempt = 1; server == null; attempt++) {
                    int[] ports = twoFreePorts();
                    tcp = ports[0];
                    try {
                        server = start(List.of("dev.augur.cli.Main", "serve", "--data", dir.resolve("data").toString(),
                                "--migrations", migrations.toString(), "--tcp-port", String.valueOf(tcp), "--pg-port",
                                String.valueOf(ports[1]), "--password", PASSWORD), "Press Ctrl-C");
                    } catch (IOException e) {
                        // a port found free was taken before the child bound it (another connection's ephemeral port): others
                        if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                            throw e;
                        }
                    }
                }
                Process serving = server;
                String url = "jdbc:augur:h2:tcp://127.0.0.1:" + tcp + "/" + DatabaseOptions.DATABASE_NAME + DatabaseOptions.PG_COMPATIBLE;
                check(totals, "serve, after kill " + (cycle - 1), () -> DriverManager.getConnection(url, "sa", PASSWORD), log);
                if (cycle > kills || totals.stop()) {
                    server.destroy();
                    server.waitFor(60, TimeUnit.SECONDS);
                    break;
                }
                long killAfter = 300 + random.nextInt(3000);
                Thread killer = new Thread(() -> {
                    try {
                        Thread.sleep(killAfter);
                    } catch (InterruptedException e) {
                        return;
                    }
                    serving.destroyForcibly(); // SIGKILL on Unix
                }, "augur-crash-killer");
                killer.start();
                try (Connection c = DriverManager.getConnection(url, "sa", PASSWORD)) {
                    CrashWorkload work = new CrashWorkload(c, random.nextLong(), totals.state);
                    while (server.isAlive()) {
                        work.step();
                    }
                } catch (SQLException e) {
                    // the server died under the client: the operation in flight is unacknowledged
                }
                killer.join();
                server.waitFor(60, TimeUnit.SECONDS);
                totals.cycles++;
                totals.onKill.run();
                log.println("serve: kill " + cycle + " after " + killAfter + " ms, in flight: " + totals.state.inFlight() + "; "
                        + totals.state.acknowledged + " operations acknowledged so far");
            }
        }
    }

    /** An application embedding the driver in a child process, printing what it began and what was acknowledged. */
    private record EmbeddedCycles(Path dir, Random random, Totals totals, java.io.PrintStream log) {
        void run(int kills) throws Exception {
            totals.fresh();
            String url = embeddedUrl(dir.resolve("data"));
            for (int cycle = 1; cycle <= kills + 1; cycle++) {
                totals.keepBeforeOpen(dir.resolve("data"));
                check(totals, "embedded, after kill " + (cycle - 1), () -> new AugurDataSource(url, "sa", PASSWORD, null).getConnection(), log);
                if (cycle > kills || totals.stop()) {
                    break;
                }
                Process app = start(List.of(CrashTestCommand.class.getName(), url, String.valueOf(random.nextLong())), null,
                        dir.resolve("embedded-stderr.log"));
                long killAfter = 300 + random.nextInt(3000);
                BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
                CountDownLatch ready = new CountDownLatch(1);
                Thread reader = new Thread(() -> follow(out, ready), "augur-crash-reader");
                reader.start();
                // the kill time counts from the end of the child's start-up, which takes from one to many seconds with the
                // machine's load: counted from the child's start, the kills of a loaded machine all hit the start-up
                if (!ready.await(START_TIMEOUT_S, TimeUnit.SECONDS)) {
                    totals.problems.add("embedded, cycle " + cycle + ": the application did not start within " + START_TIMEOUT_S + " s");
                }
                Thread.sleep(killAfter);
                killKeepingOutput(app);
                // every line the child wrote is read before the check: a B line read after it would go unseen
                reader.join(TimeUnit.SECONDS.toMillis(60));
                if (reader.isAlive()) {
                    totals.problems.add("embedded, cycle " + cycle + ": the application's output was not read to its end");
                }
                totals.cycles++;
                totals.onKill.run();
                log.println("embedded: kill " + cycle + " after " + killAfter + " ms of work, in flight: " + totals.state.inFlight()
                        + "; " + totals.state.acknowledged + " operations acknowledged so far");
            }
        }

        private void follow(BufferedReader out, CountDownLatch ready) {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals(READY)) {
                        ready.countDown();
                    } else if (line.startsWith("B ")) {
                        totals.state.begin(line.substring(2));
                    } else if (line.startsWith("A ")) {
                        int bar = line.indexOf('|');
                        totals.state.ack(line.substring(2, bar), line.substring(bar + 1));
                    } else {
                        log.println("  embedded application: " + line);
                    }
                }
            } catch (IOException e) {
                // the pipe closes when the child is killed
            } finally {
                ready.countDown(); // a child that died before it was ready is not waited for
            }
        }
    }

    /**
     * SIGKILL, leaving the child's output readable to its end. {@link Process#destroyForcibly()} also closes the
     * streams this process reads: the lines still in the pipe (the B line of the operation in flight) were lost, and
     * an operation the child had begun and committed then looked like an effect nobody asked for (an extra row, an
     * unacknowledged UPDATE, a deployment moved), most often on a loaded machine, where the reader lags.
     */
    static void killKeepingOutput(Process child) throws InterruptedException {
        child.toHandle().destroyForcibly();
        child.waitFor(60, TimeUnit.SECONDS);
    }

    static String embeddedUrl(Path data) {
        return "jdbc:h2:file:" + data.toAbsolutePath().resolve(DatabaseOptions.DATABASE_NAME) + DatabaseOptions.PG_COMPATIBLE;
    }

    /** The embedding application: {@code java -cp ... dev.augur.cli.CrashTestCommand URL SEED}; runs until killed. */
    public static void main(String[] args) throws Exception {
        try (Connection c = new AugurDataSource(args[0], "sa", PASSWORD, null).getConnection()) {
            CrashWorkload work = new CrashWorkload(c, Long.parseLong(args[1]), new CrashWorkload.Listener() {
                @Override
                public void begin(String op) {
                    System.out.println("B " + op);
                    System.out.flush();
                }

                @Override
                public void ack(String op, String result) {
                    System.out.println("A " + op + "|" + result);
                    System.out.flush();
                }
            });
            System.out.println(READY);
            System.out.flush();
            while (true) {
                work.step();
            }
        }
    }

    /** Starts a JVM on this process's class path; waits for {@code ready} on its output when given. */
    private static Process start(List<String> mainAndArgs, String ready) throws IOException, InterruptedException {
        return start(mainAndArgs, ready, null);
    }

    /** As above; with {@code stderr} the child's standard error goes there, apart from the lines the harness reads. */
    private static Process start(List<String> mainAndArgs, String ready, Path stderr) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stderr == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        }
        Process p = pb.start();
        if (ready != null) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.contains(ready)) {
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // keep the pipe from filling
                            }
                        } catch (IOException e) {
                            // closed at the kill
                        }
                    }, "augur-crash-drain");
                    drain.setDaemon(true);
                    drain.start();
                    return p;
                }
            }
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IOException("the child process ended before it was ready:\n" + seen);
        }
        return p;
    }

    /** Two distinct ports free now (both held open while chosen, so they differ). */
    private static int[] twoFreePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[]{a.getLocalPort(), b.getLocalPort()};
        }
    }
}
