package dev.augur.engine.calibration;

import dev.augur.engine.AugurException;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The split-conformal rule of {@link Conformal} and {@link Calibration}, on exchangeable synthetic data. */
class ConformalPropertiesTest {
    private static final Model BINARY = Model.of("bin", ModelKind.LOGISTIC, new DenseFeatures(List.of("a", "b")), List.of("0", "1"),
            new double[]{1.5, -1.0}, new double[]{0.1});
    private static final Model THREE = Model.of("three", ModelKind.SOFTMAX, new DenseFeatures(List.of("a", "b")),
            List.of("high", "low", "mid"), new double[]{1.2, 0.1, -1.1, 0.2, 0.0, -0.1}, new double[]{0, 0, 0.3});
    private static final Model LINEAR = Model.of("lin", ModelKind.LINEAR, new DenseFeatures(List.of("a", "b")), List.of(),
            new double[]{1.4, 0.2}, new double[]{0.05});

    /** Rows (a, b, label) drawn independently from one distribution: the label is noisy, so the model errs. */
    private static List<Object[]> binaryRows(Random rnd, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian();
            double b = rnd.nextGaussian();
            rows.add(new Object[]{a, b, 1.5 * a - b + rnd.nextGaussian() > 0 ? 1 : 0});
        }
        return rows;
    }

    private static List<Object[]> threeClassRows(Random rnd, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian() * 2;
            double b = rnd.nextGaussian();
            double v = a + 0.8 * rnd.nextGaussian();
            // "high" is rare, so split conformal could cover it poorly; Mondrian covers each class on its own
            rows.add(new Object[]{a, b, v > 2.2 ? "high" : v < -1 ? "low" : "mid"});
        }
        return rows;
    }

    /**
     * Normalized calibration on heteroscedastic data (noise proportional to |a|) of an ensemble whose spread grows with
     * |a|: intervals still cover at the level asked, and are narrow where the members agree, wide where they do not.
     */
    @Property(tries = 20)
    void normalizedIntervalsCoverAndFollowTheSpread(@ForAll long seed, @ForAll @DoubleRange(min = 0.7, max = 0.95) double level) {
        Random rnd = new Random(seed);
        Model bag = Model.of("bag", ModelKind.BAGGED_LINEAR, new DenseFeatures(List.of("a")), List.of(),
                new double[]{0.8, 0.9, 1.0, 1.1, 1.2}, new double[]{0, 0, 0, 0, 0});
        Calibration c = Conformal.calibrate(bag, Method.NORMALIZED, heteroscedastic(rnd, 3000));
        assertThat(c.method()).isEqualTo(Method.NORMALIZED);
        assertThat(c.spreadOffset()).isPositive();
        double half = Conformal.halfWidth(bag, c, level, "bag");
        int covered = 0;
        List<Object[]> test = heteroscedastic(rnd, 4000);
        for (Object[] r : test) {
            double[] iv = Conformal.interval(c, half, bag.evaluate(r[0]));
            covered += (double) r[1] >= iv[0] && (double) r[1] <= iv[1] ? 1 : 0;
        }
        assertThat(covered / (double) test.size()).isGreaterThanOrEqualTo(level - 0.05);
        double[] narrow = Conformal.interval(c, half, bag.evaluate(0.1));
        double[] wide = Conformal.interval(c, half, bag.evaluate(3.0));
        assertThat(wide[1] - wide[0]).isGreaterThan(3 * (narrow[1] - narrow[0]));
    }

    @Example
    void normalizedCalibrationNeedsARegressorWithASpread() {
        assertThatThrownBy(() -> Conformal.calibrate(LINEAR, Method.NORMALIZED, regressionRows(new Random(1), 50)))
                .isInstanceOf(AugurException.class).hasMessageContaining("which only regressors with a spread have (bagged_linear, bayes_linear)");
        Model same = Model.of("same", ModelKind.BAGGED_LINEAR, new DenseFeatures(List.of("a")), List.of(),
                new double[]{1, 1, 1}, new double[]{0, 0, 0});
        assertThatThrownBy(() -> Conformal.calibrate(same, Method.NORMALIZED, heteroscedastic(new Random(2), 50)))
                .isInstanceOf(AugurException.class).hasMessageContaining("median spread 0");
        assertThat(Method.fromOptions("{\"method\": \"normalized\"}")).isEqualTo(Method.NORMALIZED);
    }

    private static List<Object[]> heteroscedastic(Random rnd, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian() * 1.5;
            rows.add(new Object[]{a, a + Math.abs(a) * 0.5 * rnd.nextGaussian()});
        }
        return rows;
    }

    private static List<Object[]> regressionRows(Random rnd, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian();
            double b = rnd.nextGaussian();
            rows.add(new Object[]{a, b, 1.4 * a + 0.2 * b + 0.05 + rnd.nextGaussian() * 0.5});
        }
        return rows;
    }

    private static double coverage(Model m, double[] thresholds, List<Object[]> rows) {
        int covered = 0;
        for (Object[] r : rows) {
            covered += Conformal.predictionSet(m, thresholds, m.evaluate(r[0], r[1])).contains(String.valueOf(r[2])) ? 1 : 0;
        }
        return covered / (double) rows.size();
    }

    /**
     * Marginal coverage ≥ 1 − alpha in expectation; one calibration set of 2,000 and 4,000 test rows vary by at most
     * about 0.0125 (alpha 0.3), so the bound is checked with a slack of 0.06 (almost 5 standard deviations: with 500
     * calibration rows it was 2.6, and the property failed now and then).
     */
    @Property(tries = 30)
    void splitSetsCoverExchangeableRows(@ForAll long seed, @ForAll @DoubleRange(min = 0.05, max = 0.3) double alpha) {
        Random rnd = new Random(seed);
        Calibration c = Conformal.calibrate(BINARY, Method.SPLIT, binaryRows(rnd, 2000));
        double[] q = Conformal.thresholds(BINARY, c, alpha, "bin", "PREDICT_SET");
        assertThat(coverage(BINARY, q, binaryRows(rnd, 4000))).isGreaterThanOrEqualTo(1 - alpha - 0.06);
    }

    @Property(tries = 20)
    void mondrianSetsCoverEveryClass(@ForAll long seed) {
        Random rnd = new Random(seed);
        double alpha = 0.1;
        Calibration c = Conformal.calibrate(THREE, Method.MONDRIAN, threeClassRows(rnd, 6000));
        double[] q = Conformal.thresholds(THREE, c, alpha, "three", "PREDICT_SET");
        List<Object[]> test = threeClassRows(rnd, 12000);
        for (String clazz : THREE.classes()) {
            List<Object[]> ofClass = test.stream().filter(r -> r[2].equals(clazz)).toList();
            // the rarest class has some 600 test rows and some 300 calibration rows: a slack of 0.1 is over 4.5 deviations
            assertThat(coverage(THREE, q, ofClass)).as("coverage of class %s", clazz).isGreaterThanOrEqualTo(1 - alpha - 0.1);
        }
    }

    @Property(tries = 30)
    void intervalsCoverExchangeableValues(@ForAll long seed, @ForAll @DoubleRange(min = 0.7, max = 0.95) double level) {
        Random rnd = new Random(seed);
        // coverage varies with the calibration set (about sqrt(alpha (1 - alpha) / n)) and the test set: with 2,000 and
        // 4,000 rows the slack below is over 4 standard deviations, so the property does not flake
        Calibration c = Conformal.calibrate(LINEAR, Method.SPLIT, regressionRows(rnd, 2000));
        double half = Conformal.halfWidth(LINEAR, c, level, "lin");
        int covered = 0;
        List<Object[]> test = regressionRows(rnd, 4000);
        for (Object[] r : test) {
            double[] iv = Conformal.interval(c, half, LINEAR.evaluate(r[0], r[1]));
            assertThat(iv[0]).isLessThanOrEqualTo(iv[1]);
            covered += (double) r[2] >= iv[0] && (double) r[2] <= iv[1] ? 1 : 0;
        }
        assertThat(covered / (double) test.size()).isGreaterThanOrEqualTo(level - 0.06);
    }

    /** A smaller alpha (a stronger guarantee) never gives a smaller set, for split and Mondrian alike. */
    @Property(tries = 50)
    void setsGrowAsAlphaShrinks(@ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 0.5) double a1,
                                @ForAll @DoubleRange(min = 0.01, max = 0.5) double a2, @ForAll boolean mondrian) {
        Random rnd = new Random(seed);
        double small = Math.min(a1, a2);
        double large = Math.max(a1, a2);
        Calibration c = Conformal.calibrate(THREE, mondrian ? Method.MONDRIAN : Method.SPLIT, threeClassRows(rnd, 3000));
        double[] qs = Conformal.thresholds(THREE, c, small, "three", "PREDICT_SET");
        double[] ql = Conformal.thresholds(THREE, c, large, "three", "PREDICT_SET");
        for (Object[] r : threeClassRows(rnd, 200)) {
            var e = THREE.evaluate(r[0], r[1]);
            assertThat(Conformal.predictionSet(THREE, qs, e)).containsAll(Conformal.predictionSet(THREE, ql, e));
        }
    }

    /** q̂ is the ⌈(n+1)(1−alpha)⌉-th smallest score; a set smaller than the minimum size is an error that names it. */
    @Property(tries = 200)
    void quantileIsTheRankRuleAndTooSmallSetsNameTheMinimum(@ForAll @IntRange(min = 1, max = 300) int n,
                                                            @ForAll @DoubleRange(min = 0.001, max = 0.999) @net.jqwik.api.constraints.Scale(6) double alpha,
                                                            @ForAll long seed) {
        Random rnd = new Random(seed);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = rnd.nextDouble();
        }
        Calibration c = Calibration.of(Method.SPLIT, List.of(), new double[][]{scores});
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        long k = (long) Math.ceil((n + 1) * (1 - alpha));
        long min = Calibration.minimumSize(alpha);
        assertThat(n >= min).as("n %s fits alpha %s exactly when n ≥ minimum %s", n, alpha, min).isEqualTo(k <= n);
        if (k <= n) {
            assertThat(c.quantile(alpha, 0, "m", "alpha " + alpha)).isEqualTo(sorted[(int) k - 1]);
        } else {
            assertThatThrownBy(() -> c.quantile(alpha, 0, "m", "alpha " + alpha)).isInstanceOf(AugurException.class)
                    .hasMessageContaining("needs at least " + min + " calibration rows")
                    .satisfies(e -> assertThat(((AugurException) e).sqlState()).isEqualTo("22023"));
        }
    }

    @Example
    void theMinimumSizesOfCommonAlphas() {
        assertThat(Calibration.minimumSize(0.1)).isEqualTo(9);
        assertThat(Calibration.minimumSize(0.05)).isEqualTo(19);
        assertThat(Calibration.minimumSize(0.2)).isEqualTo(4);
        assertThat(Calibration.minimumSize(0.5)).isEqualTo(1);
        assertThat(Calibration.minimumSize(0.01)).isEqualTo(99);
    }

    @Example
    void abstentionIsASetOfOneClassOrNull() {
        Calibration c = Conformal.calibrate(BINARY, Method.SPLIT, binaryRows(new Random(7), 400));
        double[] q = Conformal.thresholds(BINARY, c, 0.1, "bin", "PREDICT_SET");
        int answered = 0;
        for (Object[] r : binaryRows(new Random(8), 300)) {
            var e = BINARY.evaluate(r[0], r[1]);
            List<String> set = Conformal.predictionSet(BINARY, q, e);
            String label = Conformal.labelIfCertain(BINARY, q, e);
            assertThat(label).isEqualTo(set.size() == 1 ? set.get(0) : null);
            answered += label == null ? 0 : 1;
        }
        assertThat(answered).as("some rows answered, some abstained").isBetween(1, 299);
    }

    @Example
    void badInputIsAClearError() {
        Calibration c = Conformal.calibrate(LINEAR, Method.SPLIT, regressionRows(new Random(1), 50));
        for (double bad : new double[]{0, 1, -0.5, 2, Double.NaN}) {
            assertThatThrownBy(() -> Conformal.checkAlpha(bad)).hasMessageContaining("alpha must lie strictly between 0 and 1");
            assertThatThrownBy(() -> Conformal.halfWidth(LINEAR, c, bad, "lin")).hasMessageContaining("level must lie strictly between 0 and 1");
        }
        assertThatThrownBy(() -> Conformal.thresholds(LINEAR, c, 0.1, "lin", "PREDICT_SET"))
                .satisfies(e -> assertThat(((AugurException) e).sqlState()).isEqualTo("42809"));
        assertThatThrownBy(() -> Conformal.halfWidth(BINARY, c, 0.9, "bin"))
                .satisfies(e -> assertThat(((AugurException) e).sqlState()).isEqualTo("42809"));
        assertThatThrownBy(() -> Conformal.calibrate(LINEAR, Method.MONDRIAN, regressionRows(new Random(1), 5)))
                .hasMessageContaining("use method split");
        assertThatThrownBy(() -> Conformal.calibrate(BINARY, Method.SPLIT, List.<Object[]>of(new Object[]{1.0, 2.0, 3})))
                .hasMessageContaining("not a class of model 'bin'");
        assertThatThrownBy(() -> Conformal.calibrate(THREE, Method.MONDRIAN, List.<Object[]>of(new Object[]{1.0, 2.0, "mid"})))
                .hasMessageContaining("of class 'high'");
        assertThatThrownBy(() -> Method.fromOptions("{\"method\": \"best\"}")).hasMessageContaining("option method must be split, mondrian, normalized or cqr");
        assertThat(Method.fromOptions(null)).isEqualTo(Method.SPLIT);
        assertThat(Method.fromOptions("{\"method\": \"Mondrian\"}")).isEqualTo(Method.MONDRIAN);
    }
}
