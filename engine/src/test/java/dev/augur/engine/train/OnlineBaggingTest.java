package dev.augur.engine.train;

import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.DenseVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OnlineBaggingTest {
    @Test
    void theInversionIsPoissonOnesDistributionFunction() {
        double f0 = Math.exp(-1);
        double f1 = f0 + Math.exp(-1);
        double f2 = f1 + Math.exp(-1) / 2;
        assertThat(OnlineBagging.EXP_MINUS_ONE).isEqualTo(f0);
        assertThat(OnlineBagging.poissonOne(1e-12)).isZero();
        assertThat(OnlineBagging.poissonOne(f0)).isZero();
        assertThat(OnlineBagging.poissonOne(Math.nextUp(f0))).isEqualTo(1);
        assertThat(OnlineBagging.poissonOne((f1 + f2) / 2)).isEqualTo(2);
        // the largest uniform of 32 bits stops well before the cap
        assertThat(OnlineBagging.poissonOne((4294967295.0 + 0.5) / 4294967296.0)).isLessThan(OnlineBagging.MAX_STEPS);
    }

    @Test
    void drawsArePoissonOneAndIndependentAcrossMembers() {
        int n = 200_000;
        long sum = 0;
        long zeros = 0;
        long bothZero = 0;
        for (long ordinal = 0; ordinal < n; ordinal++) {
            int a = OnlineBagging.steps(42, 0, ordinal);
            int b = OnlineBagging.steps(42, 1, ordinal);
            assertThat(OnlineBagging.steps(42, 0, ordinal)).isEqualTo(a);
            sum += a;
            zeros += a == 0 ? 1 : 0;
            bothZero += a == 0 && b == 0 ? 1 : 0;
        }
        assertThat((double) sum / n).isCloseTo(1.0, within(0.01));
        assertThat((double) zeros / n).isCloseTo(Math.exp(-1), within(0.005));
        assertThat((double) bothZero / n).isCloseTo(Math.exp(-2), within(0.005));
        // another seed draws other counts
        int differ = 0;
        for (long ordinal = 0; ordinal < 1000; ordinal++) {
            differ += OnlineBagging.steps(42, 0, ordinal) != OnlineBagging.steps(43, 0, ordinal) ? 1 : 0;
        }
        assertThat(differ).isGreaterThan(300);
    }

    @Test
    void eachMemberTakesItsDrawnNumberOfLinearSgdSteps() {
        DenseFeatures features = new DenseFeatures(List.of("a", "b"));
        Model ensemble = Model.of("e", ModelKind.BAGGED_LOGISTIC, features, List.of("0", "1"),
                new double[]{0.1, -0.2, 0.3, 0.4, -0.5, 0.6}, new double[]{0.05, -0.05, 0.0});
        OnlineLearner learner = OnlineLearner.resume(ensemble, 1e-3, 7);
        double[][] xs = {{1.0, -2.0}, {0.5, 0.25}, {-1.5, 3.0}};
        int[] targets = {1, 0, 1};
        for (int i = 0; i < xs.length; i++) {
            learner.learn(new DenseVector(xs[i]), targets[i], 0.3, 10 + i);
        }
        for (int m = 0; m < 3; m++) {
            LinearSgd member = new LinearSgd(ModelKind.LOGISTIC, 2, 1, 1e-3, new double[]{ensemble.weights()[2 * m], ensemble.weights()[2 * m + 1]},
                    new double[]{ensemble.bias()[m]});
            for (int i = 0; i < xs.length; i++) {
                for (int s = OnlineBagging.steps(7, m, 10 + i); s > 0; s--) {
                    member.step(xs[i], targets[i], 0.3);
                }
            }
            assertThat(new double[]{learner.weights()[2 * m], learner.weights()[2 * m + 1]}).containsExactly(member.weights());
            assertThat(learner.bias()[m]).isEqualTo(member.bias()[0]);
        }
    }
}
