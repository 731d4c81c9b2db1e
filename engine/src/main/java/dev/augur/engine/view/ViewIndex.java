package dev.augur.engine.view;

import dev.augur.engine.CpuScorer;
import dev.augur.engine.Scorer;
import dev.augur.engine.Scorers;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.features.Norms;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.HolderBound;
import dev.augur.engine.model.Model;

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
    public record Entry(Object key, FeatureVector features, double norm1, double norm2, double normInf,
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

    /** The feature vector of a row's inputs under {@code model}'s feature function; null when an input is NULL. */
    public static FeatureVector featuresOf(Model model, Object[] inputs) {
        return model.featureVector(inputs);
    }

    static double[] norms(FeatureVector features) {
        double[] v = features.values();
        return new double[]{Norms.of(v, 0, v.length, 1), Norms.of(v, 0, v.length, 2), Norms.of(v, 0, v.length, Double.POSITIVE_INFINITY)};
    }

    /** Scores features under a single-output model: margin, label (null for a regressor), score. */
    public static Scored score(Object key, Model model, FeatureVector features) {
        double[] n = norms(features);
        double m = model.margin(features);
        return new Scored(key, m, model.labelOfMargin(m), model.scoreOfMargin(m), n[0], n[1], n[2]);
    }

    // ------------------------------------------------------------------ data changes

    /**
     * Records an entity scored with {@code current} (version {@code version}); returns the values the view table
     * must store, or null when an input is NULL (then the entity has no row: NULL in, NULL out).
     */
    public Scored put(Object key, FeatureVector features, Model current, int version) {
        journal(key, entries.get(key));
        if (features == null) {
            entries.remove(key);
            return null;
        }
        Scored s = score(key, current, features);
        double anchorMargin = anchor.margin(features);
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
     * The skiing rule (Hazy): whether to re-score in full and re-anchor instead of maintaining incrementally, once
     * incremental maintenance since the anchor has cost more than {@code alpha} full re-scorings. {@code alpha} = 0
     * means "never incremental" (the baseline benchmarks compare to); a refresh asked {@code full}, or a model with
     * another feature function ({@code refeatured}), always re-anchors.
     */
    public boolean shouldReanchor(double alpha, boolean full, boolean refeatured) {
        return full || refeatured || alpha == 0 || incrementalCost > alpha * Math.max(1, size());
    }

    /**
     * Maintains the view for a new current model: re-scores only rows whose own bound says their label, or their
     * score beyond {@code tolerance}, can change; returns the rows whose stored values change. A model that no
     * bound covers (another kind, shape or feature function, or a kind without a bound) re-scores every row.
     */
    public Plan modelChanged(Model current, int version, double tolerance) {
        boolean labels = switch (current.viewBound()) {
            case NONE -> false;
            case HOLDER_ON_MARGIN -> false;
            case HOLDER_THROUGH_LINK -> true;
        };
        HolderBound delta = current.viewBound() == Model.ViewBound.NONE ? null : HolderBound.between(anchor, current);
        if (delta == null) {
            return rescoreAll(current, version);
        }
        double lipschitz = current.linkLipschitz();
        double maxBound = Math.min(delta.deltaLinf() * maxNorm1, Math.min(delta.deltaL2() * maxNorm2, delta.deltaL1() * maxNormInf))
                + delta.deltaBias();
        boolean scoresSafe = lipschitz * (maxBound + maxDeviation) <= tolerance;
        List<Scored> changed = new ArrayList<>();
        long checked = 0;
        long rescored = 0;
        if (scoresSafe && labels) {
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
                if (check(e, current, version, delta, lipschitz, labels, tolerance, changed)) {
                    rescored++;
                }
            }
            for (Object key : unsorted) {
                Entry e = entries.get(key);
                if (e == null || !seen.add(key)) {
                    continue;
                }
                checked++;
                if (check(e, current, version, delta, lipschitz, labels, tolerance, changed)) {
                    rescored++;
                }
            }
        } else {
            // a cheap first pass: when the bounds leave most rows to re-score, a full re-scoring (which also
            // re-anchors) costs less than checking and journaling row by row
            long needed = 0;
            for (Entry e : entries.values()) {
                if (!safe(e, delta, lipschitz, labels, tolerance)) {
                    needed++;
                }
            }
            if (needed > entries.size() / 2) {
                return rescoreAll(current, version);
            }
            for (Entry e : new ArrayList<>(entries.values())) {
                checked++;
                if (check(e, current, version, delta, lipschitz, labels, tolerance, changed)) {
                    rescored++;
                }
            }
        }
        incrementalCost += checked * 0.05 + rescored;
        return new Plan(changed, checked, rescored, maxBound, false, CpuScorer.INSTANCE.name());
    }

    /** Whether the row's own bound proves its stored label and score still hold under {@code current}. */
    private static boolean safe(Entry e, HolderBound delta, double lipschitz, boolean labels, double tolerance) {
        double drift = delta.forRow(e.norm1(), e.norm2(), e.normInf()) + Math.abs(e.anchorMargin() - e.storedMargin());
        boolean labelSafe = !labels || Math.abs(e.storedMargin()) > drift;
        boolean scoreSafe = lipschitz * drift <= tolerance && !(tolerance == 0 && drift > 0);
        return labelSafe && scoreSafe;
    }

    /** Re-scores one entry when its bound requires; returns whether it was re-scored. */
    private boolean check(Entry e, Model current, int version, HolderBound delta, double lipschitz, boolean labels,
                          double tolerance, List<Scored> changed) {
        if (safe(e, delta, lipschitz, labels, tolerance)) {
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
        if (current.outputs() != 1) {
            throw new IllegalArgumentException("a prediction view holds one margin per row; " + current + " has " + current.outputs());
        }
        Entry[] all = entries.values().toArray(new Entry[0]);
        double[] margins = new double[all.length];
        Scorer scorer = Scorers.choose(all.length, current.dimension(), false);
        batchMargins(scorer, current, all, margins);
        List<Scored> changed = new ArrayList<>();
        Map<Object, Entry> next = new HashMap<>(all.length * 2);
        for (int i = 0; i < all.length; i++) {
            Entry e = all[i];
            double m = margins[i];
            String label = current.labelOfMargin(m);
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
                model.sparseMargins(scorer, rowPtr, idx, val, n, block);
            } else {
                double[] x = new double[n * d];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(all[from + r].features().values(), 0, x, r * d, d);
                }
                model.denseMargins(scorer, x, n, block);
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
        return a.features().sameFunctionAs(b.features());
    }

    /** Replaces an entity's feature vector (a model with another feature function), keeping its stored values. */
    public void refeature(Object key, FeatureVector features) {
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
    public void load(Object key, FeatureVector features, double storedMargin, String storedLabel, double storedScore, int storedVersion) {
        double[] n = norms(features);
        Entry e = new Entry(key, features, n[0], n[1], n[2], anchor.margin(features), storedMargin, storedLabel, storedScore, storedVersion);
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
