package dev.augur.engine.train;

import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LinearSgdTest {
    /** The squared loss takes the implicit step: whatever the rate, the residual shrinks and keeps its sign. */
    @Property(tries = 200)
    void squaredLossStepNeverOvershootsTheTarget(@ForAll @DoubleRange(min = 1e-3, max = 1e6) @Scale(4) double eta,
                                                 @ForAll @DoubleRange(min = -100, max = 100) double x0,
                                                 @ForAll @DoubleRange(min = -100, max = 100) double target) {
        LinearSgd sgd = new LinearSgd(ModelKind.LINEAR, 2, 1, 0);
        double[] x = {x0, 4};

        sgd.step(x, target, eta);

        double after = margin(sgd, x);
        assertThat(Math.abs(target - after)).isLessThanOrEqualTo(Math.abs(target) * (1 + 1e-12));
        assertThat(after * target).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void squaredLossStepWithSmallRateIsThePlainGradientStep() {
        LinearSgd sgd = new LinearSgd(ModelKind.LINEAR, 2, 1, 0);

        sgd.step(new double[]{1, 2}, 10, 1e-4);

        // plain step: w -= eta · (0 - 10) · x, shrunk by 1 / (1 + eta · (‖x‖² + 1)) = 1 / 1.0006
        assertThat(sgd.weights()[0]).isCloseTo(1e-3 / 1.0006, within(1e-15));
        assertThat(sgd.weights()[1]).isCloseTo(2e-3 / 1.0006, within(1e-15));
        assertThat(sgd.bias()[0]).isCloseTo(1e-3 / 1.0006, within(1e-15));
    }

    @Test
    void sparseAndDenseStepsAgree() {
        LinearSgd dense = new LinearSgd(ModelKind.SOFTMAX, 4, 3, 0.01);
        LinearSgd sparse = new LinearSgd(ModelKind.SOFTMAX, 4, 3, 0.01);
        SparseVector x = new SparseVector(new int[]{1, 3}, new double[]{0.6, 0.8});

        for (int i = 0; i < 5; i++) {
            dense.step(new double[]{0, 0.6, 0, 0.8}, i % 3, 0.5);
            sparse.step(x, i % 3, 0.5);
        }

        assertThat(sparse.weights()).containsExactly(dense.weights(), within(1e-12));
        assertThat(sparse.bias()).containsExactly(dense.bias(), within(1e-12));
    }

    @Test
    void resumeStartsFromTheModelsWeights() {
        Model model = Model.of("m", ModelKind.SVM, new DenseFeatures(List.of("a", "b")), List.of("0", "1"),
                new double[]{1.5, -2}, new double[]{0.25});

        LinearSgd sgd = LinearSgd.resume(model, 0);

        assertThat(sgd.weights()).containsExactly(1.5, -2);
        assertThat(sgd.bias()).containsExactly(0.25);
    }

    @Test
    void l2DecayShrinksWeightsWhenTheLossIsFlat() {
        LinearSgd sgd = new LinearSgd(ModelKind.SVM, 1, 1, 0.5, new double[]{2}, new double[]{0});

        double loss = sgd.step(new double[]{1}, 1, 0.1); // margin 2 >= 1: hinge loss and gradient are 0

        assertThat(loss).isZero();
        assertThat(sgd.weights()[0]).isCloseTo(2 * (1 - 0.1 * 0.5), within(1e-15));
    }

    /** With learning_rate · l2 > 1 the decay factor 1 - eta · l2 is negative: it used to flip and grow the weights. */
    @Test
    void decayStepLargerThanTheWeightsStopsAtZero() {
        LinearSgd sgd = new LinearSgd(ModelKind.SVM, 1, 1, 3, new double[]{2}, new double[]{0});

        sgd.step(new double[]{1}, 1, 1); // margin 2 >= 1: only the decay acts

        assertThat(sgd.weights()[0]).isZero();
    }

    @Test
    void longDecayFoldsTheScaleWithoutLosingPrecision() {
        LinearSgd sgd = new LinearSgd(ModelKind.SVM, 1, 1, 1, new double[]{2}, new double[]{0});

        for (int i = 0; i < 1000; i++) {
            sgd.step(new double[]{0}, 1, 0.1); // x = 0: only the bias learns, the weight only decays
        }

        assertThat(sgd.weights()[0] / (2 * Math.pow(0.9, 1000))).isCloseTo(1, within(1e-9));
    }

    private static double margin(LinearSgd sgd, double[] x) {
        double[] w = sgd.weights();
        double m = sgd.bias()[0];
        for (int i = 0; i < x.length; i++) {
            m += w[i] * x[i];
        }
        return m;
    }
}
