package dev.augur.engine;

/**
 * A batched scoring backend for linear maps: the CPU backend is always there; others (CUDA) come through
 * {@link ScorerProvider}. Inputs first, output last; shapes are checked with both shapes in the message.
 *
 * <p>A linear map has {@code outputs} rows of {@code dim} weights (row-major) and one bias per output; the margin
 * of row r and output o goes to {@code out[r * outputs + o]}.
 */
public interface Scorer {
    /** Short name for statistics and logs: {@code cpu}, {@code cuda}. */
    String name();

    /** Dense rows: {@code x} holds {@code rows × dim} values, row-major. */
    void denseMargins(double[] x, int rows, int dim, double[] weights, double[] bias, int outputs, double[] out);

    /**
     * Sparse rows in CSR form: row r's features are {@code indices/values[rowPtr[r] .. rowPtr[r+1])}, each index
     * below {@code dim}.
     */
    void sparseMargins(int[] rowPtr, int[] indices, double[] values, int rows, int dim,
                       double[] weights, double[] bias, int outputs, double[] out);

    /** Checks a dense batch's shapes (every backend's {@link #denseMargins} starts here). */
    static void checkDense(double[] x, int rows, int dim, double[] weights, double[] bias, int outputs, double[] out) {
        checkShapes(rows, dim, weights, bias, outputs, out);
        if (x.length < (long) rows * dim) {
            throw new IllegalArgumentException("x has " + x.length + " values, " + rows + " rows x " + dim + " dims need "
                    + ((long) rows * dim));
        }
    }

    /** Checks a sparse batch's shapes (every backend's {@link #sparseMargins} starts here). */
    static void checkSparse(int[] rowPtr, int rows, int dim, double[] weights, double[] bias, int outputs, double[] out) {
        checkShapes(rows, dim, weights, bias, outputs, out);
        if (rowPtr.length < rows + 1) {
            throw new IllegalArgumentException("rowPtr has " + rowPtr.length + " entries, " + rows + " rows need " + (rows + 1));
        }
    }

    /** Checks the shapes shared by both kinds of batch. */
    private static void checkShapes(int rows, int dim, double[] weights, double[] bias, int outputs, double[] out) {
        if (rows < 0 || dim < 0 || outputs < 1) {
            throw new IllegalArgumentException("bad shape: rows " + rows + ", dim " + dim + ", outputs " + outputs);
        }
        if (weights.length != (long) outputs * dim) {
            throw new IllegalArgumentException("weights have " + weights.length + " values, a " + outputs + " x " + dim
                    + " map needs " + ((long) outputs * dim));
        }
        if (bias.length != outputs) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, " + outputs + " outputs need " + outputs);
        }
        if (out.length < (long) rows * outputs) {
            throw new IllegalArgumentException("out has " + out.length + " values, " + rows + " rows x " + outputs
                    + " outputs need " + ((long) rows * outputs));
        }
    }
}
