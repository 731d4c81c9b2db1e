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
                        double anchorSpread, double storedSpread, int slot, int id) {
        Entry withStored(Scored s, int version) {
            return new Entry(key, features, norm1, norm2, normInf, anchorMargin, s.margin(), s.label(), s.score(), version,
                    anchorSpread, s.spread(), slot, id);
        }

        Entry inSlot(int position) {
            return renumbered(position, id);
        }

        Entry renumbered(int position, int newId) {
            return new Entry(key, features, norm1, norm2, normInf, anchorMargin, storedMargin, storedLabel, storedScore, storedVersion,
                    anchorSpread, storedSpread, position, newId);
        }
    }

    /** A row to write: its new stored values (spread: an ensemble's, NaN for one model). */
    public record Scored(Object key, double margin, String label, double score, double norm1, double norm2, double normInf,
                         double spread) {
    }

    /** The outcome of maintaining the view after a model change. */
    public record Plan(List<Scored> changed, long rowsChecked, long rowsRescored, double bound, boolean full, String scorer) {
    }

    /*
     * The entities: a key's id (its Entry#id) from ids, its entry at byId[id] (null: no entity). A key keeps its id while
     * the index lives (a key removed and inserted again takes it back), so a re-anchoring, which replaces every entry,
     * fills a new byId without hashing a single key (hashing a million keys, each a cache miss, cost more than scoring
     * them). ids only grows between re-sorts, which compact it when most of it is removed keys (a new map). A snapshot keeps
     * both: byId is replaced after it, never changed; ids may gain keys, whose ids are past every entry the snapshot holds.
     */
    private Map<Object, Integer> ids = new HashMap<>();
    private Entry[] byId = new Entry[16];
    private int size;
    private Model anchor;
    private int anchorVersion;
    /*
     * The entities as sorted by anchor margin at the last sort, slot by slot: the entry and, packed in arrays, what a
     * bound reads (so a scan of a million rows reads memory in order instead of chasing a million objects). A slot
     * is dead once its entity changed otherwise than by a re-scoring (inserted anew, removed); entities inserted since
     * the sort are in {@code unsorted}. An entry's own slot is its {@link Entry#slot()} (-1: none).
     */
    private double[] sortedAnchorMargins = new double[0];
    private Entry[] sortedEntries = new Entry[0];
    private double[] slotNorm1 = new double[0];
    private double[] slotNorm2 = new double[0];
    private double[] slotNormInf = new double[0];
    private double[] slotStoredMargin = new double[0];
    private double[] slotAnchorSpread = new double[0];
    private double[] slotStoredSpread = new double[0];
    private boolean[] dead = new boolean[0];
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
        return size;
    }

    public Entry get(Object key) {
        Integer id = ids.get(key);
        return id == null || id >= byId.length ? null : byId[id];
    }

    /** The id of {@code key}, a new one for a key never seen. */
    private int idOf(Object key) {
        return ids.computeIfAbsent(key, k -> ids.size());
    }

    /** Makes {@code e} its key's entry; returns the one it replaces (null: none). */
    private Entry store(Entry e) {
        if (e.id() >= byId.length) {
            byId = Arrays.copyOf(byId, Math.max(e.id() + 1, byId.length * 2));
        }
        Entry previous = byId[e.id()];
        byId[e.id()] = e;
        if (previous == null) {
            size++;
        }
        return previous;
    }

    /** Takes {@code key}'s entity out; returns its entry (null: none). */
    private Entry drop(Object key) {
        Entry previous = get(key);
        if (previous != null) {
            byId[previous.id()] = null;
            size--;
        }
        return previous;
    }

    /** Every entry, in id order. */
    private Entry[] all() {
        Entry[] out = new Entry[size];
        int n = 0;
        for (Entry e : byId) {
            if (e != null) {
                out[n++] = e;
            }
        }
        return out;
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
        return score(key, model, features, n[0], n[1], n[2]);
    }

    /** {@link #score(Object, Model, FeatureVector)} of an entity whose norms are known (they depend on its features only). */
    private static Scored score(Object key, Model model, FeatureVector features, double norm1, double norm2, double normInf) {
        Model.ViewValues v = model.viewValues(model.margins(features));
        return new Scored(key, v.margin(), v.label(), v.score(), norm1, norm2, normInf, v.spread());
    }

    // ------------------------------------------------------------------ data changes

    /**
     * Records an entity scored with {@code current} (version {@code version}); returns the values the view table
     * must store, or null when an input is NULL (then the entity has no row: NULL in, NULL out).
     */
    public Scored put(Object key, FeatureVector features, Model current, int version) {
        Entry old = get(key);
        journal(key, old);
        kill(old);
        if (features == null) {
            drop(key);
            return null;
        }
        Scored s = score(key, current, features);
        Model.ViewValues a = anchor.viewValues(anchor.margins(features));
        Entry e = new Entry(key, features, s.norm1(), s.norm2(), s.normInf(), a.margin(), s.margin(), s.label(), s.score(), version,
                a.spread(), s.spread(), -1, idOf(key));
        store(e);
        unsorted.add(key);
        track(e);
        return s;
    }

    public void remove(Object key) {
        Entry old = drop(key);
        journal(key, old);
        kill(old);
    }

    // ------------------------------------------------------------------ slots

    /** Whether {@code e} is the live entry of its slot (then the sorted scans see it, and {@code unsorted} need not). */
    private boolean live(Entry e) {
        int i = e.slot();
        return i >= 0 && i < sortedEntries.length && sortedEntries[i] == e && !dead[i];
    }

    /** Takes {@code e} out of the sorted scans (its entity now has another entry, or none). */
    private void kill(Entry e) {
        if (e != null && live(e)) {
            dead[e.slot()] = true;
        }
    }

    /** Makes {@code e} the live entry of slot {@code i}, its values packed for the scans. */
    private void setSlot(int i, Entry e) {
        sortedEntries[i] = e;
        sortedAnchorMargins[i] = e.anchorMargin();
        slotNorm1[i] = e.norm1();
        slotNorm2[i] = e.norm2();
        slotNormInf[i] = e.normInf();
        slotStoredMargin[i] = e.storedMargin();
        slotAnchorSpread[i] = e.anchorSpread();
        slotStoredSpread[i] = e.storedSpread();
        dead[i] = false;
    }

    /** An entity's entry changed by a re-scoring or new features: the map, and its slot when it has a live one. */
    private void replace(Entry before, Entry after) {
        store(after);
        if (live(before)) {
            setSlot(before.slot(), after);
        }
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
        kill(get(key));
        if (previous == null) {
            drop(key);
            return;
        }
        store(previous);
        int i = previous.slot();
        if (i >= 0 && i < sortedEntries.length && sortedEntries[i] != null && sortedEntries[i].key().equals(key)) {
            setSlot(i, previous);
        } else {
            unsorted.add(key);
        }
        track(previous);
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
            for (int i = from; i < to; i++) {
                if (dead[i]) {
                    continue;
                }
                checked++;
                if (!safe(i, bounds, labels, tolerance)) {
                    rescore(sortedEntries[i], current, version, tolerance, changed);
                    rescored++;
                }
            }
            for (Object key : unsorted) {
                Entry e = get(key);
                if (e == null || live(e)) {
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
            List<Entry> needed = new ArrayList<>();
            for (int i = 0; i < sortedEntries.length; i++) {
                if (!dead[i] && !safe(i, bounds, labels, tolerance)) {
                    needed.add(sortedEntries[i]);
                }
            }
            for (Object key : unsorted) {
                Entry e = get(key);
                if (e != null && !live(e) && !safe(e, bounds, labels, tolerance)) {
                    needed.add(e);
                }
            }
            if (needed.size() > size / 2) {
                return reanchor(current, version, tolerance);
            }
            checked = size;
            for (Entry e : needed) {
                rescore(e, current, version, tolerance, changed);
            }
            rescored = needed.size();
        }
        incrementalCost += checked * 0.05 + rescored;
        return new Plan(changed, checked, rescored, maxBound, false, CpuScorer.INSTANCE.name());
    }

    /** How far a row's stored spread is from its spread under the anchor (0 for one model, which has none). */
    private static double spreadDeviation(Entry e) {
        return spreadDeviation(e.anchorSpread(), e.storedSpread());
    }

    private static double spreadDeviation(double anchorSpread, double storedSpread) {
        return Double.isNaN(anchorSpread) && Double.isNaN(storedSpread) ? 0 : Math.abs(anchorSpread - storedSpread);
    }

    /**
     * Whether the row's own bound proves its stored label, score and spread still hold under {@code current}: the bound
     * since the anchor plus how far the stored values are from the anchor's (the triangle inequality). A NaN (a row
     * never scored) is never safe.
     */
    private static boolean safe(Entry e, ViewBounds bounds, boolean labels, double tolerance) {
        return safe(e.norm1(), e.norm2(), e.normInf(), e.anchorMargin(), e.storedMargin(), e.anchorSpread(), e.storedSpread(), bounds,
                labels, tolerance);
    }

    /** {@link #safe(Entry, ViewBounds, boolean, double)} of the live entry of slot {@code i}, from the packed arrays. */
    private boolean safe(int i, ViewBounds bounds, boolean labels, double tolerance) {
        return safe(slotNorm1[i], slotNorm2[i], slotNormInf[i], sortedAnchorMargins[i], slotStoredMargin[i], slotAnchorSpread[i],
                slotStoredSpread[i], bounds, labels, tolerance);
    }

    private static boolean safe(double norm1, double norm2, double normInf, double anchorMargin, double storedMargin, double anchorSpread,
                                double storedSpread, ViewBounds bounds, boolean labels, double tolerance) {
        double drift = bounds.margin(norm1, norm2, normInf) + Math.abs(anchorMargin - storedMargin);
        boolean labelSafe = !labels || Math.abs(storedMargin) > drift;
        boolean scoreSafe = within(bounds.scoreLipschitz() * drift, tolerance);
        boolean spreadSafe = bounds.singleMargin()
                || within(bounds.spread(norm1, norm2, normInf) + spreadDeviation(anchorSpread, storedSpread), tolerance);
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
        rescore(e, current, version, tolerance, changed);
        return true;
    }

    /** Re-scores one entry its bound does not cover, and keeps (and journals) what must change. */
    private void rescore(Entry e, Model current, int version, double tolerance, List<Scored> changed) {
        Scored s = score(e.key(), current, e.features(), e.norm1(), e.norm2(), e.normInf());
        if (mustWrite(s, e, tolerance)) {
            journal(e.key(), e);
            Entry updated = e.withStored(s, version);
            replace(e, updated);
            track(updated);
            changed.add(s);
        }
    }

    /**
     * Whether a row re-scored as {@code s} must be written: its label changes, or its score (or spread) moves past half the
     * tolerance (a row left as it is keeps a valid bound, as bounds are taken from the stored values); with tolerance 0,
     * any change. A row never scored (NaN) always is.
     */
    private static boolean mustWrite(Scored s, Entry e, double tolerance) {
        return mustWrite(s.margin(), s.label(), s.score(), s.spread(), e, tolerance);
    }

    /** {@link #mustWrite(Scored, Entry, double)} of re-scored values not yet made a {@link Scored} (most are not written). */
    private static boolean mustWrite(double margin, String label, double score, double spread, Entry e, double tolerance) {
        if (Double.isNaN(e.storedMargin())) {
            return true;
        }
        boolean labelChanged = !java.util.Objects.equals(label, e.storedLabel());
        boolean valuesChanged = tolerance == 0
                ? margin != e.storedMargin() || score != e.storedScore() || Double.compare(spread, e.storedSpread()) != 0
                : Math.abs(score - e.storedScore()) > tolerance / 2 || Math.abs(spread - e.storedSpread()) > tolerance / 2;
        return labelChanged || valuesChanged;
    }

    /**
     * Full re-scoring under {@code current}, which becomes the anchor (Hazy's reorganization). Margins are computed in
     * batches by the backend {@link Scorers#choose} picks for the view's size (the CPU unless another is configured).
     */
    public Plan rescoreAll(Model current, int version) {
        return rescoreAll(current, version, Double.NaN);
    }

    /**
     * Re-anchoring by the skiing rule (or when the bounds leave most rows to re-score): every row is re-scored under
     * {@code current}, which becomes the anchor, as by {@link #rescoreAll(Model, int)}; but only the rows whose stored values
     * must change by the incremental rule (label, or score past half the tolerance) are written. The others keep their
     * stored values, now at a recorded distance from the new anchor's margin, which every later bound adds (Hazy
     * re-anchors its water marks, it does not rewrite its labels). A change no bound covers, or a view of tolerance 0, writes
     * every row that differs, as {@link #rescoreAll(Model, int)}.
     */
    public Plan reanchor(Model current, int version, double tolerance) {
        if (Double.isNaN(tolerance) || tolerance < 0) {
            throw new IllegalArgumentException("a re-anchoring keeps rows within a tolerance >= 0, not " + tolerance);
        }
        // a stored margin means the same under the new model only where a bound covers the change (same kind, link,
        // classes and feature function); otherwise, and in an exact view (tolerance 0, whose rows then also say the
        // version that scored them), every row that differs is written
        boolean exact = tolerance == 0 || ViewBounds.between(anchor, current) == null;
        return rescoreAll(current, version, exact ? Double.NaN : tolerance);
    }

    /** {@code tolerance} NaN: every row whose stored values differ at all is written (an exact full re-scoring). */
    private Plan rescoreAll(Model current, int version, double tolerance) {
        if (current.viewBound() == Model.ViewBound.NONE) {
            throw new IllegalArgumentException("a prediction view holds one margin, or one ensemble, per row; " + current + " has neither");
        }
        Entry[] all = all();
        int n = all.length;
        int k = current.outputs();
        double[] margins = new double[n * k];
        Scorer scorer = Scorers.choose(n, current.dimension() * k, false);
        batchMargins(scorer, current, all, margins);
        double[] anchorMargins = new double[n];
        double[] rowMargins = new double[k]; // viewValues reads it and keeps nothing
        for (int i = 0; i < n; i++) {
            System.arraycopy(margins, i * k, rowMargins, 0, k);
            anchorMargins[i] = current.viewValues(rowMargins).margin();
        }
        // each new entry made once, in its sorted slot; the rows to write listed in id order (for rows loaded or inserted in
        // key order, the key order: written in margin order, H2's B-tree took twice as long to write them all)
        int[] order = MarginOrder.ascending(anchorMargins);
        int[] slotOfRow = new int[n];
        for (int slot = 0; slot < n; slot++) {
            slotOfRow[order[slot]] = slot;
        }
        List<Scored> changed = new ArrayList<>();
        Entry[] rescoredAll = new Entry[n];
        for (int i = 0; i < n; i++) {
            int slot = slotOfRow[i];
            Entry e = all[i];
            // computed again rather than kept: a million values kept through the sort are a million objects to copy
            System.arraycopy(margins, i * k, rowMargins, 0, k);
            Model.ViewValues v = current.viewValues(rowMargins);
            double m = v.margin();
            boolean write = Double.isNaN(tolerance)
                    ? m != e.storedMargin() || v.score() != e.storedScore() || Double.compare(v.spread(), e.storedSpread()) != 0
                      || !java.util.Objects.equals(v.label(), e.storedLabel()) || e.storedVersion() != version
                    : mustWrite(m, v.label(), v.score(), v.spread(), e, tolerance);
            if (write) {
                changed.add(new Scored(e.key(), m, v.label(), v.score(), e.norm1(), e.norm2(), e.normInf(), v.spread()));
                rescoredAll[slot] = new Entry(e.key(), e.features(), e.norm1(), e.norm2(), e.normInf(), m, m, v.label(), v.score(), version,
                        v.spread(), v.spread(), slot, e.id());
            } else {
                rescoredAll[slot] = new Entry(e.key(), e.features(), e.norm1(), e.norm2(), e.normInf(), m, e.storedMargin(), e.storedLabel(),
                        e.storedScore(), e.storedVersion(), v.spread(), e.storedSpread(), slot, e.id());
            }
        }
        Snapshot before = snapshot();
        undoLog.add(() -> restore(before));
        if (mostIdsRemoved(n)) {
            install(rescoredAll); // compacts the ids (the order is the same)
        } else {
            installSorted(rescoredAll);
        }
        anchor = current;
        anchorVersion = version;
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
    /**
     * The whole state, for undoing a reorganization: the map and the slot arrays are replaced, never changed, by what
     * comes after a snapshot, and the journal undoes later changes first.
     */
    record Snapshot(Map<Object, Integer> ids, Entry[] byId, int size, Model anchor, int anchorVersion, double[][] slotValues,
                    Entry[] sortedEntries,
                    boolean[] dead, Set<Object> unsorted, double maxDeviation, double maxSpreadDeviation, double[] maxNorms,
                    double incrementalCost) {
    }

    Snapshot snapshot() {
        return new Snapshot(ids, byId, size, anchor, anchorVersion, new double[][]{sortedAnchorMargins, slotNorm1, slotNorm2, slotNormInf,
                slotStoredMargin, slotAnchorSpread, slotStoredSpread}, sortedEntries, dead, new HashSet<>(unsorted), maxDeviation,
                maxSpreadDeviation, new double[]{maxNorm1, maxNorm2, maxNormInf}, incrementalCost);
    }

    void restore(Snapshot s) {
        ids = s.ids();
        byId = s.byId();
        size = s.size();
        anchor = s.anchor();
        anchorVersion = s.anchorVersion();
        double[][] v = s.slotValues();
        sortedAnchorMargins = v[0];
        slotNorm1 = v[1];
        slotNorm2 = v[2];
        slotNormInf = v[3];
        slotStoredMargin = v[4];
        slotAnchorSpread = v[5];
        slotStoredSpread = v[6];
        sortedEntries = s.sortedEntries();
        dead = s.dead();
        unsorted = s.unsorted();
        maxDeviation = s.maxDeviation();
        maxSpreadDeviation = s.maxSpreadDeviation();
        maxNorm1 = s.maxNorms()[0];
        maxNorm2 = s.maxNorms()[1];
        maxNormInf = s.maxNorms()[2];
        incrementalCost = s.incrementalCost();
    }

    /** Sorts entities by anchor margin; later inserts go to a small unsorted set until the next sort. */
    public void resort() {
        if (!undoLog.isEmpty()) {
            Snapshot before = snapshot();
            undoLog.add(() -> restore(before));
        }
        install(all());
    }

    /** Makes {@code all} the entities, in new slots sorted by anchor margin, in a new map (a snapshot keeps the old). */
    private void install(Entry[] all) {
        int n = all.length;
        double[] margins = new double[n];
        for (int i = 0; i < n; i++) {
            margins[i] = all[i].anchorMargin();
        }
        int[] order = MarginOrder.ascending(margins);
        Entry[] sorted = new Entry[n];
        if (mostIdsRemoved(n)) {
            // new ids, in a new map (a snapshot keeps the old one with the old entries)
            Map<Object, Integer> compact = new HashMap<>(Math.max(16, n * 2));
            for (int i = 0; i < n; i++) {
                sorted[i] = all[order[i]].renumbered(i, i);
                compact.put(sorted[i].key(), i);
            }
            ids = compact;
        } else {
            for (int i = 0; i < n; i++) {
                sorted[i] = all[order[i]].inSlot(i);
            }
        }
        installSorted(sorted);
    }

    /** Whether most ids are of removed keys (with {@code n} entities), so that the next install gives new ones. */
    private boolean mostIdsRemoved(int n) {
        return ids.size() > 2 * n + 1024;
    }

    /** Makes {@code sorted} (every entity, ascending by anchor margin, each in its slot) the entities, in a new byId. */
    private void installSorted(Entry[] sorted) {
        int n = sorted.length;
        Entry[] next = new Entry[Math.max(16, ids.size())];
        sortedAnchorMargins = new double[n];
        sortedEntries = new Entry[n];
        slotNorm1 = new double[n];
        slotNorm2 = new double[n];
        slotNormInf = new double[n];
        slotStoredMargin = new double[n];
        slotAnchorSpread = new double[n];
        slotStoredSpread = new double[n];
        dead = new boolean[n];
        maxDeviation = 0;
        maxSpreadDeviation = 0;
        maxNorm1 = 0;
        maxNorm2 = 0;
        maxNormInf = 0;
        for (int i = 0; i < n; i++) {
            Entry e = sorted[i];
            next[e.id()] = e;
            setSlot(i, e);
            track(e);
        }
        byId = next;
        size = n;
        unsorted = new HashSet<>();
    }

    /**
     * What the scans rely on, for tests: every entity is either the live entry of its slot or in {@code unsorted}, and a
     * live slot's packed values are its entry's. Null when it holds, else what is wrong.
     */
    String structureProblem() {
        for (Entry e : all()) {
            if (e.id() < 0 || !java.util.Objects.equals(ids.get(e.key()), e.id())) {
                return "entity " + e.key() + " sits at id " + e.id() + ", its key's id is " + ids.get(e.key());
            }
            if (!live(e) && !unsorted.contains(e.key())) {
                return "entity " + e.key() + " is in no slot and not unsorted: a scan would miss it";
            }
        }
        for (int i = 0; i < sortedEntries.length; i++) {
            Entry e = sortedEntries[i];
            if (dead[i]) {
                continue;
            }
            if (get(e.key()) != e || e.slot() != i) {
                return "slot " + i + " holds a stale entry of " + e.key();
            }
            if (Double.compare(slotNorm1[i], e.norm1()) != 0 || Double.compare(slotNorm2[i], e.norm2()) != 0
                    || Double.compare(slotNormInf[i], e.normInf()) != 0 || Double.compare(sortedAnchorMargins[i], e.anchorMargin()) != 0
                    || Double.compare(slotStoredMargin[i], e.storedMargin()) != 0 || Double.compare(slotAnchorSpread[i], e.anchorSpread()) != 0
                    || Double.compare(slotStoredSpread[i], e.storedSpread()) != 0) {
                return "slot " + i + " packs other values than its entry " + e.key();
            }
        }
        return null;
    }

    /** Whether two models turn SQL values into the same feature vectors (else stored features must be recomputed). */
    public static boolean sameFeatures(Model a, Model b) {
        return a.features().sameFunctionAs(b.features());
    }

    /** Replaces an entity's feature vector (a model with another feature function), keeping its stored values. */
    public void refeature(Object key, FeatureVector features) {
        Entry e = get(key);
        if (e == null || features == null) {
            return;
        }
        journal(key, e);
        double[] n = norms(features);
        replace(e, new Entry(key, features, n[0], n[1], n[2], e.anchorMargin(), e.storedMargin(), e.storedLabel(),
                e.storedScore(), e.storedVersion(), e.anchorSpread(), e.storedSpread(), e.slot(), e.id()));
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
                a.spread(), storedSpread, -1, idOf(key));
        kill(store(e));
        unsorted.add(key); // until resort(), which a load is followed by
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
