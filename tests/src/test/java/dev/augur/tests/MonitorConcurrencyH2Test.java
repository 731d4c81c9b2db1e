package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions serving one model at once on H2: every served prediction counts once in its window, its score bin and its
 * score detector, however the transactions interleave. It failed before: two sessions opening the same window at once
 * made one of them fail with 23505 (both inserted the window's row); now the second adds to the row the first made.
 * The detector's state was read by a SELECT and written by an UPDATE, which could write one session's step over
 * another's; it is now read and written under the row's lock, as an UPDATE's {@code n = n + 1} is.
 */
class MonitorConcurrencyH2Test {
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void concurrentServingCountsEveryPredictionOnce() throws Exception {
        String url = "jdbc:augur:h2:mem:monitor_concurrency;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE train_rows (a DOUBLE PRECISION, b DOUBLE PRECISION, y INT)");
            st.execute("INSERT INTO train_rows SELECT RAND() * 2 - 1, RAND() * 2 - 1, MOD(X, 2) FROM SYSTEM_RANGE(1, 200)");
            st.execute("TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)"); // with a reference: score bins too
            st.execute("DEPLOY MODEL m VERSION 1");
            st.executeQuery("SELECT AUGUR.SET_MONITOR('m', 86400, 0.01, 1000000, 10)").close();
            int threads = 4;
            int perThread = 150;
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try (Connection s = DriverManager.getConnection(url);
                         PreparedStatement ps = s.prepareStatement("SELECT AUGUR.RECORD_PREDICTION('m', ?, ?, 1,"
                                 + " TIMESTAMP WITH TIME ZONE '2026-12-01 10:00:00+00')")) {
                        s.setAutoCommit(false);
                        for (int i = 0; i < perThread; i++) {
                            ps.setString(1, id + "-" + i);
                            ps.setDouble(2, ((i * 37 + id * 11) % 100) / 100.0);
                            ps.executeQuery().close();
                            if (i % 5 == 4) {
                                s.commit();
                            }
                        }
                        s.commit();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            assertThat(failures).isEmpty();
            long served = threads * perThread;
            assertThat(value(st, "SELECT SUM(N) FROM AUGUR.MONITOR_WINDOWS WHERE MODEL = 'm'")).as("window counts").isEqualTo(served);
            assertThat(value(st, "SELECT SUM(N) FROM AUGUR.MONITOR_SCORE_BINS WHERE MODEL = 'm'")).as("score bins").isEqualTo(served);
            assertThat(value(st, "SELECT N FROM AUGUR.MONITOR_DETECTORS WHERE MODEL = 'm' AND SIGNAL = 'score'"))
                    .as("observations of the score detector").isEqualTo(served);
        }
    }

    private static long value(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
