package dev.augur.engine.view;

import dev.augur.engine.CpuScorer;
import dev.augur.engine.Scorer;
import dev.augur.engine.Scorers;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.features.Norms;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ViewBounds;

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
    /**
     * What is known of one entity. Immutable, so an undo log can keep old entries. Margins are view margins
     * ({@link Model.ViewValues}); the spreads are an ensemble's (NaN for one model).
     */
    public record Entry(Object key, FeatureVector features, double norm1, double norm2, double normInf,
                        double anchorMargin, double storedMargin, String storedLabel, double storedScore, int storedVersion,
                        double anchorSpread, double storedSpread) {
        Entry withStored(Scored s, int version) {
            return new Entry(key, features, norm1, norm2, normInf, anchorMargin, s.margin(), s.label(), s.score(), version,
                    anchorSpread, s.spread());
        }
    }

    /** A row to write: its new stored values (spread: an ensemble's, NaN for one model). */
    public record Scored(Object key, double margin, String label, double score, double norm1, double norm2, double normInf,
                         double spread) {
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
    /** The largest |anchor spread − stored spread| (an ensemble's; 0 for one model). */
    private double maxSpreadDeviation;
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

    /** Scores features: view margin, label (null for a regressor), score and spread (see {@link Model.ViewValues}). */
    public static Scored score(Object key, Model model, FeatureVector features) {
        double[] n = norms(features);
        Model.ViewValues v = model.viewValues(model.margins(features));
        return new Scored(key, v.margin(), v.label(), v.score(), n[0], n[1], n[2], v.spread());
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
        Model.ViewValues a = anchor.viewValues(anchor.margins(features));
        Entry e = new Entry(key, features, s.norm1(), s.norm2(), s.normInf(), a.margin(), s.margin(), s.label(), s.score(), version,
                a.spread(), s.spread());
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
        maxSpreadDeviation = Math.max(maxSpreadDeviation, spreadDeviation(e));
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
            case NONE, HOLDER_ON_MARGIN -> false;
            case HOLDER_THROUGH_LINK -> true;
            case HOLDER_PER_MEMBER -> current.kind().isClassifier();
        };
        ViewBounds bounds = ViewBounds.between(anchor, current);
        if (bounds == null) {
            return rescoreAll(current, version);
        }
        double lipschitz = bounds.scoreLipschitz();
        double maxBound = bounds.margin(maxNorm1, maxNorm2, maxNormInf);
        boolean scoresSafe = lipschitz * (maxBound + maxDeviation) <= tolerance
                && bounds.spread(maxNorm1, maxNorm2, maxNormInf) + maxSpreadDeviation <= tolerance;
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
                if (check(e, current, version, bounds, labels, tolerance, changed)) {
                    rescored++;
                }
            }
            for (Object key : unsorted) {
                Entry e = entries.get(key);
                if (e == null || !seen.add(key)) {
                    continue;
                }
                checked++;
                if (check(e, current, version, bounds, labels, tolerance, changed)) {
                    rescored++;
                }
            }
        } else {
            // a cheap first pass: when the bounds leave most rows to re-score, a full re-scoring (which also
            // re-anchors) costs less than checking and journaling row by row
            long needed = 0;
            for (Entry e : entries.values()) {
                if (!safe(e, bounds, labels, tolerance)) {
                    needed++;
                }
            }
            if (needed > entries.size() / 2) {
                return rescoreAll(current, version);
            }
            for (Entry e : new ArrayList<>(entries.values())) {
                checked++;
                if (check(e, current, version, bounds, labels, tolerance, changed)) {
                    rescored++;
                }
            }
        }
        incrementalCost += checked * 0.05 + rescored;
        return new Plan(changed, checked, rescored, maxBound, false, CpuScorer.INSTANCE.name());
    }

    /** How far a row's stored spread is from its spread under the anchor (0 for one model, which has none). */
    private static double spreadDeviation(Entry e) {
        return Double.isNaN(e.anchorSpread()) && Double.isNaN(e.storedSpread()) ? 0 : Math.abs(e.anchorSpread() - e.storedSpread());
    }

    /**
     * Whether the row's own bound proves its stored label, score and spread still hold under {@code current}: the bound
     * since the anchor plus how far the stored values are from the anchor's (the triangle inequality). A NaN (a row
     * never scored) is never safe.
     */
    private static boolean safe(Entry e, ViewBounds bounds, boolean labels, double tolerance) {
        double drift = bounds.margin(e.norm1(), e.norm2(), e.normInf()) + Math.abs(e.anchorMargin() - e.storedMargin());
        boolean labelSafe = !labels || Math.abs(e.storedMargin()) > drift;
        boolean scoreSafe = within(bounds.scoreLipschitz() * drift, tolerance);
        boolean spreadSafe = bounds.singleMargin() || within(bounds.spread(e.norm1(), e.norm2(), e.normInf()) + spreadDeviation(e), tolerance);
        return labelSafe && scoreSafe && spreadSafe;
    }

    /** Whether a value that may move by {@code drift} stays within {@code tolerance} (0: must not move at all). */
    private static boolean within(double drift, double tolerance) {
        return drift <= tolerance && !(tolerance == 0 && drift > 0);
    }

    /** Re-scores one entry when its bound requires; returns whether it was re-scored. */
    private boolean check(Entry e, Model current, int version, ViewBounds bounds, boolean labels, double tolerance,
                          List<Scored> changed) {
        if (safe(e, bounds, labels, tolerance)) {
            return false;
        }
        Scored s = score(e.key(), current, e.features());
        // write what must change: a label, or a score (or spread) past half the tolerance (a row left as it is keeps a
        // valid bound, as bounds are taken from the stored values); with tolerance 0, any change
        boolean labelChanged = !java.util.Objects.equals(s.label(), e.storedLabel());
        boolean valuesChanged = tolerance == 0
                ? s.margin() != e.storedMargin() || s.score() != e.storedScore() || Double.compare(s.spread(), e.storedSpread()) != 0
                : Math.abs(s.score() - e.storedScore()) > tolerance / 2 || Math.abs(s.spread() - e.storedSpread()) > tolerance / 2;
        if (labelChanged || valuesChanged) {
            journal(e.key(), e);
            Entry updated = e.withStored(s, version);
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
        if (current.viewBound() == Model.ViewBound.NONE) {
            throw new IllegalArgumentException("a prediction view holds one margin, or one ensemble, per row; " + current + " has neither");
        }
        Entry[] all = entries.values().toArray(new Entry[0]);
        int k = current.outputs();
        double[] margins = new double[all.length * k];
        Scorer scorer = Scorers.choose(all.length, current.dimension() * k, false);
        batchMargins(scorer, current, all, margins);
        List<Scored> changed = new ArrayList<>();
        Map<Object, Entry> next = new HashMap<>(all.length * 2);
        for (int i = 0; i < all.length; i++) {
            Entry e = all[i];
            Model.ViewValues v = current.viewValues(Arrays.copyOfRange(margins, i * k, (i + 1) * k));
            double m = v.margin();
            Scored s = new Scored(e.key(), m, v.label(), v.score(), e.norm1(), e.norm2(), e.normInf(), v.spread());
            Entry updated = new Entry(e.key(), e.features(), e.norm1(), e.norm2(), e.normInf(), m, m, v.label(), v.score(), version,
                    v.spread(), v.spread());
            if (m != e.storedMargin() || v.score() != e.storedScore() || Double.compare(v.spread(), e.storedSpread()) != 0
                    || !java.util.Objects.equals(v.label(), e.storedLabel()) || e.storedVersion() != version) {
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

    /**
     * Margins of every entry (outputs per row, row-major) in batches of {@value #BATCH} rows: dense rows packed row-major,
     * sparse rows as CSR.
     */
    private static void batchMargins(Scorer scorer, Model model, Entry[] all, double[] out) {
        int d = model.dimension();
        int outputs = model.outputs();
        double[] block = new double[BATCH * outputs];
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
            System.arraycopy(block, 0, out, from * outputs, n * outputs);
        }
    }

    /** The whole state, for undoing a reorganization. */
    record Snapshot(Map<Object, Entry> entries, Model anchor, int anchorVersion, double[] sortedAnchorMargins,
                           Object[] sortedKeys, Set<Object> unsorted, double maxDeviation, double maxSpreadDeviation, double[] maxNorms,
                           double incrementalCost) {
    }

    Snapshot snapshot() {
        return new Snapshot(entries, anchor, anchorVersion, sortedAnchorMargins, sortedKeys, new HashSet<>(unsorted), maxDeviation,
                maxSpreadDeviation, new double[]{maxNorm1, maxNorm2, maxNormInf}, incrementalCost);
    }

    void restore(Snapshot s) {
        entries = s.entries();
        anchor = s.anchor();
        anchorVersion = s.anchorVersion();
        sortedAnchorMargins = s.sortedAnchorMargins();
        sortedKeys = s.sortedKeys();
        unsorted = s.unsorted();
        maxDeviation = s.maxDeviation();
        maxSpreadDeviation = s.maxSpreadDeviation();
        maxNorm1 = s.maxNorms()[0];
        maxNorm2 = s.maxNorms()[1];
        maxNormInf = s.maxNorms()[2];
        incrementalCost = s.incrementalCost();
    }

    /** Sorts entities by anchor margin; later inserts and updates go to a small unsorted set until the next sort. */
    public void resort() {
        int n = entries.size();
        Entry[] all = entries.values().toArray(new Entry[0]);
        double[] margins = new double[n];
        for (int i = 0; i < n; i++) {
            margins[i] = all[i].anchorMargin();
        }
        int[] order = MarginOrder.ascending(margins);
        sortedAnchorMargins = new double[n];
        sortedKeys = new Object[n];
        maxDeviation = 0;
        maxSpreadDeviation = 0;
        maxNorm1 = 0;
        maxNorm2 = 0;
        maxNormInf = 0;
        for (int i = 0; i < n; i++) {
            Entry e = all[order[i]];
            sortedAnchorMargins[i] = e.anchorMargin();
            sortedKeys[i] = e.key();
            track(e);
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
                e.storedScore(), e.storedVersion(), e.anchorSpread(), e.storedSpread()));
    }

    /**
     * Loads an entity as stored (on start): features from the base table, stored values from the view table (the spread
     * an ensemble's, NaN for one model).
     */
    public void load(Object key, FeatureVector features, double storedMargin, String storedLabel, double storedScore, int storedVersion,
                     double storedSpread) {
        double[] n = norms(features);
        Model.ViewValues a = anchor.viewValues(anchor.margins(features));
        Entry e = new Entry(key, features, n[0], n[1], n[2], a.margin(), storedMargin, storedLabel, storedScore, storedVersion,
                a.spread(), storedSpread);
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
