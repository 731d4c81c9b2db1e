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

/**
 * Golden vectors the engine computes for PostgreSQL's hand-written experiment arithmetic (R__augur_experiment_uniform.sql,
 * R__augur_experiment_route.sql, R__augur_experiment_winner.sql): the routing hash, the arm each key is routed to, and
 * best's promotion (the normal quantile they use is pinned by PgGoldenVectorsTest).
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
                    assertThat(rs.getInt(1)).as("route of %s over %s", key, arms).isEqualTo(Experiment.route(strategy, arms, o, key));
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
}
