package dev.augur.cuda;

/**
 * How a kernel launch splits its work; computed here, passed to the native code unchanged, and replayed by
 * {@link KernelEmulator}, so the CPU tests exercise the same indexing the GPU runs (kernels.cuh explains the scheme).
 *
 * @param g      lanes per row: a power of two up to 32 (a warp scores 32 / g rows per step)
 * @param k      float4 loads per lane per row, or 0 for rows longer than 32 × 8 float4 (a loop instead of registers)
 * @param u      rows each lane keeps in flight (steps per warp tile)
 * @param blocks grid size, in blocks of {@link #THREADS_PER_BLOCK}; warps walk the tiles with a grid-stride loop
 */
record KernelPlan(int g, int k, int u, int blocks) {
    static final int THREADS_PER_BLOCK = 256;
    static final int WARPS_PER_BLOCK = THREADS_PER_BLOCK / 32;
    /** Kernel kinds, as in native {@code variant_key}. */
    static final int DENSE = 1;
    static final int SPARSE = 2;
    /** The dense variants' ensemble twins (native {@code dense_kernel<G, K, U, true>}): asked for their occupancy only. */
    static final int DENSE_MEMBERS = 3;
    /** The native side refuses larger grids (warp numbers must stay below 2^31). */
    static final int MAX_BLOCKS = 1 << 23;

    KernelPlan {
        if (g < 1 || g > 32 || Integer.bitCount(g) != 1 || k < 0 || u < 1 || blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("bad kernel plan: g " + g + ", k " + k + ", u " + u + ", blocks " + blocks);
        }
    }

    /** Rows a warp scores per tile. */
    int rowsPerTile() {
        return 32 / g * u;
    }

    /** This plan's variant, as the native {@code kernelVariants()} lists them (the grid size is not part of it). */
    int variant(int kind) {
        return kind << 24 | g << 16 | k << 8 | u;
    }

    /**
     * The plan for scoring {@code positions} dense rows of {@code ld} floats. Rows of up to 4 float4 share a warp (g = the
     * row's float4 count rounded up to a power of two) and keep 4 rows in flight per lane; rows of up to 128 float4 give
     * each lane 4 float4 of one row (g = a quarter of the row, rounded up to a power of two), so a warp reads 2 KiB in
     * 4 loads per lane with a short butterfly (log2 g steps) and one float64 link pass per 32 / g rows; rows of up to 256
     * float4 take 8 per lane; longer rows loop. {@code deep} doubles the rows in flight (a tuning variant the GPU check
     * times beside the default).
     *
     * @param residentBlocksPerSm how many blocks of this kernel fit on one SM at once (the grid is one full wave)
     */
    static KernelPlan dense(int ld, long positions, int multiprocessors, int residentBlocksPerSm, boolean deep) {
        if (ld < 4 || ld % 4 != 0) {
            throw new IllegalArgumentException("row stride " + ld + " is not a positive multiple of 4");
        }
        int v = ld / 4;
        int g;
        int k;
        int u;
        if (v <= 4) {
            g = pow2AtLeast(v);
            k = 1;
            u = 4;
        } else if (v <= 128) {
            g = pow2AtLeast((v + 3) / 4);
            k = 4;
            u = 1;
        } else if (v <= 256) {
            g = 32;
            k = 8;
            u = 1;
        } else {
            g = 32;
            k = 0;
            u = 1;
        }
        if (deep && k != 0) {
            u *= 2;
        }
        int rowsPerTile = 32 / g * u;
        return new KernelPlan(g, k, u, blocks(ceilDiv(positions, rowsPerTile), multiprocessors, residentBlocksPerSm));
    }

    /** The plan for {@code rows} CSR rows holding {@code nnz} values: g = the average row length rounded down to a power of two. */
    static KernelPlan sparse(long rows, long nnz, int multiprocessors, int residentBlocksPerSm) {
        long average = rows == 0 ? 1 : Math.max(1, nnz / rows);
        int g = (int) Math.min(32, Long.highestOneBit(average));
        return new KernelPlan(g, 0, 1, blocks(ceilDiv(rows, 32 / g), multiprocessors, residentBlocksPerSm));
    }

    /** Enough blocks for every tile, at most one full wave of resident blocks, at least one. */
    static int blocks(long tiles, int multiprocessors, int residentBlocksPerSm) {
        long wanted = ceilDiv(tiles, WARPS_PER_BLOCK);
        long wave = (long) Math.max(1, multiprocessors) * Math.max(1, residentBlocksPerSm);
        return (int) Math.max(1, Math.min(Math.min(wanted, wave), MAX_BLOCKS));
    }

    private static int pow2AtLeast(int v) {
        return Integer.highestOneBit(v) == v ? v : Integer.highestOneBit(v) << 1;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
