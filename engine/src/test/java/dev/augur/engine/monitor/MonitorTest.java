package dev.augur.engine.monitor;

import dev.augur.engine.AugurException;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.features.DenseFeatures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MonitorTest {
    @Test
    void psiOfTwoHistogramsIsTheSumOfItsBinsTermsWithEmptyBinsFloored() {
        // shares 0.5/0.5 against 0.9/0.1: 0.4 ln 1.8 + (-0.4) ln 0.2
        assertThat(Psi.of(new long[]{50, 50}, new long[]{90, 10})).isCloseTo(0.4 * Math.log(1.8) + 0.4 * Math.log(5), within(1e-12));
        assertThat(Psi.of(new long[]{3, 7}, new long[]{30, 70})).isCloseTo(0, within(1e-15));
        // an empty live bin costs (1e-4 - 0.5) ln(1e-4 / 0.5), finite
        assertThat(Psi.of(new long[]{1, 1}, new long[]{0, 5})).isCloseTo((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), within(1e-12));
        assertThat(Psi.of(new long[]{1, 1}, new long[]{0, 0})).isNull();
    }

    @Test
    void aValueFallsInTheBinOfTheEdgesBelowIt() {
        double[] edges = {0.1, 0.2, 0.5};
        assertThat(Psi.bin(edges, 0.0)).isZero();
        assertThat(Psi.bin(edges, 0.1)).isEqualTo(1);
        assertThat(Psi.bin(edges, 0.49)).isEqualTo(2);
        assertThat(Psi.bin(edges, 0.5)).isEqualTo(3);
        assertThat(Psi.bin(edges, 7)).isEqualTo(3);
        assertThat(Psi.bin(new double[0], 3)).isZero();
    }

    @Test
    void pageHinkleyStaysQuietOnAStationaryStreamAndAlarmsSoonAfterAStep() {
        PageHinkley.Options o = new PageHinkley.Options(0.05, 20, 30);
        Random rnd = new Random(5);
        PageHinkley.State s = PageHinkley.State.EMPTY;
        for (int i = 0; i < 5000; i++) {
            PageHinkley.Step step = PageHinkley.update(s, rnd.nextDouble() < 0.2 ? 1 : 0, o);
            assertThat(step.alarm()).as("observation %d of a stationary stream", i).isNull();
            s = step.state();
        }
        int delay = -1;
        for (int i = 0; i < 5000 && delay < 0; i++) {
            PageHinkley.Step step = PageHinkley.update(s, rnd.nextDouble() < 0.6 ? 1 : 0, o);
            if (step.alarm() != null) {
                delay = i;
                assertThat(step.alarm().direction()).isEqualTo(PageHinkley.Direction.UP);
                assertThat(step.alarm().statistic()).isGreaterThan(20);
                assertThat(step.state()).isEqualTo(PageHinkley.State.EMPTY);
            }
            s = step.state();
        }
        // a rise of 0.4 per observation (0.35 beyond delta) passes 20 after about 60 of them
        assertThat(delay).isBetween(30, 120);
        // and a fall is seen too
        s = PageHinkley.State.EMPTY;
        PageHinkley.Alarm fall = null;
        for (int i = 0; i < 400 && fall == null; i++) {
            PageHinkley.Step step = PageHinkley.update(s, i < 200 ? 0.9 : 0.1, o);
            fall = step.alarm();
            s = step.state();
        }
        assertThat(fall).isNotNull();
        assertThat(fall.direction()).isEqualTo(PageHinkley.Direction.DOWN);
    }

    @Test
    void optionsOutOfRangeAreRefusedWith22023() {
        for (Runnable bad : List.<Runnable>of(() -> new PageHinkley.Options(-1, 50, 30), () -> new PageHinkley.Options(0.1, 0, 30),
                () -> new PageHinkley.Options(0.1, Double.NaN, 30), () -> new PageHinkley.Options(0.1, 5, 0))) {
            assertThatThrownBy(bad::run).isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"));
        }
    }

    @Test
    void aReferenceKeepsScoreBinsInputStatisticsAndSurvivesItsStoredForm() {
        Model m = Model.of("m", ModelKind.LINEAR, new DenseFeatures(List.of("a", "b")), List.of(), new double[]{2, 0}, new double[]{1});
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(new Object[]{(double) i, 5.0});
        }
        Reference r = Reference.capture(m, rows);
        assertThat(r.classifier()).isFalse();
        assertThat(r.meanConfidence()).as("a regressor promises no accuracy").isNaN();
        assertThat(r.scoreEdges()).hasSize(9);
        assertThat(r.scoreCounts()).containsOnly(100L);
        assertThat(r.features().get(0).mean()).isCloseTo(499.5, within(1e-9));
        assertThat(r.features().get(1).std()).isZero();
        assertThat(r.features().get(1).edges()).isEmpty(); // a constant input: one bin
        Reference back = Reference.fromJson(r.toJson());
        assertThat(back.meanConfidence()).isNaN();
        assertThat(back.scoreEdges()).containsExactly(r.scoreEdges());
        assertThat(back.scoreCounts()).containsExactly(r.scoreCounts());
        assertThat(back.features().get(0).counts()).containsExactly(r.features().get(0).counts());
        // live inputs shifted by a whole range: PSI large, the mean 2 standard deviations up or so
        List<Object[]> live = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            live.add(new Object[]{(double) 600 + i, 5.0});
        }
        String drift = InputDrift.of(r, m, live);
        assertThat(drift).contains("\"name\":\"a\"").contains("\"rows\":500");
        assertThat(InputDrift.of(r, m, rows)).contains("\"psi\":0.0");
    }
}
