package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM that exits while it closes its last connection (augur serve on Ctrl-C, any application that closes its pool
 * in a shutdown hook): H2's own exit hook closes the database at the same time, in another thread. The driver
 * compacts the file before the last session closes; that compaction must give way to a store H2 closes under it,
 * not fail the close ("This store is closed", which once failed augur serve's shutdown in CI).
 */
class ExitWhileClosingTest {
    @TempDir
    Path dir;

    /**
     * The interleaving made likely: the store is closed under the driver's compaction as soon as it has begun (it sets
     * the store's retention time to 0 first), then the rest of H2's exit hook runs ({@code Database.onShutdown}, what
     * its shutdown thread calls). The compaction can end before the close lands, so the race is run several times;
     * before the fix, about two runs in three failed with MVStoreException "This store is closed".
     */
    @Test
    void theDriversCompactionGivesWayToTheExitHookClosingTheDatabase() throws Exception {
        java.lang.reflect.Method onShutdown = org.h2.engine.Database.class.getDeclaredMethod("onShutdown");
        onShutdown.setAccessible(true);
        for (int run = 0; run < 6; run++) {
            Path db = dir.resolve("hook" + run);
            Connection c = DriverManager.getConnection(ExitWhileClosing.url(db.toString()));
            ExitWhileClosing.churn(c);
            org.h2.engine.Database database = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()).getDatabase();
            org.h2.mvstore.MVStore store = database.getStore().getMvStore();
            java.util.concurrent.CompletableFuture<Void> hook = java.util.concurrent.CompletableFuture.runAsync(() -> {
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (store.getRetentionTime() != 0 && System.nanoTime() < giveUp) {
                    Thread.onSpinWait();
                }
                store.closeImmediately();
                try {
                    onShutdown.invoke(database);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.close();
            hook.get(60, TimeUnit.SECONDS);
            assertThat(store.isClosed()).as("the exit hook closed the store").isTrue();
            ExitWhileClosing.assertAllCommitted(db);
        }
    }

    /** The same through a real JVM exit (where the race is won either way), and what was committed is there after. */
    @Test
    void aConnectionClosedInAShutdownHookClosesWithoutAnErrorAndLosesNothing() throws Exception {
        for (int run = 0; run < 2; run++) {
            Path db = dir.resolve("exit" + run);
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ExitWhileClosing.class.getName(), db.toString()))
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the exiting JVM ends").isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(out).as("output of run %d", run).contains("closed").doesNotContain("close failed");
            assertThat(p.exitValue()).as("exit status, output:\n%s", out).isZero();
            ExitWhileClosing.assertAllCommitted(db);
        }
    }

    /** Leaves much to compact, then exits with its connection closed by a shutdown hook. */
    static final class ExitWhileClosing {
        static final int ROWS = 1000;
        static final int CYCLES = 6;

        public static void main(String[] args) throws Exception {
            Connection c = DriverManager.getConnection(url(args[0]));
            churn(c);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    c.close();
                    System.out.println("closed");
                } catch (Throwable e) {
                    System.out.println("close failed: " + e);
                    e.printStackTrace(System.out);
                }
            }));
            System.exit(0);
        }

        static String url(String file) {
            return "jdbc:augur:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        }

        /** Rewrites every row CYCLES times: most of the file is then old versions, for compaction to reclaim. */
        static void churn(Connection c) throws Exception {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE churn (id INT PRIMARY KEY, v INT, pad VARCHAR(600))");
                for (int cycle = 0; cycle < CYCLES; cycle++) {
                    st.execute("MERGE INTO churn SELECT \"X\", " + cycle + ", REPEAT('p', 500) FROM SYSTEM_RANGE(1, " + ROWS + ")");
                }
            }
        }

        static void assertAllCommitted(Path db) throws Exception {
            try (Connection c = DriverManager.getConnection(url(db.toString()));
                 Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT COUNT(*), MIN(v), MAX(v) FROM churn")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("rows").isEqualTo(ROWS);
                assertThat(rs.getInt(2)).as("every row's last committed value").isEqualTo(CYCLES - 1);
                assertThat(rs.getInt(3)).isEqualTo(CYCLES - 1);
            }
        }
    }
}
