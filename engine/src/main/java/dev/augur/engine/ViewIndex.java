package dev.augur.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine side of a prediction view: for each entity its feature vector, Hölder norms, its margin under the
 * view's anchor model and the values the view table stores; entities sorted by anchor margin, so the rows a
 * model change can affect are one range (Hazy's water marks) before each row's own tightest bound is checked.
 *
 * <p>Not thread-safe: the database binding serializes maintenance of one view.
 */
public final class ViewIndex {
    /** What is known of one entity. Immutable, so an undo log can keep old entries. */
    public record Entry(Object key, Object features, double norm1, double norm2, double normInf,
                        double anchorMargin, double storedMargin, String storedLabel, double storedScore, int storedVersion) {
        Entry withStored(double margin, String label, double score, int version) {
            return new Entry(key, features, norm1, norm2, normInf, anchorMargin, margin, label, score, version);
        }

        Entry withAnchor(double anchor) {
            return new Entry(key, features, norm1, norm2, normInf, anchor, storedMargin, storedLabel, storedScore, storedVersion);
        }
    }

    /** A row to write: its new stored values. */
    public record Scored(Object key, double margin, String label, double score, double norm1, double norm2, double normInf) {
    }

    /** The outcome of maintaining the view after a model change. */
    public record Plan(List<Scored> changed, long rowsChecked, long rowsRescored, double bound, boolean full, String scorer) {
    }

    private Map<Object, Entry> entries = new HashMap<>();
    private Model anchor;
    private int anchorVersion;
    private double[] sortedAnchorMargins = new double[0];
    private Object[] sortedKeys = new Object[0];
    private Set<Object> unsorted = new HashSet<>();
    private double maxDeviation;
    private double maxNorm1;
    private double maxNorm2;
    private double maxNormInf;
    private double incrementalCost;

    public ViewIndex(Model anchor, int anchorVersion) {
        this.anchor = anchor;
        this.anchorVersion = anchorVersion;
    }

    public Model anchor() {
        return anchor;
    }

    public int anchorVersion() {
        return anchorVersion;
    }

    public int size() {
        return entries.size();
    }

    public Entry get(Object key) {
        return entries.get(key);
    }

    /** Cost spent on incremental maintenance since the anchor, in rows (checked + 4 × re-scored). */
    public double incrementalCost() {
        return incrementalCost;
    }

    // ------------------------------------------------------------------ features of SQL values

    /** The feature vector of a row's inputs (a SparseVector or a double[]); null when an input is NULL. */
    public static Object featuresOf(Model model, Object[] inputs) {
        for (Object v : inputs) {
            if (v == null) {
                return null;
            }
        }
        if (model.features() instanceof BagOfWords bow) {
            if (!(inputs[0] instanceof String s)) {
                throw Errors.wrongType(model.name(), bow.input(), "text", inputs[0]);
            }
            return bow.vectorize(s);
        }
        return model.denseRow(inputs);
    }

    static double margin(Model m, Object features) {
        return features instanceof SparseVector sv ? m.margin(sv, 0) : m.margin((double[]) features);
    }

    static double[] norms(Object features) {
        double[] v = features instanceof SparseVector sv ? sv.values() : (double[]) features;
        return new double[]{Norms.of(v, 0, v.length, 1), Norms.of(v, 0, v.length, 2), Norms.of(v, 0, v.length, Double.POSITIVE_INFINITY)};
    }

    /** Scores features under a model (binary or linear): margin, label, score. */
    public static Scored score(Object key, Model model, Object features) {
        double[] n = norms(features);
        double m = margin(model, features);
        String label = model.kind() == ModelKind.LINEAR ? null : model.classes().get(m >= 0 ? 1 : 0);
        return new Scored(key, m, label, model.scoreOfMargin(m), n[0], n[1], n[2]);
    }

    // ------------------------------------------------------------------ data changes

    /**
     * Records an entity scored with {@code current} (version {@code version}); returns the values the view table
     * must store, or null when an input is NULL (then the entity has no row: NULL in, NULL out).
     */
    public Scored put(Object key, Object features, Model current, int version) {
        journal(key, entries.get(key));
        if (features == null) {
            entries.remove(key);
            return null;
        }
        Scored s = score(key, current, features);
        double anchorMargin = margin(anchor, features);
        Entry e = new Entry(key, features, s.norm1(), s.norm2(), s.normInf(), anchorMargin, s.margin(), s.label(), s.score(), version);
        entries.put(key, e);
        unsorted.add(key);
        track(e);
        return s;
    }

    public void remove(Object key) {
        journal(key, entries.remove(key));
    }

    // ------------------------------------------------------------------ journal (the binding's transactions)

    private final List<Runnable> undoLog = new ArrayList<>();

    /** Forgets the journal: everything done so far is committed. */
    public void commitJournal() {
        undoLog.clear();
    }

    /** The journal's length, to roll back to later (a statement or transaction start). */
    public int journalPosition() {
        return undoLog.size();
    }

    /** Undoes everything done after {@code position}, newest first (the statement or transaction rolled back). */
    public void rollbackJournalTo(int position) {
        for (int i = undoLog.size() - 1; i >= position; i--) {
            undoLog.remove(i).run();
        }
    }

    /** Adds an undo action of the binding's own (its live model, say) to the same journal. */
    public void journal(Runnable undo) {
        undoLog.add(undo);
    }

    private void journal(Object key, Entry previous) {
        undoLog.add(() -> restore(key, previous));
    }

    private void restore(Object key, Entry previous) {
        if (previous == null) {
            entries.remove(key);
        } else {
            entries.put(key, previous);
            unsorted.add(key);
            track(previous);
        }
    }

    private void track(Entry e) {
        maxDeviation = Math.max(maxDeviation, Math.abs(e.anchorMargin() - e.storedMargin()));
        maxNorm1 = Math.max(maxNorm1, e.norm1());
        maxNorm2 = Math.max(maxNorm2, e.norm2());
        maxNormInf = Math.max(maxNormInf, e.normInf());
    }

    // ------------------------------------------------------------------ model changes

    /**
     * Maintains the view for a new current model: re-scores only rows whose own bound says their label, or their
     * score beyond {@code tolerance}, can change; returns the rows whose stored values change. A model that no
     * bound covers (another kind, shape or feature function) re-scores every row.
     */
    public Plan modelChanged(Model current, int version, double tolerance) {
        HolderBound delta = HolderBound.between(anchor, current);
        if (delta == null) {
            return rescoreAll(current, version);
        }
        double lipschitz = current.kind() == ModelKind.LINEAR ? 1.0 : 0.25;
        double maxBound = Math.min(delta.deltaLinf() * maxNorm1, Math.min(delta.deltaL2() * maxNorm2, delta.deltaL1() * maxNormInf))
                + delta.deltaBias();
        boolean scoresSafe = lipschitz * (maxBound + maxDeviation) <= tolerance;
        List<Scored> changed = new ArrayList<>();
        long checked = 0;
        long rescored = 0;
        if (scoresSafe && current.kind() != ModelKind.LINEAR) {
            // only labels can change: the band |anchor margin| <= maxBound + 2 D holds every candidate
            double band = maxBound + 2 * maxDeviation;
            int from = lowerBound(sortedAnchorMargins, -band);
            int to = upperBound(sortedAnchorMargins, band);
            Set<Object> seen = new HashSet<>();
            for (int i = from; i < to; i++) {
                Object key = sortedKeys[i];
                Entry e = entries.get(key);
                if (e == null || e.anchorMargin() != sortedAnchorMargins[i] || !seen.add(key)) {
                    continue;
                }
                checked++;
                if (check(e, current, version, delta, lipschitz, tolerance, changed)) {
                    rescored++;
                }
            }
            for (Object key : unsorted) {
                Entry e = entries.get(key);
                if (e == null || !seen.add(key)) {
                    continue;
                }
                checked++;
                if (check(e, current, version, delta, lipschitz, tolerance, changed)) {
                    rescored++;
                }
            }
        } else {
            // a cheap first pass: when the bounds leave most rows to re-score, a full re-scoring (which also
            // re-anchors) costs less than checking and journaling row by row
            long needed = 0;
            for (Entry e : entries.values()) {
                if (!safe(e, current, delta, lipschitz, tolerance)) {
                    needed++;
                }
            }
            if (needed > entries.size() / 2) {
                return rescoreAll(current, version);
            }
            for (Entry e : new ArrayList<>(entries.values())) {
                checked++;
                if (check(e, current, version, delta, lipschitz, tolerance, changed)) {
                    rescored++;
                }
            }
        }
        incrementalCost += checked * 0.05 + rescored;
        return new Plan(changed, checked, rescored, maxBound, false, CpuScorer.INSTANCE.name());
    }

    /** Whether the row's own bound proves its stored label and score still hold under {@code current}. */
    private static boolean safe(Entry e, Model current, HolderBound delta, double lipschitz, double tolerance) {
        double drift = delta.forRow(e.norm1(), e.norm2(), e.normInf()) + Math.abs(e.anchorMargin() - e.storedMargin());
        boolean labelSafe = current.kind() == ModelKind.LINEAR || Math.abs(e.storedMargin()) > drift;
        boolean scoreSafe = lipschitz * drift <= tolerance && !(tolerance == 0 && drift > 0);
        return labelSafe && scoreSafe;
    }

    /** Re-scores one entry when its bound requires; returns whether it was re-scored. */
    private boolean check(Entry e, Model current, int version, HolderBound delta, double lipschitz, double tolerance,
                          List<Scored> changed) {
        if (safe(e, current, delta, lipschitz, tolerance)) {
            return false;
        }
        Scored s = score(e.key(), current, e.features());
        // write what must change: a label, or a score past half the tolerance (a row left as it is keeps a valid
        // bound, as bounds are taken from the stored margin); with tolerance 0, any change
        boolean labelChanged = !java.util.Objects.equals(s.label(), e.storedLabel());
        boolean scoreChanged = tolerance == 0 ? s.margin() != e.storedMargin() : Math.abs(s.score() - e.storedScore()) > tolerance / 2;
        if (labelChanged || scoreChanged) {
            journal(e.key(), e);
            Entry updated = e.withStored(s.margin(), s.label(), s.score(), version);
            entries.put(e.key(), updated);
            track(updated);
            changed.add(s);
        }
        return true;
    }

    /**
     * Full re-scoring under {@code current}, which becomes the anchor (Hazy's reorganization). Margins are computed in
     * batches by the backend {@link Scorers#choose} picks for the view's size (the CPU unless another is configured).
     */
    public Plan rescoreAll(Model current, int version) {
        Entry[] all = entries.values().toArray(new Entry[0]);
        double[] margins = new double[all.length];
        Scorer scorer = Scorers.choose(all.length, current.dimension(), false);
        batchMargins(scorer, current, all, margins);
        List<Scored> changed = new ArrayList<>();
        Map<Object, Entry> next = new HashMap<>(all.length * 2);
        for (int i = 0; i < all.length; i++) {
            Entry e = all[i];
            double m = margins[i];
            String label = current.kind() == ModelKind.LINEAR ? null : current.classes().get(m >= 0 ? 1 : 0);
            Scored s = new Scored(e.key(), m, label, current.scoreOfMargin(m), e.norm1(), e.norm2(), e.normInf());
            Entry updated = new Entry(e.key(), e.features(), e.norm1(), e.norm2(), e.normInf(), m, m, label, s.score(), version);
            if (m != e.storedMargin() || !java.util.Objects.equals(label, e.storedLabel()) || e.storedVersion() != version) {
                changed.add(s);
            }
            next.put(e.key(), updated);
        }
        Snapshot before = snapshot();
        undoLog.add(() -> restore(before));
        entries = next;
        anchor = current;
        anchorVersion = version;
        resort();
        incrementalCost = 0;
        return new Plan(changed, all.length, all.length, Double.NaN, true, scorer.name());
    }

    private static final int BATCH = 4096;

    /** Margins of every entry in batches of {@value #BATCH} rows: dense rows packed row-major, sparse rows as CSR. */
    private static void batchMargins(Scorer scorer, Model model, Entry[] all, double[] out) {
        int d = model.dimension();
        double[] w = model.weightsUnsafe();
        double[] b = model.biasUnsafe();
        double[] block = new double[BATCH];
        for (int from = 0; from < all.length; from += BATCH) {
            int n = Math.min(BATCH, all.length - from);
            if (model.features() instanceof BagOfWords) {
                int nnz = 0;
                for (int r = 0; r < n; r++) {
                    nnz += ((SparseVector) all[from + r].features()).size();
                }
                int[] rowPtr = new int[n + 1];
                int[] idx = new int[nnz];
                double[] val = new double[nnz];
                int k = 0;
                for (int r = 0; r < n; r++) {
                    SparseVector x = (SparseVector) all[from + r].features();
                    System.arraycopy(x.indices(), 0, idx, k, x.size());
                    System.arraycopy(x.values(), 0, val, k, x.size());
                    k += x.size();
                    rowPtr[r + 1] = k;
                }
                scorer.sparseMargins(rowPtr, idx, val, n, d, w, b, 1, block);
            } else {
                double[] x = new double[n * d];
                for (int r = 0; r < n; r++) {
                    System.arraycopy((double[]) all[from + r].features(), 0, x, r * d, d);
                }
                scorer.denseMargins(x, n, d, w, b, 1, block);
            }
            System.arraycopy(block, 0, out, from, n);
        }
    }

    /** The whole state, for undoing a reorganization. */
    record Snapshot(Map<Object, Entry> entries, Model anchor, int anchorVersion, double[] sortedAnchorMargins,
                           Object[] sortedKeys, Set<Object> unsorted, double maxDeviation, double[] maxNorms, double incrementalCost) {
    }

    Snapshot snapshot() {
        return new Snapshot(entries, anchor, anchorVersion, sortedAnchorMargins, sortedKeys, new HashSet<>(unsorted), maxDeviation,
                new double[]{maxNorm1, maxNorm2, maxNormInf}, incrementalCost);
    }

    void restore(Snapshot s) {
        entries = s.entries();
        anchor = s.anchor();
        anchorVersion = s.anchorVersion();
        sortedAnchorMargins = s.sortedAnchorMargins();
        sortedKeys = s.sortedKeys();
        unsorted = s.unsorted();
        maxDeviation = s.maxDeviation();
        maxNorm1 = s.maxNorms()[0];
        maxNorm2 = s.maxNorms()[1];
        maxNormInf = s.maxNorms()[2];
        incrementalCost = s.incrementalCost();
    }

    /** Sorts entities by anchor margin; later inserts and updates go to a small unsorted set until the next sort. */
    public void resort() {
        int n = entries.size();
        Entry[] all = entries.values().toArray(new Entry[0]);
        Arrays.sort(all, (a, b) -> Double.compare(a.anchorMargin(), b.anchorMargin()));
        sortedAnchorMargins = new double[n];
        sortedKeys = new Object[n];
        maxDeviation = 0;
        maxNorm1 = 0;
        maxNorm2 = 0;
        maxNormInf = 0;
        for (int i = 0; i < n; i++) {
            sortedAnchorMargins[i] = all[i].anchorMargin();
            sortedKeys[i] = all[i].key();
            track(all[i]);
        }
        unsorted = new HashSet<>();
    }

    /** Whether two models turn SQL values into the same feature vectors (else stored features must be recomputed). */
    public static boolean sameFeatures(Model a, Model b) {
        return java.util.Arrays.equals(ModelCodec.encodeFeatures(a.features()), ModelCodec.encodeFeatures(b.features()));
    }

    /** Replaces an entity's feature vector (a model with another feature function), keeping its stored values. */
    public void refeature(Object key, Object features) {
        Entry e = entries.get(key);
        if (e == null || features == null) {
            return;
        }
        journal(key, e);
        double[] n = norms(features);
        entries.put(key, new Entry(key, features, n[0], n[1], n[2], e.anchorMargin(), e.storedMargin(), e.storedLabel(),
                e.storedScore(), e.storedVersion()));
    }

    /** Loads an entity as stored (on start): features from the base table, stored values from the view table. */
    public void load(Object key, Object features, double storedMargin, String storedLabel, double storedScore, int storedVersion) {
        double[] n = norms(features);
        Entry e = new Entry(key, features, n[0], n[1], n[2], margin(anchor, features), storedMargin, storedLabel, storedScore, storedVersion);
        entries.put(key, e);
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
