package dev.augur.cuda;

/**
 * The kernels of kernels.cuh replayed on the CPU, warp by warp and lane by lane: the same tiles, the same lane slices,
 * the same fma order and the same xor butterfly, so margins come out bitwise equal to the GPU's (the GPU check
 * compares them) and the CPU tests exercise the indexing the GPU runs. Only the links' exp may differ in the last bit.
 *
 * <p>{@code writes}, when given, counts the writes per output so that tests can check every output is written once.
 */
final class KernelEmulator {
    static final int IDENTITY = 0;
    static final int LOGISTIC = 1;
    static final int SOFTMAX = 2;
    /** A bagged ensemble's members, each scored by the identity or the logistic: {mean, spread} per position. */
    static final int MEMBERS_IDENTITY = 3;
    static final int MEMBERS_LOGISTIC = 4;

    /** Whether a link code is an ensemble's members link: one {mean, spread} pair per position, no margins. */
    static boolean membersLink(int link) {
        return link >= MEMBERS_IDENTITY;
    }

    private KernelEmulator() {
    }

    /**
     * dense_kernel (k ≥ 1) and dense_long_kernel (k = 0). Position i scores row {@code ids[i]}, or {@code first + i}
     * when {@code ids} is null; features are rows of {@code ld} floats; weights are outputs × ld. With a members link
     * {@code margins} is null and {@code scores} gets {mean, spread} per position ({@link #memberResult}).
     */
    static void dense(KernelPlan p, float[] x, int ld, int[] ids, int first, int n, double[] w, double[] b, int outputs,
                      int link, double[] margins, double[] scores, int[] writes) {
        int g = p.g();
        int rowsPerStep = 32 / g;
        int tile = p.rowsPerTile();
        int ld4 = ld / 4;
        long warps = (long) p.blocks() * KernelPlan.WARPS_PER_BLOCK;
        long tiles = KernelPlan.ceilDiv(n, tile);
        double[] lanes = new double[g];
        double[] scratch = new double[g];
        boolean members = membersLink(link);
        double[] memberMargins = members ? new double[outputs] : null;
        for (long warp = 0; warp < warps; warp++) {
            for (long t = warp; t < tiles; t += warps) {
                for (int u = 0; u < p.u(); u++) {
                    for (int slot = 0; slot < rowsPerStep; slot++) {
                        long at = t * tile + (long) u * rowsPerStep + slot;
                        if (at >= n) {
                            continue;
                        }
                        int pos = (int) at;
                        int row = ids != null ? ids[pos] : first + pos;
                        double last = 0;
                        for (int o = 0; o < outputs; o++) {
                            for (int sub = 0; sub < g; sub++) {
                                lanes[sub] = denseLane(x, (long) row * ld, ld4, w, (long) o * ld, sub, g, p.k());
                            }
                            last = groupSum(lanes, scratch, g) + b[o];
                            if (members) {
                                memberMargins[o] = last;
                            } else if (margins != null) {
                                margins[pos * outputs + o] = last;
                                count(writes, pos * outputs + o);
                            }
                        }
                        if (members) {
                            memberResult(memberMargins, link, g, lanes, scratch, scores, pos, writes);
                            continue;
                        }
                        if (scores == null) {
                            continue;
                        }
                        if (p.k() != 0 && link == SOFTMAX) {
                            groupSoftmax(margins, scores, outputs, pos, g, lanes, scratch, writes);
                        } else {
                            writeScores(margins, scores, outputs, link, pos, last, writes);
                        }
                    }
                }
            }
        }
    }

