// Scoring kernels for Augur's CUDA backend.
//
// Layout (prepared on the host by Packing.java): feature rows are float32, `ld` floats apart with ld a multiple of 4
// and the padding zeroed, so every row starts 16-byte aligned (cudaMalloc bases are 256-byte aligned) and is read as
// ld/4 float4 values. Weights are float64, outputs x ld, zero padded the same way; biases are float64.
//
// Arithmetic: each product x * w is formed from the float32 feature widened to float64 and accumulated with fma in
// float64, so the only rounding the device adds to a float64 reference on the same float32 features is the order of a
// few float64 additions (about 1e-16 relative); float32 accumulation would lose about sqrt(d) * 6e-8 and make margins
// near zero unreliable. On H100/H200 (FP64 at half the FP32 rate) this stays well inside the FP64 budget of a
// memory-bound pass: 4 FMAs per 16 bytes read, plus one float64 exp per row for the logistic, which matters most at
// small d. (GPUs with 1/64-rate FP64 would be compute bound; the library targets sm_90, its PTX runs on later GPUs.)
//
// Work split (the same as KernelEmulator.java, which the CPU tests run; KernelPlan.java picks the parameters):
//   G lanes own one row (a power of two up to 32), so a warp scores R = 32 / G rows per step;
//   each lane loads K float4 of its row (K = 0: as many as the row needs, in a loop);
//   each lane keeps U rows in flight (U steps per warp tile) so that U * K 16-byte loads are outstanding per lane;
//   warps walk tiles of T = R * U consecutive rows with a grid-stride loop whose trip count is the same for all 32
//   lanes of a warp, so every __shfl_xor_sync below is reached by the whole warp.
// A row's G partial sums are combined by an xor butterfly; floating-point addition is commutative, so all G lanes end
// with bitwise the same total. Lane 0 of the group adds the bias and writes the margin (with 1 < outputs <= 2G and
// K >= 4, lane sub writes outputs sub and sub + G); links are applied after the last output, spread over the group's
// lanes.
#pragma once

#include <cuda_runtime.h>

