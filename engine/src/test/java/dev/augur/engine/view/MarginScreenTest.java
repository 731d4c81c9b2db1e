package dev.augur.engine.view;

import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.DenseVector;
import dev.augur.engine.features.Norms;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The screen's bound holds for every row, computed margins' roundings included, and is far tighter than the norms'. */
class MarginScreenTest {

    /**
     * For any dense rows (values over twelve orders of magnitude, zeros, rows of one value) and any change of weights and
     * bias (from 1e-12 to 10 per weight), the margin the engine computes under the new model is within the screen's interval.
     */
    @Property(tries = 400)
    void theComputedMarginIsAlwaysWithinTheDrift(@ForAll @IntRange(min = 1, max = 80) int dimension, @ForAll @LongRange long seed) {
        Random rnd = new Random(seed);
        Model anchor = model(dimension, rnd, 3, null);
        double step = Math.pow(10, -12 + rnd.nextInt(14));
        Model current = model(dimension, rnd, step, anchor);
        MarginScreen screen = new MarginScreen(dimension);
        MarginScreen.Step s = screen.step(anchor, current);
        assertThat(s).isNotNull();
        screen.ensureCapacity(40);
        for (int id = 0; id < 40; id++) {
            double[] x = row(dimension, rnd);
            DenseVector v = new DenseVector(x);
            double a = anchor.margin(x);
            double m = current.margin(x);
            double norm2 = Norms.of(x, 0, x.length, 2);
            double[] range = new double[2];
            screen.interval(id, v, norm2, a, s, range);
            assertThat(m).as("row %s", id).isBetween(range[0], range[1]);
        }
    }

    /** A row that holds another vector (a rollback put back its old one) is coded again: its bound is the new vector's. */
    @Test
    void aRowHoldingAnotherVectorIsCodedAgain() {
        Random rnd = new Random(3);
        Model anchor = model(8, rnd, 1, null);
        Model current = model(8, rnd, 0.01, anchor);
        MarginScreen screen = new MarginScreen(8);
        MarginScreen.Step s = screen.step(anchor, current);
        screen.ensureCapacity(1);
        for (int i = 0; i < 50; i++) {
            double[] x = i % 2 == 0 ? row(8, rnd, 1) : row(8, rnd, 1000);
            double a = anchor.margin(x);
            double m = current.margin(x);
            double norm2 = Norms.of(x, 0, 8, 2);
            DenseVector v = new DenseVector(x);
            // stale codes (the previous vector's) would estimate another margin: the bound would fail, or not be tight
            double[] range = new double[2];
            screen.interval(0, v, norm2, a, s, range);
            assertThat(m).as("vector %s in the same row", i).isBetween(range[0], range[1]);
            double holder = 0;
            double[] wa = anchor.weights();
            double[] wc = current.weights();
            for (int j = 0; j < 8; j++) {
                holder += (wc[j] - wa[j]) * (wc[j] - wa[j]);
            }
            holder = Math.sqrt(holder) * norm2;
            assertThat(range[1] - range[0]).as("vector %s in the same row", i).isLessThan(holder / 5);
        }
    }

    /**
     * After one step of online learning on a d = 50 row (rate 0.01 along an example), the screen's radius is below a
     * hundredth of the Hölder bound ‖Δw‖₂·‖x‖₂ that would otherwise decide whether the row is re-scored.
     */
    @Test
    void afterAnSgdStepTheRadiusIsAHundredthOfTheHolderBound() {
        Random rnd = new Random(11);
        int d = 50;
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = rnd.nextGaussian();
        }
        double[] example = row(50, new Random(12), 1);
        double[] moved = w.clone();
        for (int j = 0; j < d; j++) {
            moved[j] += 0.01 * example[j];
        }
        Model anchor = Model.of("m", ModelKind.SVM, features(d), List.of("0", "1"), w, new double[]{0.1});
        Model current = Model.of("m", ModelKind.SVM, features(d), List.of("0", "1"), moved, new double[]{0.1});
        MarginScreen screen = new MarginScreen(d);
        MarginScreen.Step s = screen.step(anchor, current);
        screen.ensureCapacity(1);
        double deltaNorm = 0.01 * Norms.of(example, 0, d, 2);
        for (int i = 0; i < 100; i++) {
            double[] x = row(d, rnd, 1);
            double a = anchor.margin(x);
            double m = current.margin(x);
            double norm2 = Norms.of(x, 0, d, 2);
            double[] range = new double[2];
            screen.interval(0, new DenseVector(x), norm2, a, s, range);
            assertThat(m).isBetween(range[0], range[1]);
            assertThat((range[1] - range[0]) / 2).as("row %s", i).isLessThan(deltaNorm * norm2 / 100);
        }
    }

    private static DenseFeatures features(int d) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        return new DenseFeatures(names);
    }

    /** A random SVM, or {@code from} moved by up to {@code scale} per weight and in its bias. */
    private static Model model(int d, Random rnd, double scale, Model from) {
        double[] w = from == null ? new double[d] : from.weights();
        double b = from == null ? 0 : from.bias()[0];
        for (int j = 0; j < d; j++) {
            w[j] += scale * rnd.nextGaussian();
        }
        b += scale * rnd.nextGaussian();
        return Model.of("m", ModelKind.SVM, features(d), List.of("0", "1"), w, new double[]{b});
    }

    /** Values of mixed magnitudes (1e-6 to 1e6), with zeros and rows of one repeated value among them. */
    private static double[] row(int d, Random rnd) {
        double[] x = new double[d];
        int shape = rnd.nextInt(4);
        double magnitude = Math.pow(10, -6 + rnd.nextInt(13));
        for (int j = 0; j < d; j++) {
            x[j] = switch (shape) {
                case 0 -> 0;
                case 1 -> magnitude;
                default -> magnitude * (rnd.nextDouble() * 2 - 1) * (rnd.nextInt(10) == 0 ? 1e-6 : 1);
            };
        }
        return x;
    }

    private static double[] row(int d, Random rnd, double scale) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            x[j] = scale * (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
