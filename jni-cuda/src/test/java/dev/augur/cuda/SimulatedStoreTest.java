package dev.augur.cuda;

import dev.augur.engine.AugurException;
import dev.augur.cuda.DeviceFeatureStore.Band;
import dev.augur.cuda.DeviceFeatureStore.Link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The feature store's host logic on the simulated device, against CpuScorer on the same float32 features. */
class SimulatedStoreTest {
    private final SplittableRandom random = new SplittableRandom(20261127);

    private static ResidentStore tinyStore(Device device, int dim) {
        return ResidentStore.open(device, dim, 2, Fixtures.tinyStaging());
    }

    /** Dims cover every kernel family: g = 1..32 with k = 1, k = 2, 4, 8, and the looping kernel (ld > 1024). */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 5, 8, 13, 31, 32, 33, 100, 128, 129, 255, 256, 257, 512, 513, 1024, 1030})
    void appendsInChunksGrowsAndRescoresEveryRowLikeTheCpu(int dim) {
        var device = new RecordingDevice(new SimulatedDevice(Long.MAX_VALUE));
        try (ResidentStore store = tinyStore(device, dim)) {
            int total = 0;
            double[] all = new double[0];
            for (int count : new int[] {1, 7, 0, 40}) {
                double[] x = Fixtures.rows(random, count, dim);
                assertThat(store.append(x, count)).isEqualTo(total);
                total += count;
                all = concat(all, x);
            }
            assertThat(store.rows()).isEqualTo(48);
            assertThat(store.capacityRows()).isGreaterThanOrEqualTo(48);
            assertThat(device.reserves).as("growth by half or to what is needed").containsExactly(8L, 48L);
            int stagingRows = Fixtures.tinyStaging().rowsFor(Packing.stride(dim));
            assertThat(device.uploads).allSatisfy(n -> assertThat(n).isBetween(1, stagingRows));

            for (int outputs : new int[] {1, 3}) {
                double[] w = Fixtures.gaussians(random, outputs * dim);
                double[] b = Fixtures.gaussians(random, outputs);
                double[] expected = Fixtures.cpuMargins(all, total, dim, w, b);
                double[] scales = Fixtures.scales(all, total, dim, w, b);
                for (Link link : Link.values()) {
                    Band band = store.rescoreAll(w, b, link);
                    assertThat(band.ids()).containsExactly(IntStream.range(0, total).toArray());
                    assertThat(band.outputs()).isEqualTo(outputs);
                    Fixtures.assertMargins(band.margins(), expected, scales);
                    Fixtures.assertScores(band.scores(), Fixtures.scores(band.margins(), outputs, link), scales);
                    if (link == Link.IDENTITY) {
                        assertThat(band.scores()).isSameAs(band.margins());
                    }
                }
            }
        }
        assertThat(device.allocatedBytes()).isZero();
    }

    @Test
    void aBandIsScoredInTheGivenOrderWithLongRunsAsRanges() {
        int dim = 6;
        var device = new RecordingDevice(new SimulatedDevice(Long.MAX_VALUE));
        var staging = new ResidentStore.Staging(1 << 16, 100, 4000);
        try (ResidentStore store = ResidentStore.open(device, dim, 16, staging)) {
            double[] x = Fixtures.rows(random, 5000, dim);
            store.append(x, 5000);
            // scattered ids, a run of 1,500 (a range), a short run (ids), then more scattered ids
            int[] ids = IntStream.concat(IntStream.concat(IntStream.of(4999, 17, 3, 3),
                            IntStream.range(2000, 3500)), IntStream.concat(IntStream.range(10, 30), IntStream.of(0, 4998, 1)))
                    .toArray();
            double[] w = Fixtures.gaussians(random, dim);
            double[] b = {0.25};
            device.scoreCalls.clear();
            Band band = store.rescore(ids, w, b, Link.LOGISTIC);

            double[] expected = Fixtures.cpuMargins(x, 5000, dim, w, b);
            double[] scales = Fixtures.scales(x, 5000, dim, w, b);
            double[] want = Arrays.stream(ids).mapToDouble(id -> expected[id]).toArray();
            double[] wantScales = Arrays.stream(ids).mapToDouble(id -> scales[id]).toArray();
            assertThat(band.ids()).containsExactly(ids);
            Fixtures.assertMargins(band.margins(), want, wantScales);
            for (int i = 0; i < ids.length; i++) {
                assertThat(band.score(i)).isEqualTo(KernelEmulator.logistic(band.margin(i)));
            }
            assertThat(device.scoreCalls).extracting(RecordingDevice.ScoreCall::byIds, RecordingDevice.ScoreCall::count,
                            RecordingDevice.ScoreCall::firstRow)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(true, 4, 0L),
                            org.assertj.core.groups.Tuple.tuple(false, 1500, 2000L),
                            org.assertj.core.groups.Tuple.tuple(true, 23, 0L));
            assertThat(store.bandMargins(ids, w, 0.25)).containsExactly(band.margins());
        }
    }

    @Test
    void replacedRowsAreWhatLaterScoresSee() {
        int dim = 9;
        try (ResidentStore store = tinyStore(new SimulatedDevice(Long.MAX_VALUE), dim)) {
            double[] x = Fixtures.rows(random, 30, dim);
            store.append(x, 30);
            double[] range = Fixtures.rows(random, 11, dim);
            store.replace(4, range, 11);
            System.arraycopy(range, 0, x, 4 * dim, 11 * dim);
            int[] ids = {29, 0, 17, 3, 16};
            double[] scattered = Fixtures.rows(random, ids.length, dim);
            store.replace(ids, scattered);
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(scattered, i * dim, x, ids[i] * dim, dim);
            }
            double[] w = Fixtures.gaussians(random, dim);
            double[] b = {-1};
            Fixtures.assertMargins(store.rescoreAll(w, b, Link.IDENTITY).margins(), Fixtures.cpuMargins(x, 30, dim, w, b),
                    Fixtures.scales(x, 30, dim, w, b));
        }
    }

    @Test
    void everyOutputIsWrittenExactlyOnce() {
        var device = new SimulatedDevice(Long.MAX_VALUE);
        device.countWrites(true);
        device.setPoison(true);
        for (int dim : new int[] {2, 8, 40, 300, 1100}) {
            try (ResidentStore store = ResidentStore.open(device, dim, 8, new ResidentStore.Staging(1 << 20, 1 << 10, 1 << 14))) {
                store.append(Fixtures.rows(random, 777, dim), 777);
                double[] w = Fixtures.gaussians(random, 3 * dim);
                Band band = store.rescoreAll(w, new double[] {1, 2, 3}, Link.SOFTMAX);
                // margins and scores of the last call: each of the 777 x 3 outputs written twice (margin, score), once each
                assertThat(device.lastWrites()).hasSize(777 * 3).containsOnly(2);
                assertThat(band.margins()).doesNotContain(Double.NaN);
                assertThat(band.scores()).doesNotContain(Double.NaN);
            }
        }
    }

    @Test
    void deviceMemoryIsAccountedAndReturnsToZeroOverManyCycles() {
        var device = new SimulatedDevice(Long.MAX_VALUE);
        var staging = Fixtures.tinyStaging();
        for (int cycle = 0; cycle < 1000; cycle++) {
            int dim = 1 + cycle % 37;
            try (ResidentStore store = ResidentStore.open(device, dim, 2, staging)) {
                store.append(Fixtures.rows(random, 5, dim), 5);
                int ld = Packing.stride(dim);
                long stagingBytes = (long) staging.rowsFor(ld) * ld * 4 + staging.ids() * 4L + staging.results() * 8L;
                assertThat(store.deviceBytes()).isEqualTo(5L * ld * 4 + stagingBytes); // capacity 2 grew to 5
                store.rescoreAll(Fixtures.gaussians(random, 2 * dim), new double[] {0, 1}, Link.LOGISTIC);
                assertThat(store.deviceBytes()).isEqualTo(5L * ld * 4 + stagingBytes + 2L * ld * 8 + 2 * 8);
                assertThat(device.allocatedBytes()).isEqualTo(store.deviceBytes());
            }
            assertThat(device.allocatedBytes()).isZero();
        }
    }

    @Test
    void growthFallsBackToTheExactSizeWhenTheGenerousOneDoesNotFit() {
        int dim = 4; // 16 bytes per row
        var staging = new ResidentStore.Staging(16, 1, 2);
        long stagingBytes = 16 + 4 + 16;
        var device = new RecordingDevice(new SimulatedDevice(stagingBytes + 16 * (100 + 150) - 1));
        try (ResidentStore store = ResidentStore.open(device, dim, 100, staging)) {
            store.append(Fixtures.rows(random, 100, dim), 100);
            store.append(Fixtures.rows(random, 1, dim), 1); // 150 rows do not fit beside the 100 being copied; 101 do
            assertThat(device.reserves).containsExactly(150L, 101L);
            assertThat(store.capacityRows()).isEqualTo(101);
            assertThatThrownBy(() -> store.append(Fixtures.rows(random, 100, dim), 100))
                    .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("58000"))
                    .hasMessageContaining("CUDA error in cudaMalloc (feature rows (growing)")
                    .hasMessageContaining("cudaErrorMemoryAllocation: out of memory");
            assertThat(store.rows()).isEqualTo(101);
            double[] w = {1, 2, 3, 4};
            assertThat(store.rescoreAll(w, new double[] {0}, Link.IDENTITY).size()).isEqualTo(101);
        }
        assertThat(device.allocatedBytes()).isZero();
    }

    @Test
    void aKernelFailureIsAnAugurExceptionWithTheCudaTextAndTheStoreStaysUsable() {
        var device = new SimulatedDevice(Long.MAX_VALUE);
        try (ResidentStore store = tinyStore(device, 3)) {
            store.append(Fixtures.rows(random, 10, 3), 10);
            device.failNextKernel("cudaErrorLaunchFailure", "unspecified launch failure");
            assertThatThrownBy(() -> store.rescoreAll(new double[] {1, 1, 1}, new double[] {0}, Link.IDENTITY))
                    .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("58000"))
                    .hasMessage("CUDA error in cudaStreamSynchronize (dense scoring): cudaErrorLaunchFailure: unspecified launch failure");
            assertThat(store.rescoreAll(new double[] {1, 1, 1}, new double[] {0}, Link.IDENTITY).size()).isEqualTo(10);
        }
    }

    @Test
    void aFeatureBeyondFloat32IsRefusedAndNothingIsAppended() {
        try (ResidentStore store = tinyStore(new SimulatedDevice(Long.MAX_VALUE), 2)) {
            store.append(new double[] {1, 2}, 1);
            double[] x = {1, 2, 3, 4, 5, 1e39};
            assertThatThrownBy(() -> store.append(x, 3))
                    .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"))
                    .hasMessageContaining("feature value 1.0E39 at row 3, column 1 does not fit in float32");
            assertThat(store.rows()).isEqualTo(1);
            store.append(new double[] {Double.NaN, Double.POSITIVE_INFINITY}, 1); // NaN and infinities are kept as they are
            Band band = store.rescoreAll(new double[] {1, 0}, new double[] {0}, Link.IDENTITY);
            assertThat(band.margins()).containsExactly(1.0, Double.NaN);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheShapesInTheMessage() {
        try (ResidentStore store = tinyStore(new SimulatedDevice(Long.MAX_VALUE), 3)) {
            store.append(new double[9], 3);
            assertThatThrownBy(() -> store.rescore(new int[] {0, 3}, new double[3], new double[1], Link.IDENTITY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("row id 3 at position 1 is outside the store's 3 rows");
            assertThatThrownBy(() -> store.rescore(new int[] {-1}, new double[3], new double[1], Link.IDENTITY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row id -1");
            assertThatThrownBy(() -> store.rescoreAll(new double[4], new double[1], Link.IDENTITY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("weights have 4 values, a 1 x 3 map needs 3");
            assertThatThrownBy(() -> store.rescoreAll(new double[0], new double[0], Link.IDENTITY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one output");
            assertThatThrownBy(() -> store.replace(new int[] {1, 1}, new double[6]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("row id 1 appears twice (again at position 1)");
            assertThatThrownBy(() -> store.replace(2, new double[6], 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("rows 2..4 are outside the store's 3 rows");
            assertThatThrownBy(() -> store.append(new double[5], 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("values have 5 entries, 2 rows x 3 dims need 6");
            assertThat(store.rescore(new int[0], new double[3], new double[1], Link.LOGISTIC).size()).isZero();
        }
    }

    @Test
    void aClosedStoreRefusesWorkAndClosingTwiceIsHarmless() {
        var device = new SimulatedDevice(Long.MAX_VALUE);
        ResidentStore store = tinyStore(device, 2);
        store.append(new double[] {1, 2}, 1);
        store.close();
        store.close();
        assertThat(device.allocatedBytes()).isZero();
        assertThat(store.deviceBytes()).isZero();
        assertThatThrownBy(() -> store.append(new double[] {1, 2}, 1))
                .isInstanceOf(IllegalStateException.class).hasMessage("the device feature store is closed");
        assertThatThrownBy(() -> store.rescoreAll(new double[2], new double[1], Link.IDENTITY))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void thePublicFactoryFallsBackToTheSimulatedDeviceWhereThereIsNoGpu() {
        try (DeviceFeatureStore store = DeviceFeatureStore.create(5)) {
            assertThat(store.backend()).isEqualTo(NativeLibrary.status().ready() ? "cuda" : "simulated");
            store.append(new double[] {1, 2, 3, 4, 5}, 1);
            assertThat(store.bandMargins(new int[] {0}, new double[] {1, 1, 1, 1, 1}, 0.5)).containsExactly(15.5);
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