    /**
     * dense_kernel's group_scores for softmax (other links are per output, so writeScores gives the same bits): lane
     * {@code sub} of the row's g lanes sums exp(m - max) over outputs sub, sub + g, ... in that order, then the g partial
     * sums are added by the butterfly. Overwrites the scratch arrays.
     */
    private static void groupSoftmax(double[] margins, double[] scores, int outputs, int pos, int g, double[] lanes,
                                     double[] scratch, int[] writes) {
        int at = pos * outputs;
        double mx = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < outputs; o++) {
            mx = margins[at + o] > mx ? margins[at + o] : mx; // a maximum is exact: lane order does not matter
        }
        for (int sub = 0; sub < g; sub++) {
            double sum = 0.0;
            for (int o = sub; o < outputs; o += g) {
                sum += Math.exp(margins[at + o] - mx);
            }
            lanes[sub] = sum;
        }
        double total = groupSum(lanes, scratch, g);
        for (int o = 0; o < outputs; o++) {
            scores[at + o] = Math.exp(margins[at + o] - mx) / total;
            count(writes, at + o);
        }
    }

    /**
     * kernels.cuh's member_add and member_write: lane {@code sub} of the row's g lanes sums d = score − shift and d² (an
     * fma) over members sub, sub + g, ... in that order, the shift being the first member's score; the butterfly adds
     * the lanes' sums; then mean = shift + s1 / K and spread = √((s2 − s1 · (s1 / K)) / K), 0 where that is not
     * positive. Overwrites the scratch arrays.
     */
    private static void memberResult(double[] memberMargins, int link, int g, double[] lanes, double[] scratch,
                                     double[] scores, int pos, int[] writes) {
        int k = memberMargins.length;
        double shift = memberScore(link, memberMargins[0]);
        double[] s2 = new double[g];
        for (int sub = 0; sub < g; sub++) {
            double s1 = 0.0;
            double sq = 0.0;
            for (int o = sub; o < k; o += g) {
                double d = memberScore(link, memberMargins[o]) - shift;
                s1 += d;
                sq = Math.fma(d, d, sq);
            }
            lanes[sub] = s1;
            s2[sub] = sq;
        }
        double sum1 = groupSum(lanes, scratch, g);
        double sum2 = groupSum(s2, scratch, g);
        double q = sum1 / k;
        double var = (sum2 - sum1 * q) / k;
        scores[pos * 2] = shift + q;
        scores[pos * 2 + 1] = var > 0.0 ? Math.sqrt(var) : 0.0;
        count(writes, pos * 2);
        count(writes, pos * 2 + 1);
    }

    private static double memberScore(int link, double margin) {
        return link == MEMBERS_LOGISTIC ? logistic(margin) : margin;
    }

    /** One lane's partial sum: float4 slices v = sub, sub + g, ... (at most k of them unless k is 0), 4 fmas each. */
    private static double denseLane(float[] x, long rowStart, int ld4, double[] w, long wStart, int sub, int g, int k) {
        double acc = 0.0;
        for (int v = sub, j = 0; v < ld4 && (k == 0 || j < k); v += g, j++) {
            int xi = (int) (rowStart + 4L * v);
            int wi = (int) (wStart + 4L * v);
            acc = Math.fma(x[xi], w[wi], acc);
            acc = Math.fma(x[xi + 1], w[wi + 1], acc);
            acc = Math.fma(x[xi + 2], w[wi + 2], acc);
            acc = Math.fma(x[xi + 3], w[wi + 3], acc);
        }
        return acc;
    }

    /** sparse_kernel: each lane takes every g-th stored value of the row. */
    static void sparse(KernelPlan p, int[] rowPtr, int[] cols, float[] vals, int n, int dim, double[] w, double[] b,
                       int outputs, int link, double[] margins, double[] scores, int[] writes) {
        int g = p.g();
        int rowsPerStep = 32 / g;
        long warps = (long) p.blocks() * KernelPlan.WARPS_PER_BLOCK;
        long tiles = KernelPlan.ceilDiv(n, rowsPerStep);
        double[] lanes = new double[g];
        double[] scratch = new double[g];
        for (long warp = 0; warp < warps; warp++) {
            for (long t = warp; t < tiles; t += warps) {
                for (int slot = 0; slot < rowsPerStep; slot++) {
                    long at = t * rowsPerStep + slot;
                    if (at >= n) {
                        continue;
                    }
                    int pos = (int) at;
                    int start = rowPtr[pos];
                    int end = rowPtr[pos + 1];
                    double last = 0;
                    for (int o = 0; o < outputs; o++) {
                        long wStart = (long) o * dim;
                        for (int sub = 0; sub < g; sub++) {
                            double acc = 0.0;
                            for (int j = start + sub; j < end; j += g) {
                                acc = Math.fma(vals[j], w[(int) (wStart + cols[j])], acc);
                            }
                            lanes[sub] = acc;
                        }
                        last = groupSum(lanes, scratch, g) + b[o];
                        if (margins != null) {
                            margins[pos * outputs + o] = last;
                            count(writes, pos * outputs + o);
                        }
                    }
                    if (scores != null) {
                        writeScores(margins, scores, outputs, link, pos, last, writes);
                    }
                }
            }
        }
    }

    /**
     * group_sum: {@code v += shfl_xor(v, off)} for off = g/2 .. 1; returns lane 0's total (every lane ends with the same
     * bits, as a + b == b + a in IEEE arithmetic). Overwrites {@code lanes} and {@code next}.
     */
    static double groupSum(double[] lanes, double[] next, int g) {
        for (int off = g / 2; off > 0; off >>= 1) {
            for (int lane = 0; lane < g; lane++) {
                next[lane] = lanes[lane] + lanes[lane ^ off];
            }
            System.arraycopy(next, 0, lanes, 0, g);
        }
        return lanes[0];
    }

    /** write_scores. */
    private static void writeScores(double[] margins, double[] scores, int outputs, int link, int pos, double last,
                                    int[] writes) {
        int at = pos * outputs;
        if (outputs == 1 && link != SOFTMAX) {
            scores[at] = link == LOGISTIC ? logistic(last) : last;
            count(writes, at);
            return;
        }
        if (link != SOFTMAX) {
            for (int o = 0; o < outputs; o++) {
                scores[at + o] = link == LOGISTIC ? logistic(margins[at + o]) : margins[at + o];
                count(writes, at + o);
            }
            return;
        }
        double mx = margins[at];
        for (int o = 1; o < outputs; o++) {
            mx = margins[at + o] > mx ? margins[at + o] : mx;
        }
        double sum = 0.0;
        for (int o = 0; o < outputs; o++) {
            sum += Math.exp(margins[at + o] - mx);
        }
        for (int o = 0; o < outputs; o++) {
            scores[at + o] = Math.exp(margins[at + o] - mx) / sum;
            count(writes, at + o);
        }
    }

    static double logistic(double m) {
        return 1.0 / (1.0 + Math.exp(-m));
    }

    private static void count(int[] writes, int at) {
        if (writes != null) {
            writes[at]++;
        }
    }
}
