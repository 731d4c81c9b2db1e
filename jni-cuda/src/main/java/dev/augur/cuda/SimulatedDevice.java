package dev.augur.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A device simulated in Java: the native entry points' checks, memory accounting and error texts, with the kernels
 * replayed by {@link KernelEmulator}. It lets the host-side logic run and be tested without a GPU, and is what
 * {@link DeviceFeatureStore#create} falls back to where there is no device. Its memory is bounded (by default without a
 * limit), so tests can make allocations fail as a full GPU would; its grid is small, so grid-stride loops go round.
 */
final class SimulatedDevice implements Device {
    static final int MULTIPROCESSORS = 4;
    static final int RESIDENT_BLOCKS_PER_SM = 2;
    /** Java arrays hold at most this many floats: the simulation's limit for one store's rows. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final SimulatedDevice SHARED = new SimulatedDevice(Long.MAX_VALUE);

    private final long memoryBytes;
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong pinned = new AtomicLong();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final Map<Long, Store> stores = new ConcurrentHashMap<>();
    private final Map<Long, Sparse> batches = new ConcurrentHashMap<>();
    private final AtomicReference<String[]> failNextKernel = new AtomicReference<>();
    private volatile boolean poison;
    private volatile boolean countWrites;
    private volatile int[] lastWrites;

    SimulatedDevice(long memoryBytes) {
        this.memoryBytes = memoryBytes;
    }

    /** The process-wide simulated device, without a memory limit. */
    static SimulatedDevice shared() {
        return SHARED;
    }

    /** Makes the next kernel fail as CUDA would, with this error name and text (tests of error paths). */
    void failNextKernel(String errorName, String errorText) {
        failNextKernel.set(new String[] {errorName, errorText});
    }

    /** Counts writes per output in each kernel; {@link #lastWrites()} returns the last kernel's counts. */
    void countWrites(boolean on) {
        countWrites = on;
    }

