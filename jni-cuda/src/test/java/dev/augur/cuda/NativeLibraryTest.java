package dev.augur.cuda;

import dev.augur.engine.AugurException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Loading the library built here. Without nvcc at build time the jar has no library: those tests are skipped and say
 * so. Without a GPU (CI) the library still loads — the CUDA runtime is linked statically — and reports why there is no
 * device; with one, the same tests check the other branch.
 */
class NativeLibraryTest {
    private static void assumeLibraryBuilt() {
        assumeThat(NativeLibrary.class.getResource(NativeLibrary.RESOURCE))
                .as("this build has no CUDA library (nvcc was not found when jni-cuda was built)")
                .isNotNull();
    }

    private static void assumeNoDevice() {
        assumeThat(NativeLibrary.status().ready()).as("a CUDA device is present: " + NativeLibrary.status().device()).isFalse();
    }

    @Test
    void theLibraryLoadsAndSaysWhyThereIsNoDevice() {
        assumeLibraryBuilt();
        NativeLibrary.Status status = NativeLibrary.status();
        assertThat(status.loaded()).as(String.valueOf(status.reason())).isTrue();
        assertThat(status.library().getFileName()).hasToString("libaugurcuda.so");
        assertThat(status.library().getParent().getFileName().toString()).matches("\\d[\\w.\\-]*-[0-9a-f]{16}");
        if (status.ready()) {
            assertThat(status.reason()).isNull();
            assertThat(status.device()).contains("compute capability");
        } else {
            assertThat(status.reason()).startsWith("no CUDA device: ");
            assertThat(status.device()).isNull();
        }
    }

    @Test
    void withoutADeviceTheProbeReportsCudaGetDeviceCountsError() {
        assumeLibraryBuilt();
        assumeNoDevice();
        assertThat(NativeLibrary.status().reason()).matches("no CUDA device: (cudaGetDeviceCount failed: cudaError\\w+: .+"
                + "|cudaGetDeviceCount found no CUDA device)");
    }

    @Test
    void cudaFailuresArriveAsAugurExceptionsWithTheCudaText() {
        assumeLibraryBuilt();
        assumeNoDevice();
        String reason = NativeLibrary.status().reason();
        String errorName = reason.replaceAll(".*(cudaError\\w+).*", "$1");
        try {
            Native.memInfo();
            throw new AssertionError("cudaMemGetInfo succeeded without a device");
        } catch (AugurException e) {
            assertThat(e.sqlState()).isEqualTo("58000");
            assertThat(e.getMessage()).startsWith("CUDA error in cudaMemGetInfo (device 0): ").contains(errorName);
        }
        try {
            Native.storeCreate(8, 100, 10, 10, 10);
            throw new AssertionError("a store was created without a device");
        } catch (AugurException e) {
            assertThat(e.sqlState()).isEqualTo("58000");
            assertThat(e.getMessage()).startsWith("CUDA error in ").contains(errorName);
        }
        assertThat(Native.allocatedBytes()).as("nothing stays allocated after a failed create").isZero();
        assertThat(Native.pinnedBytes()).isZero();
    }

    @Test
    void theNativeSideChecksItsArgumentsBeforeTouchingCuda() {
        assumeLibraryBuilt();
        try {
            Native.storeCreate(6, 1, 1, 1, 2);
            throw new AssertionError("a stride of 6 was accepted");
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessage("bad feature store shape");
        }
        try {
            Native.hostSum(ByteBuffer.allocate(16), Native.FLOAT, 4);
            throw new AssertionError("a heap buffer was accepted");
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessage("hostSum: not a direct ByteBuffer");
        }
        try {
            Native.hostSum(Packing.direct(8), Native.DOUBLE, 2);
            throw new AssertionError("a short buffer was accepted");
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessage("hostSum: buffer holds 8 bytes, 16 needed");
        }
    }

