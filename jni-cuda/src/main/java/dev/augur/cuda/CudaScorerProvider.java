package dev.augur.cuda;

import dev.augur.engine.Scorer;
import dev.augur.engine.ScorerProvider;

import java.util.Optional;

/**
 * The CUDA backend for the engine's {@code Scorers}, found through {@link java.util.ServiceLoader}. {@link #open()}
 * never throws: without a library, driver or device it is empty and {@link #unavailableReason()} says why (e.g.
 * {@code no CUDA device: cudaGetDeviceCount failed: cudaErrorInsufficientDriver: CUDA driver version is insufficient
 * for CUDA runtime version}).
 *
 * <h2>Cost rule ({@link #prefers})</h2>
 * Costs per float32 feature value, from the measurements in DESIGN.md ("Execution"):
 * <ul>
 *   <li>CPU: scoring streams features at ~13 GB/s per core: ~0.3 ns per value per output.</li>
 *   <li>GPU, features resident on the device: one pass over device memory at ≥ 2 TB/s (~0.002 ns per value), plus
 *       ~30 µs fixed per call (launch, synchronization, JNI) and the results' way back over PCIe (16 bytes per row at
 *       ~50 GB/s pinned). It wins once {@code rows × dims × 0.3 ns > 30 µs}, i.e. from ~10^5 values; the rule asks for
 *       {@value #RESIDENT_MIN_VALUES} (2^20, ~0.3 ms of CPU work) to stay clear of a busy device.</li>
 *   <li>GPU, features on the host: they must first be packed (reading 8-byte doubles costs the CPU as much as scoring
 *       them) and cross PCIe at 7.6 GB/s pageable: ≥ 0.5 ns per value, more than the CPU's 0.3 ns for one output. Only
 *       with several outputs (CPU cost × outputs, GPU cost nearly flat: a softmax's classes, an ensemble's K members) does it
 *       pay: the rule asks for at least {@value #HOST_MIN_OUTPUTS} outputs and {@value #HOST_MIN_VALUES} (2^24) values.</li>
 * </ul>
 * {@code augur.scorer=cuda} overrides the rule (any batch goes to the device when one is usable); {@code cpu} keeps
 * everything on the CPU.
 */
public final class CudaScorerProvider implements ScorerProvider {
    static final long RESIDENT_MIN_VALUES = 1L << 20;
    static final long HOST_MIN_VALUES = 1L << 24;
    static final int HOST_MIN_OUTPUTS = 4;

    private static volatile CudaScorer scorer;

    /** For {@link java.util.ServiceLoader}. */
    public CudaScorerProvider() {
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Optional<Scorer> open() {
        try {
            if (!NativeLibrary.status().ready()) {
                return Optional.empty();
            }
            CudaScorer s = scorer;
            if (s == null) {
                synchronized (CudaScorerProvider.class) {
                    s = scorer;
                    if (s == null) {
                        s = new CudaScorer(CudaDevice.get());
                        scorer = s;
                    }
                }
            }
            return Optional.of(s);
        } catch (Throwable t) { // the CPU is always there
            return Optional.empty();
        }
    }

    @Override
    public String unavailableReason() {
        try {
            return NativeLibrary.status().reason();
        } catch (Throwable t) {
            return "the CUDA backend failed to initialize: " + t;
        }
    }

    /** The cost rule (see the class comment). */
    @Override
    public boolean prefers(long rows, long dims, int outputs, boolean resident) {
        if (rows <= 0 || dims <= 0) {
            return false;
        }
        long values = rows > Long.MAX_VALUE / dims ? Long.MAX_VALUE : rows * dims;
        if (resident) {
            return values >= RESIDENT_MIN_VALUES;
        }
        return outputs >= HOST_MIN_OUTPUTS && values >= HOST_MIN_VALUES;
    }
}
