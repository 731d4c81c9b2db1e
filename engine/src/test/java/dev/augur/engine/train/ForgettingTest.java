package dev.augur.engine.train;

import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.DenseVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForgettingTest {
    private static final DenseFeatures FEATURES = new DenseFeatures(List.of("a", "b"));

    @Test
    void decayScalesTheWholeModelBeforeEachStep() {
        // the hinge loss takes no step where the margin is at least 1: there the decay is all that happens
        Model svm = Model.of("s", ModelKind.SVM, FEATURES, List.of("0", "1"), new double[]{4, -2}, new double[]{1});
        OnlineLearner learner = OnlineLearner.resume(svm, 0, 0, new Forgetting(0.5, 0), null, null);
        learner.learn(new DenseVector(new double[]{1, 0}), 1, 0.1, 0);  // margin 5 → 2.5 after the decay: no step
        assertThat(learner.weights()).containsExactly(2, -1);
        assertThat(learner.bias()).containsExactly(0.5);
        learner.learn(new DenseVector(new double[]{1, 0}), 1, 0.1, 1);  // margin 1.25: still none
        assertThat(learner.weights()).containsExactly(1, -0.5);
        learner.learn(new DenseVector(new double[]{1, 0}), 1, 0.1, 2);  // margin 0.625 < 1: the hinge step after the decay
        assertThat(learner.weights()).containsExactly(0.5 + 0.1, -0.25);
        assertThat(learner.bias()).containsExactly(0.125 + 0.1);
    }

    @Test
    void decayOfOneIsNoForgetting() {
        Model m = Model.of("l", ModelKind.LOGISTIC, FEATURES, List.of("0", "1"), new double[]{0.3, -0.1}, new double[]{0.2});
        OnlineLearner plain = OnlineLearner.resume(m, 1e-3, 0);
        OnlineLearner decayOne = OnlineLearner.resume(m, 1e-3, 0, new Forgetting(1, 0), null, null);
        Random rnd = new Random(5);
        for (int i = 0; i < 50; i++) {
            DenseVector x = new DenseVector(new double[]{rnd.nextGaussian(), rnd.nextGaussian()});
            int y = rnd.nextInt(2);
            plain.learn(x, y, 0.3, i);
            decayOne.learn(x, y, 0.3, i);
        }
        assertThat(decayOne.weights()).containsExactly(plain.weights());
        assertThat(decayOne.bias()).containsExactly(plain.bias());
    }

    @Test
    void aWindowsEndHandsTheLiveModelWhatLearningFromZeroOverTheWindowGives() {
        for (ModelKind kind : new ModelKind[]{ModelKind.LOGISTIC, ModelKind.BAGGED_SVM}) {
            int members = kind.isEnsemble() ? 3 : 1;
            Random rnd = new Random(9);
            double[] w = new double[members * 2];
            double[] b = new double[members];
            for (int i = 0; i < w.length; i++) {
                w[i] = 5 * rnd.nextGaussian();
            }
            Model first = Model.of("v", kind, FEATURES, List.of("0", "1"), w, b);
            int window = 7;
            long seed = 11;
            OnlineLearner learner = OnlineLearner.resume(first, 1e-3, seed, new Forgetting(1, window), null, null);
            DenseVector[] xs = new DenseVector[3 * window];
            int[] ys = new int[xs.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = new DenseVector(new double[]{rnd.nextGaussian(), rnd.nextGaussian()});
                ys[i] = rnd.nextInt(2);
            }
            for (int i = 0; i < 2 * window; i++) {
                learner.learn(xs[i], ys[i], 0.2, i);
            }
            // after ordinal 2·window − 1 the live model is a learner from zero over the second window, the first model gone
            Model zero = Model.of("v", kind, FEATURES, List.of("0", "1"), new double[w.length], new double[members]);
            OnlineLearner fromZero = OnlineLearner.resume(zero, 1e-3, seed);
            for (int i = window; i < 2 * window; i++) {
                fromZero.learn(xs[i], ys[i], 0.2, i);
            }
            assertThat(learner.weights()).as(kind.sqlName()).containsExactly(fromZero.weights());
            assertThat(learner.bias()).as(kind.sqlName()).containsExactly(fromZero.bias());
            assertThat(learner.restartedWeights()).containsOnly(0.0);
            // inside a window the live model keeps learning (from its materialized weights, so equal up to the lazy
            // scale's rounding) and the restarted one learns beside it
            learner.learn(xs[2 * window], ys[2 * window], 0.2, 2L * window);
            fromZero.learn(xs[2 * window], ys[2 * window], 0.2, 2L * window);
            for (int i = 0; i < w.length; i++) {
                assertThat(learner.weights()[i]).isCloseTo(fromZero.weights()[i], within(1e-12));
            }
            assertThat(learner.restartedWeights()).isNotEqualTo(new double[w.length]);
        }
    }

    @Test
    void whereNoStepIsTakenTheModelShrinksByTheDecayPerExample() {
        // where the hinge loss takes no step (margin >= 1) the model only decays: after n examples by d^n
        Model m = Model.of("l", ModelKind.SVM, FEATURES, List.of("0", "1"), new double[]{1e6, 0}, new double[]{0});
        double d = 0.99;
        OnlineLearner learner = OnlineLearner.resume(m, 0, 0, new Forgetting(d, 0), null, null);
        int n = 100;
        for (int i = 0; i < n; i++) {
            learner.learn(new DenseVector(new double[]{1, 0}), 1, 0.1, i);
        }
        assertThat(learner.weights()[0]).isCloseTo(1e6 * Math.pow(d, n), within(1e-3));
    }
}
