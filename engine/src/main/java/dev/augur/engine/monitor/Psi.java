package dev.augur.engine.monitor;

/**
 * The population stability index, written once: for a reference histogram e and a live one a over the same bins,
 * PSI = Σ_i (a_i − e_i) · ln(a_i / e_i), with a_i and e_i the bins' shares, each floored at {@value #FLOOR} so that an
 * empty bin costs a large but finite amount (the usual reading: below 0.1 stable, 0.1 to 0.25 moved, above 0.25 shifted).
 */
public final class Psi {
    /** The least share a bin counts with (an empty bin on either side would make the index infinite). */
    public static final double FLOOR = 1e-4;

    private Psi() {
    }

    /** The index of two histograms of counts over the same bins; null when either holds no count. */
    public static Double of(long[] reference, long[] live) {
        if (reference.length != live.length) {
            throw new IllegalArgumentException("histograms of " + reference.length + " and " + live.length + " bins");
        }
        long ne = 0;
        long na = 0;
        for (int i = 0; i < reference.length; i++) {
            ne += reference[i];
            na += live[i];
        }
        if (ne == 0 || na == 0) {
            return null;
        }
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            psi += term(share(reference[i], ne), share(live[i], na));
        }
        return psi;
    }

    /** A bin's share, floored. */
    public static double share(long count, long total) {
        return Math.max(FLOOR, (double) count / total);
    }

    /** One bin's part of the index, from its two (floored) shares. */
    public static double term(double referenceShare, double liveShare) {
        return (liveShare - referenceShare) * Math.log(liveShare / referenceShare);
    }

    /**
     * The bin of a value among ascending interior edges: bin i holds edges[i−1] ≤ x < edges[i] (bin 0 below the first
     * edge, the last bin from the last edge up).
     */
    public static int bin(double[] edges, double x) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x >= edges[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
