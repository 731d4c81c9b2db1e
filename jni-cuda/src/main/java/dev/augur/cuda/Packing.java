package dev.augur.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * The host side of the device layout (kernels.cuh): feature rows as float32, {@code ld} floats apart with ld the
 * dimension rounded up to a multiple of 4 and the padding zeroed, so every row is whole float4s at 16-byte aligned
 * addresses; weights as float64 in the same padded layout; CSR batches rebased to start at 0.
 */
final class Packing {
    /** Widest dense row a store takes (floats): keeps a staged row and its weights well inside a direct buffer. */
    static final int MAX_DIM = 1 << 26;

    private Packing() {
    }

    /** The row stride for a dimension: a positive multiple of 4. */
    static int stride(int dim) {
        if (dim < 0 || dim > MAX_DIM) {
            throw new IllegalArgumentException("dimension " + dim + " is outside 0.." + MAX_DIM);
        }
        return Math.max(4, (dim + 3) & ~3);
    }

    /** A direct buffer in native byte order: what the native code reads through its address. */
    static ByteBuffer direct(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(bytes + " bytes do not fit one direct buffer");
        }
        return ByteBuffer.allocateDirect((int) Math.max(1, bytes)).order(ByteOrder.nativeOrder());
    }

    /** {@code buffer} seen in native byte order from its start (a buffer from JNI starts big-endian). */
    static ByteBuffer nativeOrder(ByteBuffer buffer) {
        return buffer.duplicate().clear().order(ByteOrder.nativeOrder());
    }

    /**
     * Packs rows {@code firstRow .. firstRow + count} of {@code src} ({@code dim} values per row, row-major) into
     * {@code dst} from its start, {@code ld} floats per row, zero padded.
     *
     * @param rowNumber the number reported for {@code src}'s first row in an out-of-range error
     */
    static void rows(double[] src, long firstRow, int count, int dim, int ld, FloatBuffer dst, long rowNumber) {
        float[] row = new float[ld];
        dst.clear();
        for (int r = 0; r < count; r++) {
            long base = (firstRow + r) * dim;
            for (int c = 0; c < dim; c++) {
                row[c] = toFloat(src[(int) (base + c)], rowNumber + r, c);
            }
            dst.put(row);
        }
    }

    /** A feature value as float32; a finite value beyond float32's range is an error, not an infinity. */
    static float toFloat(double v, long row, int column) {
        float f = (float) v;
        if (Float.isInfinite(f) && !Double.isInfinite(v)) {
            throw CudaErrors.featureOutOfRange(v, row, column);
        }
        return f;
    }

    /** Weights ({@code outputs × dim}, row-major) as {@code outputs × ld} float64, zero padded, in a new direct buffer. */
    static ByteBuffer weights(double[] w, int outputs, int dim, int ld) {
        if (w.length != (long) outputs * dim) {
            throw new IllegalArgumentException("weights have " + w.length + " values, a " + outputs + " x " + dim
                    + " map needs " + ((long) outputs * dim));
        }
        ByteBuffer bytes = direct((long) outputs * ld * Double.BYTES);
        DoubleBuffer out = bytes.asDoubleBuffer();
        for (int o = 0; o < outputs; o++) {
            out.position(o * ld);
            out.put(w, o * dim, dim);
        }
        return bytes;
    }

    static ByteBuffer doubles(double[] values) {
        ByteBuffer bytes = direct((long) values.length * Double.BYTES);
        bytes.asDoubleBuffer().put(values);
        return bytes;
    }

    /** A CSR batch in direct buffers, row pointers starting at 0. */
    record Csr(ByteBuffer rowPtr, ByteBuffer cols, ByteBuffer vals, int rows, int nnz) {
    }

    /**
     * Rows {@code fromRow .. toRow} of a CSR matrix, rebased so that its row pointers start at 0, with every row
     * pointer, column and value checked: the device must never read outside the weights.
     */
    static Csr csr(int[] rowPtr, int[] indices, double[] values, int fromRow, int toRow, int dim) {
        if (fromRow < 0 || toRow < fromRow || toRow >= rowPtr.length) {
            throw new IllegalArgumentException("rows " + fromRow + ".." + toRow + " are outside the " + (rowPtr.length - 1)
                    + " rows of rowPtr");
        }
        int base = rowPtr[fromRow];
        int end = rowPtr[toRow];
        if (base < 0 || end < base || end > indices.length || end > values.length) {
            throw new IllegalArgumentException("rowPtr[" + fromRow + "] = " + base + " .. rowPtr[" + toRow + "] = " + end
                    + " is not a range of the " + Math.min(indices.length, values.length) + " stored values");
        }
        int rows = toRow - fromRow;
        int nnz = end - base;
        ByteBuffer ptrBytes = direct((rows + 1L) * Integer.BYTES);
        ByteBuffer colBytes = direct((long) nnz * Integer.BYTES);
        ByteBuffer valBytes = direct((long) nnz * Float.BYTES);
        IntBuffer ptr = ptrBytes.asIntBuffer();
        IntBuffer col = colBytes.asIntBuffer();
        FloatBuffer val = valBytes.asFloatBuffer();
        for (int r = fromRow; r <= toRow; r++) {
            if (r > fromRow && rowPtr[r] < rowPtr[r - 1]) {
                throw new IllegalArgumentException("rowPtr decreases at row " + (r - 1) + ": " + rowPtr[r - 1] + " then " + rowPtr[r]);
            }
            ptr.put(rowPtr[r] - base);
        }
        for (int r = fromRow; r < toRow; r++) {
            for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
                int c = indices[j];
                if (c < 0 || c >= dim) {
                    throw new IllegalArgumentException("row " + r + " has feature index " + c + ", outside 0.." + (dim - 1));
                }
                col.put(c);
                val.put(toFloat(values[j], r, c));
            }
        }
        return new Csr(ptrBytes, colBytes, valBytes, rows, nnz);
    }
}
