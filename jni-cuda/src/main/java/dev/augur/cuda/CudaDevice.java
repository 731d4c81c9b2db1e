package dev.augur.cuda;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Device 0 through the native library; only created once {@link NativeLibrary#status()} says a device is ready. */
final class CudaDevice implements Device {
    private static volatile CudaDevice instance;

    private final int multiprocessors;
    private final ConcurrentMap<Integer, Integer> occupancy = new ConcurrentHashMap<>();

    private CudaDevice() {
        multiprocessors = Native.multiprocessors();
    }

    /** The device, or an {@link IllegalStateException} saying why there is none. */
    static CudaDevice get() {
        CudaDevice d = instance;
        if (d == null) {
            synchronized (CudaDevice.class) {
                d = instance;
                if (d == null) {
                    NativeLibrary.Status status = NativeLibrary.status();
                    if (!status.ready()) {
                        throw new IllegalStateException("no CUDA device: " + status.reason());
                    }
                    d = new CudaDevice();
                    instance = d;
                }
            }
        }
        return d;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int multiprocessors() {
        return multiprocessors;
    }

    @Override
    public int residentBlocksPerSm(int kind, KernelPlan plan) {
        return occupancy.computeIfAbsent(plan.variant(kind), v -> Math.max(1, Native.occupancy(kind, plan.g(), plan.k(), plan.u())));
    }

    @Override
    public long allocatedBytes() {
        return Native.allocatedBytes();
    }

    @Override
    public long pinnedBytes() {
        return Native.pinnedBytes();
    }

    @Override
    public long[] memInfo() {
        return Native.memInfo();
    }

    @Override
    public void setPoison(boolean on) {
        Native.setPoison(on);
    }

    @Override
    public long storeCreate(int ld, long capacityRows, int stagingRows, int stagingIds, int stagingResults) {
        return Native.storeCreate(ld, capacityRows, stagingRows, stagingIds, stagingResults);
    }

    @Override
    public ByteBuffer storeStaging(long store, int which) {
        return Native.storeStaging(store, which);
    }

    @Override
    public void storeReserve(long store, long capacityRows, long keepRows) {
        Native.storeReserve(store, capacityRows, keepRows);
    }

    @Override
    public void storeUpload(long store, long firstRow, int rows) {
        Native.storeUpload(store, firstRow, rows);
    }

    @Override
    public void storeScatter(long store, int count) {
        Native.storeScatter(store, count);
    }

    @Override
    public void storeSetModel(long store, ByteBuffer weights, ByteBuffer bias, int outputs) {
        Native.storeSetModel(store, weights, bias, outputs);
    }

    @Override
    public void storeScore(long store, KernelPlan plan, long firstRow, int count, boolean byIds, int link, boolean scores) {
        Native.storeScore(store, plan.g(), plan.k(), plan.u(), plan.blocks(), firstRow, count, byIds, link, scores);
    }

    @Override
    public long storeBytes(long store) {
        return Native.storeBytes(store);
    }

    @Override
    public void storeFree(long store) {
        Native.storeFree(store);
    }

    @Override
    public long sparseCreate(ByteBuffer rowPtr, ByteBuffer cols, ByteBuffer vals, int rows, int nnz) {
        return Native.sparseCreate(rowPtr, cols, vals, rows, nnz);
    }

    @Override
    public void sparseSetModel(long batch, ByteBuffer weights, ByteBuffer bias, int dim, int outputs) {
        Native.sparseSetModel(batch, weights, bias, dim, outputs);
    }

    @Override
    public void sparseScore(long batch, KernelPlan plan, int link, ByteBuffer margins, ByteBuffer scores) {
        Native.sparseScore(batch, plan.g(), plan.blocks(), link, margins, scores);
    }

    @Override
    public long sparseBytes(long batch) {
        return Native.sparseBytes(batch);
    }

    @Override
    public void sparseFree(long batch) {
        Native.sparseFree(batch);
    }

    @Override
    public double[] storeTime(long store, KernelPlan plan, ByteBuffer ids, long firstRow, int count, int link,
                              boolean margins, boolean scores, int reps) {
        return Native.storeTime(store, plan.g(), plan.k(), plan.u(), plan.blocks(), ids, firstRow, count, link, margins,
                scores, reps);
    }

    @Override
    public double[] sparseTime(long batch, KernelPlan plan, int link, boolean margins, boolean scores, int reps) {
        return Native.sparseTime(batch, plan.g(), plan.blocks(), link, margins, scores, reps);
    }

    @Override
    public double[] copyTime(long bytes, int reps) {
        return Native.copyTime(bytes, reps);
    }
}