    /** What Java packs is what C reads: byte order and offsets of the staging layout. */
    @Test
    void cReadsWhatJavaPacked() {
        assumeLibraryBuilt();
        assumeThat(NativeLibrary.status().loaded()).as(String.valueOf(NativeLibrary.status().reason())).isTrue();
        double[] x = {1.5, -2.25, 3, 1e-3, 7, 8, 9};
        ByteBuffer rows = Packing.direct(12 * 4);
        FloatBuffer floats = Packing.nativeOrder(rows).asFloatBuffer();
        Packing.rows(x, 0, 2, 3, 4, floats, 0);
        double expected = 0;
        for (int i = 0; i < 6; i++) {
            expected += (float) x[i];
        }
        assertThat(Native.hostSum(rows, Native.FLOAT, 8)).isEqualTo(expected);
        assertThat(Native.hostSum(Packing.weights(new double[] {0.5, 1e10, -3}, 1, 3, 4), Native.DOUBLE, 4)).isEqualTo(0.5 + 1e10 - 3);
        Packing.Csr csr = Packing.csr(new int[] {0, 2, 3}, new int[] {7, 1, 65536}, new double[] {1, 2, 3}, 0, 2, 70000);
        assertThat(Native.hostSum(csr.rowPtr(), Native.INT, 3)).isEqualTo(5);
        assertThat(Native.hostSum(csr.cols(), Native.INT, 3)).isEqualTo(65544);
        // a buffer handed out big-endian, as NewDirectByteBuffer does, and set to native order before packing
        ByteBuffer bigEndian = ByteBuffer.allocateDirect(8);
        Packing.nativeOrder(bigEndian).asFloatBuffer().put(new float[] {2.5f, 4f});
        assertThat(Native.hostSum(bigEndian, Native.FLOAT, 2)).isEqualTo(6.5);
    }

    /** Every plan Java can choose has a compiled kernel. */
    @Test
    void everyPlanJavaChoosesIsCompiled() {
        assumeLibraryBuilt();
        assumeThat(NativeLibrary.status().loaded()).as(String.valueOf(NativeLibrary.status().reason())).isTrue();
        Set<Integer> compiled = new HashSet<>();
        Arrays.stream(Native.kernelVariants()).forEach(compiled::add);
        for (int dim = 1; dim <= 1200; dim++) {
            for (boolean deep : new boolean[] {false, true}) {
                KernelPlan p = KernelPlan.dense(Packing.stride(dim), 1000, 1, 1, deep);
                assertThat(compiled).as("dense plan %s for dim %d", p, dim).contains(p.variant(KernelPlan.DENSE));
            }
        }
        for (long avg = 1; avg < 100; avg++) {
            KernelPlan p = KernelPlan.sparse(1000, 1000 * avg, 1, 1);
            assertThat(compiled).as("sparse plan %s", p).contains(p.variant(KernelPlan.SPARSE));
        }
    }

    @Test
    void extractionIsVersionedVerifiedAndReused(@TempDir Path cache) throws Exception {
        assumeLibraryBuilt();
        Path first = NativeLibrary.extract(cache);
        assertThat(first.getParent().getParent()).isEqualTo(cache);
        assertThat(first.getParent().getFileName().toString()).startsWith(NativeLibrary.version() + "-");
        FileTime written = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(first, written);
        assertThat(NativeLibrary.extract(cache)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first)).as("an intact copy is reused").isEqualTo(written);
        Files.write(first, new byte[] {1, 2, 3});
        assertThat(NativeLibrary.extract(cache)).isEqualTo(first);
        assertThat(Files.size(first)).as("a damaged copy is replaced").isGreaterThan(1000);
        try (var files = Files.list(first.getParent())) {
            assertThat(files).as("no temporary files left").hasSize(1);
        }
    }

    @Test
    void aMissingOverrideIsAReasonNotAnException(@TempDir Path cache) {
        NativeLibrary.Status status = NativeLibrary.load(cache.resolve("nope.so").toString(), cache);
        assertThat(status.loaded()).isFalse();
        assertThat(status.reason()).isEqualTo("augur.cuda.library=" + cache.resolve("nope.so") + " is not a file");
    }

    @Test
    void aFileThatIsNoLibraryIsAReasonNotAnException(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("libbogus.so"), "not an ELF file");
        NativeLibrary.Status status = NativeLibrary.load(bogus.toString(), dir);
        assertThat(status.loaded()).isFalse();
        assertThat(status.reason()).startsWith("the CUDA library " + bogus + " did not load: java.lang.UnsatisfiedLinkError");
    }

    @Test
    void theVersionComesFromTheFilteredBuildProperties() {
        assertThat(NativeLibrary.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
