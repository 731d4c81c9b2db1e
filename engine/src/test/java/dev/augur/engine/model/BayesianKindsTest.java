package dev.augur.engine.model;

import dev.augur.engine.AugurException;
import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.calibration.Conformal;
import dev.augur.engine.calibration.Method;
import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.train.TrainingOptions;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Bayesian linear and logistic regression against their closed forms, computed here independently (plain Gauss-Jordan
 * on the normal equations over standardized inputs, not the engine's Cholesky), and the probit correction.
 */
class BayesianKindsTest {
    private static final List<String> INPUTS = List.of("a", "b");

    @Test
    void linearPosteriorIsTheNormalEquationsClosedForm() {
        List<Object[]> rows = linearRows(new Random(3), 40);
        double prior = 2.5;
        Model m = SgdTrainer.train("bl", ModelKind.BAYES_LINEAR, INPUTS, rows, TrainingOptions.fromJson("{\"prior\": 2.5}"), null);
        assertThat(m.kind()).isEqualTo(ModelKind.BAYES_LINEAR);
        assertThat(m.outputs()).as("mean, 3 factor rows, noise").isEqualTo(5);

        Standardized s = Standardized.of(rows, true);
        int k = 3;
        double[][] p = s.gram(null);
        for (int j = 1; j < k; j++) {
            p[j][j] += prior;
        }
        double[] rhs = new double[k];
        for (int i = 0; i < s.n; i++) {
            for (int a = 0; a < k; a++) {
                rhs[a] += s.x[i][a] * s.y[i];
            }
        }
        double[][] pInv = invert(p);
        double[] theta = times(pInv, rhs);
        double rss = 0;
        for (int i = 0; i < s.n; i++) {
            double r = s.y[i] - dot(theta, s.x[i]);
            rss += r * r;
        }
        double sigma2 = rss / (s.n - k);
        for (double[] point : new double[][]{{0.3, -1.2}, {4, 4}, {-2, 0.5}}) {
            double[] xt = s.standardize(point);
            double mean = s.yStd * dot(theta, xt) + s.yMean;
            double variance = sigma2 * (1 + dot(xt, times(pInv, xt)));
            Evaluation e = m.evaluate(point[0], point[1]);
            assertThat(e.score()).isCloseTo(mean, within(1e-9 * (1 + Math.abs(mean))));
            assertThat(e.spread()).isCloseTo(s.yStd * Math.sqrt(variance), within(1e-9));
            double z = Links.normalQuantile(0.95);
            assertThat(e.modelInterval(0.9)).containsExactly(new double[]{e.score() - z * e.spread(), e.score() + z * e.spread()},
                    within(1e-12));
        }
        // far from the data the posterior is wider
        assertThat(m.evaluate(30.0, -30.0).spread()).isGreaterThan(m.evaluate(0.0, 0.0).spread());
        assertThat(ModelCodec.decode(ModelCodec.encode(m))).isEqualTo(m);
        assertThat(ModelJson.fromJson(ModelJson.toJson(m))).isEqualTo(m);
    }

    @Test
    void logisticPosteriorIsTheInverseHessianAtTheMap() {
        Random rnd = new Random(5);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double a = rnd.nextGaussian();
            double b = 3 * rnd.nextGaussian();
            rows.add(new Object[]{a, b, rnd.nextDouble() < Links.sigmoid(1.5 * a - 0.4 * b + 0.3) ? 1 : 0});
        }
        double prior = 1.0;
        Model m = SgdTrainer.train("bg", ModelKind.BAYES_LOGISTIC, INPUTS, rows, TrainingOptions.defaults(), null);
        assertThat(m.outputs()).as("mean, 3 factor rows").isEqualTo(4);
        Standardized s = Standardized.of(rows, false);
        // the mean over standardized inputs: its margins are the model's own
        double[] w = m.weights();
        double[] thetaStd = {m.bias()[0] + w[0] * s.mean[0] + w[1] * s.mean[1], w[0] * s.std[0], w[1] * s.std[1]};
        double[] grad = new double[3];
        double[] weights = new double[s.n];
        for (int i = 0; i < s.n; i++) {
            double pi = Links.sigmoid(dot(thetaStd, s.x[i]));
            weights[i] = pi * (1 - pi);
            for (int a = 0; a < 3; a++) {
                grad[a] += (pi - s.y[i]) * s.x[i][a];
            }
        }
        for (int a = 1; a < 3; a++) {
            grad[a] += prior * thetaStd[a];
        }
        assertThat(grad).as("the MAP: the gradient vanishes").containsExactly(new double[]{0, 0, 0}, within(1e-6));
        double[][] h = s.gram(weights);
        for (int j = 1; j < 3; j++) {
            h[j][j] += prior;
        }
        double[][] cov = invert(h);
        for (double[] point : new double[][]{{0.1, 0.2}, {2, -5}, {-3, 8}}) {
            double[] xt = s.standardize(point);
            double s2 = dot(xt, times(cov, xt));
            double mu = dot(thetaStd, xt);
            Evaluation e = m.evaluate(point[0], point[1]);
            assertThat(e.spread()).as("PREDICT_STDDEV is the margin's deviation").isCloseTo(Math.sqrt(s2), within(1e-7));
            double corrected = Links.sigmoid(mu / Math.sqrt(1 + Math.PI * s2 / 8));
            assertThat(e.probability("1")).isCloseTo(corrected, within(1e-7));
            assertThat(e.probability("0")).isCloseTo(1 - corrected, within(1e-7));
            assertThat(e.score()).isEqualTo(e.probability("1"));
            assertThat(e.label()).isEqualTo(mu >= 0 ? "1" : "0");
            assertThat(Math.abs(corrected - 0.5)).as("the correction pulls toward 1/2").isLessThanOrEqualTo(Math.abs(Links.sigmoid(mu) - 0.5));
        }
    }

    @Property(tries = 300)
    void probitCorrectionIsMonotoneInTheMarginAndShrinksWithTheVariance(
            @ForAll @DoubleRange(min = -30, max = 30) double mu, @ForAll @DoubleRange(min = 0, max = 5) double delta,
            @ForAll @DoubleRange(min = 0, max = 100) double s2, @ForAll @DoubleRange(min = 0, max = 100) double more) {
        assertThat(Links.probitCorrected(mu + delta, s2)).isGreaterThanOrEqualTo(Links.probitCorrected(mu, s2));
        assertThat(Math.abs(Links.probitCorrected(mu, s2 + more) - 0.5)).isLessThanOrEqualTo(Math.abs(Links.probitCorrected(mu, s2) - 0.5));
        assertThat(Links.probitCorrected(mu, 0)).isEqualTo(Links.sigmoid(mu));
    }

    @Test
    void normalQuantileMatchesKnownValues() {
        assertThat(Links.normalQuantile(0.975)).isCloseTo(1.959963984540054, within(1e-8));
        assertThat(Links.normalQuantile(0.95)).isCloseTo(1.6448536269514722, within(1e-8));
        assertThat(Links.normalQuantile(0.5)).isEqualTo(0.0);
        assertThat(Links.normalQuantile(0.001)).isCloseTo(-3.090232306167813, within(1e-8));
        assertThat(Links.normalQuantile(0.3)).isCloseTo(-Links.normalQuantile(0.7), within(1e-12));
    }

    @Test
    void bagOfWordsPosteriorIsDiagonal() {
        List<Object[]> rows = new ArrayList<>();
        Random rnd = new Random(9);
        String[] words = {"cheap", "pills", "meeting", "friday", "offer", "report"};
        for (int i = 0; i < 200; i++) {
            StringBuilder text = new StringBuilder();
            double y = 0;
            for (int w = 0; w < words.length; w++) {
                if (rnd.nextBoolean()) {
                    text.append(words[w]).append(' ');
                    y += w;
                }
            }
            rows.add(new Object[]{text.toString(), y + 0.1 * rnd.nextGaussian()});
        }
        Model m = SgdTrainer.train("bw", ModelKind.BAYES_LINEAR, List.of("body"), rows, TrainingOptions.fromJson("{\"epochs\": 30}"), null);
        assertThat(m.outputs()).as("mean, diagonal, noise").isEqualTo(3);
        Evaluation e = m.evaluate("cheap pills");
        // s² = bias + Σ v_i x_i² over the text's (normalized binary) features, plus σ²
        var x = (dev.augur.engine.features.SparseVector) m.featureVector(new Object[]{"cheap pills"});
        double[] w = m.weights();
        int d = m.dimension();
        double s2 = m.bias()[1];
        for (int j = 0; j < x.size(); j++) {
            s2 += w[d + x.indices()[j]] * x.values()[j] * x.values()[j];
        }
        double sigma = m.bias()[2];
        assertThat(e.spread()).isCloseTo(Math.sqrt(s2 + sigma * sigma), within(1e-12));
        assertThat(e.spread()).isGreaterThan(sigma);
        assertThat(ModelJson.fromJson(ModelJson.toJson(m))).isEqualTo(m);
        assertThat(ModelCodec.decode(ModelCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void normalizedCalibrationScalesByThePosteriorDeviation() {
        List<Object[]> rows = linearRows(new Random(11), 400);
        Model m = SgdTrainer.train("bl", ModelKind.BAYES_LINEAR, INPUTS, rows, TrainingOptions.defaults(), null);
        Calibration c = Conformal.calibrate(m, Method.NORMALIZED, linearRows(new Random(12), 300));
        assertThat(c.method()).isEqualTo(Method.NORMALIZED);
        Evaluation e = m.evaluate(1.0, 1.0);
        double q = Conformal.halfWidth(m, c, 0.9, "'bl' version 1");
        double[] interval = Conformal.interval(c, q, e);
        assertThat(interval[1] - e.score()).isCloseTo(q * (e.spread() + c.spreadOffset()), within(1e-12));
    }

    @Test
    void badOptionsAndKindsAreClearErrors() {
        List<Object[]> rows = linearRows(new Random(1), 30);
        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LINEAR, INPUTS, rows, TrainingOptions.fromJson("{\"prior\": 2}"), null),
                "22023", "option prior is the prior precision of a Bayesian kind (bayes_linear, bayes_logistic)");
        assertInvalid(() -> TrainingOptions.fromJson("{\"prior\": 0}"), "22023", "option prior");
        assertInvalid(() -> TrainingOptions.fromJson("{\"level\": 1}"), "22023", "option level");
        Model linear = Model.of("one", ModelKind.LINEAR, new dev.augur.engine.features.DenseFeatures(INPUTS), List.of(),
                new double[2], new double[1]);
        assertInvalid(() -> linear.evaluate(1.0, 2.0).spread(), "22023", "bagged or Bayesian kind (bagged_linear, bagged_logistic,"
                + " bagged_svm, bayes_linear, bayes_logistic)");
        assertInvalid(() -> Conformal.checkModelInterval(linear, 3, 0.9), "55000", "is not calibrated");
        Model bayes = SgdTrainer.train("b", ModelKind.BAYES_LINEAR, INPUTS, rows, TrainingOptions.defaults(), null);
        assertInvalid(() -> Conformal.checkModelInterval(bayes, 1, 1.5), "22023", "level must lie strictly between 0 and 1");
        Model classifier = Model.of("c", ModelKind.BAYES_LOGISTIC, new dev.augur.engine.features.DenseFeatures(INPUTS), List.of("0", "1"),
                new double[8], new double[4]);
        assertInvalid(() -> Conformal.checkModelInterval(classifier, 1, 0.9), "42809", "PREDICT_INTERVAL is for regressors");
        assertInvalid(() -> Model.of("n", ModelKind.BAYES_LINEAR, new dev.augur.engine.features.DenseFeatures(List.of("a")), List.of(),
                new double[]{1, 0, 0, 2}, new double[]{0, 0, 0, 1}), "22023", "noise row");
    }

    static List<Object[]> linearRows(Random rnd, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian();
            double b = 2 * rnd.nextGaussian() + 1;
            rows.add(new Object[]{a, b, 3 * a - b + 2 + 0.7 * rnd.nextGaussian()});
        }
        return rows;
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String state, String words) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AugurException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(state);
            assertThat(e.getMessage()).contains(words);
        });
    }

    /** Two inputs standardized as the trainer does (population deviation), with the intercept column first. */
    private record Standardized(int n, double[][] x, double[] y, double[] mean, double[] std, double yMean, double yStd) {
        static Standardized of(List<Object[]> rows, boolean regression) {
            int n = rows.size();
            double[] mean = new double[2];
            double[] std = new double[2];
            double ym = 0;
            for (Object[] r : rows) {
                for (int j = 0; j < 2; j++) {
                    mean[j] += ((Number) r[j]).doubleValue() / n;
                }
                ym += ((Number) r[2]).doubleValue() / n;
            }
            double ys = 0;
            for (Object[] r : rows) {
                for (int j = 0; j < 2; j++) {
                    std[j] += Math.pow(((Number) r[j]).doubleValue() - mean[j], 2) / n;
                }
                ys += Math.pow(((Number) r[2]).doubleValue() - ym, 2) / n;
            }
            std[0] = Math.sqrt(std[0]);
            std[1] = Math.sqrt(std[1]);
            ys = regression ? Math.sqrt(ys) : 1;
            ym = regression ? ym : 0;
            double[][] x = new double[n][];
            double[] y = new double[n];
            Standardized s = new Standardized(n, x, y, mean, std, ym, ys);
            for (int i = 0; i < n; i++) {
                Object[] r = rows.get(i);
                x[i] = s.standardize(new double[]{((Number) r[0]).doubleValue(), ((Number) r[1]).doubleValue()});
                y[i] = (((Number) r[2]).doubleValue() - ym) / ys;
            }
            return s;
        }

        double[] standardize(double[] raw) {
            return new double[]{1, (raw[0] - mean[0]) / std[0], (raw[1] - mean[1]) / std[1]};
        }

        double[][] gram(double[] weights) {
            double[][] g = new double[3][3];
            for (int i = 0; i < n; i++) {
                double wi = weights == null ? 1 : weights[i];
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        g[a][b] += wi * x[i][a] * x[i][b];
                    }
                }
            }
            return g;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = dot(m[i], v);
        }
        return out;
    }

    /** Gauss-Jordan with partial pivoting. */
    private static double[][] invert(double[][] a) {
        int k = a.length;
        double[][] m = new double[k][2 * k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(a[i], 0, m[i], 0, k);
            m[i][k + i] = 1;
        }
        for (int c = 0; c < k; c++) {
            int pivot = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            double p = m[c][c];
            for (int j = 0; j < 2 * k; j++) {
                m[c][j] /= p;
            }
            for (int r = 0; r < k; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * k; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[k][k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(m[i], k, inv[i], 0, k);
        }
        return inv;
    }
}
