package dev.augur.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A simulated device that records the scoring calls it receives, to check how the host batches them. */
final class RecordingDevice implements Device {
    record ScoreCall(long firstRow, int count, boolean byIds, int link, boolean scores, KernelPlan plan) {
    }

    final SimulatedDevice inner;
    final List<ScoreCall> scoreCalls = new ArrayList<>();
    final List<Integer> uploads = new ArrayList<>();
    final List<Integer> scatters = new ArrayList<>();
    final List<Long> reserves = new ArrayList<>();

    RecordingDevice(SimulatedDevice inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int multiprocessors() {
        return inner.multiprocessors();
    }

    @Override
    public int residentBlocksPerSm(int kind, KernelPlan plan) {
        return inner.residentBlocksPerSm(kind, plan);
    }

    @Override
    public long allocatedBytes() {
        return inner.allocatedBytes();
    }

    @Override
    public long pinnedBytes() {
        return inner.pinnedBytes();
    }

    @Override
    public long[] memInfo() {
        return inner.memInfo();
    }

    @Override
    public void setPoison(boolean on) {
        inner.setPoison(on);
    }

    @Override
    public long storeCreate(int ld, long capacityRows, int stagingRows, int stagingIds, int stagingResults) {
        return inner.storeCreate(ld, capacityRows, stagingRows, stagingIds, stagingResults);
    }

    @Override
    public ByteBuffer storeStaging(long store, int which) {
        return inner.storeStaging(store, which);
    }

    @Override
    public void storeReserve(long store, long capacityRows, long keepRows) {
        reserves.add(capacityRows);
        inner.storeReserve(store, capacityRows, keepRows);
    }

    @Override
    public void storeUpload(long store, long firstRow, int rows) {
        uploads.add(rows);
        inner.storeUpload(store, firstRow, rows);
    }

    @Override
    public void storeScatter(long store, int count) {
        scatters.add(count);
        inner.storeScatter(store, count);
    }

    @Override
    public void storeSetModel(long store, ByteBuffer weights, ByteBuffer bias, int outputs) {
        inner.storeSetModel(store, weights, bias, outputs);
    }

    @Override
    public void storeScore(long store, KernelPlan plan, long firstRow, int count, boolean byIds, int link, boolean scores) {
        scoreCalls.add(new ScoreCall(firstRow, count, byIds, link, scores, plan));
        inner.storeScore(store, plan, firstRow, count, byIds, link, scores);
    }

    @Override
    public long storeBytes(long store) {
        return inner.storeBytes(store);
    }

    @Override
    public void storeFree(long store) {
        inner.storeFree(store);
    }

    @Override
    public long sparseCreate(ByteBuffer rowPtr, ByteBuffer cols, ByteBuffer vals, int rows, int nnz) {
        return inner.sparseCreate(rowPtr, cols, vals, rows, nnz);
    }

    @Override
    public void sparseSetModel(long batch, ByteBuffer weights, ByteBuffer bias, int dim, int outputs) {
        inner.sparseSetModel(batch, weights, bias, dim, outputs);
    }

    @Override
    public void sparseScore(long batch, KernelPlan plan, int link, ByteBuffer margins, ByteBuffer scores) {
        inner.sparseScore(batch, plan, link, margins, scores);
    }

    @Override
    public long sparseBytes(long batch) {
        return inner.sparseBytes(batch);
    }

    @Override
    public void sparseFree(long batch) {
        inner.sparseFree(batch);
    }

    @Override
    public double[] storeTime(long store, KernelPlan plan, ByteBuffer ids, long firstRow, int count, int link,
                              boolean margins, boolean scores, int reps) {
        return inner.storeTime(store, plan, ids, firstRow, count, link, margins, scores, reps);
    }

    @Override
    public double[] sparseTime(long batch, KernelPlan plan, int link, boolean margins, boolean scores, int reps) {
        return inner.sparseTime(batch, plan, link, margins, scores, reps);
    }

    @Override
    public double[] copyTime(long bytes, int reps) {
        return inner.copyTime(bytes, reps);
    }
}
