package dev.augur.cuda;

import java.nio.ByteBuffer;

/**
 * The native methods of {@code libaugurcuda.so} (src/main/native/augur_cuda.cu). Callable only after
 * {@link NativeLibrary#status()} says the library is loaded. Bulk data only: pinned staging buffers (seen here as direct
 * ByteBuffers) or direct ByteBuffers passed in; CUDA failures arrive as {@code AugurException} (SQLSTATE 58000) with the
 * CUDA error name and text, bad arguments as {@link IllegalArgumentException}.
 */
final class Native {
    /** Staging buffers of a store, as {@link #storeStaging}'s {@code which}. */
    static final int STAGED_ROWS = 0;
    static final int STAGED_IDS = 1;
    static final int STAGED_RESULTS = 2;

    /** {@link #hostSum}'s element types. */
    static final int FLOAT = 0;
    static final int INT = 1;
    static final int DOUBLE = 2;

    private Native() {
    }

    /** Null when device 0 can run this library's kernels, else why not (the CUDA error text). Never throws. */
    static native String probe();

    /** Device 0 in words: name, compute capability, SMs, memory, driver and runtime versions. */
    static native String deviceInfo();

    static native int multiprocessors();

    /** cudaMemGetInfo: {free, total} bytes of device 0. */
    static native long[] memInfo();

    /** Device bytes this library holds now, over all stores and batches. */
    static native long allocatedBytes();

    /** Pinned host bytes this library holds now (store staging). */
    static native long pinnedBytes();

    /** The compiled kernel variants, each {@code kind << 24 | G << 16 | K << 8 | U} (kind 1 dense, 2 sparse). */
    static native int[] kernelVariants();

    /** How many blocks of a kernel variant ({@code kind} as in {@link KernelPlan#DENSE}) fit on one SM at once. */
    static native int occupancy(int kind, int g, int k, int u);

    /** Fills result buffers with NaN before each kernel, so that an output a kernel skips cannot pass for a value. */
    static native void setPoison(boolean on);

    /** The sum of the first {@code count} values of a direct buffer as C reads them; needs no device. */
    static native double hostSum(ByteBuffer buffer, int type, long count);

    static native long storeCreate(int ld, long capacityRows, int stagingRows, int stagingIds, int stagingResults);

    static native ByteBuffer storeStaging(long store, int which);

    static native void storeReserve(long store, long capacityRows, long keepRows);

    static native void storeUpload(long store, long firstRow, int rows);

    static native void storeScatter(long store, int count);

    static native void storeSetModel(long store, ByteBuffer weights, ByteBuffer bias, int outputs);

    static native void storeScore(long store, int g, int k, int u, int blocks, long firstRow, int count, boolean byIds,
                                  int link, boolean scores);

    static native long storeBytes(long store);

    static native void storeFree(long store);

    static native double[] storeTime(long store, int g, int k, int u, int blocks, ByteBuffer ids, long firstRow, int count,
                                     int link, boolean margins, boolean scores, int reps);

    static native long sparseCreate(ByteBuffer rowPtr, ByteBuffer cols, ByteBuffer vals, int rows, int nnz);

    static native void sparseSetModel(long batch, ByteBuffer weights, ByteBuffer bias, int dim, int outputs);

    static native void sparseScore(long batch, int g, int blocks, int link, ByteBuffer margins, ByteBuffer scores);

    static native double[] sparseTime(long batch, int g, int blocks, int link, boolean margins, boolean scores, int reps);

    static native long sparseBytes(long batch);

    static native void sparseFree(long batch);

    static native double[] copyTime(long bytes, int reps);
}
