package dev.augur.tests;

import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.calibration.Method;
import dev.augur.engine.monitor.AdaptiveConformal;
import dev.augur.engine.monitor.Monitoring;
import dev.augur.engine.monitor.PageHinkley;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden vectors the engine computes for PostgreSQL's hand-written monitoring arithmetic: Page-Hinkley trajectories
 * (R__augur_page_hinkley.sql) bit for bit with their alarms, an alarm's words (R__augur_monitor_what.sql and Java's
 * {@code %.4g}, R__augur_fmt_g.sql), and adaptive conformal's coverage rule (R__augur_adaptive_covered.sql).
 */
class PgMonitorGoldenVectorsTest {
    private static Connection pg;

    @BeforeAll
    static void connect() throws SQLException {
        pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("monitor_golden").substring("jdbc:".length()));
    }

    @AfterAll
    static void close() throws SQLException {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void pageHinkleyTrajectoriesAndAlarmsAreTheEngines() throws SQLException {
        Random rnd = new Random(17);
        int alarms = 0;
        int steps = 0;
        try (PreparedStatement ps = pg.prepareStatement("SELECT * FROM augur.page_hinkley(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int run = 0; run < 20; run++) {
                PageHinkley.Options o = new PageHinkley.Options(run % 3 == 0 ? 0 : rnd.nextDouble() * 0.05, 0.5 + rnd.nextDouble() * 5,
                        1 + rnd.nextInt(30));
                PageHinkley.State s = PageHinkley.State.EMPTY;
                for (int i = 0; i < 200; i++) {
                    // a mean that moves (up, then down), a 0/1 error stream, heavy tails: every branch of the rule
                    double x = switch (run % 4) {
                        case 0 -> rnd.nextGaussian() + (i > 100 ? 1.5 : 0);
                        case 1 -> rnd.nextDouble() < (i > 120 ? 0.6 : 0.1) ? 1 : 0;
                        case 2 -> rnd.nextDouble() - (i > 80 ? 0.8 : 0);
                        default -> Math.pow(rnd.nextGaussian(), 3) * 10;
                    };
                    PageHinkley.Step step = PageHinkley.update(s, x, o);
                    ps.setLong(1, s.n());
                    ps.setDouble(2, s.mean());
                    ps.setDouble(3, s.up());
                    ps.setDouble(4, s.upMin());
                    ps.setDouble(5, s.down());
                    ps.setDouble(6, s.downMax());
                    ps.setDouble(7, x);
                    ps.setDouble(8, o.delta());
                    ps.setDouble(9, o.lambda());
                    ps.setInt(10, o.minObservations());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        PageHinkley.State n = step.state();
                        String what = "run " + run + " step " + i;
                        assertThat(new double[]{rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)})
                                .as("state, " + what).containsExactly(n.n(), n.mean(), n.up(), n.upMin(), n.down(), n.downMax());
                        if (step.alarm() == null) {
                            assertThat(rs.getString(7)).as("no alarm, " + what).isNull();
                        } else {
                            PageHinkley.Alarm a = step.alarm();
                            assertThat(rs.getString(7)).as("direction, " + what).isEqualTo(a.direction().sqlName());
                            assertThat(rs.getDouble(8)).as("statistic, " + what).isEqualTo(a.statistic());
                            assertThat(rs.getDouble(9)).as("mean, " + what).isEqualTo(a.mean());
                            assertThat(rs.getLong(10)).as("observations, " + what).isEqualTo(a.observations());
                            alarms++;
                        }
                    }
                    s = step.state();
                    steps++;
                }
            }
        }
        assertThat(steps).isEqualTo(4000);
        assertThat(alarms).as("alarms among the vectors").isGreaterThan(20);
    }

    @Test
    void anAlarmsWordsAreTheEngines() throws SQLException {
        Random rnd = new Random(29);
        List<Double> values = new ArrayList<>(List.of(50.0, 2.0, 1e-4, 9.9995e-5, 0.00012345, 9999.4, 9999.6, 1234.5678, 123456.0,
                1e10, 1e100, 1e-100, Double.MAX_VALUE, 3.0e-7, 0.5, 12.0, 0.1, 1000.0));
        for (int i = 0; i < 300; i++) {
            values.add(Math.exp(rnd.nextGaussian() * 8));
        }
        // means whose shortest decimal ends in a 5 (Java rounds those digits half up, not the binary value), and -0.0000
        List<Double> means = List.of(1.00005, -1.00005, 0.12345, -0.00001, 0.0, 2.5e-5, 0.99995);
        int checked = 0;
        try (PreparedStatement ps = pg.prepareStatement("SELECT augur.monitor_what(?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < values.size(); i++) {
                double v = values.get(i);
                for (String signal : List.of("score", "error")) {
                    PageHinkley.Alarm a = new PageHinkley.Alarm(rnd.nextBoolean() ? PageHinkley.Direction.UP : PageHinkley.Direction.DOWN,
                            v, values.get(rnd.nextInt(values.size())), i < means.size() ? means.get(i) : rnd.nextGaussian() * 3,
                            1 + rnd.nextInt(100000));
                    ps.setString(1, signal);
                    ps.setString(2, "fb");
                    ps.setString(3, a.direction().sqlName());
                    ps.setDouble(4, a.statistic());
                    ps.setDouble(5, a.threshold());
                    ps.setLong(6, a.observations());
                    ps.setDouble(7, a.mean());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getString(1)).as("statistic %s", v).isEqualTo(Monitoring.what(signal, "fb", a));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(2 * values.size());
    }

    @Test
    void adaptiveConformalsCoverageIsTheEngines() throws SQLException {
        Random rnd = new Random(31);
        int checked = 0;
        try (PreparedStatement ps = pg.prepareStatement("SELECT augur.adaptive_covered(?::float8[], ?, ?, ?)")) {
            for (int cal = 0; cal < 10; cal++) {
                double[] scores = new double[1 + rnd.nextInt(cal < 3 ? 5 : 200)];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = rnd.nextDouble();
                }
                Calibration c = Calibration.of(Method.SPLIT, List.of(), new double[][]{scores});
                double[] sorted = c.scores(0);
                String array = Arrays.toString(sorted).replace('[', '{').replace(']', '}');
                for (int i = 0; i < 100; i++) {
                    double score = rnd.nextDouble();
                    String label = rnd.nextBoolean() ? "1" : "0";
                    double alphaT = i < 5 ? new double[]{-0.1, 0, 1, 1.2, 1e-9}[i] : rnd.nextDouble();
                    ps.setString(1, array);
                    ps.setDouble(2, score);
                    ps.setBoolean(3, label.equals("1"));
                    ps.setDouble(4, alphaT);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getBoolean(1)).as("calibration %d, score %s, label %s, alpha_t %s", cal, score, label, alphaT)
                                .isEqualTo(AdaptiveConformal.covered(c, List.of("0", "1"), score, label, alphaT));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(1000);
    }
}
