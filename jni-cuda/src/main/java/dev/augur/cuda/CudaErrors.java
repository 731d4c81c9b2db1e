package dev.augur.cuda;

import dev.augur.engine.AugurException;

/** This module's error catalogue. CUDA failures use the same text as the native code (augur_cuda.cu, {@code ok()}). */
final class CudaErrors {
    /** SQLSTATE of a failure outside Augur: a CUDA call that failed. */
    static final String CUDA_FAILURE = "58000";
    /** SQLSTATE of a value that does not fit the device's float32 features. */
    static final String OUT_OF_RANGE = "22003";

    private CudaErrors() {
    }

    /** A failed CUDA call, worded like the native library's: {@code CUDA error in <call> (<what>): <name>: <text>}. */
    static AugurException cudaFailure(String call, String what, String errorName, String errorText) {
        return new AugurException(CUDA_FAILURE, "CUDA error in " + call + " (" + what + "): " + errorName + ": " + errorText);
    }

    static AugurException featureOutOfRange(double value, long row, int column) {
        return new AugurException(OUT_OF_RANGE, "feature value " + value + " at row " + row + ", column " + column
                + " does not fit in float32, which device feature stores hold; scale the input or score it on the CPU");
    }

    static IllegalStateException closed() {
        return new IllegalStateException("the device feature store is closed");
    }
}
