package dev.augur.cuda;

import dev.augur.engine.AugurException;
import dev.augur.engine.CpuScorer;
import dev.augur.engine.Scorer;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's {@link Scorer} on the CUDA device, for batches whose features live on the host: each call uploads the
 * rows (as float32, through pinned staging, in chunks of at most 256 MiB), scores them on the device and copies the
 * margins back. Margins are float64 sums over the float32-rounded features, so they differ from {@link CpuScorer}'s by
 * that rounding (about 6e-8 of {@code Σ|w_i x_i|}).
 *
 * <p>A batch the device cannot take (a CUDA failure, or a feature value beyond float32's range) is scored by the CPU
 * instead, with the first such failure logged: a query never fails because of this backend. Features that stay on the
 * device belong in a {@link DeviceFeatureStore}, where the GPU pays (see {@link CudaScorerProvider#prefers}).
 */
public final class CudaScorer implements Scorer {
    /** Feature bytes per upload chunk: bounds the device memory one call takes. */
    static final long CHUNK_BYTES = 256L << 20;
    /** Stored values per sparse chunk. */
    static final int SPARSE_CHUNK_VALUES = 1 << 25;

    private final Device device;
    private final ResidentStore.Staging staging;
    private final long chunkBytes;
    private final int sparseChunkValues;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    CudaScorer(Device device) {
        this(device, ResidentStore.Staging.DEFAULT, CHUNK_BYTES, SPARSE_CHUNK_VALUES);
    }

    CudaScorer(Device device, ResidentStore.Staging staging, long chunkBytes, int sparseChunkValues) {
        this.device = device;
        this.staging = staging;
        this.chunkBytes = chunkBytes;
        this.sparseChunkValues = sparseChunkValues;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public void denseMargins(double[] x, int rows, int dim, double[] weights, double[] bias, int outputs, double[] out) {
        Scorer.checkDense(x, rows, dim, weights, bias, outputs, out);
        if (rows == 0) {
            return;
        }
        try {
            denseOnDevice(x, rows, dim, weights, bias, out);
        } catch (AugurException e) {
            fallBack(e);
            CpuScorer.INSTANCE.denseMargins(x, rows, dim, weights, bias, outputs, out);
        }
    }

    private void denseOnDevice(double[] x, int rows, int dim, double[] weights, double[] bias, double[] out) {
        long rowBytes = (long) Packing.stride(dim) * Float.BYTES;
        int chunk = (int) Math.max(1, Math.min(rows, chunkBytes / rowBytes));
        // pinned staging no larger than the batch needs: pinning memory costs about as much as copying it once
        int outputs = bias.length;
        var sized = new ResidentStore.Staging(Math.min(staging.rowBytes(), chunk * rowBytes), 1,
                (int) Math.max(2, Math.min(staging.results(), Math.max((long) chunk * outputs, outputs))));
        try (ResidentStore store = ResidentStore.open(device, dim, chunk, sized)) {
            for (int from = 0; from < rows; from += chunk) {
                int n = Math.min(chunk, rows - from);
                store.clear();
                store.append(x, from, n);
                store.marginsInto(weights, bias, out, from);
            }
        }
    }

    @Override
    public void sparseMargins(int[] rowPtr, int[] indices, double[] values, int rows, int dim, double[] weights,
                              double[] bias, int outputs, double[] out) {
        Scorer.checkSparse(rowPtr, rows, dim, weights, bias, outputs, out);
        if (rows == 0) {
            return;
        }
        try {
            sparseOnDevice(rowPtr, indices, values, rows, dim, weights, bias, outputs, out);
        } catch (AugurException e) {
            fallBack(e);
            CpuScorer.INSTANCE.sparseMargins(rowPtr, indices, values, rows, dim, weights, bias, outputs, out);
        }
    }

    private void sparseOnDevice(int[] rowPtr, int[] indices, double[] values, int rows, int dim, double[] weights,
                                double[] bias, int outputs, double[] out) {
        var w = Packing.doubles(weights);
        var b = Packing.doubles(bias);
        int from = 0;
        while (from < rows) {
            int to = sparseChunkEnd(rowPtr, from, rows);
            Packing.Csr csr = Packing.csr(rowPtr, indices, values, from, to, dim);
            long batch = device.sparseCreate(csr.rowPtr(), csr.cols(), csr.vals(), csr.rows(), csr.nnz());
            try {
                device.sparseSetModel(batch, w, b, dim, outputs);
                var margins = Packing.direct((long) csr.rows() * outputs * Double.BYTES);
                KernelPlan variant = KernelPlan.sparse(csr.rows(), csr.nnz(), 1, 1);
                KernelPlan plan = KernelPlan.sparse(csr.rows(), csr.nnz(), device.multiprocessors(),
                        device.residentBlocksPerSm(KernelPlan.SPARSE, variant));
                device.sparseScore(batch, plan, KernelEmulator.IDENTITY, margins, null);
                margins.asDoubleBuffer().get(out, from * outputs, csr.rows() * outputs);
            } finally {
                device.sparseFree(batch);
            }
            from = to;
        }
    }

    /** The end of the chunk starting at row {@code from}: at most {@link #sparseChunkValues} values, at least one row. */
    int sparseChunkEnd(int[] rowPtr, int from, int rows) {
        int to = from + 1;
        while (to < rows && (long) rowPtr[to + 1] - rowPtr[from] <= sparseChunkValues) {
            to++;
        }
        return to;
    }

    private void fallBack(AugurException e) {
        if (!CudaErrors.CUDA_FAILURE.equals(e.sqlState()) && !CudaErrors.OUT_OF_RANGE.equals(e.sqlState())) {
            throw e;
        }
        if (failureLogged.compareAndSet(false, true)) {
            System.err.println("augur: a batch could not be scored on the CUDA device (" + e.getMessage()
                    + "); it and any later such batch are scored on the CPU");
        }
    }
}