    int[] lastWrites() {
        return lastWrites;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public int multiprocessors() {
        return MULTIPROCESSORS;
    }

    @Override
    public int residentBlocksPerSm(int kind, KernelPlan plan) {
        return RESIDENT_BLOCKS_PER_SM;
    }

    @Override
    public long allocatedBytes() {
        return allocated.get();
    }

    @Override
    public long pinnedBytes() {
        return pinned.get();
    }

    @Override
    public long[] memInfo() {
        return new long[] {memoryBytes - allocated.get(), memoryBytes};
    }

    @Override
    public void setPoison(boolean on) {
        poison = on;
    }

    // ---- memory -------------------------------------------------------------------------------------------------------

    private void allocate(long bytes, String what) {
        while (true) {
            long now = allocated.get();
            if (bytes > memoryBytes - now) {
                throw CudaErrors.cudaFailure("cudaMalloc", String.format("%s, %.1f MiB", what, bytes / 1048576.0),
                        "cudaErrorMemoryAllocation", "out of memory");
            }
            if (allocated.compareAndSet(now, now + bytes)) {
                return;
            }
        }
    }

    private void release(long bytes) {
        allocated.addAndGet(-bytes);
    }

    private static ByteBuffer pinned(long bytes) {
        return ByteBuffer.allocateDirect((int) Math.max(1, bytes)).order(ByteOrder.nativeOrder());
    }

    private static int checkedFloats(long count, String what) {
        if (count > MAX_ARRAY) {
            throw CudaErrors.cudaFailure("cudaMalloc", what, "cudaErrorMemoryAllocation",
                    "out of memory (the simulated device holds at most 2^31 floats per buffer)");
        }
        return (int) count;
    }

    // ---- feature stores -----------------------------------------------------------------------------------------------

    private static final class Store {
        final int ld;
        final int stagingRows;
        final int stagingIds;
        final int stagingResults;
        final ByteBuffer rows;
        final ByteBuffer ids;
        final ByteBuffer results;
        long capacityRows;
        float[] x;
        double[] w = new double[0];
        double[] b = new double[0];
        long wBytes;
        long bBytes;
        int outputs;

        Store(int ld, int stagingRows, int stagingIds, int stagingResults) {
            this.ld = ld;
            this.stagingRows = stagingRows;
            this.stagingIds = stagingIds;
            this.stagingResults = stagingResults;
            rows = pinned((long) stagingRows * ld * Float.BYTES);
            ids = pinned((long) stagingIds * Integer.BYTES);
            results = pinned((long) stagingResults * Double.BYTES);
        }

        long stagingBytes() {
            return (long) stagingRows * ld * Float.BYTES + (long) stagingIds * Integer.BYTES + (long) stagingResults * Double.BYTES;
        }

        /** The same sum as the native Store::device_bytes. */
        long bytes() {
            return capacityRows * ld * Float.BYTES + wBytes + bBytes + stagingBytes();
        }
    }

    private Store store(long handle) {
        Store s = stores.get(handle);
        if (s == null) {
            throw new IllegalArgumentException(handle == 0 ? "the feature store is closed" : "unknown or freed store handle " + handle);
        }
        return s;
    }

    @Override
    public long storeCreate(int ld, long capacityRows, int stagingRows, int stagingIds, int stagingResults) {
        if (ld < 4 || ld % 4 != 0 || capacityRows < 0 || capacityRows > Integer.MAX_VALUE || stagingRows < 1 || stagingIds < 1
                || stagingResults < 2) {
            throw new IllegalArgumentException("bad feature store shape");
        }
        Store s = new Store(ld, stagingRows, stagingIds, stagingResults);
        int floats = checkedFloats(capacityRows * ld, "feature rows");
        allocate(s.stagingBytes(), "staging");
        try {
            allocate((long) floats * Float.BYTES, "feature rows");
        } catch (RuntimeException e) {
            release(s.stagingBytes());
            throw e;
        }
        s.x = new float[floats];
        s.capacityRows = capacityRows;
        pinned.addAndGet(s.stagingBytes());
        long handle = nextHandle.getAndIncrement();
        stores.put(handle, s);
        return handle;
    }

    @Override
    public ByteBuffer storeStaging(long store, int which) {
        Store s = store(store);
        ByteBuffer b = switch (which) {
            case Native.STAGED_ROWS -> s.rows;
            case Native.STAGED_IDS -> s.ids;
            case Native.STAGED_RESULTS -> s.results;
            default -> throw new IllegalArgumentException("unknown staging buffer");
        };
        // like NewDirectByteBuffer: a fresh view, big-endian until the caller sets the order
        return b.duplicate().clear().order(ByteOrder.BIG_ENDIAN);
    }

    @Override
    public void storeReserve(long store, long capacityRows, long keepRows) {
        Store s = store(store);
        if (capacityRows <= s.capacityRows) {
            return;
        }
        if (capacityRows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a feature store holds at most 2^31 - 1 rows");
        }
        if (keepRows < 0 || keepRows > s.capacityRows) {
            throw new IllegalArgumentException("rows to keep exceed the store's capacity");
        }
        int floats = checkedFloats(capacityRows * s.ld, "feature rows (growing)");
        allocate((long) floats * Float.BYTES, "feature rows (growing)");
        float[] grown = new float[floats];
        System.arraycopy(s.x, 0, grown, 0, (int) (keepRows * s.ld));
        release(s.capacityRows * s.ld * Float.BYTES);
        s.x = grown;
        s.capacityRows = capacityRows;
    }

    @Override
    public void storeUpload(long store, long firstRow, int rows) {
        Store s = store(store);
        if (firstRow < 0 || rows < 0 || rows > s.stagingRows || firstRow + rows > s.capacityRows) {
            throw new IllegalArgumentException("upload outside the store's capacity or staging");
        }
        FloatBuffer staged = s.rows.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
        staged.get(s.x, (int) (firstRow * s.ld), rows * s.ld);
    }

    @Override
    public void storeScatter(long store, int count) {
        Store s = store(store);
        if (count < 0 || count > s.stagingRows || count > s.stagingIds) {
            throw new IllegalArgumentException("more rows than the staging holds");
        }
        int[] ids = stagedIds(s, count);
        FloatBuffer staged = s.rows.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < count; i++) {
            staged.position(i * s.ld);
            staged.get(s.x, ids[i] * s.ld, s.ld);
        }
    }

