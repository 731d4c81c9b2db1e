package dev.augur.engine.view;

/**
 * The ascending order of a million margins, fast: an LSD radix sort (four passes of 16 bits) of the doubles' bits
 * made order-preserving, instead of sorting objects by a comparator (half a second per million rows here, the
 * largest cost of a full re-scoring after the writes). Stable, and the order of {@link Double#compare}: -0.0
 * before 0.0, NaN last.
 */
final class MarginOrder {
    private MarginOrder() {
    }

    /** The indices of {@code values} in ascending order (ties in index order). */
    static int[] ascending(double[] values) {
        int n = values.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = sortable(values[i]);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (n < 2) {
            return order;
        }
        int[] next = new int[n];
        int[] counts = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[(int) (keys[order[i]] >>> shift) & 0xFFFF]++;
            }
            if (counts[(int) (keys[0] >>> shift) & 0xFFFF] == n) {
                continue; // every key has this digit: the pass would not move anything
            }
            int sum = 0;
            for (int d = 0; d < counts.length; d++) {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int idx = order[i];
                next[counts[(int) (keys[idx] >>> shift) & 0xFFFF]++] = idx;
            }
            int[] t = order;
            order = next;
            next = t;
        }
        return order;
    }

    /** The bits of {@code v} as a long whose unsigned order is {@link Double#compare}'s (NaNs collapsed to one, last). */
    static long sortable(double v) {
        long bits = Double.doubleToLongBits(v);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }
}
