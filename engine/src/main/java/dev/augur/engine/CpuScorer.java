package dev.augur.engine;

/** The CPU backend: tight loops over primitive arrays, one pass per output. Always available. */
public final class CpuScorer implements Scorer {
    public static final CpuScorer INSTANCE = new CpuScorer();

    private CpuScorer() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void denseMargins(double[] x, int rows, int dim, double[] weights, double[] bias, int outputs, double[] out) {
        Scorer.checkDense(x, rows, dim, weights, bias, outputs, out);
        for (int r = 0; r < rows; r++) {
            int xo = r * dim;
            for (int o = 0; o < outputs; o++) {
                int wo = o * dim;
                double m = bias[o];
                for (int i = 0; i < dim; i++) {
                    m += weights[wo + i] * x[xo + i];
                }
                out[r * outputs + o] = m;
            }
        }
    }

    @Override
    public void sparseMargins(int[] rowPtr, int[] indices, double[] values, int rows, int dim,
                              double[] weights, double[] bias, int outputs, double[] out) {
        Scorer.checkSparse(rowPtr, rows, dim, weights, bias, outputs, out);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputs; o++) {
                int wo = o * dim;
                double m = bias[o];
                for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
                    m += weights[wo + indices[j]] * values[j];
                }
                out[r * outputs + o] = m;
            }
        }
    }
}