namespace augur {

enum Link { LINK_IDENTITY = 0, LINK_LOGISTIC = 1, LINK_SOFTMAX = 2, LINK_MEMBERS_IDENTITY = 3, LINK_MEMBERS_LOGISTIC = 4 };

// The members links score a bagged ensemble: each output is a member, its score the member's link of its margin
// (identity or logistic), and a position's result is {mean, spread} of its members' scores (spread: the population
// standard deviation, as the engine's BaggedEnsemble defines them) written to `scores` (2 values per position); margins
// are not written. K members then cost one pass over the features and 16 bytes of results per row, not 16 K.
__host__ __device__ __forceinline__ bool members_link(int link) { return link >= LINK_MEMBERS_IDENTITY; }

constexpr int kThreadsPerBlock = 256;

struct DenseArgs {
    const float4* x;     // feature rows, ld4 float4 each
    int ld4;             // float4 per row (ld / 4)
    const int* ids;      // row ids of a band, or null: position i scores row first + i
    int first;           // rows and positions are below 2^31 (Java ints); addresses are computed in 64 bits
    int n;               // positions to score
    const double* w;     // outputs x (4 * ld4) weights
    const double* b;     // outputs biases
    int outputs;
    int link;
    double* margins;     // n x outputs, or null (only with one output and an element-wise link; null for members links)
    double* scores;      // n x outputs, or null; n x 2 {mean, spread} for members links
};

struct SparseArgs {
    const int* row_ptr;  // n + 1 offsets into cols/vals, row_ptr[0] == 0
    const int* cols;     // column of each stored value, below dim
    const float* vals;
    int n;
    int dim;             // weights per output (no padding for sparse rows)
    const double* w;     // outputs x dim weights
    const double* b;
    int outputs;
    int link;
    double* margins;
    double* scores;
};

__device__ __forceinline__ double logistic(double m) { return 1.0 / (1.0 + exp(-m)); }

// Writes the scores of one position after its margins: element-wise links take the last margin from a register when
// there is one output (no re-read), else re-read the margins this same thread wrote; softmax normalizes them. Applying
// the link after the dot products, not between them, keeps its float64 exp out of the loop that holds the features in
// registers (fewer registers, more warps per SM). Host code guarantees margins != null whenever outputs > 1.
__device__ __forceinline__ void write_scores(const double* margins, double* scores, int outputs, int link, int pos,
                                             double last) {
    double* s = scores + (size_t)pos * outputs;
    if (outputs == 1 && link != LINK_SOFTMAX) {
        s[0] = link == LINK_LOGISTIC ? logistic(last) : last;
        return;
    }
    const double* m = margins + (size_t)pos * outputs;
    if (link != LINK_SOFTMAX) {
        for (int o = 0; o < outputs; ++o) s[o] = link == LINK_LOGISTIC ? logistic(m[o]) : m[o];
        return;
    }
    double mx = m[0];
    for (int o = 1; o < outputs; ++o) mx = m[o] > mx ? m[o] : mx;
    double sum = 0.0;
    for (int o = 0; o < outputs; ++o) sum += exp(m[o] - mx);
    for (int o = 0; o < outputs; ++o) s[o] = exp(m[o] - mx) / sum;
}

// Sums one value over the G lanes of a row group; every lane of the warp must call it.
template <int G>
__device__ __forceinline__ double group_sum(double v) {
#pragma unroll
    for (int off = G / 2; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
    return v;
}

// A position's running sums over an ensemble's members, kept by each of its G lanes: lane `sub` takes members sub,
// sub + G, ... Each member's margin is known to all G lanes after group_sum; lane (o mod G) keeps it, and once every G
// members (and after the last) each lane that kept one applies the link, so the float64 exps of G members run side by
// side instead of one after another. Sums are of d = score - shift with the shift the first member's score (all lanes
// compute it), so that the variance keeps its digits when the members agree. KernelEmulator replays this order.
struct MemberSums {
    double shift = 0.0, kept = 0.0, s1 = 0.0, s2 = 0.0;
};

__device__ __forceinline__ double member_score(int link, double m) { return link == LINK_MEMBERS_LOGISTIC ? logistic(m) : m; }

template <int G>
__device__ __forceinline__ void member_add(MemberSums& m, int o, int outputs, int link, double margin, int sub) {
    const int slot = o & (G - 1);
    if (o == 0) m.shift = member_score(link, margin);
    m.kept = slot == sub ? margin : m.kept;
    if (slot == G - 1 || o == outputs - 1) {
        if (sub <= slot) {
            const double d = member_score(link, m.kept) - m.shift;
            m.s1 += d;
            m.s2 = fma(d, d, m.s2);
        }
    }
}

// Combines the G lanes' sums (every lane must call it) and has lane 0 write {mean, spread} of position pos.
template <int G>
__device__ __forceinline__ void member_write(const MemberSums& m, double* scores, int outputs, int pos, bool live, int sub) {
    const double s1 = group_sum<G>(m.s1);
    const double s2 = group_sum<G>(m.s2);
    if (sub != 0 || !live) return;
    const double q = s1 / outputs;
    const double var = (s2 - s1 * q) / outputs;
    scores[(size_t)pos * 2] = m.shift + q;
    scores[(size_t)pos * 2 + 1] = var > 0.0 ? sqrt(var) : 0.0;
}

// Grid sizes stay below 2^31 threads (KernelPlan caps the blocks), so warp numbers fit in an int.
__device__ __forceinline__ int global_warp() { return (int)((blockIdx.x * blockDim.x + threadIdx.x) >> 5); }

__device__ __forceinline__ int warps_in_grid() { return (int)((gridDim.x * blockDim.x) >> 5); }

// Maximum over the G lanes of a row group (exact, so any order gives the same bits); every lane must call it.
template <int G>
__device__ __forceinline__ double group_max(double v) {
#pragma unroll
    for (int off = G / 2; off > 0; off >>= 1) {
        const double o = __shfl_xor_sync(0xffffffffu, v, off);
        v = o > v ? o : v;
    }
    return v;
}

// Links of one position with several outputs, spread over the row's G lanes: lane `sub` takes outputs sub, sub + G, ...
// (re-reading the margins the group's lane 0 wrote, made visible by the __syncwarp before). Softmax: each lane sums
// exp(m - max) over its outputs in order, then the group adds the G partial sums by the butterfly (KernelEmulator does
// the same). Every lane of the warp must call it; `live` is false for positions past the end.
template <int G>
__device__ __forceinline__ void group_scores(const double* margins, double* scores, int outputs, int link, int pos,
                                             bool live, int sub) {
    const double* m = margins + (size_t)pos * outputs;
    double* s = scores + (size_t)pos * outputs;
    const int end = live ? outputs : 0;
    if (link != LINK_SOFTMAX) {
        for (int o = sub; o < end; o += G) s[o] = link == LINK_LOGISTIC ? logistic(m[o]) : m[o];
        return;
    }
    double mx = -INFINITY;
    for (int o = sub; o < end; o += G) mx = m[o] > mx ? m[o] : mx;
    mx = group_max<G>(mx);
    double sum = 0.0;
    for (int o = sub; o < end; o += G) sum += exp(m[o] - mx);
    sum = group_sum<G>(sum);
    for (int o = sub; o < end; o += G) s[o] = exp(m[o] - mx) / sum;
}

// group_scores for 1 < outputs <= 2G with the margins still in registers: m0 is output sub, m1 output sub + G. The
// same arithmetic as group_scores (each exp computed once; 0.0 + e == e, so the lane sums match).
template <int G>
__device__ __forceinline__ void kept_scores(double m0, double m1, double* s, int outputs, int link, bool live, int sub) {
    const bool has0 = live && sub < outputs;
    const bool has1 = live && sub + G < outputs;
    if (link != LINK_SOFTMAX) {
        if (has0) s[sub] = link == LINK_LOGISTIC ? logistic(m0) : m0;
        if (has1) s[sub + G] = link == LINK_LOGISTIC ? logistic(m1) : m1;
        return;
    }
    double mx = -INFINITY;
    if (has0) mx = m0 > mx ? m0 : mx;
    if (has1) mx = m1 > mx ? m1 : mx;
    mx = group_max<G>(mx);
    const double e0 = has0 ? exp(m0 - mx) : 0.0;
    const double e1 = has1 ? exp(m1 - mx) : 0.0;
    const double sum = group_sum<G>(has1 ? e0 + e1 : e0);
    if (has0) s[sub] = e0 / sum;
    if (has1) s[sub + G] = e1 / sum;
}

// Dense rows with K float4 per lane known at compile time: the row slices stay in registers across outputs. All U * K
// loads of a tile are issued before the first fma, so each lane has U * K * 16 bytes in flight.
// M: an ensemble's members link (a compile-time switch: the member sums cost the single-model variants up to 58
// registers, a block per SM, when only a runtime branch kept them apart).
template <int G, int K, int U, bool M>
__global__ void __launch_bounds__(kThreadsPerBlock) dense_kernel(DenseArgs a) {
    static_assert(G >= 1 && G <= 32 && (G & (G - 1)) == 0, "G must be a power of two up to 32");
    static_assert(K >= 1 && U >= 1, "K and U must be positive");
    constexpr int R = 32 / G;
    constexpr int T = R * U;
    const int lane = threadIdx.x & 31;
    const int sub = lane & (G - 1);
    const int slot = lane / G;
    const long long tiles = ((long long)a.n + T - 1) / T;  // 64-bit: tile + warps must not wrap
    const size_t ldw = (size_t)a.ld4 * 4;
    for (long long tile = global_warp(); tile < tiles; tile += warps_in_grid()) {
        int pos[U];
        bool live[U];
        float4 xr[U][K];
#pragma unroll
        for (int u = 0; u < U; ++u) {
            const long long at = tile * T + u * R + slot;
            live[u] = at < a.n;
            pos[u] = (int)at;  // used only when live: then below n < 2^31
            const int row = !live[u] ? 0 : (a.ids != nullptr ? __ldg(a.ids + pos[u]) : a.first + pos[u]);
            const float4* xrow = a.x + (size_t)row * a.ld4;
#pragma unroll
            for (int k = 0; k < K; ++k) {
                const int v = sub + k * G;
                // read once: evict-first keeps the weights cached (ld.global.nc.L1::no_allocate measured slower at g = 2)
                xr[u][k] = (live[u] && v < a.ld4) ? __ldcs(xrow + v) : make_float4(0.f, 0.f, 0.f, 0.f);
            }
        }
        double last[U];
        // With 1 < outputs <= 2G, lane `sub` keeps outputs sub and sub + G of each row in registers: the links need no
        // re-read of the margins, and the margins go out in 2 stores per row instead of one per output. Only for K >= 4:
        // the 2U extra registers cost the K = 1, U >= 4 variants a block per SM (measured: d = 8 fell from 64% to 47%).
        constexpr bool members = M;
        const bool keep = !members && K >= 4 && a.outputs > 1 && a.outputs <= 2 * G;
        MemberSums sums[U];
        double keep0[U], keep1[U];
#pragma unroll
        for (int u = 0; u < U; ++u) keep0[u] = keep1[u] = 0.0;
        for (int o = 0; o < a.outputs; ++o) {
            const double2* wo = reinterpret_cast<const double2*>(a.w + o * ldw);
            double acc[U];
#pragma unroll
            for (int u = 0; u < U; ++u) acc[u] = 0.0;
#pragma unroll
            for (int k = 0; k < K; ++k) {
                const int v = sub + k * G;
                if (v < a.ld4) {
                    const double2 w01 = __ldg(wo + 2 * v);
                    const double2 w23 = __ldg(wo + 2 * v + 1);
#pragma unroll
                    for (int u = 0; u < U; ++u) {
                        acc[u] = fma((double)xr[u][k].x, w01.x, acc[u]);
                        acc[u] = fma((double)xr[u][k].y, w01.y, acc[u]);
                        acc[u] = fma((double)xr[u][k].z, w23.x, acc[u]);
                        acc[u] = fma((double)xr[u][k].w, w23.y, acc[u]);
                    }
                }
            }
            const double bias = __ldg(a.b + o);
#pragma unroll
            for (int u = 0; u < U; ++u) {
                last[u] = group_sum<G>(acc[u]) + bias;
                if (members) member_add<G>(sums[u], o, a.outputs, a.link, last[u], sub);
                keep0[u] = o == sub ? last[u] : keep0[u];
                keep1[u] = o == sub + G ? last[u] : keep1[u];
                if (!keep && sub == 0 && live[u] && a.margins != nullptr) a.margins[(size_t)pos[u] * a.outputs + o] = last[u];
            }
        }
        if (members) {
#pragma unroll
            for (int u = 0; u < U; ++u) member_write<G>(sums[u], a.scores, a.outputs, pos[u], live[u], sub);
            continue;
        }
        if (keep) {
#pragma unroll
            for (int u = 0; u < U; ++u) {
                double* m = a.margins + (size_t)pos[u] * a.outputs;
                if (live[u] && sub < a.outputs) m[sub] = keep0[u];
                if (live[u] && sub + G < a.outputs) m[sub + G] = keep1[u];
                if (a.scores != nullptr) {
                    kept_scores<G>(keep0[u], keep1[u], a.scores + (size_t)pos[u] * a.outputs, a.outputs, a.link, live[u], sub);
                }
            }
            continue;
        }
        if (a.scores != nullptr && a.outputs == 1 && a.link != LINK_SOFTMAX) {
            // Every lane of a group holds all U totals, so lane `sub` takes row u = j * G + sub: the float64 links of
            // the U rows run side by side in ceil(U / G) passes instead of U passes on lane 0.
#pragma unroll
            for (int j = 0; j < (U + G - 1) / G; ++j) {
                const int u = j * G + sub;
                double mine = last[0];
#pragma unroll
                for (int v = 1; v < U; ++v) mine = v == u ? last[v] : mine;  // a register select, not an indexed array
                const long long at = tile * T + (long long)u * R + slot;
                if (u < U && at < a.n) a.scores[at] = a.link == LINK_LOGISTIC ? logistic(mine) : mine;
            }
        } else if (a.scores != nullptr) {
            // Several outputs (or softmax): spread over the group's lanes; one lane per row would serialize 2 * outputs
            // float64 exps per row and leave the FP64 units of 31 lanes idle.
            __syncwarp();
#pragma unroll
            for (int u = 0; u < U; ++u) group_scores<G>(a.margins, a.scores, a.outputs, a.link, pos[u], live[u], sub);
        }
    }
}

// Dense rows longer than 32 * 8 float4 (d > 1024): each lane walks its slice in a loop, re-reading the row per output
// (it is in L1/L2 by then).
template <int G, bool M>
__global__ void __launch_bounds__(kThreadsPerBlock) dense_long_kernel(DenseArgs a) {
    constexpr int R = 32 / G;
    const int lane = threadIdx.x & 31;
    const int sub = lane & (G - 1);
    const int slot = lane / G;
    const long long tiles = ((long long)a.n + R - 1) / R;
    const size_t ldw = (size_t)a.ld4 * 4;
    for (long long tile = global_warp(); tile < tiles; tile += warps_in_grid()) {
        const long long at = tile * R + slot;
        const bool live = at < a.n;
        const int pos = (int)at;
        const int row = !live ? 0 : (a.ids != nullptr ? a.ids[pos] : a.first + pos);
        const float4* xrow = a.x + (size_t)row * a.ld4;
        const int vend = live ? a.ld4 : 0;
        double last = 0.0;
        constexpr bool members = M;
        MemberSums sums;
        for (int o = 0; o < a.outputs; ++o) {
            const double2* wo = reinterpret_cast<const double2*>(a.w + o * ldw);
            double acc = 0.0;
            for (int v = sub; v < vend; v += G) {
                const float4 xv = __ldg(xrow + v);
                const double2 w01 = __ldg(wo + 2 * v);
                const double2 w23 = __ldg(wo + 2 * v + 1);
                acc = fma((double)xv.x, w01.x, acc);
                acc = fma((double)xv.y, w01.y, acc);
                acc = fma((double)xv.z, w23.x, acc);
                acc = fma((double)xv.w, w23.y, acc);
            }
            last = group_sum<G>(acc) + a.b[o];
            if (members) member_add<G>(sums, o, a.outputs, a.link, last, sub);
            if (sub == 0 && live && a.margins != nullptr) a.margins[(size_t)pos * a.outputs + o] = last;
        }
        if (members) {
            member_write<G>(sums, a.scores, a.outputs, pos, live, sub);
        } else if (a.scores != nullptr && sub == 0 && live) {
            write_scores(a.margins, a.scores, a.outputs, a.link, pos, last);
        }
    }
}

// CSR rows (bag of words): G lanes per row, each lane takes every G-th stored value of the row.
template <int G>
__global__ void __launch_bounds__(kThreadsPerBlock) sparse_kernel(SparseArgs a) {
    constexpr int R = 32 / G;
    const int lane = threadIdx.x & 31;
    const int sub = lane & (G - 1);
    const int slot = lane / G;
    const long long tiles = ((long long)a.n + R - 1) / R;
    for (long long tile = global_warp(); tile < tiles; tile += warps_in_grid()) {
        const long long at = tile * R + slot;
        const bool live = at < a.n;
        const int pos = (int)at;
        const int start = live ? __ldg(a.row_ptr + pos) : 0;
        const int end = live ? __ldg(a.row_ptr + pos + 1) : 0;
        double last = 0.0;
        for (int o = 0; o < a.outputs; ++o) {
            const double* wo = a.w + (size_t)o * a.dim;
            double acc = 0.0;
            for (int j = start + sub; j < end; j += G) {
                acc = fma((double)__ldg(a.vals + j), __ldg(wo + __ldg(a.cols + j)), acc);
            }
            last = group_sum<G>(acc) + a.b[o];
            if (sub == 0 && live && a.margins != nullptr) a.margins[(size_t)pos * a.outputs + o] = last;
        }
        if (a.scores != nullptr && sub == 0 && live) write_scores(a.margins, a.scores, a.outputs, a.link, pos, last);
    }
}

// Replaces rows ids[i] with the staged rows src[i] (one float4 per thread step).
__global__ void __launch_bounds__(kThreadsPerBlock) scatter_rows_kernel(float4* x, long long ld4, const int* ids,
                                                                         const float4* src, long long n) {
    const long long total = n * ld4;
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < total; t += stride) {
        const long long i = t / ld4;
        const long long v = t - i * ld4;
        x[(long long)ids[i] * ld4 + v] = src[t];
    }
}

}  // namespace augur
