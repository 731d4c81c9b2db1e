package dev.augur.engine.feedback;

import dev.augur.engine.AugurException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The definitions' edges: a binary pair's confidence is its score; a multiclass pair is judged by its whole vector. */
class LiveMetricsTest {
    private static final List<String> COLOURS = List.of("red", "green", "blue");

    @Test
    void aBinaryPairKeepsItsDefinitionsAndItsScoreIsItsConfidence() {
        LiveMetrics.Terms t = LiveMetrics.terms(LiveMetrics.Target.CLASS, List.of("0", "1"), 0.3, new double[]{0.5, 0.2, 0.3}, "0");
        assertThat(t.correct()).isEqualTo(1);
        assertThat(t.logLoss()).isCloseTo(-Math.log(0.7), within(1e-15));
        assertThat(t.brier()).isEqualTo(0.3 * 0.3);
        assertThat(t.bin()).isEqualTo(3);
        assertThat(t.positive()).isZero();
        assertThat(t.confidence()).isEqualTo(0.3);
    }

    @Test
    void aMulticlassPairIsJudgedByItsVectorAndATieGoesToTheFirstClass() {
        double[] p = {0.4, 0.4, 0.2};
        LiveMetrics.Terms green = LiveMetrics.terms(LiveMetrics.Target.CLASS, COLOURS, 0.4, p, "green");
        assertThat(LiveMetrics.predicted(p)).isZero();
        assertThat(green.correct()).isZero();
        assertThat(green.positive()).isZero();
        assertThat(green.logLoss()).isCloseTo(-Math.log(0.4), within(1e-15));
        assertThat(green.brier()).isCloseTo(0.4 * 0.4 + 0.6 * 0.6 + 0.2 * 0.2, within(1e-15));
        assertThat(green.bin()).isEqualTo(4);
        assertThat(green.confidence()).isEqualTo(0.4);
        LiveMetrics.Terms red = LiveMetrics.terms(LiveMetrics.Target.CLASS, COLOURS, 0.4, p, "red");
        assertThat(red.correct()).isEqualTo(1);
        assertThat(red.positive()).isEqualTo(1);
        // a sure wrong prediction is clipped, not infinite
        LiveMetrics.Terms sure = LiveMetrics.terms(LiveMetrics.Target.CLASS, COLOURS, 1, new double[]{1, 0, 0}, "blue");
        assertThat(sure.logLoss()).isCloseTo(-Math.log(LiveMetrics.EPSILON), within(1e-12));
        assertThat(sure.bin()).isEqualTo(LiveMetrics.BINS - 1);
    }

    @Test
    void aMulticlassPairWithoutItsVectorOrWithALabelOutsideTheClassesIsRefused() {
        assertThatThrownBy(() -> LiveMetrics.terms(LiveMetrics.Target.CLASS, COLOURS, 0.5, null, "red"))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"))
                .hasMessageContaining("RECORD_PREDICTION_PROBA");
        assertThatThrownBy(() -> LiveMetrics.terms(LiveMetrics.Target.CLASS, COLOURS, 0.5, new double[]{0.5, 0.5, 0}, "purple"))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"))
                .hasMessageContaining("red, green, blue");
    }

    @Test
    void servedProbabilitiesAreOnePerClassInTheUnitIntervalSummingToOne() {
        assertThat(LiveMetrics.checkProbabilities("m", COLOURS, new Double[]{0.2, 0.3, 0.5 + 5e-7})).containsExactly(0.2, 0.3, 0.5 + 5e-7);
        Object[][] bad = {
                {new Double[]{0.5, 0.5}, "22023", "3 classes"},
                {new Double[]{0.5, 0.4, 0.2}, "22023", "sum to"},
                {new Double[]{0.2, 0.3, 0.5 + 2e-6}, "22023", "sum to"},
                {new Double[]{1.5, -0.25, -0.25}, "22023", "[0, 1]"},
                {new Double[]{Double.NaN, 0.5, 0.5}, "22023", "finite"},
                {new Double[]{null, 0.5, 0.5}, "22004", "'red'"},
                {null, "22004", "NULL"}};
        for (Object[] b : bad) {
            assertThatThrownBy(() -> LiveMetrics.checkProbabilities("m", COLOURS, (Double[]) b[0]))
                    .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(b[1]))
                    .hasMessageContaining((String) b[2]);
        }
    }
}
