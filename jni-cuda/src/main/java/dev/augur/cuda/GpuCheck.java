package dev.augur.cuda;

import dev.augur.engine.CpuScorer;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.cuda.DeviceFeatureStore.Band;
import dev.augur.cuda.DeviceFeatureStore.EnsembleBand;
import dev.augur.cuda.DeviceFeatureStore.Link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The GPU check, run by {@code jni-cuda/gpu-check.sh} on a machine with a CUDA device (see that script for how to
 * prepare and run it). In one run:
 * <ol>
 *   <li>correctness of every kernel variant on fresh random inputs against a float64 CPU reference on the same float32
 *       features (relative error, every output written — result buffers are filled with NaN before each kernel — and
 *       margins bitwise equal to {@link KernelEmulator}, the CPU replay the unit tests run);</li>
 *   <li>memory: many store and batch cycles, then cudaMemGetInfo and the library's own count back where they were;</li>
 *   <li>throughput of the kernels alone (device-resident inputs and outputs, CUDA events) beside the device's
 *       device-to-device copy bandwidth measured in the same run and PyTorch's time on the same shapes (read from the
 *       file {@code --torch} names, written by the script just before);</li>
 *   <li>a refresh through Java: upload a store, change the weights, re-score all rows and a band through JNI, compare
 *       with {@link CpuScorer};</li>
 * </ol>
 * and ends with the summary table. Exit status 1 when a correctness or memory check fails, 2 when there is no device.
 *
 * <p>{@code --simulated --small} runs the same code on the simulated device with small shapes: the unit tests use it to
 * keep this check working on machines without a GPU (its timings mean nothing).
 */
final class GpuCheck {
    private static final long GIB = 1L << 30;
    /** Relative error limit for results from float32 features (the task's bar; float64 sums land near 1e-16). */
    private static final double LIMIT = 1e-5;

    private final Device device;
    private final boolean simulated;
    private final boolean small;
    private final long seed;
    private final SplittableRandom random;
    private final Map<String, Double> torch = new LinkedHashMap<>();
    private String torchNote = "no --torch file given";
    private final Map<String, Accuracy> accuracy = new LinkedHashMap<>();
    private final List<Perf> perf = new ArrayList<>();
    private final List<String[]> summary = new ArrayList<>();
    private double copyGbs = Double.NaN;
    private int failures;
    private int failuresInBigRuns;

    /** Errors seen for one kernel variant. */
    private static final class Accuracy {
        int cases;
        long outputs;
        double maxError;
        long unwritten;
        long emulatorMismatches;
        boolean emulatorCompared;
    }

    /** One throughput row: the kernel's median time over {@code rows}, the bytes it moves, PyTorch's time if known. */
    private record Perf(String key, String shape, long rows, double ms, double bytes, Double torchMs, String target) {
    }

