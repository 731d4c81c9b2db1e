package dev.augur.cuda;

import dev.augur.engine.CpuScorer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CudaScorer's host side (chunking, CSR slicing, CPU fallback) on the simulated device, against CpuScorer. */
class CudaScorerTest {
    private final SplittableRandom random = new SplittableRandom(99);

    @Test
    void denseBatchesMatchTheCpuAcrossChunks() {
        // 300 bytes per chunk: a few rows each, so every batch is split
        CudaScorer scorer = new CudaScorer(new SimulatedDevice(Long.MAX_VALUE), Fixtures.tinyStaging(), 300, 1 << 20);
        for (int dim : new int[] {1, 7, 16, 45, 300}) {
            for (int outputs : new int[] {1, 4}) {
                int rows = 1 + random.nextInt(60);
                double[] x = Fixtures.rows(random, rows, dim);
                double[] w = Fixtures.gaussians(random, outputs * dim);
                double[] b = Fixtures.gaussians(random, outputs);
                double[] out = new double[rows * outputs + 3];
                out[rows * outputs] = 42; // beyond the batch: untouched
                scorer.denseMargins(x, rows, dim, w, b, outputs, out);
                double[] got = java.util.Arrays.copyOf(out, rows * outputs);
                Fixtures.assertMargins(got, Fixtures.cpuMargins(x, rows, dim, w, b), Fixtures.scales(x, rows, dim, w, b));
                assertThat(out[rows * outputs]).isEqualTo(42);
            }
        }
    }

    @Test
    void sparseBatchesMatchTheCpuAcrossChunksIncludingEmptyAndLongRows() {
        CudaScorer scorer = new CudaScorer(new SimulatedDevice(Long.MAX_VALUE), Fixtures.tinyStaging(), 300, 50);
        int dim = 200;
        for (int outputs : new int[] {1, 3}) {
            int rows = 40;
            int[] rowPtr = new int[rows + 2];
            rowPtr[0] = 5; // a slice of a larger matrix: pointers need not start at 0
            for (int r = 0; r <= rows; r++) {
                int len = r % 7 == 0 ? 0 : r % 5 == 0 ? 80 : random.nextInt(1, 25); // empty, longer than a warp, typical
                rowPtr[r + 1] = rowPtr[r] + len;
            }
            int nnz = rowPtr[rows + 1];
            int[] cols = random.ints(nnz, 0, dim).toArray();
            double[] vals = random.doubles(nnz, -3, 3).toArray();
            double[] w = Fixtures.gaussians(random, outputs * dim);
            double[] b = Fixtures.gaussians(random, outputs);
            double[] got = new double[rows * outputs];
            scorer.sparseMargins(rowPtr, cols, vals, rows, dim, w, b, outputs, got);
            double[] expected = new double[rows * outputs];
            CpuScorer.INSTANCE.sparseMargins(rowPtr, cols, Fixtures.floatRounded(vals), rows, dim, w, b, outputs, expected);
            double[] scales = new double[rows * outputs];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < outputs; o++) {
                    double s = Math.abs(b[o]);
                    for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
                        s += Math.abs(w[o * dim + cols[j]] * (float) vals[j]);
                    }
                    scales[r * outputs + o] = s;
                }
            }
            Fixtures.assertMargins(got, expected, scales);
        }
    }

    @Test
    void sparseChunksEndWhereTheValuesFillThemButAlwaysTakeARow() {
        CudaScorer scorer = new CudaScorer(new SimulatedDevice(Long.MAX_VALUE), Fixtures.tinyStaging(), 300, 10);
        int[] rowPtr = {0, 4, 8, 30, 31, 41};
        assertThat(scorer.sparseChunkEnd(rowPtr, 0, 5)).isEqualTo(2);
        assertThat(scorer.sparseChunkEnd(rowPtr, 2, 5)).as("a row longer than a chunk goes alone").isEqualTo(3);
        assertThat(scorer.sparseChunkEnd(rowPtr, 3, 5)).as("1 + 10 values exceed 10").isEqualTo(4);
        assertThat(scorer.sparseChunkEnd(rowPtr, 4, 5)).isEqualTo(5);
    }

    @Test
    void aDeviceFailureFallsBackToTheCpu() {
        SimulatedDevice device = new SimulatedDevice(Long.MAX_VALUE);
        CudaScorer scorer = new CudaScorer(device, Fixtures.tinyStaging(), 1 << 20, 1 << 20);
        double[] x = Fixtures.rows(random, 20, 3);
        double[] w = {0.5, -1, 2};
        double[] b = {0.125};
        double[] cpu = new double[20];
        CpuScorer.INSTANCE.denseMargins(x, 20, 3, w, b, 1, cpu);

        device.failNextKernel("cudaErrorIllegalAddress", "an illegal memory access was encountered");
        double[] got = new double[20];
        scorer.denseMargins(x, 20, 3, w, b, 1, got);
        assertThat(got).as("computed by the CPU on the float64 features").containsExactly(cpu);

        double[] huge = x.clone();
        huge[7] = 1e300;
        double[] cpuHuge = new double[20];
        CpuScorer.INSTANCE.denseMargins(huge, 20, 3, w, b, 1, cpuHuge);
        scorer.denseMargins(huge, 20, 3, w, b, 1, got);
        assertThat(got).as("a value beyond float32 is scored on the CPU").containsExactly(cpuHuge);
        assertThat(device.allocatedBytes()).isZero();

        device.failNextKernel("cudaErrorIllegalAddress", "an illegal memory access was encountered");
        int[] rowPtr = {0, 2, 3};
        int[] cols = {0, 2, 1};
        double[] vals = {1, 2, 3};
        double[] sparseCpu = new double[2];
        CpuScorer.INSTANCE.sparseMargins(rowPtr, cols, vals, 2, 3, w, b, 1, sparseCpu);
        double[] sparseGot = new double[2];
        scorer.sparseMargins(rowPtr, cols, vals, 2, 3, w, b, 1, sparseGot);
        assertThat(sparseGot).containsExactly(sparseCpu);
        assertThat(device.allocatedBytes()).isZero();
    }

    @Test
    void shapesAreCheckedLikeTheCpuScorer() {
        CudaScorer scorer = new CudaScorer(new SimulatedDevice(Long.MAX_VALUE));
        assertThatThrownBy(() -> scorer.denseMargins(new double[5], 2, 3, new double[3], new double[1], 1, new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x has 5 values, 2 rows x 3 dims need 6");
        assertThatThrownBy(() -> scorer.denseMargins(new double[6], 2, 3, new double[4], new double[1], 1, new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weights have 4 values, a 1 x 3 map needs 3");
        assertThatThrownBy(() -> scorer.sparseMargins(new int[] {0, 1}, new int[] {3}, new double[] {1}, 1, 3, new double[3],
                new double[1], 1, new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("row 0 has feature index 3, outside 0..2");
        double[] out = {7};
        scorer.denseMargins(new double[0], 0, 3, new double[3], new double[1], 1, out);
        assertThat(out).containsExactly(7);
        assertThat(scorer.name()).isEqualTo("cuda");
    }
}
