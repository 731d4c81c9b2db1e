package dev.augur.bench;

import dev.augur.sql.AugurDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./augur bench commits}: what durable commits cost on an H2 file database. Augur runs H2 with WRITE_DELAY 0
 * (each commit written to the file before it returns: what survives {@code kill -9}); H2's default, 500 ms, writes
 * commits in the background. Rounds of autocommit INSERTs and of one big transaction alternate between the two in
 * one run.
 */
@Command(name = "commits", mixinStandardHelpOptions = true,
        description = "Durable commits on an H2 file database: WRITE_DELAY 0 (Augur) against H2's default 500 ms, side by side.")
final class CommitsBench implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "5", description = "alternating rounds per setting (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--commits", defaultValue = "2000", description = "autocommit INSERTs per round (default: ${DEFAULT-VALUE})")
    int commits;

    @Option(names = "--out", defaultValue = "bench/results/commits.txt", description = "where to keep the result (default: ${DEFAULT-VALUE})")
    Path outFile;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("augur-bench-commits");
        String url = "jdbc:h2:file:" + dir.resolve("augur") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        int[] delays = {0, 500};
        long[][] perCommit = new long[2][rounds];
        long[][] perRow = new long[2][rounds];
        try (Connection c = new AugurDataSource(url, "sa", "", null).getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
            int next = 0;
            for (int r = 0; r < rounds; r++) {
                for (int d = 0; d < delays.length; d++) {
                    // the order alternates, so a drift of the shared machine hits both settings alike
                    int k = (r % 2 == 0) ? d : delays.length - 1 - d;
                    st.execute("SET WRITE_DELAY " + delays[k]);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, 'a payload of about forty characters....')")) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < commits; i++) {
                            ps.setInt(1, next++);
                            ps.executeUpdate();
                        }
                        perCommit[k][r] = (System.nanoTime() - t0) / commits;
                        c.setAutoCommit(false);
                        long t1 = System.nanoTime();
                        for (int i = 0; i < 20 * commits; i++) {
                            ps.setInt(1, next++);
                            ps.addBatch();
                            if (i % 1000 == 999) {
                                ps.executeBatch();
                            }
                        }
                        ps.executeBatch();
                        c.commit();
                        perRow[k][r] = (System.nanoTime() - t1) / (20L * commits);
                        c.setAutoCommit(true);
                    }
                }
            }
            st.execute("SET WRITE_DELAY 0");
        } catch (SQLException e) {
            throw new SQLException("bench commits failed: " + e.getMessage(), e.getSQLState(), e);
        }
        StringBuilder out = new StringBuilder();
        out.append("H2 file database, autocommit INSERTs (").append(commits).append(" per round) and one transaction of ")
                .append(20 * commits).append(" rows, median of ").append(rounds).append(" alternating rounds:\n");
        for (int k = 0; k < delays.length; k++) {
            out.append(String.format(Locale.ROOT, "  WRITE_DELAY %-3d  %8.1f us/commit   %6.2f us/row in one transaction%n", delays[k],
                    Machine.median(perCommit[k]) / 1e3, Machine.median(perRow[k]) / 1e3));
        }
        out.append(String.format(Locale.ROOT, "durable/background commit time ratio: %.2f%n",
                Machine.median(perCommit[0]) / Machine.median(perCommit[1])));
        out.append(String.format(Locale.ROOT, "durable/background big-transaction time ratio: %.2f%n",
                Machine.median(perRow[0]) / Machine.median(perRow[1])));
        out.append("machine: ").append(Machine.describe()).append('\n');
        System.out.print(out);
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Files.writeString(outFile, out.toString());
        Path png = Charts.beside(outFile);
        Charts.bars(png, "Durable commits on an H2 file database, " + java.time.LocalDate.now(), "microseconds",
                java.util.List.of("autocommit INSERT (per commit)", "row of a big transaction"),
                java.util.List.of("WRITE_DELAY 0 (Augur: written before the commit returns)", "WRITE_DELAY 500 (H2's default: written later)"),
                java.util.List.of(java.util.List.of(Machine.median(perCommit[0]) / 1e3, Machine.median(perRow[0]) / 1e3),
                        java.util.List.of(Machine.median(perCommit[1]) / 1e3, Machine.median(perRow[1]) / 1e3)));
        System.out.println("chart: " + png);
        return 0;
    }
}
