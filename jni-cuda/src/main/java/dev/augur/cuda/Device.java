package dev.augur.cuda;

import java.nio.ByteBuffer;

/**
 * The device operations, one per native entry point: {@link CudaDevice} calls the library, {@link SimulatedDevice}
 * does the same in Java (kernels replayed by {@link KernelEmulator}), so everything above this interface (packing,
 * batching, id bands, growth, accounting) is tested without a GPU. Handles are opaque; buffers are direct and in native
 * byte order. Sizes and ids are validated by the caller; implementations check again only what memory safety needs.
 */
interface Device {
    /** {@code cuda} or {@code simulated}. */
    String name();

    int multiprocessors();

    /** Blocks of a kernel variant that fit on one SM at once. */
    int residentBlocksPerSm(int kind, KernelPlan plan);

    /** Device bytes held now by all stores and batches of this device. */
    long allocatedBytes();

    /** Pinned host bytes held now (store staging). */
    long pinnedBytes();

    /** cudaMemGetInfo: {free, total} bytes. */
    long[] memInfo();

    /** Fills result buffers with NaN before each kernel (the GPU check's "every output written"). */
    void setPoison(boolean on);

    /** A store of rows {@code ld} floats wide with staging for that many rows, ids and result values. */
    long storeCreate(int ld, long capacityRows, int stagingRows, int stagingIds, int stagingResults);

    /** A staging buffer: {@link Native#STAGED_ROWS} (float), {@link Native#STAGED_IDS} (int), {@link Native#STAGED_RESULTS} (double). */
    ByteBuffer storeStaging(long store, int which);

    /** Grows the store to {@code capacityRows}, keeping its first {@code keepRows} rows. */
    void storeReserve(long store, long capacityRows, long keepRows);

    /** Copies the first {@code rows} staged rows to rows {@code firstRow..}. */
    void storeUpload(long store, long firstRow, int rows);

    /** Replaces rows {@code stagedIds[i]} with staged row i, for i below {@code count}. */
    void storeScatter(long store, int count);

    void storeSetModel(long store, ByteBuffer weights, ByteBuffer bias, int outputs);

    /**
     * Scores {@code count} positions (rows {@code firstRow..}, or the staged ids) into the result staging: margins at
     * {@code [0, count × outputs)}, then scores when asked.
     */
    void storeScore(long store, KernelPlan plan, long firstRow, int count, boolean byIds, int link, boolean scores);

    long storeBytes(long store);

    void storeFree(long store);

    long sparseCreate(ByteBuffer rowPtr, ByteBuffer cols, ByteBuffer vals, int rows, int nnz);

    void sparseSetModel(long batch, ByteBuffer weights, ByteBuffer bias, int dim, int outputs);

    /** Margins (rows × outputs doubles) and, when {@code scores} is not null, scores. */
    void sparseScore(long batch, KernelPlan plan, int link, ByteBuffer margins, ByteBuffer scores);

    long sparseBytes(long batch);

    void sparseFree(long batch);

    /** Milliseconds per repetition of the scoring kernel alone, inputs and outputs on the device. */
    double[] storeTime(long store, KernelPlan plan, ByteBuffer ids, long firstRow, int count, int link, boolean margins,
                       boolean scores, int reps);

    double[] sparseTime(long batch, KernelPlan plan, int link, boolean margins, boolean scores, int reps);

    /** Milliseconds per device-to-device copy of {@code bytes}. */
    double[] copyTime(long bytes, int reps);
}
