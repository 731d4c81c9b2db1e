package dev.augur.cuda;

import dev.augur.engine.model.ModelKind;

/**
 * A view's feature rows kept in device memory: uploaded once, appended to and replaced as the base table changes, and
 * re-scored in place when the model changes, so that a model change costs one pass over device memory and a copy of the
 * results (16 bytes per re-scored row), never a copy of the features. Rows are numbered from 0 in order of appending;
 * the caller maps its keys to row ids (a deleted key's row can be replaced by the next insert).
 *
 * <p>Features are stored as float32 (a finite value beyond float32's range is an error, SQLSTATE 22003); weights, sums
 * and results are float64, so margins equal a float64 computation on the float32-rounded features up to the order of
 * additions. A CUDA failure is an {@code AugurException} with SQLSTATE 58000 and the CUDA error text.
 *
 * <p>Thread-safe (calls on one store are serialized). Close it to free the device memory; a store that is garbage
 * collected unclosed is freed then, with a warning.
 */
public interface DeviceFeatureStore extends AutoCloseable {
    /** How a margin becomes a score. The order is part of the native interface (kernels.cuh {@code Link}). */
    enum Link {
        /** score = margin (linear regression). */
        IDENTITY,
        /** score = 1 / (1 + e^-margin) per output (logistic regression; SVMs' uncalibrated score). */
        LOGISTIC,
        /** scores = softmax of the outputs' margins (multi-class). */
        SOFTMAX;

        /** The link a model kind's scores use (each member's, for an ensemble), as {@link ModelKind.Link} defines them. */
        public static Link of(ModelKind kind) {
            return switch (kind.link()) {
                case IDENTITY -> IDENTITY;
                case LOGISTIC -> LOGISTIC;
                case SOFTMAX -> SOFTMAX;
            };
        }

        int code() {
            return ordinal();
        }

        /** The native code of an ensemble whose members use this link (kernels.cuh {@code LINK_MEMBERS_*}). */
        int membersCode() {
            return switch (this) {
                case IDENTITY -> KernelEmulator.MEMBERS_IDENTITY;
                case LOGISTIC -> KernelEmulator.MEMBERS_LOGISTIC;
                case SOFTMAX -> throw new IllegalArgumentException("an ensemble's members have one margin each, scored by the"
                        + " identity or the logistic; softmax members are not supported");
            };
        }
    }

    /**
     * Re-scored rows of a bagged ensemble: position i is row {@code ids[i]}, {@code means[i]} the mean of its members'
     * scores and {@code spreads[i]} their population standard deviation (the engine's bagged ensembles' score and
     * spread), computed on the device.
     */
    record EnsembleBand(int[] ids, double[] means, double[] spreads) {
        public int size() {
            return ids.length;
        }
    }

    /**
     * Re-scored rows: position i is row {@code ids[i]}, with {@code outputs} margins and scores at
     * {@code [i × outputs, (i + 1) × outputs)}. For {@link Link#IDENTITY} {@code scores} is the margins array itself.
     */
    record Band(int[] ids, int outputs, double[] scores, double[] margins) {
        public int size() {
            return ids.length;
        }

        /** Position i's score (its first output's). */
        public double score(int i) {
            return scores[i * outputs];
        }

        /** Position i's margin (its first output's). */
        public double margin(int i) {
            return margins[i * outputs];
        }
    }

    /**
     * A store for rows of {@code dim} features on the CUDA device when one is usable, else {@link #simulated} (the same
     * results, computed on the CPU; the reason is logged once).
     */
    static DeviceFeatureStore create(int dim) {
        NativeLibrary.Status status = NativeLibrary.status();
        if (status.ready()) {
            return ResidentStore.open(CudaDevice.get(), dim);
        }
        NativeLibrary.logOnce("CUDA unavailable (" + status.reason() + "); device feature stores are simulated on the CPU");
        return simulated(dim);
    }

    /** A store whose device is simulated in Java: the same host logic and results, no GPU needed. */
    static DeviceFeatureStore simulated(int dim) {
        return ResidentStore.open(SimulatedDevice.shared(), dim);
    }

    /** {@code cuda} or {@code simulated}. */
    String backend();

    int dim();

    /** Rows appended so far. */
    int rows();

    /** Device memory this store holds: rows (with room to grow), staging and the last model. */
    long deviceBytes();

    /**
     * Appends {@code count} rows ({@code dim} values each, row-major, from the start of {@code values}) and returns the
     * id of the first; grows the device buffer by half its size (or to what is needed) when full.
     */
    int append(double[] values, int count);

    /** Replaces rows {@code firstRow .. firstRow + count} with {@code count} rows from {@code values}. */
    void replace(int firstRow, double[] values, int count);

    /** Replaces row {@code rowIds[i]} with row i of {@code values}; the ids must be distinct. */
    void replace(int[] rowIds, double[] values);

    /**
     * Scores rows {@code rowIds} (any order; results in that order) with a model of {@code bias.length} outputs whose
     * weights are {@code outputs × dim}, row-major. Long runs of consecutive ids are scored as ranges.
     */
    Band rescore(int[] rowIds, double[] weights, double[] bias, Link link);

    /** Scores every row (ids 0 .. rows − 1). */
    Band rescoreAll(double[] weights, double[] bias, Link link);

    /**
     * Scores rows {@code rowIds} (any order; results in that order) with a bagged ensemble of {@code bias.length} members,
     * weights {@code members × dim} row-major, each member's score its {@code memberLink} (identity or logistic) of its
     * margin: one pass over the rows for all members, and 16 bytes per row come back (mean and spread), not the members'
     * margins.
     */
    EnsembleBand rescoreEnsemble(int[] rowIds, double[] weights, double[] bias, Link memberLink);

    /** {@link #rescoreEnsemble} of every row (ids 0 .. rows − 1). */
    EnsembleBand rescoreAllEnsemble(double[] weights, double[] bias, Link memberLink);

    /** The margins {@code w · x + bias} of rows {@code rowIds} for a single-output model. */
    double[] bandMargins(int[] rowIds, double[] weights, double bias);

    /** Frees the device memory; later calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
