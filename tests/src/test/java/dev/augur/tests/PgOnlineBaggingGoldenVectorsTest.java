package dev.augur.tests;

import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.LinearSgd;
import dev.augur.engine.train.OnlineBagging;
import dev.augur.engine.train.SgdTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden vectors the engine computes for PostgreSQL's hand-written online bagging (R__augur_cv_bag_steps.sql,
 * R__augur_cv_next_long.sql, R__augur_cv_next_int.sql, R__augur_cv_bagged_train.sql): each member's Poisson(1) draw per
 * example ordinal, java.util.Random's nextLong and nextInt(bound), and the bootstrap training of a view's first ensemble.
 */
class PgOnlineBaggingGoldenVectorsTest {
    private static Connection pg;

    @BeforeAll
    static void connect() throws SQLException {
        pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("bagging_golden").substring("jdbc:".length()));
    }

    @AfterAll
    static void close() throws SQLException {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void everyMembersDrawIsTheEngines() throws SQLException {
        Random rnd = new Random(31);
        int[] counts = new int[64];  // more than any draw reaches (the inversion stops by 13)
        try (PreparedStatement ps = pg.prepareStatement("SELECT augur.cv_bag_steps(?, ?, ?)")) {
            for (int i = 0; i < 1500; i++) {
                long seed = i % 3 == 0 ? rnd.nextLong() : rnd.nextInt(100) - 50;
                int member = rnd.nextInt(i % 5 == 0 ? 1000 : 10);
                long ordinal = i % 7 == 0 ? Math.abs(rnd.nextLong()) : rnd.nextInt(5000);
                ps.setLong(1, seed);
                ps.setInt(2, member);
                ps.setLong(3, ordinal);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int expected = OnlineBagging.steps(seed, member, ordinal);
                    assertThat(rs.getInt(1)).as("steps(%d, %d, %d)", seed, member, ordinal).isEqualTo(expected);
                    counts[expected]++;
                }
            }
        }
        // the vectors reach the distribution's tail, not only its first counts
        assertThat(counts[0]).isPositive();
        assertThat(counts[1]).isPositive();
        assertThat(counts[2]).isPositive();
        assertThat(counts[3] + counts[4] + counts[5] + counts[6]).isPositive();
    }

    @Test
    void nextLongAndNextIntAreJavaUtilRandoms() throws SQLException {
        Random rnd = new Random(32);
        try (PreparedStatement longs = pg.prepareStatement("SELECT (x).seed, (x).r FROM (SELECT augur.cv_next_long(?) AS x) s");
             PreparedStatement ints = pg.prepareStatement("SELECT (x).seed, (x).r FROM (SELECT augur.cv_next_int(?, ?) AS x) s")) {
            for (int i = 0; i < 400; i++) {
                long seed = rnd.nextLong();
                long scrambled = (seed ^ 0x5DEECE66DL) & ((1L << 48) - 1);
                Random java = new Random(seed);
                long state = scrambled;
                for (int draw = 0; draw < 5; draw++) {
                    long expected = java.nextLong();
                    longs.setLong(1, state);
                    try (ResultSet rs = longs.executeQuery()) {
                        rs.next();
                        assertThat(rs.getLong(2)).as("nextLong %d of seed %d", draw, seed).isEqualTo(expected);
                        state = rs.getLong(1);
                    }
                    // bounds of every shape: 1, powers of two, and ones near 2^31 where the rejection loop runs often
                    int bound = List.of(1, 2, 64, 3, 40, 1 + rnd.nextInt(1000), 1_500_000_000, Integer.MAX_VALUE).get(rnd.nextInt(8));
                    int expectedInt = java.nextInt(bound);
                    ints.setLong(1, state);
                    ints.setInt(2, bound);
                    try (ResultSet rs = ints.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(2)).as("nextInt(%d) of seed %d", bound, seed).isEqualTo(expectedInt);
                        state = rs.getLong(1);
                    }
                }
            }
        }
    }

    @Test
    void theFirstEnsembleIsTrainedAsTrainTrainsABaggedKind() throws SQLException {
        Random rnd = new Random(33);
        try (PreparedStatement ps = pg.prepareStatement("SELECT w, b FROM augur.cv_bagged_train(?, ?, 2, ?, ?, ?, ?, ?::integer[], ?::float8[],"
                + " ?::integer[], ?::integer[], ?::boolean[])")) {
            for (int round = 0; round < 12; round++) {
                ModelKind kind = round % 2 == 0 ? ModelKind.BAGGED_LOGISTIC : ModelKind.BAGGED_SVM;
                int n = 2 + rnd.nextInt(30);
                int members = 2 + rnd.nextInt(5);
                long seed = round % 3 == 0 ? rnd.nextLong() : rnd.nextInt(1000);
                int epochs = rnd.nextInt(6);
                double rate = 0.05 + rnd.nextDouble();
                double l2 = round % 4 == 0 ? 0 : 1e-3;
                double[][] xs = new double[n][];
                int[] targets = new int[n];
                boolean[] usable = new boolean[n];
                StringBuilder idx = new StringBuilder();
                StringBuilder val = new StringBuilder();
                StringBuilder off = new StringBuilder("0");
                int nnz = 0;
                for (int i = 0; i < n; i++) {
                    targets[i] = rnd.nextInt(2);
                    usable[i] = rnd.nextInt(8) != 0;  // an entity with NULL features: skipped
                    if (usable[i]) {
                        xs[i] = new double[]{rnd.nextGaussian(), rnd.nextGaussian()};
                        idx.append(nnz == 0 ? "" : ",").append("0,1");
                        val.append(nnz == 0 ? "" : ",").append(xs[i][0]).append(",").append(xs[i][1]);
                        nnz += 2;
                    }
                    off.append(",").append(nnz);
                }
                double[][] fit = SgdTrainer.bagged(kind, 2, n, members, seed, epochs, rate, l2, null, (LinearSgd sgd, int i, double eta) -> {
                    if (usable[i]) {
                        sgd.step(xs[i], targets[i], eta);
                    }
                });
                ps.setString(1, kind.sqlName());
                ps.setDouble(2, l2);
                ps.setInt(3, members);
                ps.setLong(4, seed);
                ps.setInt(5, epochs);
                ps.setDouble(6, rate);
                ps.setString(7, "{" + idx + "}");
                ps.setString(8, "{" + val + "}");
                ps.setString(9, "{" + off + "}");
                ps.setString(10, "{" + String.join(",", Arrays.stream(targets).mapToObj(Integer::toString).toList()) + "}");
                StringBuilder u = new StringBuilder();
                for (boolean b : usable) {
                    u.append(u.length() == 0 ? "" : ",").append(b);
                }
                ps.setString(11, "{" + u + "}");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Double[] w = (Double[]) rs.getArray(1).getArray();
                    Double[] b = (Double[]) rs.getArray(2).getArray();
                    String where = kind + " n=" + n + " members=" + members + " seed=" + seed + " epochs=" + epochs;
                    assertThat(Arrays.stream(w).mapToDouble(Double::doubleValue).toArray()).as(where).containsExactly(fit[0]);
                    assertThat(Arrays.stream(b).mapToDouble(Double::doubleValue).toArray()).as(where).containsExactly(fit[1]);
                }
            }
        }
    }
}