    private static int[] stagedIds(Store s, int count) {
        int[] ids = new int[count];
        s.ids.duplicate().order(ByteOrder.nativeOrder()).asIntBuffer().get(ids);
        for (int i = 0; i < count; i++) {
            if (ids[i] < 0 || ids[i] >= s.capacityRows) {
                throw new IllegalArgumentException("row id " + ids[i] + " at " + i + " is outside the store's "
                        + s.capacityRows + " rows");
            }
        }
        return ids;
    }

    @Override
    public void storeSetModel(long store, ByteBuffer weights, ByteBuffer bias, int outputs) {
        Store s = store(store);
        if (outputs < 1) {
            throw new IllegalArgumentException("a model needs at least one output");
        }
        long wBytes = (long) outputs * s.ld * Double.BYTES;
        long bBytes = (long) outputs * Double.BYTES;
        DoubleBuffer w = direct(weights, wBytes, "weights").asDoubleBuffer();
        DoubleBuffer b = direct(bias, bBytes, "bias").asDoubleBuffer();
        s.outputs = 0;
        // grow-only device buffers, as native dev_reserve
        if (wBytes > s.wBytes) {
            allocate(wBytes, "weights");
            release(s.wBytes);
            s.wBytes = wBytes;
        }
        if (bBytes > s.bBytes) {
            allocate(bBytes, "bias");
            release(s.bBytes);
            s.bBytes = bBytes;
        }
        s.w = new double[outputs * s.ld];
        s.b = new double[outputs];
        w.get(s.w);
        b.get(s.b);
        s.outputs = outputs;
    }