    private GpuCheck(Device device, boolean simulated, boolean small, long seed) {
        this.device = device;
        this.simulated = simulated;
        this.small = small;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) {
        boolean simulated = false;
        boolean small = false;
        Path torchFile = null;
        long seed = System.nanoTime();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--simulated" -> simulated = true;
                case "--small" -> small = true;
                case "--torch" -> torchFile = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: GpuCheck [--torch FILE] [--seed N] [--simulated] [--small]");
                    System.exit(64);
                }
            }
        }
        System.exit(run(simulated, small, torchFile, seed));
    }

    /** Runs the check and returns the exit status. */
    static int run(boolean simulated, boolean small, Path torchFile, long seed) {
        Device device;
        if (simulated) {
            device = new SimulatedDevice(Long.MAX_VALUE);
        } else {
            NativeLibrary.Status status = NativeLibrary.status();
            if (!status.ready()) {
                System.out.println("GPU check: no usable CUDA device: " + status.reason());
                return 2;
            }
            device = CudaDevice.get();
        }
        GpuCheck check = new GpuCheck(device, simulated, small, seed);
        check.readTorch(torchFile);
        return check.run();
    }

    private int run() {
        NativeLibrary.Status status = NativeLibrary.status();
        System.out.println("== Augur GPU check");
        System.out.println("device:  " + (simulated ? "simulated (CPU replay of the kernels; timings mean nothing)" : status.device()));
        System.out.println("library: " + (simulated ? "none" : status.library()));
        System.out.println("java:    " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        System.out.println("seed:    " + seed + (small ? " (small shapes)" : ""));
        System.out.println("torch:   " + torchNote);
        device.setPoison(true); // every result buffer starts as NaN: an output a kernel skips cannot pass for a value
        section("correctness", this::correctness);
        section("memory", this::memory);
        section("throughput", this::throughput);
        section("refresh through Java", this::refresh);
        printSummary();
        return failures == 0 ? 0 : 1;
    }

    private void section(String name, Runnable body) {
        System.out.println();
        System.out.println("== " + name);
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (RuntimeException | OutOfMemoryError e) {
            failures++;
            summary.add(new String[] {name, "FAIL", "aborted: " + e});
            e.printStackTrace(System.out);
        }
        System.out.printf(Locale.ROOT, "(%s: %.1f s)%n", name, (System.nanoTime() - t0) / 1e9);
    }

    // ---- correctness ----------------------------------------------------------------------------------------------------

    private void correctness() {
        // dims reaching every dense variant: g = 1..32 with k = 1, then k = 2, 4, 8, then the looping kernel
        int[] dims = {1, 3, 4, 5, 8, 12, 16, 17, 32, 33, 64, 100, 128, 129, 256, 300, 512, 513, 1024, 1025, 2000};
        for (int dim : dims) {
            for (boolean deep : new boolean[] {false, true}) {
                denseCase(dim, 1, Link.IDENTITY, deep);
                denseCase(dim, 1, Link.LOGISTIC, deep);
                denseCase(dim, 3, Link.SOFTMAX, deep);
                denseCase(dim, 3, Link.LOGISTIC, deep);
                ensembleCase(dim, 5, Link.LOGISTIC, deep);
                ensembleCase(dim, 64, Link.LOGISTIC, deep);
                ensembleCase(dim, 3, Link.IDENTITY, deep);
            }
        }
        for (int average : new int[] {1, 2, 3, 6, 12, 20, 40, 100}) {
            sparseCase(average, 1, Link.IDENTITY);
            sparseCase(average, 1, Link.LOGISTIC);
            sparseCase(average, 4, Link.SOFTMAX);
        }
        scorerCases();

        System.out.printf(Locale.ROOT, "%-34s %6s %11s %12s %10s %12s%n", "kernel", "cases", "outputs", "max rel err",
                "unwritten", "= emulator");
        boolean pass = true;
        double worst = 0;
        long outputs = 0;
        int cases = 0;
        for (var e : accuracy.entrySet()) {
            Accuracy a = e.getValue();
            String emulator = !a.emulatorCompared ? "n/a" : a.emulatorMismatches == 0 ? "bitwise" : a.emulatorMismatches + " differ";
            System.out.printf(Locale.ROOT, "%-34s %6d %11d %12.2e %10d %12s%n", e.getKey(), a.cases, a.outputs, a.maxError,
                    a.unwritten, emulator);
            pass &= a.maxError < LIMIT && a.unwritten == 0 && a.emulatorMismatches == 0;
            worst = Math.max(worst, a.maxError);
            outputs += a.outputs;
            cases += a.cases;
        }
        System.out.println("Every dense case also grows its store and replaces rows by range and by id (the scatter kernel)");
        System.out.println("before scoring all rows and a band; errors are relative to float64 on the same float32 features.");
        verdict("correctness: " + accuracy.size() + " kernel variants/paths, " + cases + " cases", pass, String.format(Locale.ROOT,
                "%,d outputs, max rel err %.2e (limit %.0e), all written, margins bitwise = emulator%s", outputs, worst,
                LIMIT, simulated ? " (n/a: simulated)" : ""));
    }

    private void denseCase(int dim, int outputs, Link link, boolean deep) {
        int ld = Packing.stride(dim);
        int rows = (int) Math.max(64, Math.min(small ? 400 : 3000, (1L << (small ? 16 : 21)) / ld));
        double[] x = floatValues(random, (long) rows * dim);
        double[] w = gaussians(random, outputs * dim);
        double[] b = gaussians(random, outputs);
        var staging = new ResidentStore.Staging(64L << 10, 700, 3000); // several calls per operation
        String variant;
        try (ResidentStore store = ResidentStore.open(device, dim, 16, staging);
             ResidentStore emulated = simulated ? null : ResidentStore.open(new SimulatedDevice(Long.MAX_VALUE), dim, 16, staging)) {
            int[] replaced = distinctIds(random, rows, Math.min(rows, 9));
            double[] range = floatValues(random, 5L * dim);
            double[] scattered = floatValues(random, (long) replaced.length * dim);
            for (ResidentStore s : emulated == null ? List.of(store) : List.of(store, emulated)) {
                s.useDeepPlans(deep);
                int third = rows / 3;
                s.append(x, 0, third); // three appends: the store grows from 16 rows
                s.append(x, third, third);
                s.append(x, 2 * third, rows - 2 * third);
                s.replace(rows / 2, range, 5);
                s.replace(replaced, scattered);
            }
            System.arraycopy(range, 0, x, (rows / 2) * dim, 5 * dim);
            for (int i = 0; i < replaced.length; i++) {
                System.arraycopy(scattered, i * dim, x, replaced[i] * dim, dim);
            }
            KernelPlan plan = store.plan(rows, deep);
            variant = "dense " + describe(plan) + (deep && plan.k() != 0 ? " (deep)" : ""); // long rows: one kernel
            double[] reference = new double[rows * outputs];
            CpuScorer.INSTANCE.denseMargins(x, rows, dim, w, b, outputs, reference);
            double[] scales = scales(x, rows, dim, w, b);
            int[] band = bandIds(random, rows);

            Band all = store.rescoreAll(w, b, link);
            Band part = store.rescore(band, w, b, link);
            record(variant, all.margins(), reference, scales, all.scores(), outputs, link);
            record(variant, part.margins(), pick(reference, band, outputs), pick(scales, band, outputs), part.scores(), outputs, link);
            if (emulated != null) {
                compareBitwise(variant, all.margins(), emulated.rescoreAll(w, b, link).margins());
                compareBitwise(variant, part.margins(), emulated.rescore(band, w, b, link).margins());
            }
        }
    }

    /**
     * A bagged ensemble's members over resident rows (the members links): each row's mean and spread against the engine's
     * definition ({@link Model#viewValues} of the bagged kind) on float64 margins of the same float32 features, all rows
     * and a band; the emulator's results compared too (bitwise for identity members; logistic ones go through exp).
     */
    private void ensembleCase(int dim, int members, Link link, boolean deep) {
        int ld = Packing.stride(dim);
        int rows = (int) Math.max(64, Math.min(small ? 200 : 2000, (1L << (small ? 15 : 20)) / ld));
        double[] x = floatValues(random, (long) rows * dim);
        double[] w = gaussians(random, members * dim);
        double[] b = gaussians(random, members);
        var staging = new ResidentStore.Staging(64L << 10, 700, 3000);
        try (ResidentStore store = ResidentStore.open(device, dim, 16, staging);
             ResidentStore emulated = simulated ? null : ResidentStore.open(new SimulatedDevice(Long.MAX_VALUE), dim, 16, staging)) {
            for (ResidentStore s : emulated == null ? List.of(store) : List.of(store, emulated)) {
                s.useDeepPlans(deep);
                s.append(x, 0, rows);
            }
            KernelPlan plan = store.plan(rows, deep, link.membersCode());
            String variant = "ensemble " + (link == Link.LOGISTIC ? "logistic" : "identity") + " " + describe(plan)
                    + (deep && plan.k() != 0 ? " (deep)" : "");
            int[] band = bandIds(random, rows);
            EnsembleBand all = store.rescoreAllEnsemble(w, b, link);
            EnsembleBand part = store.rescoreEnsemble(band, w, b, link);
            recordEnsemble(variant, all, x, dim, w, b, link);
            recordEnsemble(variant, part, x, dim, w, b, link);
            if (emulated != null) {
                EnsembleBand e = emulated.rescoreAllEnsemble(w, b, link);
                if (link == Link.IDENTITY) {
                    compareBitwise(variant, all.means(), e.means());
                    compareBitwise(variant, all.spreads(), e.spreads());
                } else {
                    compareClose(variant, all.means(), e.means());
                    compareClose(variant, all.spreads(), e.spreads());
                }
            }
        }
    }

    /** Mean and spread of each row of {@code band} against the engine's bagged model on float64 margins. */
    private void recordEnsemble(String variant, EnsembleBand band, double[] x, int dim, double[] w, double[] b, Link link) {
        Accuracy a = accuracy.computeIfAbsent(variant, k -> new Accuracy());
        a.cases++;
        a.outputs += 2L * band.size();
        int members = b.length;
        String[] inputs = IntStream.range(0, dim).mapToObj(i -> "x" + i).toArray(String[]::new);
        Model model = Model.of("check", link == Link.LOGISTIC ? ModelKind.BAGGED_LOGISTIC : ModelKind.BAGGED_LINEAR,
                new DenseFeatures(List.of(inputs)), link == Link.LOGISTIC ? List.of("0", "1") : List.of(), w, b);
        double[] row = new double[dim];
        double[] margins = new double[members];
        for (int i = 0; i < band.size(); i++) {
            System.arraycopy(x, band.ids()[i] * dim, row, 0, dim);
            CpuScorer.INSTANCE.denseMargins(row, 1, dim, w, b, members, margins);
            double[] scales = scales(row, 1, dim, w, b);
            double scale = Arrays.stream(scales).max().orElseThrow();
            Model.ViewValues expected = model.viewValues(margins);
            double mean = band.means()[i];
            double spread = band.spreads()[i];
            if (Double.isNaN(mean) || Double.isNaN(spread)) {
                a.unwritten++;
                continue;
            }
            a.maxError = Math.max(a.maxError, relativeError(mean, expected.score(), scale));
            a.maxError = Math.max(a.maxError, relativeError(spread, expected.spread(), scale));
        }
    }

    /** The emulator's logistic members go through Java's exp, the device's through CUDA's: equal to about 1e-15. */
    private void compareClose(String variant, double[] device, double[] emulated) {
        Accuracy a = accuracy.computeIfAbsent(variant, k -> new Accuracy());
        a.emulatorCompared = true;
        for (int i = 0; i < device.length; i++) {
            if (!(Math.abs(device[i] - emulated[i]) <= 1e-13 * Math.max(1, Math.abs(emulated[i])))) {
                a.emulatorMismatches++;
            }
        }
    }

    private void sparseCase(int average, int outputs, Link link) {
        int rows = small ? 300 : 3000;
        int dim = 5000;
        int[] rowPtr = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            int len = r % 11 == 0 ? 0 : r % 97 == 1 ? 3 * average + 40 : random.nextInt(Math.max(1, average / 2), average * 3 / 2 + 1);
            rowPtr[r + 1] = rowPtr[r] + len;
        }
        int nnz = rowPtr[rows];
        int[] cols = random.ints(nnz, 0, dim).toArray();
        double[] vals = floatValues(random, nnz);
        double[] w = gaussians(random, outputs * dim);
        double[] b = gaussians(random, outputs);
        Packing.Csr csr = Packing.csr(rowPtr, cols, vals, 0, rows, dim);
        KernelPlan plan = KernelPlan.sparse(rows, nnz, device.multiprocessors(),
                device.residentBlocksPerSm(KernelPlan.SPARSE, KernelPlan.sparse(rows, nnz, 1, 1)));
        String variant = "sparse g=" + plan.g();
        ByteBuffer margins = Packing.direct((long) rows * outputs * Double.BYTES);
        ByteBuffer scores = link == Link.IDENTITY ? null : Packing.direct((long) rows * outputs * Double.BYTES);
        long h = device.sparseCreate(csr.rowPtr(), csr.cols(), csr.vals(), rows, nnz);
        try {
            device.sparseSetModel(h, Packing.doubles(w), Packing.doubles(b), dim, outputs);
            device.sparseScore(h, plan, link.code(), margins, scores);
        } finally {
            device.sparseFree(h);
        }
        double[] got = new double[rows * outputs];
        margins.asDoubleBuffer().get(got);
        double[] gotScores = got;
        if (scores != null) {
            gotScores = new double[rows * outputs];
            scores.asDoubleBuffer().get(gotScores);
        }
        double[] reference = new double[rows * outputs];
        CpuScorer.INSTANCE.sparseMargins(rowPtr, cols, vals, rows, dim, w, b, outputs, reference);
        double[] scales = new double[rows * outputs];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputs; o++) {
                double s = Math.abs(b[o]);
                for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
                    s += Math.abs(w[o * dim + cols[j]] * vals[j]);
                }
                scales[r * outputs + o] = s;
            }
        }
        record(variant, got, reference, scales, gotScores, outputs, link);
        if (!simulated) {
            float[] fv = new float[nnz];
            for (int j = 0; j < nnz; j++) {
                fv[j] = (float) vals[j];
            }
            double[] emulated = new double[rows * outputs];
            KernelEmulator.sparse(plan, rowPtr, cols, fv, rows, dim, w, b, outputs, link.code(), emulated,
                    link == Link.IDENTITY ? null : new double[rows * outputs], null);
            compareBitwise(variant, got, emulated);
        }
    }

    /** The Scorer SPI path: host batches through CudaScorer, chunked, against CpuScorer. */
    private void scorerCases() {
        CudaScorer scorer = new CudaScorer(device, new ResidentStore.Staging(32L << 10, 500, 2000), 200L << 10, 5000);
        for (int dim : new int[] {7, 64, 700}) {
            for (int outputs : new int[] {1, 5}) {
                int rows = small ? 200 : 2000;
                double[] x = floatValues(random, (long) rows * dim);
                double[] w = gaussians(random, outputs * dim);
                double[] b = gaussians(random, outputs);
                double[] got = new double[rows * outputs];
                scorer.denseMargins(x, rows, dim, w, b, outputs, got);
                double[] reference = new double[rows * outputs];
                CpuScorer.INSTANCE.denseMargins(x, rows, dim, w, b, outputs, reference);
                record("CudaScorer.denseMargins", got, reference, scales(x, rows, dim, w, b), got, outputs, Link.IDENTITY);
            }
        }
        int rows = small ? 300 : 3000;
        int dim = 1000;
        int[] rowPtr = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            rowPtr[r + 1] = rowPtr[r] + random.nextInt(0, 40);
        }
        int[] cols = random.ints(rowPtr[rows], 0, dim).toArray();
        double[] vals = floatValues(random, rowPtr[rows]);
        double[] w = gaussians(random, 2 * dim);
        double[] b = gaussians(random, 2);
        double[] got = new double[rows * 2];
        scorer.sparseMargins(rowPtr, cols, vals, rows, dim, w, b, 2, got);
        double[] reference = new double[rows * 2];
        CpuScorer.INSTANCE.sparseMargins(rowPtr, cols, vals, rows, dim, w, b, 2, reference);
        double[] scales = new double[rows * 2];
        Arrays.fill(scales, 1.0);
        record("CudaScorer.sparseMargins", got, reference, scales, got, 2, Link.IDENTITY);
    }

    private void record(String variant, double[] margins, double[] reference, double[] scales, double[] scores, int outputs,
                        Link link) {
        Accuracy a = accuracy.computeIfAbsent(variant, k -> new Accuracy());
        a.cases++;
        a.outputs += margins.length;
        double[] expectedScores = linkScores(reference, outputs, link);
        for (int i = 0; i < margins.length; i++) {
            if (Double.isNaN(margins[i]) || Double.isNaN(scores[i])) {
                a.unwritten++;
                continue;
            }
            a.maxError = Math.max(a.maxError, relativeError(margins[i], reference[i], scales[i]));
            a.maxError = Math.max(a.maxError, Math.abs(scores[i] - expectedScores[i]) / Math.max(Math.abs(expectedScores[i]), 1e-12));
        }
    }

    private void compareBitwise(String variant, double[] device, double[] emulated) {
        Accuracy a = accuracy.computeIfAbsent(variant, k -> new Accuracy());
        a.emulatorCompared = true;
        for (int i = 0; i < device.length; i++) {
            if (Double.doubleToRawLongBits(device[i]) != Double.doubleToRawLongBits(emulated[i])) {
                a.emulatorMismatches++;
            }
        }
    }

    /**
     * |got − expected| relative to |expected|, or to a billionth of the sum's magnitude {@code Σ|w_i x_i| + |b|} when the
     * margin is that close to zero (cancellation makes any relative error there meaningless).
     */
    static double relativeError(double got, double expected, double scale) {
        return Math.abs(got - expected) / Math.max(Math.abs(expected), Math.max(1e-9 * scale, Double.MIN_NORMAL));
    }

    static double[] linkScores(double[] margins, int outputs, Link link) {
        double[] s = new double[margins.length];
        for (int at = 0; at < margins.length; at += outputs) {
            if (link == Link.SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY;
                for (int o = 0; o < outputs; o++) {
                    max = Math.max(max, margins[at + o]);
                }
                double sum = 0;
                for (int o = 0; o < outputs; o++) {
                    sum += Math.exp(margins[at + o] - max);
                }
                for (int o = 0; o < outputs; o++) {
                    s[at + o] = Math.exp(margins[at + o] - max) / sum;
                }
            } else {
                for (int o = 0; o < outputs; o++) {
                    double m = margins[at + o];
                    s[at + o] = link == Link.LOGISTIC ? 1 / (1 + Math.exp(-m)) : m;
                }
            }
        }
        return s;
    }

    // ---- memory ---------------------------------------------------------------------------------------------------------

    private void memory() {
        int cycles = small ? 20 : 200;
        CudaScorer scorer = new CudaScorer(device);
        memoryCycle(scorer, 0); // warm-up: streams, lazily loaded kernels and context memory are not leaks
        long[] before = device.memInfo();
        long allocated = device.allocatedBytes();
        long pinned = device.pinnedBytes();
        for (int c = 1; c <= cycles; c++) {
            memoryCycle(scorer, c);
        }
        long[] after = device.memInfo();
        long drift = after[0] - before[0];
        long allocatedAfter = device.allocatedBytes();
        long pinnedAfter = device.pinnedBytes();
        System.out.printf(Locale.ROOT, "cycles: %d (store create/append/grow/replace/rescore/close, host dense and sparse batches)%n", cycles);
        System.out.printf(Locale.ROOT, "cudaMemGetInfo free: before %,d, after %,d (%+,d bytes)%n", before[0], after[0], drift);
        System.out.printf(Locale.ROOT, "library accounting: device %,d -> %,d bytes, pinned %,d -> %,d bytes%n", allocated,
                allocatedAfter, pinned, pinnedAfter);
        // the driver hands out memory in 2 MiB pages; one leaked store per cycle would be >= 200 MiB here
        boolean pass = Math.abs(drift) <= (2L << 20) && allocatedAfter == allocated && pinnedAfter == pinned && allocated == 0;
        verdict("memory: " + cycles + " create/free cycles", pass, String.format(Locale.ROOT,
                "cudaMemGetInfo free %+,d bytes (limit ±2 MiB), library holds %,d device / %,d pinned bytes", drift,
                allocatedAfter, pinnedAfter));
    }

    private void memoryCycle(CudaScorer scorer, int c) {
        int dim = 1 + c % 50;
        int rows = small ? 500 : 20_000;
        double[] x = floatValues(random, (long) rows * dim);
        // the real staging on the GPU (pinned allocations are part of what must be freed); a small one when simulated
        var staging = small ? new ResidentStore.Staging(256L << 10, 4096, 8192) : ResidentStore.Staging.DEFAULT;
        try (ResidentStore store = ResidentStore.open(device, dim, ResidentStore.INITIAL_ROWS, staging)) {
            store.append(x, 0, rows / 2);
            store.append(x, rows / 2, rows - rows / 2); // grows
            store.replace(new int[] {0, rows - 1}, Arrays.copyOf(x, 2 * dim));
            store.rescoreAll(gaussians(random, 2 * dim), new double[] {0, 1}, Link.SOFTMAX);
            store.rescore(bandIds(random, rows), gaussians(random, dim), new double[] {0.5}, Link.LOGISTIC);
        }
        double[] out = new double[200];
        scorer.denseMargins(x, 200, dim, gaussians(random, dim), new double[] {0}, 1, out);
        int[] rowPtr = IntStream.rangeClosed(0, 100).map(r -> 3 * r).toArray();
        scorer.sparseMargins(rowPtr, random.ints(300, 0, dim).toArray(), floatValues(random, 300), 100, dim,
                gaussians(random, dim), new double[] {0}, 1, out);
    }

    // ---- throughput -------------------------------------------------------------------------------------------------------

    private void throughput() {
        int reps = small ? 3 : 20;
        long bytes = small ? 4L << 20 : GIB;
        double copyMs = median(device.copyTime(bytes, reps));
        copyGbs = 2.0 * bytes / copyMs / 1e6; // read + write
        System.out.printf(Locale.ROOT, "device-to-device copy of %,d bytes: %.3f ms, %.0f GB/s (read + write)%n", bytes, copyMs, copyGbs);
        if (torch.containsKey("copy")) {
            System.out.printf(Locale.ROOT, "torch copy_ of the same: %.3f ms, %.0f GB/s%n", torch.get("copy"), 2.0 * bytes / torch.get("copy") / 1e6);
        }

        List<String> bigRuns = new ArrayList<>();
        for (int d : new int[] {8, 32, 128, 512}) {
            int rows = (int) (bytes / (4L * d));
            float[] features = randomFloats(rows * (long) d, seed + d);
            double[] w = gaussians(random, d);
            double b = random.nextDouble(-1, 1);
            try (ResidentStore store = ResidentStore.open(device, d, rows, ResidentStore.Staging.DEFAULT)) {
                long t0 = System.nanoTime();
                upload(store, features, d);
                double uploadS = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "d=%d: %,d rows uploaded in %.2f s (%.1f GB/s of float32 through Java)%n", d, rows,
                        uploadS, rows * 4.0 * d / uploadS / 1e9);
                store.setModel(w, new double[] {b});
                String target = d >= 32 ? ">= 80% copy, >= torch" : ">= torch";
                for (boolean deep : new boolean[] {false, true}) {
                    KernelPlan plan = store.plan(rows, deep);
                    double ms = median(device.storeTime(store.handleForTiming(), plan, null, 0, rows, Link.LOGISTIC.code(),
                            false, true, reps));
                    perf.add(new Perf("dense-" + d, String.format("dense d=%d %s%s", d, describe(plan), deep ? " deep" : ""),
                            rows, ms, rows * (4.0 * d + 8), torch.get("dense-" + d), target));
                }
                // the big run's results, checked in full: rescoreAll through JNI against a float64 reference
                Band band = store.rescoreAll(w, new double[] {b}, Link.LOGISTIC);
                double err = bigRunError(features, d, w, b, band.margins(), band.scores(), null);
                bigRuns.add(String.format(Locale.ROOT, "d=%d %.1e", d, err));
                check(err < LIMIT, "dense d=" + d + " full run: max rel err " + err);

                if (d == 128) {
                    int k = 10;
                    store.setModel(gaussians(random, k * d), gaussians(random, k));
                    KernelPlan plan = store.plan(rows, false);
                    double ms = median(device.storeTime(store.handleForTiming(), plan, null, 0, rows, Link.SOFTMAX.code(),
                            true, true, reps));
                    perf.add(new Perf("softmax-128x10", "softmax d=128 k=10 " + describe(plan), rows, ms,
                            rows * (4.0 * d + 2 * 8 * k), torch.get("softmax-128x10"), "(none)"));
                    store.setModel(w, new double[] {b});
                    ensembleThroughput(store, rows, d, reps, features, bigRuns);
                    store.setModel(w, new double[] {b});
                }
                if (d == 32 || d == 128) {
                    for (int pct : new int[] {1, 10, 100}) {
                        int n = (int) ((long) rows * pct / 100);
                        int[] ids = sortedSample(random, rows, n);
                        ByteBuffer idBuffer = Packing.direct(4L * n);
                        idBuffer.asIntBuffer().put(ids);
                        KernelPlan plan = store.plan(n, false);
                        double ms = median(device.storeTime(store.handleForTiming(), plan, idBuffer, 0, n,
                                Link.LOGISTIC.code(), false, true, reps));
                        perf.add(new Perf("band-" + d + "-" + pct, String.format("band d=%d %d%% (ids)", d, pct), n, ms,
                                n * (4.0 * d + 4 + 8), torch.get("band-" + d + "-" + pct), "(none)"));
                        if (pct == 10) {
                            Band part = store.rescore(ids, w, new double[] {b}, Link.LOGISTIC);
                            double bandErr = bigRunError(features, d, w, b, part.margins(), part.scores(), ids);
                            bigRuns.add(String.format(Locale.ROOT, "band d=%d 10%% %.1e", d, bandErr));
                            check(bandErr < LIMIT, "band d=" + d + ": max rel err " + bandErr);
                        }
                    }
                }
            }
        }
        sparseThroughput(reps, bigRuns);
        printPerf();
        verdict("big runs (every row of every throughput shape, through JNI)",
                bigRuns.stream().allMatch(s -> !s.contains("NaN")) && failuresInBigRuns == 0, String.join(", ", bigRuns));
    }

    /**
     * A 64-member bagged ensemble over the resident rows against one model on the same rows (the issue's bar: at least
     * half the speed), kernel time alone; then a sample of the rows checked against the engine's definition.
     */
    private void ensembleThroughput(ResidentStore store, int rows, int d, int reps, float[] features, List<String> bigRuns) {
        int members = 64;
        double[] w = gaussians(random, members * d);
        double[] b = gaussians(random, members);
        store.setModel(w, b);
        // the grid rescoreEnsemble launches: sized by the ensemble twin's occupancy
        KernelPlan plan = store.plan(rows, false, Link.LOGISTIC.membersCode());
        double ms = median(device.storeTime(store.handleForTiming(), plan, null, 0, rows, Link.LOGISTIC.membersCode(), false,
                true, reps));
        perf.add(new Perf("ensemble-128x64", "ensemble d=128 64 members " + describe(plan), rows, ms, rows * (4.0 * d + 16),
                torch.get("ensemble-128x64"), "(none)"));
        double one = perf.stream().filter(p -> p.key().equals("dense-" + d)).mapToDouble(Perf::ms).min().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "ensemble: 64 members %.3f ms, one model %.3f ms on the same %,d rows: speed ratio %.2f"
                + " (target >= 0.5)%n", ms, one, rows, one / ms);
        summary.add(new String[] {"ensemble 64 members / one model, d=128 (speed)", one / ms >= 0.5 ? "met" : "MISS",
                String.format(Locale.ROOT, "%.2f (target >= 0.5; kernel time, %.3f vs %.3f ms)", one / ms, ms, one)});
        int sample = small ? 50 : 2000;
        int[] ids = sortedSample(random, rows, sample);
        EnsembleBand band = store.rescoreEnsemble(ids, w, b, Link.LOGISTIC);
        double[] x = new double[sample * d];
        for (int i = 0; i < sample; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = features[(int) ((long) ids[i] * d + j)];
            }
        }
        EnsembleBand relabeled = new EnsembleBand(IntStream.range(0, sample).toArray(), band.means(), band.spreads());
        String key = "ensemble big run d=128 x64";
        recordEnsemble(key, relabeled, x, d, w, b, Link.LOGISTIC);
        Accuracy a = accuracy.remove(key);
        bigRuns.add(String.format(Locale.ROOT, "ensemble d=128 x64 %.1e", a.maxError));
        check(a.maxError < LIMIT && a.unwritten == 0, "ensemble d=128 x64: max rel err " + a.maxError + ", unwritten " + a.unwritten);
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            failuresInBigRuns++;
            System.out.println("FAIL: " + what);
        }
    }

    private void sparseThroughput(int reps, List<String> bigRuns) {
        int rows = small ? 20_000 : 4 << 20;
        int terms = 20;
        int dim = small ? 1 << 12 : 1 << 17;
        long nnz = (long) rows * terms;
        ByteBuffer rowPtr = Packing.direct(4L * (rows + 1));
        ByteBuffer cols = Packing.direct(4 * nnz);
        ByteBuffer vals = Packing.direct(4 * nnz);
        IntBuffer rp = rowPtr.asIntBuffer();
        for (int r = 0; r <= rows; r++) {
            rp.put(r * terms);
        }
        int[] colArray = random.ints(nnz, 0, dim).toArray();
        float[] valArray = randomFloats(nnz, seed + 7);
        cols.asIntBuffer().put(colArray);
        vals.asFloatBuffer().put(valArray);
        double[] w = gaussians(random, dim);
        double b = random.nextDouble(-1, 1);
        long h = device.sparseCreate(rowPtr, cols, vals, rows, (int) nnz);
        try {
            device.sparseSetModel(h, Packing.doubles(w), Packing.doubles(new double[] {b}), dim, 1);
            KernelPlan plan = KernelPlan.sparse(rows, nnz, device.multiprocessors(),
                    device.residentBlocksPerSm(KernelPlan.SPARSE, KernelPlan.sparse(rows, nnz, 1, 1)));
            double ms = median(device.sparseTime(h, plan, Link.LOGISTIC.code(), false, true, reps));
            perf.add(new Perf("sparse", String.format("sparse %dx%d g=%d", rows, terms, plan.g()), rows, ms,
                    nnz * 8.0 + 4.0 * (rows + 1) + 8.0 * rows, torch.get("sparse"), "(none)"));
            ByteBuffer margins = Packing.direct(8L * rows);
            ByteBuffer scores = Packing.direct(8L * rows);
            device.sparseScore(h, plan, Link.LOGISTIC.code(), margins, scores);
            double[] m = new double[rows];
            double[] s = new double[rows];
            margins.asDoubleBuffer().get(m);
            scores.asDoubleBuffer().get(s);
            double err = IntStream.range(0, rows).parallel().mapToDouble(r -> {
                double ref = b;
                double scale = Math.abs(b);
                for (int j = r * terms; j < (r + 1) * terms; j++) {
                    double p = w[colArray[j]] * valArray[j];
                    ref += p;
                    scale += Math.abs(p);
                }
                if (Double.isNaN(m[r]) || Double.isNaN(s[r])) {
                    return Double.NaN;
                }
                double scoreRef = 1 / (1 + Math.exp(-ref));
                return Math.max(relativeError(m[r], ref, scale), Math.abs(s[r] - scoreRef) / Math.max(scoreRef, 1e-12));
            }).reduce(0, GpuCheck::maxNaN);
            bigRuns.add(String.format(Locale.ROOT, "sparse %.1e", err));
            check(err < LIMIT, "sparse full run: max rel err " + err);
        } finally {
            device.sparseFree(h);
        }
    }

    private void printPerf() {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-36s %10s %10s %9s %7s %7s %10s %8s  %s%n", "kernel (inputs resident)", "rows", "ms",
                "Grows/s", "GB/s", "%copy", "torch ms", "x torch", "target");
        for (Perf p : perf) {
            double gbs = p.bytes() / p.ms() / 1e6;
            double pct = 100 * gbs / copyGbs;
            String torchMs = p.torchMs() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", p.torchMs());
            String ratio = p.torchMs() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", p.torchMs() / p.ms());
            String met = targetMet(p, pct);
            System.out.printf(Locale.ROOT, "%-36s %,10d %10.3f %9.2f %7.0f %6.1f%% %10s %8s  %s%s%n", p.shape(), p.rows(), p.ms(),
                    p.rows() / p.ms() / 1e6, gbs, pct, torchMs, ratio, p.target(), met.isEmpty() ? "" : ": " + met);
        }
        System.out.println("GB/s counts bytes read and written once (features, ids, row pointers, results); %copy is against");
        System.out.println("the device-to-device copy above (read + write); x torch > 1 means faster than PyTorch.");
    }

    private static String targetMet(Perf p, double pctOfCopy) {
        if (p.target().equals("(none)")) {
            return "";
        }
        List<String> missed = new ArrayList<>();
        if (p.target().contains("80% copy") && pctOfCopy < 80) {
            missed.add("below 80% of copy");
        }
        if (p.target().contains("torch")) {
            if (p.torchMs() == null) {
                missed.add("torch n/a");
            } else if (p.torchMs() / p.ms() < 1) {
                missed.add("slower than torch");
            }
        }
        return missed.isEmpty() ? "met" : "MISSED (" + String.join(", ", missed) + ")";
    }

    private void upload(ResidentStore store, float[] features, int d) {
        int chunkRows = Math.max(1, (1 << 22) / d);
        int rows = features.length / d;
        double[] chunk = new double[chunkRows * d];
        for (int from = 0; from < rows; from += chunkRows) {
            int n = Math.min(chunkRows, rows - from);
            for (int i = 0; i < n * d; i++) {
                chunk[i] = features[from * d + i];
            }
            store.append(chunk, 0, n);
        }
    }

    /** Max relative error of a logistic run over rows (all, or {@code ids}) against float64 on the same features. */
    private static double bigRunError(float[] x, int d, double[] w, double b, double[] margins, double[] scores, int[] ids) {
        int n = margins.length;
        return IntStream.range(0, n).parallel().mapToDouble(i -> {
            int r = ids == null ? i : ids[i];
            double ref = b;
            double scale = Math.abs(b);
            for (int j = 0; j < d; j++) {
                double p = w[j] * x[r * d + j];
                ref += p;
                scale += Math.abs(p);
            }
            if (Double.isNaN(margins[i]) || Double.isNaN(scores[i])) {
                return Double.NaN;
            }
            double scoreRef = 1 / (1 + Math.exp(-ref));
            return Math.max(relativeError(margins[i], ref, scale), Math.abs(scores[i] - scoreRef) / Math.max(scoreRef, 1e-12));
        }).reduce(0, GpuCheck::maxNaN);
    }

    private static double maxNaN(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    // ---- refresh through Java ---------------------------------------------------------------------------------------------

    private void refresh() {
        int d = 32;
        int rows = small ? 20_000 : 4 << 20;
        double[] x = new double[rows * d];
        float[] f = randomFloats(x.length, seed + 99);
        for (int i = 0; i < x.length; i++) {
            x[i] = f[i]; // float-representable: CpuScorer sees exactly the device's features
        }
        double[] w = gaussians(random, d);
        double[] b = {0.1};
        try (DeviceFeatureStore store = ResidentStore.open(device, d)) {
            long t0 = System.nanoTime();
            store.append(x, rows);
            double uploadMs = (System.nanoTime() - t0) / 1e6;
            store.rescoreAll(w, b, Link.LOGISTIC); // the view's first scoring
            double[] w2 = w.clone();
            for (int i = 0; i < d; i++) {
                w2[i] += 1e-2 * random.nextDouble(-1, 1); // a model change
            }
            double[] b2 = {0.11};
            long t1 = System.nanoTime();
            Band all = store.rescoreAll(w2, b2, Link.LOGISTIC);
            double fullMs = (System.nanoTime() - t1) / 1e6;
            double[] cpu = new double[rows];
            long t2 = System.nanoTime();
            CpuScorer.INSTANCE.denseMargins(x, rows, d, w2, b2, 1, cpu);
            double cpuMs = (System.nanoTime() - t2) / 1e6;
            int[] ids = sortedSample(random, rows, rows / 100);
            long t3 = System.nanoTime();
            Band band = store.rescore(ids, w2, b2, Link.LOGISTIC);
            double bandMs = (System.nanoTime() - t3) / 1e6;

            double err = 0;
            long unwritten = 0;
            double[] scales = scales(x, rows, d, w2, b2);
            for (int r = 0; r < rows; r++) {
                if (Double.isNaN(all.margin(r))) {
                    unwritten++;
                } else {
                    err = Math.max(err, relativeError(all.margin(r), cpu[r], scales[r]));
                }
            }
            for (int i = 0; i < ids.length; i++) {
                err = Math.max(err, relativeError(band.margin(i), cpu[ids[i]], scales[ids[i]]));
            }
            System.out.printf(Locale.ROOT, "store d=%d, %,d rows (%,d MiB of float32)%n", d, rows, (long) rows * d * 4 >> 20);
            System.out.printf(Locale.ROOT, "upload (pack + copy through pinned staging): %.1f ms, %.2f GB/s%n", uploadMs,
                    rows * d * 4.0 / uploadMs / 1e6);
            System.out.printf(Locale.ROOT, "full refresh after a weight change (kernel + %,d results back + Java): %.1f ms, %.0f M rows/s%n",
                    rows, fullMs, rows / fullMs / 1e3);
            System.out.printf(Locale.ROOT, "CpuScorer (one thread) on the same rows: %.1f ms (refresh speedup %.1fx)%n", cpuMs, cpuMs / fullMs);
            System.out.printf(Locale.ROOT, "1%% band (%,d ids): %.2f ms%n", ids.length, bandMs);
            verdict("refresh through Java (d=32, " + rows + " rows)", err < LIMIT && unwritten == 0, String.format(Locale.ROOT,
                    "upload %.0f ms, full %.1f ms vs CpuScorer %.1f ms (%.1fx), 1%% band %.2f ms, max rel err %.1e vs CpuScorer",
                    uploadMs, fullMs, cpuMs, cpuMs / fullMs, bandMs, err));
        }
    }

    // ---- output -------------------------------------------------------------------------------------------------------------

    private void verdict(String check, boolean pass, String detail) {
        if (!pass) {
            failures++;
        }
        summary.add(new String[] {check, pass ? "PASS" : "FAIL", detail});
    }

    private void printSummary() {
        System.out.println();
        System.out.println("== summary" + (simulated ? " (SIMULATED DEVICE: timings mean nothing)" : ""));
        System.out.println("device: " + (simulated ? "simulated" : NativeLibrary.status().device()));
        System.out.printf(Locale.ROOT, "copy bandwidth (device to device, read + write): %.0f GB/s; torch: %s%n", copyGbs, torchNote);
        for (String[] row : summary) {
            System.out.printf(Locale.ROOT, "%-4s  %-52s %s%n", row[1], row[0], row[2]);
        }
        System.out.printf(Locale.ROOT, "%-36s %10s %7s %7s %8s  %s%n", "throughput", "Grows/s", "GB/s", "%copy", "x torch", "target");
        for (Perf p : perf) {
            double gbs = p.bytes() / p.ms() / 1e6;
            double pct = 100 * gbs / copyGbs;
            String ratio = p.torchMs() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", p.torchMs() / p.ms());
            String met = targetMet(p, pct);
            System.out.printf(Locale.ROOT, "%-36s %10.2f %7.0f %6.1f%% %8s  %s%s%n", p.shape(), p.rows() / p.ms() / 1e6, gbs, pct,
                    ratio, p.target(), met.isEmpty() ? "" : ": " + met);
        }
        System.out.println(failures == 0 ? "RESULT: PASS (correctness, memory, big runs, refresh)" : "RESULT: FAIL (" + failures + " checks)");
    }

    private void readTorch(Path file) {
        if (file == null) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("#")) {
                    torchNote = line.substring(1).trim();
                } else if (!line.isBlank()) {
                    String[] parts = line.split("\t");
                    torch.put(parts[0], Double.parseDouble(parts[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            torchNote = "could not read " + file + ": " + e;
        }
    }

    // ---- inputs -------------------------------------------------------------------------------------------------------------

    static String describe(KernelPlan p) {
        return p.k() == 0 ? "g=" + p.g() + " long rows" : "g=" + p.g() + " k=" + p.k() + " u=" + p.u();
    }

    /** Values exactly representable in float32 (so the float64 reference sees exactly the device's features). */
    private static double[] floatValues(SplittableRandom r, long n) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextInt(10) == 0 ? r.nextDouble(-100, 100) : r.nextDouble(-2, 2));
        }
        return v;
    }

    private static float[] randomFloats(long n, long seed) {
        float[] out = new float[Math.toIntExact(n)];
        int chunks = 256;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + c);
            int from = (int) (n * c / chunks);
            int to = (int) (n * (c + 1) / chunks);
            for (int i = from; i < to; i++) {
                out[i] = (float) r.nextDouble(-1, 1);
            }
        });
        return out;
    }

    private static double[] gaussians(SplittableRandom r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        }
        return w;
    }

    private static double[] scales(double[] x, int rows, int dim, double[] w, double[] b) {
        int outputs = b.length;
        double[] s = new double[rows * outputs];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputs; o++) {
                double sum = Math.abs(b[o]);
                for (int i = 0; i < dim; i++) {
                    sum += Math.abs(w[o * dim + i] * x[r * dim + i]);
                }
                s[r * outputs + o] = sum;
            }
        }
        return s;
    }

    private static double[] pick(double[] perRow, int[] ids, int outputs) {
        double[] out = new double[ids.length * outputs];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(perRow, ids[i] * outputs, out, i * outputs, outputs);
        }
        return out;
    }

    /** A band: scattered ids in random order (some repeated), and a run long enough to go as a range when rows allow. */
    private static int[] bandIds(SplittableRandom r, int rows) {
        int scattered = Math.max(1, rows / 10);
        int run = rows >= 2 * ResidentStore.MIN_RUN ? ResidentStore.MIN_RUN + r.nextInt(100) : 0;
        int runStart = run == 0 ? 0 : r.nextInt(rows - run);
        int[] ids = new int[scattered + run];
        for (int i = 0; i < scattered; i++) {
            ids[i] = r.nextInt(rows);
        }
        for (int i = 0; i < run; i++) {
            ids[scattered + i] = runStart + i;
        }
        return ids;
    }

    private static int[] distinctIds(SplittableRandom r, int rows, int n) {
        return r.ints(0, rows).distinct().limit(n).toArray();
    }

    /** {@code n} distinct ids below {@code rows}, ascending (a partial Fisher-Yates shuffle). */
    private static int[] sortedSample(SplittableRandom r, int rows, int n) {
        if (n == rows) {
            return IntStream.range(0, rows).toArray();
        }
        int[] all = IntStream.range(0, rows).toArray();
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(rows - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, n);
        Arrays.sort(out);
        return out;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
