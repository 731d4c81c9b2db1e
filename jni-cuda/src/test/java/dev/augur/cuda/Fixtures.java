package dev.augur.cuda;

import dev.augur.engine.CpuScorer;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Random inputs and the CPU reference: {@link CpuScorer} (float64) on the float32-rounded features the device holds. */
final class Fixtures {
    private Fixtures() {
    }

    /** Rows of features: mostly in [-2, 2), some zeros, some large, some tiny. */
    static double[] rows(SplittableRandom r, int rows, int dim) {
        double[] x = new double[rows * dim];
        for (int i = 0; i < x.length; i++) {
            int kind = r.nextInt(20);
            x[i] = kind == 0 ? 0.0 : kind == 1 ? r.nextDouble(-1e4, 1e4) : kind == 2 ? r.nextDouble(-1e-4, 1e-4) : r.nextDouble(-2, 2);
        }
        return x;
    }

    static double[] gaussians(SplittableRandom r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller: SplittableRandom has no nextGaussian on Java 17
            w[i] = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        }
        return w;
    }

    static double[] floatRounded(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    /** CpuScorer's margins on the float32-rounded rows. */
    static double[] cpuMargins(double[] x, int rows, int dim, double[] w, double[] b) {
        double[] out = new double[rows * b.length];
        CpuScorer.INSTANCE.denseMargins(floatRounded(x), rows, dim, w, b, b.length, out);
        return out;
    }

    /** Σ|w_i x_i| + |b| per (row, output): the scale float64 rounding errors are relative to. */
    static double[] scales(double[] x, int rows, int dim, double[] w, double[] b) {
        int outputs = b.length;
        double[] s = new double[rows * outputs];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputs; o++) {
                double sum = Math.abs(b[o]);
                for (int i = 0; i < dim; i++) {
                    sum += Math.abs(w[o * dim + i] * (float) x[r * dim + i]);
                }
                s[r * outputs + o] = sum;
            }
        }
        return s;
    }

    /** Margins equal the reference up to float64 reassociation: 1e-12 of each sum's scale. */
    static void assertMargins(double[] got, double[] expected, double[] scales) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            double tolerance = 1e-12 * Math.max(scales[i], Double.MIN_NORMAL);
            if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
                throw new AssertionError("output " + i + ": got " + got[i] + ", expected " + expected[i] + " (scale " + scales[i] + ")");
            }
        }
    }

    /** The scores a link gives these margins, computed independently of the kernels. */
    static double[] scores(double[] margins, int outputs, DeviceFeatureStore.Link link) {
        double[] s = new double[margins.length];
        for (int at = 0; at < margins.length; at += outputs) {
            switch (link) {
                case IDENTITY -> System.arraycopy(margins, at, s, at, outputs);
                case LOGISTIC -> {
                    for (int o = 0; o < outputs; o++) {
                        s[at + o] = 1 / (1 + Math.exp(-margins[at + o]));
                    }
                }
                case SOFTMAX -> {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int o = 0; o < outputs; o++) {
                        max = Math.max(max, margins[at + o]);
                    }
                    double sum = 0;
                    for (int o = 0; o < outputs; o++) {
                        sum += Math.exp(margins[at + o] - max);
                    }
                    for (int o = 0; o < outputs; o++) {
                        s[at + o] = Math.exp(margins[at + o] - max) / sum;
                    }
                }
            }
        }
        return s;
    }

    /** Scores within 1e-12 relative (they are in [0, 1] for logistic and softmax; margins for the identity). */
    static void assertScores(double[] got, double[] expected, double[] scales) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            double tolerance = 1e-12 * Math.max(1.0, Math.max(Math.abs(expected[i]), scales[i]));
            if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
                throw new AssertionError("score " + i + ": got " + got[i] + ", expected " + expected[i]);
            }
        }
    }

    /** A small staging so that every call is split into several batches. */
    static ResidentStore.Staging tinyStaging() {
        return new ResidentStore.Staging(100, 5, 12);
    }
}
