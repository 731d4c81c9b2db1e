package dev.augur.tests;

import dev.augur.engine.selection.Experiment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden vectors the engine computes for PostgreSQL's hand-written experiment arithmetic (R__augur_experiment_uniform.sql,
 * R__augur_experiment_route.sql, R__augur_experiment_winner.sql): the routing hash, the arm each key is routed to, and
 * best's promotion (the normal quantile they use is pinned by PgGoldenVectorsTest). Over regressors
 * (R__augur_experiment_route_mse.sql, R__augur_experiment_winner_mse.sql, R__augur_experiment_welch_p.sql,
 * R__augur_student_t_upper_tail.sql, R__augur_beta_continued_fraction.sql): the Student t tail, Welch's p-value, the arm
 * each key goes to by squared error and best's promotion; and what a promotion writes (R__augur_experiment_outcome.sql)
 * and the squared error's square an arm adds (R__augur_experiment_error_square.sql).
 */
class PgExperimentGoldenVectorsTest {
    private static Connection pg;

    @BeforeAll
    static void connect() throws SQLException {
        pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("experiment_golden").substring("jdbc:".length()));
    }

    @AfterAll
    static void close() throws SQLException {
        if (pg != null) {
            pg.close();
        }
    }

    private static List<String> keys(Random rnd) {
        List<String> keys = new ArrayList<>(List.of("", "0", "k1", "é", "日本", "a:b", "key with spaces", "x".repeat(300)));
        for (int i = 0; i < 400; i++) {
            keys.add(Long.toString(rnd.nextLong(), 36));
        }
        return keys;
    }

    @Test
    void theRoutingHashIsTheEngines() throws SQLException {
        Random rnd = new Random(21);
        try (PreparedStatement ps = pg.prepareStatement("SELECT augur.experiment_uniform(?, ?, ?)")) {
            for (String key : keys(rnd)) {
                long seed = rnd.nextBoolean() ? rnd.nextInt(100) : rnd.nextLong();
                String purpose = List.of("floor", "arm", "0", "3").get(rnd.nextInt(4));
                ps.setLong(1, seed);
                ps.setString(2, purpose);
                ps.setString(3, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getDouble(1)).as("uniform(%d, %s, %s)", seed, purpose, key)
                            .isEqualTo(Experiment.uniform(seed, purpose, key));
                }
            }
        }
    }

    @Test
    void everyKeyGoesToTheEnginesArmAndBestPromotesAsItDoes() throws SQLException {
        Random rnd = new Random(22);
        int routed = 0;
        try (PreparedStatement route = pg.prepareStatement("SELECT augur.experiment_route(?, ?, ?, ?, ?, ?)");
             PreparedStatement winner = pg.prepareStatement("SELECT augur.experiment_winner(?, ?, ?, ?)")) {
            for (String key : keys(rnd)) {
                int k = 2 + rnd.nextInt(4);
                List<Experiment.Arm> arms = new ArrayList<>();
                Long[] labels = new Long[k];
                Long[] correct = new Long[k];
                for (int i = 0; i < k; i++) {
                    labels[i] = (long) rnd.nextInt(rnd.nextBoolean() ? 10 : 3000);
                    correct[i] = labels[i] == 0 ? 0 : (long) rnd.nextInt((int) (labels[i] + 1));
                    arms.add(new Experiment.Arm(i + 1, labels[i], correct[i]));
                }
                Experiment.Strategy strategy = rnd.nextInt(4) == 0 ? Experiment.Strategy.BEST : Experiment.Strategy.BANDIT;
                Experiment.Options o = new Experiment.Options(rnd.nextBoolean() ? 0.1 : rnd.nextDouble() * 0.9, rnd.nextLong(),
                        1 + rnd.nextInt(200), 0.5 + rnd.nextDouble() * 0.4999, null);
                Array l = pg.createArrayOf("bigint", labels);
                Array c = pg.createArrayOf("bigint", correct);
                route.setString(1, strategy.sqlName());
                route.setDouble(2, o.floor());
                route.setLong(3, o.seed());
                route.setArray(4, l);
                route.setArray(5, c);
                route.setString(6, key);
                try (ResultSet rs = route.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("route of %s over %s", key, arms).isEqualTo(Experiment.route(strategy, Experiment.Reward.ACCURACY, arms, o, key));
                    routed++;
                }
                winner.setArray(1, l);
                winner.setArray(2, c);
                winner.setLong(3, o.minLabels());
                winner.setDouble(4, o.confidence());
                try (ResultSet rs = winner.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("winner of %s", arms).isEqualTo(Experiment.winner(arms, o));
                }
            }
        }
        assertThat(routed).isGreaterThan(400);
    }

    // ------------------------------------------------------------------ regressors

    /** A Student t statistic spread over the ranges a Welch test meets, and some beyond. */
    private static double someT(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextDouble() * 0.5;
            case 1 -> 1 + rnd.nextDouble() * 3;
            case 2 -> rnd.nextDouble() * 10;
            case 3 -> Math.exp(rnd.nextDouble() * 12);
            default -> Math.pow(10, -120 + rnd.nextDouble() * 240);
        };
    }

    private static double someDf(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1 + rnd.nextDouble() * 5;
            case 1 -> 1 + rnd.nextDouble() * 100;
            case 2 -> Math.exp(rnd.nextDouble() * 21);
            default -> 1 + rnd.nextInt(300);
        };
    }

    @Test
    void theStudentTTailIsTheEngines() throws SQLException {
        Random rnd = new Random(31);
        int exact = 0;
        int n = 1500;
        try (PreparedStatement ps = pg.prepareStatement("SELECT augur.student_t_upper_tail(?, ?)")) {
            for (int i = 0; i < n; i++) {
                double t = someT(rnd);
                double df = someDf(rnd);
                ps.setDouble(1, t);
                ps.setDouble(2, df);
                double want = Experiment.studentTUpperTail(t, df);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double got = rs.getDouble(1);
                    // the same steps; ln and exp are the server's C library's, Java's its own (the last bit may differ)
                    assertThat(got).as("P(T_%s >= %s)", df, t).isCloseTo(want, org.assertj.core.api.Assertions.within(1e-15 + want * 1e-12));
                    exact += got == want ? 1 : 0;
                }
            }
        }
        assertThat(exact).as("tails equal to the bit").isGreaterThan(n / 2);
    }

    /** A regressor's arm: n labels whose squared errors have about the given mean, their sums as the arm keeps them. */
    private static Experiment.Arm someRegressorArm(Random rnd, int version, double mean) {
        long n = rnd.nextInt(8) == 0 ? rnd.nextInt(3) : rnd.nextInt(rnd.nextBoolean() ? 30 : 3000);
        double s1 = 0;
        double s2 = 0;
        double scale = Math.sqrt(mean);
        for (long i = 0; i < n; i++) {
            double e = scale * rnd.nextGaussian();
            double se = rnd.nextInt(50) == 0 ? 0 : e * e;
            s1 += se;
            s2 += Experiment.squaredErrorSquare("f", se);
        }
        return Experiment.Arm.ofSquaredErrors(version, n, s1, s2);
    }

    private static Array bigints(List<Experiment.Arm> arms) throws SQLException {
        return pg.createArrayOf("bigint", arms.stream().map(Experiment.Arm::labels).toArray(Long[]::new));
    }

    private static Array sums(List<Experiment.Arm> arms) throws SQLException {
        return pg.createArrayOf("float8", arms.stream().map(Experiment.Arm::squaredErrorSum).toArray(Double[]::new));
    }

    private static Array squares(List<Experiment.Arm> arms) throws SQLException {
        return pg.createArrayOf("float8", arms.stream().map(Experiment.Arm::squaredErrorSquares).toArray(Double[]::new));
    }

    @Test
    void overRegressorsEveryKeyGoesToTheEnginesArmAndBestPromotesAsItDoes() throws SQLException {
        Random rnd = new Random(32);
        int promoted = 0;
        int toLater = 0;
        int cases = 0;
        try (PreparedStatement route = pg.prepareStatement("SELECT augur.experiment_route_mse(?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement winner = pg.prepareStatement("SELECT augur.experiment_winner_mse(?, ?, ?, ?, ?)");
             PreparedStatement welch = pg.prepareStatement("SELECT augur.experiment_welch_p(?, ?, ?, ?, ?, ?)")) {
            for (String key : keys(rnd)) {
                int k = 2 + rnd.nextInt(4);
                List<Experiment.Arm> arms = new ArrayList<>();
                double scale = Math.pow(10, -6 + rnd.nextInt(13));
                for (int i = 0; i < k; i++) {
                    arms.add(someRegressorArm(rnd, i + 1, scale * (rnd.nextBoolean() ? 1 : 1 + rnd.nextDouble())));
                }
                Experiment.Strategy strategy = rnd.nextInt(4) == 0 ? Experiment.Strategy.BEST : Experiment.Strategy.BANDIT;
                Experiment.Options o = new Experiment.Options(rnd.nextBoolean() ? 0.1 : rnd.nextDouble() * 0.9, rnd.nextLong(),
                        1 + rnd.nextInt(40), 0.5 + rnd.nextDouble() * 0.4999, null);
                route.setString(1, strategy.sqlName());
                route.setDouble(2, o.floor());
                route.setLong(3, o.seed());
                route.setArray(4, bigints(arms));
                route.setArray(5, sums(arms));
                route.setArray(6, squares(arms));
                route.setString(7, key);
                int want = Experiment.route(strategy, Experiment.Reward.SQUARED_ERROR, arms, o, key);
                try (ResultSet rs = route.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("route of %s over %s", key, arms).isEqualTo(want);
                }
                toLater += want > 0 ? 1 : 0;
                winner.setArray(1, bigints(arms));
                winner.setArray(2, sums(arms));
                winner.setArray(3, squares(arms));
                winner.setLong(4, o.minLabels());
                winner.setDouble(5, o.confidence());
                int w = Experiment.winner(Experiment.Reward.SQUARED_ERROR, arms, o);
                try (ResultSet rs = winner.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("winner of %s", arms).isEqualTo(w);
                }
                promoted += w >= 0 ? 1 : 0;
                Experiment.Arm a = arms.get(0);
                Experiment.Arm b = arms.get(1);
                if (a.labels() >= 2 && b.labels() >= 2) {
                    Experiment.Arm better = a.meanSquaredError() <= b.meanSquaredError() ? a : b;
                    Experiment.Arm other = better == a ? b : a;
                    welch.setLong(1, better.labels());
                    welch.setDouble(2, better.squaredErrorSum());
                    welch.setDouble(3, better.squaredErrorSquares());
                    welch.setLong(4, other.labels());
                    welch.setDouble(5, other.squaredErrorSum());
                    welch.setDouble(6, other.squaredErrorSquares());
                    double p = Experiment.welchPValue(better, other);
                    try (ResultSet rs = welch.executeQuery()) {
                        rs.next();
                        assertThat(rs.getDouble(1)).as("Welch p of %s over %s", better, other)
                                .isCloseTo(p, org.assertj.core.api.Assertions.within(1e-15 + p * 1e-12));
                    }
                }
                cases++;
            }
        }
        assertThat(cases).isGreaterThan(400);
        assertThat(promoted).as("promotions among %d cases", cases).isGreaterThan(20);
        assertThat(toLater).as("keys routed past the first arm").isGreaterThan(100);
    }

    @Test
    void outcomesAndSquaresAreTheEngines() throws SQLException {
        Random rnd = new Random(33);
        try (PreparedStatement outcome = pg.prepareStatement("SELECT augur.experiment_outcome(?, ?, ?, ?, ?)");
             PreparedStatement square = pg.prepareStatement("SELECT augur.experiment_error_square('f', ?)")) {
            List<Experiment.Arm> arms = new ArrayList<>(List.of(
                    new Experiment.Arm(3, 32, 1), new Experiment.Arm(3, 32, 3), new Experiment.Arm(4, 160, 5),  // ties: 0.03125 ...
                    new Experiment.Arm(5, 1, 1), new Experiment.Arm(6, 20000, 6241),
                    Experiment.Arm.ofSquaredErrors(7, 1, 0.0009765625, 0), Experiment.Arm.ofSquaredErrors(8, 4, 4 * 0.31205 * 0.31205, 0),
                    Experiment.Arm.ofSquaredErrors(9, 212, 212 * 0.0973, 0), Experiment.Arm.ofSquaredErrors(9, 3, 3e12, 0)));
            for (int i = 0; i < 300; i++) {
                long n = 1 + rnd.nextInt(5000);
                arms.add(rnd.nextBoolean() ? new Experiment.Arm(1 + rnd.nextInt(99), n, rnd.nextInt((int) n + 1))
                        : Experiment.Arm.ofSquaredErrors(1 + rnd.nextInt(99), n, n * Math.pow(10, -4 + rnd.nextDouble() * 12), 0));
            }
            for (Experiment.Arm a : arms) {
                Experiment.Reward reward = a.squaredErrorSum() > 0 ? Experiment.Reward.SQUARED_ERROR : Experiment.Reward.ACCURACY;
                outcome.setString(1, reward.sqlName());
                outcome.setInt(2, a.version());
                outcome.setLong(3, a.labels());
                outcome.setLong(4, a.correct());
                outcome.setDouble(5, a.squaredErrorSum());
                try (ResultSet rs = outcome.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as("outcome of %s", a).isEqualTo(Experiment.outcome(reward, a));
                }
            }
            for (int i = 0; i < 300; i++) {
                double se = Math.pow(10, -200 + rnd.nextDouble() * 400);
                square.setDouble(1, se);
                if (se > Experiment.MAX_SQUARED_ERROR) {
                    assertThatThrownBy(square::executeQuery).isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22003");
                        assertThat(e.getMessage()).contains(((dev.augur.engine.AugurException) catching(() ->
                                Experiment.squaredErrorSquare("f", se))).getMessage());
                    });
                    continue;
                }
                try (ResultSet rs = square.executeQuery()) {
                    rs.next();
                    assertThat(rs.getDouble(1)).as("square of %s", se).isEqualTo(Experiment.squaredErrorSquare("f", se));
                }
            }
        }
    }

    private static Throwable catching(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("no error");
    }
}
