package dev.augur.cuda;

import dev.augur.cuda.DeviceFeatureStore.EnsembleBand;
import dev.augur.cuda.DeviceFeatureStore.Link;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bagged ensemble scored over resident rows in one pass (kernels.cuh's members links), on the simulated device: each
 * row's mean and spread must be the engine's ({@link Model#viewValues} of a bagged model, on the margins CpuScorer gives
 * for the same float32 features), whatever the row width (every kernel family), the number of members (fewer and more
 * than a row's lanes) and the batching.
 */
class EnsembleStoreTest {
    private final SplittableRandom random = new SplittableRandom(20261203);

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 13, 50, 128, 300, 1030})
    void meanAndSpreadOfEveryRowAreTheEnginesBaggedEnsemble(int dim) {
        var device = new SimulatedDevice(Long.MAX_VALUE);
        device.countWrites(true);
        try (ResidentStore store = ResidentStore.open(device, dim, 2, Fixtures.tinyStaging())) {
            int rows = 23;
            double[] x = Fixtures.rows(random, rows, dim);
            store.append(x, rows);
            for (int members : new int[] {2, 3, 5, 20, 64}) {
                double[] w = Fixtures.gaussians(random, members * dim);
                double[] b = Fixtures.gaussians(random, members);
                for (Link link : new Link[] {Link.IDENTITY, Link.LOGISTIC}) {
                    EnsembleBand band = store.rescoreAllEnsemble(w, b, link);
                    assertThat(band.ids()).containsExactly(IntStream.range(0, rows).toArray());
                    assertThat(device.lastWrites()).as("mean and spread written once per position of the last batch")
                            .containsOnly(1);
                    assertEngines(band, x, dim, w, b, link);
                }
            }
        }
    }

    @Test
    void aBandOfIdsInAnyOrderComesBackInThatOrder() {
        int dim = 20;
        var device = new SimulatedDevice(Long.MAX_VALUE);
        try (ResidentStore store = ResidentStore.open(device, dim, 2, Fixtures.tinyStaging())) {
            int rows = 3000; // a run of ids longer than ResidentStore.MIN_RUN is scored as a range
            double[] x = Fixtures.rows(random, rows, dim);
            store.append(x, rows);
            int[] ids = IntStream.concat(IntStream.of(2999, 5, 17, 5 + 1), IntStream.range(1000, 1000 + ResidentStore.MIN_RUN + 10))
                    .toArray();
            double[] w = Fixtures.gaussians(random, 16 * dim);
            double[] b = Fixtures.gaussians(random, 16);
            EnsembleBand band = store.rescoreEnsemble(ids, w, b, Link.LOGISTIC);
            assertThat(band.ids()).containsExactly(ids);
            double[] chosen = new double[ids.length * dim];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(x, ids[i] * dim, chosen, i * dim, dim);
            }
            assertEngines(band, chosen, dim, w, b, Link.LOGISTIC);
        }
    }

    @Test
    void membersThatAgreeHaveASpreadOfExactlyZero() {
        int dim = 7;
        try (ResidentStore store = ResidentStore.open(new SimulatedDevice(Long.MAX_VALUE), dim, 2, Fixtures.tinyStaging())) {
            double[] x = Fixtures.rows(random, 9, dim);
            store.append(x, 9);
            double[] one = Fixtures.gaussians(random, dim);
            int members = 10;
            double[] w = new double[members * dim];
            for (int m = 0; m < members; m++) {
                System.arraycopy(one, 0, w, m * dim, dim);
            }
            double[] b = new double[members];
            Arrays.fill(b, 0.25);
            EnsembleBand band = store.rescoreAllEnsemble(w, b, Link.LOGISTIC);
            double[] single = store.rescoreAll(one, new double[] {0.25}, Link.LOGISTIC).scores();
            assertThat(band.spreads()).containsOnly(0.0);
            assertThat(band.means()).containsExactly(single);
        }
    }

    @Test
    void softmaxMembersAndBadShapesAreRefusedBeforeAnythingRuns() {
        try (ResidentStore store = ResidentStore.open(new SimulatedDevice(Long.MAX_VALUE), 4, 2, Fixtures.tinyStaging())) {
            store.append(new double[8], 2);
            assertThatThrownBy(() -> store.rescoreAllEnsemble(new double[8], new double[2], Link.SOFTMAX))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("softmax members are not supported");
            assertThatThrownBy(() -> store.rescoreAllEnsemble(new double[7], new double[2], Link.LOGISTIC))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a 2 x 4 map needs 8");
            assertThatThrownBy(() -> store.rescoreEnsemble(new int[] {2}, new double[8], new double[2], Link.LOGISTIC))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2");
        }
    }

    @Test
    void sparseBatchesRefuseTheMembersLinks() {
        var device = new SimulatedDevice(Long.MAX_VALUE);
        var rowPtr = Packing.direct(8);
        rowPtr.asIntBuffer().put(new int[] {0, 1});
        var cols = Packing.direct(4);
        var vals = Packing.direct(4);
        vals.asFloatBuffer().put(1f);
        long h = device.sparseCreate(rowPtr, cols, vals, 1, 1);
        try {
            device.sparseSetModel(h, Packing.doubles(new double[] {1, 2}), Packing.doubles(new double[] {0, 0}), 1, 2);
            KernelPlan plan = KernelPlan.sparse(1, 1, 1, 1);
            assertThatThrownBy(() -> device.sparseScore(h, plan, KernelEmulator.MEMBERS_LOGISTIC, Packing.direct(16),
                    Packing.direct(16))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown link");
        } finally {
            device.sparseFree(h);
        }
    }

    /** Each row's mean and spread against the engine's bagged model of the same members (weights members × dim). */
    private static void assertEngines(EnsembleBand band, double[] x, int dim, double[] w, double[] b, Link link) {
        int rows = band.size();
        int members = b.length;
        String[] inputs = IntStream.range(0, dim).mapToObj(i -> "x" + i).toArray(String[]::new);
        ModelKind kind = link == Link.LOGISTIC ? ModelKind.BAGGED_LOGISTIC : ModelKind.BAGGED_LINEAR;
        Model model = Model.of("e", kind, new DenseFeatures(List.of(inputs)), link == Link.LOGISTIC ? List.of("0", "1") : List.of(), w, b);
        double[] margins = Fixtures.cpuMargins(x, rows, dim, w, b);
        double[] scales = Fixtures.scales(x, rows, dim, w, b);
        for (int r = 0; r < rows; r++) {
            double[] m = Arrays.copyOfRange(margins, r * members, (r + 1) * members);
            Model.ViewValues expected = model.viewValues(m);
            // the margins' own float64 rounding differs from CpuScorer's by the order of additions: relative to Σ|w x|
            double scale = Arrays.stream(scales, r * members, (r + 1) * members).max().orElseThrow();
            double tolerance = 1e-12 * Math.max(1, scale);
            assertThat(band.means()[r]).as("row %d mean, %d members, %s", r, members, link)
                    .isCloseTo(expected.score(), org.assertj.core.data.Offset.offset(tolerance));
            assertThat(band.spreads()[r]).as("row %d spread, %d members, %s", r, members, link)
                    .isCloseTo(expected.spread(), org.assertj.core.data.Offset.offset(tolerance))
                    .isGreaterThanOrEqualTo(0.0);
        }
    }
}
