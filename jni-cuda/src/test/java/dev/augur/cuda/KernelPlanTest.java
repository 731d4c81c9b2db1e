package dev.augur.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launch plans and their replay: coverage of every output for any grid, and the CPU's margins. */
class KernelPlanTest {
    private final SplittableRandom random = new SplittableRandom(7);

    @ParameterizedTest
    @CsvSource({
            // dim, g, k, u
            "1, 1, 1, 4", "4, 1, 1, 4", "5, 2, 1, 4", "8, 2, 1, 4", "9, 4, 1, 4", "16, 4, 1, 4", "17, 2, 4, 1",
            "32, 2, 4, 1", "33, 4, 4, 1", "64, 4, 4, 1", "65, 8, 4, 1", "128, 8, 4, 1", "129, 16, 4, 1",
            "256, 16, 4, 1", "257, 32, 4, 1", "512, 32, 4, 1", "513, 32, 8, 1",
            "1024, 32, 8, 1", "1025, 32, 0, 1", "100000, 32, 0, 1"})
    void denseRowsGetLanesByLength(int dim, int g, int k, int u) {
        KernelPlan plan = KernelPlan.dense(Packing.stride(dim), 1_000_000, 132, 3, false);
        assertThat(plan).isEqualTo(new KernelPlan(g, k, u, plan.blocks()));
        assertThat(plan.blocks()).as("one full wave").isEqualTo(132 * 3);
        KernelPlan deep = KernelPlan.dense(Packing.stride(dim), 1_000_000, 132, 3, true);
        assertThat(deep.u()).isEqualTo(k == 0 ? 1 : 2 * u);
    }

    @Test
    void smallBatchesGetOnlyTheBlocksTheyFill() {
        assertThat(KernelPlan.dense(8, 1, 132, 3, false).blocks()).isEqualTo(1);
        // d = 32: 16 rows per warp step (2 lanes a row) x 1 step = 16 rows per tile; 8 warps per block → 128 rows per block
        assertThat(KernelPlan.dense(32, 128 * 10, 132, 3, false).blocks()).isEqualTo(10);
        assertThat(KernelPlan.dense(32, 128 * 10 + 1, 132, 3, false).blocks()).isEqualTo(11);
        assertThat(KernelPlan.dense(32, 0, 132, 3, false).blocks()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"0, 0, 1", "10, 5, 1", "10, 10, 1", "10, 39, 2", "4000000, 80000000, 16", "10, 10000, 32", "1, 31, 16"})
    void sparseRowsGetLanesByAverageLength(long rows, long nnz, int g) {
        assertThat(KernelPlan.sparse(rows, nnz, 132, 4).g()).isEqualTo(g);
    }

    @Test
    void plansOutsideTheKernelsAreRefused() {
        assertThatThrownBy(() -> new KernelPlan(3, 1, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KernelPlan(64, 1, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KernelPlan(32, 1, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelPlan.dense(6, 1, 1, 1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Any grid, from one block (every warp walks many tiles) to more warps than tiles, writes each output once. */
    @Test
    void everyDenseOutputIsWrittenOnceForAnyGridAndAnyRowSource() {
        for (int dim : new int[] {1, 6, 12, 30, 64, 200, 600, 1040}) {
            int ld = Packing.stride(dim);
            for (int n : new int[] {1, 31, 64, 65, 1000}) {
                float[] x = floats(n * 2 * ld);
                int[] ids = random.ints(n, 0, 2 * n).toArray();
                for (boolean deep : new boolean[] {false, true}) {
                    KernelPlan shape = KernelPlan.dense(ld, n, 1, 1, deep);
                    for (int blocks : new int[] {1, 2, 5, 1000}) {
                        KernelPlan plan = new KernelPlan(shape.g(), shape.k(), shape.u(), blocks);
                        for (int[] rowIds : new int[][] {null, ids}) {
                            int outputs = 1 + n % 3;
                            int[] writes = new int[n * outputs];
                            double[] margins = new double[n * outputs];
                            double[] scores = new double[n * outputs];
                            KernelEmulator.dense(plan, x, ld, rowIds, n / 2, n, new double[outputs * ld], new double[outputs],
                                    outputs, KernelEmulator.SOFTMAX, margins, scores, writes);
                            assertThat(writes).as("dim %d, n %d, plan %s", dim, n, plan).containsOnly(2);
                        }
                    }
                }
            }
        }
    }

    @Test
    void everySparseOutputIsWrittenOnceForAnyGrid() {
        for (int rows : new int[] {1, 33, 500}) {
            int[] rowPtr = new int[rows + 1];
            for (int r = 0; r < rows; r++) {
                rowPtr[r + 1] = rowPtr[r] + random.nextInt(0, 70);
            }
            int nnz = rowPtr[rows];
            int[] cols = random.ints(nnz, 0, 50).toArray();
            float[] vals = floats(nnz);
            for (int g : new int[] {1, 2, 4, 8, 16, 32}) {
                for (int blocks : new int[] {1, 3, 400}) {
                    int[] writes = new int[rows];
                    KernelEmulator.sparse(new KernelPlan(g, 0, 1, blocks), rowPtr, cols, vals, rows, 50, new double[50],
                            new double[1], 1, KernelEmulator.LOGISTIC, new double[rows], new double[rows], writes);
                    assertThat(writes).containsOnly(2);
                }
            }
        }
    }

    /** After the xor butterfly every lane holds bitwise the same total (what lets any lane write it). */
    @Test
    void theButterflyLeavesTheSameBitsInEveryLane() {
        for (int g = 1; g <= 32; g *= 2) {
            for (int trial = 0; trial < 200; trial++) {
                double[] lanes = new double[g];
                for (int i = 0; i < g; i++) {
                    lanes[i] = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-8, 8));
                }
                double total = KernelEmulator.groupSum(lanes, new double[g], g);
                for (double lane : lanes) {
                    assertThat(Double.doubleToRawLongBits(lane)).isEqualTo(Double.doubleToRawLongBits(total));
                }
            }
        }
    }

    private float[] floats(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) random.nextDouble(-1, 1);
        }
        return f;
    }
}
