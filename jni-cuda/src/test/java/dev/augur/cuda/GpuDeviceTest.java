package dev.augur.cuda;

import dev.augur.cuda.DeviceFeatureStore.Band;
import dev.augur.cuda.DeviceFeatureStore.Link;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real device, where there is one (skipped elsewhere, saying why; gpu-check.sh covers far more and needs no Maven):
 * results bitwise equal to the simulated device's, and device memory back where it was after many cycles.
 */
class GpuDeviceTest {
    private final SplittableRandom random = new SplittableRandom(3);

    @BeforeEach
    void needsADevice() {
        NativeLibrary.Status status = NativeLibrary.status();
        assumeTrue(status.ready(), () -> status.reason() == null ? "no CUDA device" : status.reason());
    }

    @Test
    void marginsAreBitwiseTheEmulatorsAndScoresMatch() {
        CudaDevice device = CudaDevice.get();
        device.setPoison(true);
        for (int dim : new int[] {3, 8, 32, 100, 128, 512, 1030}) {
            int rows = 5000;
            double[] x = Fixtures.rows(random, rows, dim);
            double[] w = Fixtures.gaussians(random, 3 * dim);
            double[] b = Fixtures.gaussians(random, 3);
            int[] ids = IntStream.concat(random.ints(300, 0, rows), IntStream.range(1000, 2500)).toArray();
            try (ResidentStore gpu = ResidentStore.open(device, dim);
                 ResidentStore cpu = ResidentStore.open(new SimulatedDevice(Long.MAX_VALUE), dim)) {
                gpu.append(x, rows);
                cpu.append(x, rows);
                for (Link link : Link.values()) {
                    Band g = gpu.rescore(ids, w, b, link);
                    Band c = cpu.rescore(ids, w, b, link);
                    for (int i = 0; i < g.margins().length; i++) {
                        assertThat(Double.doubleToRawLongBits(g.margins()[i])).as("dim %d, %s, output %d", dim, link, i)
                                .isEqualTo(Double.doubleToRawLongBits(c.margins()[i]));
                        assertThat(g.scores()[i]).isCloseTo(c.scores()[i], org.assertj.core.api.Assertions.within(1e-15));
                    }
                }
            }
        }
    }

    @Test
    void deviceMemoryReturnsToWhereItWas() {
        CudaDevice device = CudaDevice.get();
        Runnable cycle = () -> {
            try (ResidentStore store = ResidentStore.open(device, 16)) {
                store.append(Fixtures.rows(random, 10_000, 16), 10_000);
                store.rescoreAll(Fixtures.gaussians(random, 16), new double[] {0}, Link.LOGISTIC);
            }
        };
        cycle.run(); // warm-up: the context, streams and kernels load lazily
        long before = device.memInfo()[0];
        for (int i = 0; i < 100; i++) {
            cycle.run();
        }
        assertThat(device.allocatedBytes()).isZero();
        assertThat(device.pinnedBytes()).isZero();
        assertThat(Math.abs(device.memInfo()[0] - before)).as("cudaMemGetInfo free drift").isLessThanOrEqualTo(2L << 20);
    }
}