    private static ByteBuffer direct(ByteBuffer buffer, long bytes, String what) {
        if (buffer == null) {
            throw new IllegalArgumentException(what + ": no buffer");
        }
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(what + ": not a direct ByteBuffer");
        }
        if (buffer.capacity() < bytes) {
            throw new IllegalArgumentException(what + ": buffer holds " + buffer.capacity() + " bytes, " + bytes + " needed");
        }
        // JNI reads from the buffer's address, ignoring its position and order
        return buffer.duplicate().clear().order(ByteOrder.nativeOrder());
    }

    /** As the native make_dense_args / make_sparse_args check (members links: feature stores only, no margins). */
    private static void checkModel(int outputs, int link, boolean scores, boolean margins, boolean membersAllowed) {
        if (outputs < 1) {
            throw new IllegalArgumentException("no model set");
        }
        if (link < KernelEmulator.IDENTITY || link > (membersAllowed ? KernelEmulator.MEMBERS_LOGISTIC : KernelEmulator.SOFTMAX)) {
            throw new IllegalArgumentException("unknown link function");
        }
        if (KernelEmulator.membersLink(link)) {
            if (!scores || margins) {
                throw new IllegalArgumentException("an ensemble's members give a mean and a spread per row, not margins");
            }
            return;
        }
        if (scores && !margins && (link == KernelEmulator.SOFTMAX || outputs > 1)) {
            throw new IllegalArgumentException("scores of several outputs or of softmax need the margins");
        }
    }

    private void maybeFail(String what) {
        String[] failure = failNextKernel.getAndSet(null);
        if (failure != null) {
            throw CudaErrors.cudaFailure("cudaStreamSynchronize", what, failure[0], failure[1]);
        }
    }

    private double[] outputArray(long n) {
        double[] a = new double[(int) n];
        if (poison) {
            Arrays.fill(a, Double.NaN);
        }
        return a;
    }

    @Override
    public void storeScore(long store, KernelPlan plan, long firstRow, int count, boolean byIds, int link, boolean scores) {
        Store s = store(store);
        boolean members = KernelEmulator.membersLink(link);
        long values = members ? 2L * count : (long) count * s.outputs * (scores ? 2 : 1);
        if (count < 0 || (byIds && count > s.stagingIds) || values > s.stagingResults) {
            throw new IllegalArgumentException("more positions than the staging holds");
        }
        if (count == 0) {
            return;
        }
        checkModel(s.outputs, link, scores, !members, true);
        if (!byIds && (firstRow < 0 || firstRow + count > s.capacityRows)) {
            throw new IllegalArgumentException("rows outside the store's capacity");
        }
        int[] ids = byIds ? stagedIds(s, count) : null;
        maybeFail("dense scoring");
        int nOut = members ? 2 * count : count * s.outputs;
        double[] margins = members ? null : outputArray(nOut);
        double[] scoreValues = scores ? outputArray(nOut) : null;
        int[] writes = countWrites ? new int[nOut] : null;
        KernelEmulator.dense(plan, s.x, s.ld, ids, (int) firstRow, count, s.w, s.b, s.outputs, link, margins, scoreValues, writes);
        lastWrites = writes;
        DoubleBuffer out = s.results.duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        if (margins != null) {
            out.put(margins);
        }
        if (scores) {
            out.put(scoreValues);
        }
    }

    @Override
    public long storeBytes(long store) {
        return store(store).bytes();
    }

    @Override
    public void storeFree(long store) {
        Store s = stores.remove(store);
        if (s == null) {
            throw new IllegalStateException("store handle " + store + " freed twice or never created");
        }
        release(s.bytes());
        pinned.addAndGet(-s.stagingBytes());
    }

    // ---- sparse batches -----------------------------------------------------------------------------------------------

    private static final class Sparse {
        int rows;
        int[] rowPtr;
        int[] cols;
        float[] vals;
        int maxCol = -1;
        double[] w;
        double[] b;
        int dim;
        int outputs;
        long inputBytes;
        long wBytes;
        long bBytes;
        long outBytes;

        long bytes() {
            return inputBytes + wBytes + bBytes + outBytes;
        }
    }

    private Sparse batch(long handle) {
        Sparse s = batches.get(handle);
        if (s == null) {
            throw new IllegalArgumentException("the sparse batch is freed");
        }
        return s;
    }

    @Override
    public long sparseCreate(ByteBuffer rowPtr, ByteBuffer cols, ByteBuffer vals, int rows, int nnz) {
        if (rows < 0 || nnz < 0) {
            throw new IllegalArgumentException("bad sparse batch shape");
        }
        Sparse s = new Sparse();
        s.rows = rows;
        s.rowPtr = new int[rows + 1];
        s.cols = new int[nnz];
        s.vals = new float[nnz];
        direct(rowPtr, (rows + 1L) * Integer.BYTES, "row pointers").asIntBuffer().get(s.rowPtr);
        direct(cols, (long) nnz * Integer.BYTES, "columns").asIntBuffer().get(s.cols);
        direct(vals, (long) nnz * Float.BYTES, "values").asFloatBuffer().get(s.vals);
        if (s.rowPtr[0] != 0 || s.rowPtr[rows] != nnz) {
            throw new IllegalArgumentException("row pointers must run from 0 to the number of stored values");
        }
        for (int r = 0; r < rows; r++) {
            if (s.rowPtr[r + 1] < s.rowPtr[r]) {
                throw new IllegalArgumentException("row pointers must not decrease");
            }
        }
        for (int c : s.cols) {
            if (c < 0) {
                throw new IllegalArgumentException("negative column index");
            }
            s.maxCol = Math.max(s.maxCol, c);
        }
        s.inputBytes = (rows + 1L) * Integer.BYTES + (long) nnz * (Integer.BYTES + Float.BYTES);
        allocate(s.inputBytes, "sparse batch");
        long handle = nextHandle.getAndIncrement();
        batches.put(handle, s);
        return handle;
    }

    @Override
    public void sparseSetModel(long batch, ByteBuffer weights, ByteBuffer bias, int dim, int outputs) {
        Sparse s = batch(batch);
        if (outputs < 1 || dim < 0 || dim <= s.maxCol) {
            throw new IllegalArgumentException("the model's dimension does not cover the batch's columns");
        }
        long wBytes = Math.max(Double.BYTES, (long) outputs * dim * Double.BYTES);
        long bBytes = (long) outputs * Double.BYTES;
        DoubleBuffer w = direct(weights, (long) outputs * dim * Double.BYTES, "weights").asDoubleBuffer();
        DoubleBuffer b = direct(bias, bBytes, "bias").asDoubleBuffer();
        s.outputs = 0;
        if (wBytes > s.wBytes) {
            allocate(wBytes, "weights");
            release(s.wBytes);
            s.wBytes = wBytes;
        }
        if (bBytes > s.bBytes) {
            allocate(bBytes, "bias");
            release(s.bBytes);
            s.bBytes = bBytes;
        }
        s.w = new double[outputs * dim];
        s.b = new double[outputs];
        w.get(s.w);
        b.get(s.b);
        s.dim = dim;
        s.outputs = outputs;
    }

    @Override
    public void sparseScore(long batch, KernelPlan plan, int link, ByteBuffer margins, ByteBuffer scores) {
        Sparse s = batch(batch);
        long nOut = (long) s.rows * Math.max(1, s.outputs);
        DoubleBuffer m = direct(margins, nOut * Double.BYTES, "margins").asDoubleBuffer();
        DoubleBuffer sc = scores == null ? null : direct(scores, nOut * Double.BYTES, "scores").asDoubleBuffer();
        if (s.rows == 0) {
            return;
        }
        long want = nOut * (sc != null ? 2 : 1) * Double.BYTES;
        if (want > s.outBytes) {
            allocate(want, "sparse results");
            release(s.outBytes);
            s.outBytes = want;
        }
        checkModel(s.outputs, link, sc != null, true, false);
        maybeFail("sparse scoring");
        double[] mv = outputArray(nOut);
        double[] sv = sc != null ? outputArray(nOut) : null;
        int[] writes = countWrites ? new int[(int) nOut] : null;
        KernelEmulator.sparse(plan, s.rowPtr, s.cols, s.vals, s.rows, s.dim, s.w, s.b, s.outputs, link, mv, sv, writes);
        lastWrites = writes;
        m.put(mv);
        if (sc != null) {
            sc.put(sv);
        }
    }

    @Override
    public long sparseBytes(long batch) {
        return batch(batch).bytes();
    }

    @Override
    public void sparseFree(long batch) {
        Sparse s = batches.remove(batch);
        if (s == null) {
            throw new IllegalStateException("sparse batch handle " + batch + " freed twice or never created");
        }
        release(s.bytes());
    }

    // ---- timing: wall-clock time of the emulation (only the GPU check's self-test uses these) --------------------------

    @Override
    public double[] storeTime(long store, KernelPlan plan, ByteBuffer ids, long firstRow, int count, int link,
                              boolean margins, boolean scores, int reps) {
        Store s = store(store);
        checkModel(s.outputs, link, scores, margins, true);
        int[] idArray = null;
        if (ids != null) {
            idArray = new int[count];
            direct(ids, (long) count * Integer.BYTES, "band ids").asIntBuffer().get(idArray);
        }
        double[] m = margins ? new double[count * s.outputs] : null;
        double[] sc = scores ? new double[KernelEmulator.membersLink(link) ? 2 * count : count * s.outputs] : null;
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            KernelEmulator.dense(plan, s.x, s.ld, idArray, (int) firstRow, count, s.w, s.b, s.outputs, link, m, sc, null);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    @Override
    public double[] sparseTime(long batch, KernelPlan plan, int link, boolean margins, boolean scores, int reps) {
        Sparse s = batch(batch);
        checkModel(s.outputs, link, scores, margins, false);
        double[] m = margins ? new double[s.rows * s.outputs] : null;
        double[] sc = scores ? new double[s.rows * s.outputs] : null;
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            KernelEmulator.sparse(plan, s.rowPtr, s.cols, s.vals, s.rows, s.dim, s.w, s.b, s.outputs, link, m, sc, null);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    @Override
    public double[] copyTime(long bytes, int reps) {
        int chunk = (int) Math.min(bytes, 64L << 20);
        byte[] src = new byte[chunk];
        byte[] dst = new byte[chunk];
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            System.arraycopy(src, 0, dst, 0, chunk);
            ms[r] = (System.nanoTime() - t0) / 1e6 * ((double) bytes / chunk);
        }
        return ms;
    }
}
