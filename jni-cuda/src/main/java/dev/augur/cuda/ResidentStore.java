package dev.augur.cuda;

import dev.augur.engine.AugurException;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link DeviceFeatureStore} over a {@link Device}: packing rows into the pinned staging, batching by the staging's
 * capacity, id bands, growth, and the results' way back. The same code runs on the GPU and on the simulated device.
 */
final class ResidentStore implements DeviceFeatureStore {
    /**
     * Pinned staging per store: rows (bytes), band ids (count) and results (doubles: margins and scores). The
     * defaults cost 8 + 4 + 16 MiB of pinned host memory and the same on the device, and move ~1M rows per call.
     */
    record Staging(long rowBytes, int ids, int results) {
        static final Staging DEFAULT = new Staging(8L << 20, 1 << 20, 1 << 21);

        int rowsFor(int ld) {
            long rowBytesEach = (long) ld * Float.BYTES;
            return (int) Math.max(1, Math.min(rowBytes / rowBytesEach, Integer.MAX_VALUE / rowBytesEach));
        }
    }

    /** Consecutive ids at least this long are scored as a range: no ids to upload, contiguous reads. */
    static final int MIN_RUN = 1024;
    static final long INITIAL_ROWS = 1024;

    private static final Cleaner CLEANER = Cleaner.create();

    /** The native store, freed exactly once: by {@link #close()} or, for a store never closed, by the cleaner. */
    private static final class Handle implements Runnable {
        final Device device;
        final AtomicLong value;
        final String description;
        volatile boolean closing;

        Handle(Device device, long value, String description) {
            this.device = device;
            this.value = new AtomicLong(value);
            this.description = description;
        }

        @Override
        public void run() {
            long h = value.getAndSet(0);
            if (h != 0) {
                if (!closing) {
                    System.err.println("augur: a device feature store (" + description + ") was not closed; freeing its device memory now");
                }
                device.storeFree(h);
            }
        }
    }

    private final Device device;
    private final int dim;
    private final int ld;
    private final int stagingRows;
    private final int stagingIds;
    private final int stagingResults;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private FloatBuffer stagedRows;
    private IntBuffer stagedIds;
    private DoubleBuffer results;
    private int rows;
    private long capacityRows;
    private int modelOutputs;
    private boolean deepPlans;

    private ResidentStore(Device device, int dim, int ld, long capacityRows, int stagingRows, Staging staging, long h) {
        this.device = device;
        this.dim = dim;
        this.ld = ld;
        this.capacityRows = capacityRows;
        this.stagingRows = stagingRows;
        this.stagingIds = staging.ids();
        this.stagingResults = staging.results();
        this.handle = new Handle(device, h, device.name() + ", dim " + dim);
        this.cleanable = CLEANER.register(this, handle);
    }

    static ResidentStore open(Device device, int dim) {
        return open(device, dim, INITIAL_ROWS, Staging.DEFAULT);
    }

    static ResidentStore open(Device device, int dim, long initialRows, Staging staging) {
        int ld = Packing.stride(dim);
        int stagingRows = staging.rowsFor(ld);
        long h = device.storeCreate(ld, initialRows, stagingRows, staging.ids(), staging.results());
        ResidentStore store;
        try {
            store = new ResidentStore(device, dim, ld, initialRows, stagingRows, staging, h);
        } catch (RuntimeException | Error e) {
            device.storeFree(h);
            throw e;
        }
        try {
            store.stagedRows = Packing.nativeOrder(device.storeStaging(h, Native.STAGED_ROWS)).asFloatBuffer();
            store.stagedIds = Packing.nativeOrder(device.storeStaging(h, Native.STAGED_IDS)).asIntBuffer();
            store.results = Packing.nativeOrder(device.storeStaging(h, Native.STAGED_RESULTS)).asDoubleBuffer();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Capacity after growing from {@code capacity} to hold {@code needed} rows: by half, or to {@code needed} if more. */
    static long grownCapacity(long capacity, long needed) {
        return Math.min(Integer.MAX_VALUE, Math.max(needed, capacity + capacity / 2));
    }

    private long live() {
        long h = handle.value.get();
        if (h == 0) {
            throw CudaErrors.closed();
        }
        return h;
    }

    @Override
    public String backend() {
        return device.name();
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public synchronized int rows() {
        return rows;
    }

    /** Rows the device buffer holds before it must grow. */
    synchronized long capacityRows() {
        return capacityRows;
    }

    @Override
    public synchronized long deviceBytes() {
        long h = handle.value.get();
        try {
            return h == 0 ? 0 : device.storeBytes(h);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public int append(double[] values, int count) {
        return append(values, 0, count);
    }

    /** Appends rows {@code fromRow .. fromRow + count} of {@code values}. */
    synchronized int append(double[] values, int fromRow, int count) {
        try {
            long h = live();
            checkRows(values, fromRow, count);
            if ((long) rows + count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a feature store holds at most 2^31 - 1 rows; it has " + rows
                        + " and " + count + " more were appended");
            }
            ensureCapacity(h, (long) rows + count);
            upload(h, values, fromRow, rows, count);
            int first = rows;
            rows += count; // only now: rows of a failed upload stay invisible
            return first;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public synchronized void replace(int firstRow, double[] values, int count) {
        try {
            long h = live();
            checkRows(values, 0, count);
            if (firstRow < 0 || (long) firstRow + count > rows) {
                throw new IllegalArgumentException("rows " + firstRow + ".." + ((long) firstRow + count) + " are outside the store's "
                        + rows + " rows");
            }
            upload(h, values, 0, firstRow, count);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public synchronized void replace(int[] rowIds, double[] values) {
        try {
            long h = live();
            IdBands.check(rowIds, rows);
            IdBands.checkDistinct(rowIds);
            checkRows(values, 0, rowIds.length);
            int batch = Math.min(stagingRows, stagingIds);
            for (int done = 0; done < rowIds.length; done += batch) {
                int n = Math.min(batch, rowIds.length - done);
                stagedIds.clear();
                stagedIds.put(rowIds, done, n);
                Packing.rows(values, done, n, dim, ld, stagedRows, done);
                device.storeScatter(h, n);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public synchronized Band rescore(int[] rowIds, double[] weights, double[] bias, Link link) {
        try {
            long h = live();
            int outputs = setModel(h, weights, bias);
            IdBands.check(rowIds, rows);
            int[] ids = rowIds.clone();
            List<IdBands.Batch> batches = IdBands.plan(ids, MIN_RUN, stagingIds, positionsPerCall(outputs, link));
            return score(h, ids, batches, outputs, link);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public synchronized Band rescoreAll(double[] weights, double[] bias, Link link) {
        try {
            long h = live();
            int outputs = setModel(h, weights, bias);
            int[] ids = allRowIds();
            return score(h, ids, IdBands.range(0, rows, positionsPerCall(outputs, link)), outputs, link);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Every row, in order: the ids of a full re-scoring. */
    private int[] allRowIds() {
        int[] ids = new int[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
        }
        return ids;
    }

    @Override
    public synchronized EnsembleBand rescoreEnsemble(int[] rowIds, double[] weights, double[] bias, Link memberLink) {
        try {
            long h = live();
            int code = memberLink.membersCode();
            int members = setModel(h, weights, bias);
            IdBands.check(rowIds, rows);
            int[] ids = rowIds.clone();
            return scoreEnsemble(h, ids, IdBands.plan(ids, MIN_RUN, stagingIds, stagingResults / 2), members, code);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public synchronized EnsembleBand rescoreAllEnsemble(double[] weights, double[] bias, Link memberLink) {
        try {
            long h = live();
            int code = memberLink.membersCode();
            int members = setModel(h, weights, bias);
            int[] ids = allRowIds();
            return scoreEnsemble(h, ids, IdBands.range(0, rows, stagingResults / 2), members, code);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public double[] bandMargins(int[] rowIds, double[] weights, double bias) {
        return rescore(rowIds, weights, new double[] {bias}, Link.IDENTITY).margins();
    }

    /** Forgets the rows (keeps the device buffer): CudaScorer reuses one store for the chunks of a batch. */
    synchronized void clear() {
        live();
        rows = 0;
    }

    /** The margins of every row under {@code weights, bias} into {@code out} from position {@code outPosition}. */
    synchronized void marginsInto(double[] weights, double[] bias, double[] out, int outPosition) {
        try {
            long h = live();
            int outputs = setModel(h, weights, bias);
            for (IdBands.Batch b : IdBands.range(0, rows, positionsPerCall(outputs, Link.IDENTITY))) {
                call(h, b, null, outputs, Link.IDENTITY, false);
                results.clear();
                results.get(out, (outPosition + b.from()) * outputs, b.count() * outputs);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The plan for {@code count} positions: the variant for this row width, a grid of one full wave. */
    KernelPlan plan(int count, boolean deep) {
        return plan(count, deep, Link.IDENTITY.code());
    }

    /**
     * As {@link #plan(int, boolean)} for a launch with link code {@code linkCode}: a members link runs the variant's
     * ensemble twin, whose occupancy then sizes the grid.
     */
    KernelPlan plan(int count, boolean deep, int linkCode) {
        int kind = KernelEmulator.membersLink(linkCode) ? KernelPlan.DENSE_MEMBERS : KernelPlan.DENSE;
        KernelPlan variant = KernelPlan.dense(ld, count, 1, 1, deep);
        int resident = device.residentBlocksPerSm(kind, variant);
        return KernelPlan.dense(ld, count, device.multiprocessors(), resident, deep);
    }

    /** Scores with the deep variants (twice the rows in flight per lane): the GPU check verifies and times both. */
    synchronized void useDeepPlans(boolean deep) {
        deepPlans = deep;
    }

    /** Sets a model without scoring (the GPU check's timing calls use it). */
    synchronized void setModel(double[] weights, double[] bias) {
        try {
            setModel(live(), weights, bias);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Native handle, for the GPU check's timing calls. */
    long handleForTiming() {
        return live();
    }

    @Override
    public synchronized void close() {
        if (handle.value.get() == 0) {
            return;
        }
        handle.closing = true;
        stagedRows = null; // the pinned memory behind these goes with the store
        stagedIds = null;
        results = null;
        cleanable.clean();
    }

    // ---- internals ----------------------------------------------------------------------------------------------------

    private void checkRows(double[] values, int fromRow, int count) {
        if (count < 0 || fromRow < 0) {
            throw new IllegalArgumentException("negative row count or offset: " + fromRow + ", " + count);
        }
        if (values.length < ((long) fromRow + count) * dim) {
            throw new IllegalArgumentException("values have " + values.length + " entries, " + ((long) fromRow + count) + " rows x "
                    + dim + " dims need " + (((long) fromRow + count) * dim));
        }
    }

    private void ensureCapacity(long h, long needed) {
        if (needed <= capacityRows) {
            return;
        }
        long grown = grownCapacity(capacityRows, needed);
        try {
            device.storeReserve(h, grown, rows);
            capacityRows = grown;
        } catch (AugurException e) {
            if (grown == needed || !CudaErrors.CUDA_FAILURE.equals(e.sqlState())) {
                throw e;
            }
            // the generous size did not fit: take exactly what is needed
            device.storeReserve(h, needed, rows);
            capacityRows = needed;
        }
    }

    private void upload(long h, double[] values, int fromRow, long toRow, int count) {
        for (int done = 0; done < count; done += stagingRows) {
            int n = Math.min(stagingRows, count - done);
            Packing.rows(values, (long) fromRow + done, n, dim, ld, stagedRows, toRow + done);
            device.storeUpload(h, toRow + done, n);
        }
    }

    /** Uploads the model; returns its number of outputs. */
    private int setModel(long h, double[] weights, double[] bias) {
        int outputs = bias.length;
        if (outputs < 1) {
            throw new IllegalArgumentException("a model needs at least one output (bias has no values)");
        }
        if (weights.length != (long) outputs * dim) {
            throw new IllegalArgumentException("weights have " + weights.length + " values, a " + outputs + " x " + dim
                    + " map needs " + ((long) outputs * dim));
        }
        modelOutputs = 0;
        device.storeSetModel(h, Packing.weights(weights, outputs, dim, ld), Packing.doubles(bias), outputs);
        modelOutputs = outputs;
        return outputs;
    }

    /** Positions per device call: what the result staging holds (margins, and scores unless the link is the identity). */
    private int positionsPerCall(int outputs, Link link) {
        int perPosition = outputs * (link == Link.IDENTITY ? 1 : 2);
        int n = stagingResults / perPosition;
        if (n < 1) {
            throw new IllegalArgumentException(outputs + " outputs do not fit the result staging of " + stagingResults + " values");
        }
        return n;
    }

    private Band score(long h, int[] ids, List<IdBands.Batch> batches, int outputs, Link link) {
        long values = (long) ids.length * outputs;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(ids.length + " rows x " + outputs + " outputs do not fit a Java array");
        }
        boolean wantScores = link != Link.IDENTITY;
        double[] margins = new double[(int) values];
        double[] scores = wantScores ? new double[(int) values] : margins;
        for (IdBands.Batch b : batches) {
            call(h, b, ids, outputs, link, wantScores);
            int n = b.count() * outputs;
            results.clear();
            results.get(margins, b.from() * outputs, n);
            if (wantScores) {
                results.get(scores, b.from() * outputs, n); // scores follow the margins in the staging
            }
        }
        return new Band(ids, outputs, scores, margins);
    }

    /** The batches' {mean, spread} pairs (the staging holds them in position order) split into two arrays. */
    private EnsembleBand scoreEnsemble(long h, int[] ids, List<IdBands.Batch> batches, int members, int code) {
        double[] means = new double[ids.length];
        double[] spreads = new double[ids.length];
        double[] pairs = new double[2 * Math.min(ids.length, stagingResults / 2)];
        for (IdBands.Batch b : batches) {
            call(h, b, ids, members, code, true);
            results.clear();
            results.get(pairs, 0, 2 * b.count());
            for (int i = 0; i < b.count(); i++) {
                means[b.from() + i] = pairs[2 * i];
                spreads[b.from() + i] = pairs[2 * i + 1];
            }
        }
        return new EnsembleBand(ids, means, spreads);
    }

    private void call(long h, IdBands.Batch b, int[] ids, int outputs, Link link, boolean wantScores) {
        call(h, b, ids, outputs, link.code(), wantScores);
    }

    private void call(long h, IdBands.Batch b, int[] ids, int outputs, int linkCode, boolean wantScores) {
        if (modelOutputs != outputs) {
            throw new IllegalStateException("no model of " + outputs + " outputs is set");
        }
        KernelPlan plan = plan(b.count(), deepPlans, linkCode);
        if (b.range()) {
            device.storeScore(h, plan, b.firstRow(), b.count(), false, linkCode, wantScores);
        } else {
            stagedIds.clear();
            stagedIds.put(ids, b.from(), b.count());
            device.storeScore(h, plan, 0, b.count(), true, linkCode, wantScores);
        }
    }
}
