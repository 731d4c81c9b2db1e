package dev.augur.engine.view;

import dev.augur.engine.CpuScorer;
import dev.augur.engine.Scorer;
import dev.augur.engine.Scorers;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseVector;
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
     * What is known of one entity, as {@link #get} reads it (and the journal keeps it to undo a change). Margins are view
     * margins ({@link Model.ViewValues}); the spreads are an ensemble's (NaN for one model); slot: its place at the last
     * sort (-1: none; it is a place in the scans only while that sort stands, else the entity is in the unsorted set).
     */
    public record Entry(Object key, FeatureVector features, double norm1, double norm2, double normInf,
                        double anchorMargin, double storedMargin, String storedLabel, double storedScore, int storedVersion,
                        double anchorSpread, double storedSpread, int slot, int id) {
    }

    /** A row to write: its new stored values (spread: an ensemble's, NaN for one model). */
    public record Scored(Object key, double margin, String label, double score, double norm1, double norm2, double normInf,
                         double spread) {
    }

    /** The outcome of maintaining the view after a model change. */
    public record Plan(List<Scored> changed, long rowsChecked, long rowsRescored, double bound, boolean full, String scorer) {
    }

    /*
     * The entities, column by column: a key's id from ids, its values at that index of each column (no object per entity:
     * a re-anchoring of a million rows reads and writes arrays in order, and makes objects only for the rows it writes).
     * An id with no features has no entity. A key keeps its id while the index lives (a key removed and inserted again
     * takes it back); ids only grows between re-sorts, which compact it when most of it is removed keys (a new map).
     *
     * Undo: a change of one entity is journaled (its Entry before) and written in place; a re-sort or re-anchoring takes
     * a Snapshot and installs new columns where it changes a column, sharing the others. The journal undoes newest
     * first, so whatever was written in place after a snapshot is undone before the snapshot is restored.
     */
    private Map<Object, Integer> ids = new HashMap<>();
    private Columns cols;
    private int size;
    private Model anchor;
    private int anchorVersion;
    /*
     * The sort at the last re-sort or re-anchoring: slot by slot, the anchor margin (ascending) and the entity's id. A
     * slot is live while its entity's slot column names it (cols.slot[id] == slot); an entity changed otherwise than by
     * a re-scoring (inserted anew, removed) loses its slot, and one inserted since the sort is in {@code unsorted}.
     */
    private double[] sortedAnchorMargins = new double[0];
    private int[] idOfSlot = new int[0];
    private Set<Object> unsorted = new HashSet<>();
    /**
     * The sort holds every entity whose |anchor margin| is at most this (infinite: every entity), besides those in
     * {@code unsorted}: a band scan up to it is complete. A re-anchoring leaves it at -infinity (no entity has a slot, not
     * sorted yet); its first band scan sorts only the entities near the boundary (a few percent), not a million.
     */
    private double sortedBand = Double.POSITIVE_INFINITY;
    private double maxDeviation;
    /** The largest |anchor spread − stored spread| (an ensemble's; 0 for one model). */
    private double maxSpreadDeviation;
    private double maxNorm1;
    private double maxNorm2;
    private double maxNormInf;
    private double incrementalCost;
    private final Spares spares;
    /** Dense single-margin views: the low-precision copy that bounds each row's margin change (made when first needed). */
    private MarginScreen screen;
    /** Whether model changes are screened: the view learns online (see the constructor). */
    private final boolean learning;
    /**
     * Whether every anchor margin is the CPU's arithmetic (what {@link MarginScreen}'s slack assumes): false after a
     * re-anchoring on another backend, whose float32 features give other bits.
     */
    private boolean anchorMarginsCpu = true;

    /**
     * Large arrays given back for reuse: a re-anchoring of a million rows otherwise takes some 100 MB of new arrays, and
     * fresh memory's page faults cost more than the re-scoring. Only arrays nothing else holds are given; a taker gets
     * one of the exact length, with stale contents (it overwrites what it reads).
     */
    private static final class Spares {
        private static final int MAX_KEPT = 16;
        private final int minLength;
        private final List<Object> kept = new ArrayList<>();

        Spares(int minLength) {
            this.minLength = minLength;
        }

        private Object take(Class<?> type, int length) {
            for (int i = 0; i < kept.size(); i++) {
                Object a = kept.get(i);
                if (a.getClass() == type && java.lang.reflect.Array.getLength(a) == length) {
                    return kept.remove(i);
                }
            }
            return null;
        }

        void give(Object array) {
            if ((array instanceof double[] || array instanceof int[] || array instanceof String[])
                    && java.lang.reflect.Array.getLength(array) >= minLength && kept.size() < MAX_KEPT) {
                kept.add(array);
            }
        }

        double[] doubles(int length) {
            Object a = take(double[].class, length);
            return a == null ? new double[length] : (double[]) a;
        }

        int[] ints(int length) {
            Object a = take(int[].class, length);
            return a == null ? new int[length] : (int[]) a;
        }

        double[] copyOf(double[] source) {
            double[] a = doubles(source.length);
            System.arraycopy(source, 0, a, 0, source.length);
            return a;
        }

        int[] copyOf(int[] source) {
            int[] a = ints(source.length);
            System.arraycopy(source, 0, a, 0, source.length);
            return a;
        }

        String[] copyOf(String[] source) {
            Object a = take(String[].class, source.length);
            String[] out = a == null ? new String[source.length] : (String[]) a;
            System.arraycopy(source, 0, out, 0, source.length);
            return out;
        }
    }

    /** The per-entity values, indexed by id. A column is replaced (by a re-sort or re-anchoring) or written in place, journaled. */
    private static final class Columns {
        Object[] key;
        FeatureVector[] features;
        double[] norm1;
        double[] norm2;
        double[] normInf;
        double[] anchorMargin;
        double[] anchorSpread;
        double[] storedMargin;
        String[] storedLabel;
        double[] storedScore;
        int[] storedVersion;
        double[] storedSpread;
        int[] slot;

        Columns(int capacity) {
            key = new Object[capacity];
            features = new FeatureVector[capacity];
            norm1 = new double[capacity];
            norm2 = new double[capacity];
            normInf = new double[capacity];
            anchorMargin = new double[capacity];
            anchorSpread = new double[capacity];
            storedMargin = new double[capacity];
            storedLabel = new String[capacity];
            storedScore = new double[capacity];
            storedVersion = new int[capacity];
            storedSpread = new double[capacity];
            slot = new int[capacity];
            Arrays.fill(slot, -1);
        }

        private Columns() {
        }

        int capacity() {
            return key.length;
        }

        /** Every column. */
        List<Object> arrays() {
            return List.of(key, features, norm1, norm2, normInf, anchorMargin, anchorSpread, storedMargin, storedLabel, storedScore,
                    storedVersion, storedSpread, slot);
        }

        /** Another object with the same columns (the caller then replaces those it changes). */
        Columns sharing() {
            Columns c = new Columns();
            c.key = key;
            c.features = features;
            c.norm1 = norm1;
            c.norm2 = norm2;
            c.normInf = normInf;
            c.anchorMargin = anchorMargin;
            c.anchorSpread = anchorSpread;
            c.storedMargin = storedMargin;
            c.storedLabel = storedLabel;
            c.storedScore = storedScore;
            c.storedVersion = storedVersion;
            c.storedSpread = storedSpread;
            c.slot = slot;
            return c;
        }

        /** Another object with every column copied to {@code capacity} (new ids past the end: no entity, no slot). */
        Columns grown(int capacity) {
            int old = key.length;
            Columns c = sharing();
            c.grow(old, capacity);
            return c;
        }

        private void grow(int old, int capacity) {
            key = Arrays.copyOf(key, capacity);
            features = Arrays.copyOf(features, capacity);
            norm1 = Arrays.copyOf(norm1, capacity);
            norm2 = Arrays.copyOf(norm2, capacity);
            normInf = Arrays.copyOf(normInf, capacity);
            anchorMargin = Arrays.copyOf(anchorMargin, capacity);
            anchorSpread = Arrays.copyOf(anchorSpread, capacity);
            storedMargin = Arrays.copyOf(storedMargin, capacity);
            storedLabel = Arrays.copyOf(storedLabel, capacity);
            storedScore = Arrays.copyOf(storedScore, capacity);
            storedVersion = Arrays.copyOf(storedVersion, capacity);
            storedSpread = Arrays.copyOf(storedSpread, capacity);
            slot = Arrays.copyOf(slot, capacity);
            Arrays.fill(slot, old, capacity, -1);
        }

        /** Entity {@code from} of {@code source} as entity {@code to} here (a compaction). */
        void copyFrom(Columns source, int from, int to) {
            key[to] = source.key[from];
            features[to] = source.features[from];
            norm1[to] = source.norm1[from];
            norm2[to] = source.norm2[from];
            normInf[to] = source.normInf[from];
            anchorMargin[to] = source.anchorMargin[from];
            anchorSpread[to] = source.anchorSpread[from];
            storedMargin[to] = source.storedMargin[from];
            storedLabel[to] = source.storedLabel[from];
            storedScore[to] = source.storedScore[from];
            storedVersion[to] = source.storedVersion[from];
            storedSpread[to] = source.storedSpread[from];
        }

        void setStored(int id, double margin, String label, double score, int version, double spread) {
            storedMargin[id] = margin;
            storedLabel[id] = label;
            storedScore[id] = score;
            storedVersion[id] = version;
            storedSpread[id] = spread;
        }
    }

    /** A view whose model changes by deploys and refreshes: each change bounded by the norms' Hölder bounds. */
    public ViewIndex(Model anchor, int anchorVersion) {
        this(anchor, anchorVersion, false);
    }

    /**
     * {@code learning}: the view's model moves by online learning's small steps (a classification view), so each change is
     * also screened ({@link MarginScreen}) where the view is dense with one margin. Deploys are not: a retrained version moves
     * most margins past the screen's radius anyway (measured at 1M rows: 1.86 s screened against 1.94 s re-scored), and every
     * binding renders the same decision.
     */
    public ViewIndex(Model anchor, int anchorVersion, boolean learning) {
        this(anchor, anchorVersion, 1 << 16, 16, learning);
    }

    /**
     * For tests: arrays from {@code spareMinLength} entries are reused (see {@link Spares}; by default from 65,536), and the
     * columns start with room for {@code capacity} entities (by default 16).
     */
    ViewIndex(Model anchor, int anchorVersion, int spareMinLength, int capacity, boolean learning) {
        this.anchor = anchor;
        this.anchorVersion = anchorVersion;
        this.spares = new Spares(spareMinLength);
        this.cols = new Columns(capacity);
        this.learning = learning;
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

    /** The entity of {@code key} (null: none). */
    public Entry get(Object key) {
        int id = present(key);
        return id < 0 ? null : entry(id);
    }

    /** The id of {@code key}'s entity, -1 when it has none. */
    private int present(Object key) {
        Integer id = ids.get(key);
        return id == null || id >= cols.capacity() || cols.features[id] == null ? -1 : id;
    }

    private Entry entry(int id) {
        Columns c = cols;
        return new Entry(c.key[id], c.features[id], c.norm1[id], c.norm2[id], c.normInf[id], c.anchorMargin[id], c.storedMargin[id],
                c.storedLabel[id], c.storedScore[id], c.storedVersion[id], c.anchorSpread[id], c.storedSpread[id], c.slot[id], id);
    }

    /** The id of {@code key}, a new one for a key never seen, with room in the columns (their growth journaled). */
    private int idOf(Object key) {
        return idOf(key, true);
    }

    /**
     * {@link #idOf(Object)}; {@code journaled} false for a {@link #load}, which is not a change and leaves nothing to undo
     * (undoing its growth alone would put back columns without the entities loaded since).
     */
    private int idOf(Object key, boolean journaled) {
        int id = ids.computeIfAbsent(key, k -> ids.size());
        if (id >= cols.capacity()) {
            // a new object, journaled: changes journaled before were written to the old columns, which a snapshot may share,
            // and their undo must write there again
            Columns before = cols;
            cols = cols.grown(Math.max(id + 1, cols.capacity() * 2));
            if (journaled) {
                undoLog.add(() -> cols = before);
            }
        }
        return id;
    }

    /** Takes entity {@code id} out (it must have one). */
    private void drop(int id) {
        cols.features[id] = null;
        cols.storedLabel[id] = null;
        cols.slot[id] = -1;
        size--;
    }

    /** The ids of every entity, ascending. */
    private int[] presentIds() {
        int[] out = spares.ints(size);
        int n = 0;
        FeatureVector[] f = cols.features;
        for (int id = 0; id < f.length; id++) {
            if (f[id] != null) {
                out[n++] = id;
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
        int old = present(key);
        Entry previous = old < 0 ? null : entry(old);
        if (features == null) {
            journal(key, previous);
            if (old >= 0) {
                drop(old);
            }
            return null;
        }
        Scored s = score(key, current, features);
        Model.ViewValues a = anchor.viewValues(anchor.margins(features));
        int id = idOf(key); // before the journal entry: its undo then runs before the growth's
        journal(key, previous);
        set(id, key, features, s.norm1(), s.norm2(), s.normInf(), a.margin(), a.spread());
        cols.setStored(id, s.margin(), s.label(), s.score(), version, s.spread());
        if (old < 0) {
            size++;
        }
        unsorted.add(key);
        track(id);
        return s;
    }

    /** Entity {@code id}'s features, norms and anchor values, without a slot (it is unsorted until the next sort). */
    private void set(int id, Object key, FeatureVector features, double norm1, double norm2, double normInf, double anchorMargin,
                     double anchorSpread) {
        Columns c = cols;
        c.key[id] = key;
        c.features[id] = features;
        c.norm1[id] = norm1;
        c.norm2[id] = norm2;
        c.normInf[id] = normInf;
        c.anchorMargin[id] = anchorMargin;
        c.anchorSpread[id] = anchorSpread;
        c.slot[id] = -1;
    }

    public void remove(Object key) {
        int id = present(key);
        journal(key, id < 0 ? null : entry(id));
        if (id >= 0) {
            drop(id);
        }
    }

    // ------------------------------------------------------------------ slots

    /** The slot of entity {@code id} in the sorted scans, -1 when it has none (then it is in {@code unsorted}). */
    private int liveSlot(int id) {
        int s = cols.slot[id];
        return s >= 0 && s < idOfSlot.length && idOfSlot[s] == id ? s : -1;
    }

    // ------------------------------------------------------------------ journal (the binding's transactions)

    private final List<Runnable> undoLog = new ArrayList<>();

    /** Forgets the journal: everything done so far is committed. */
    public void commitJournal() {
        // the columns only a snapshot still held are free now: kept to be filled again by the next re-anchoring, whose new
        // columns otherwise cost fresh memory (page faults took longer than the re-scoring they hold)
        java.util.Set<Object> inUse = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        inUse.addAll(cols.arrays());
        inUse.add(sortedAnchorMargins);
        inUse.add(idOfSlot);
        for (Runnable undo : undoLog) {
            if (undo instanceof SnapshotUndo u) {
                for (Object array : u.snapshot.cols().arrays()) {
                    if (inUse.add(array)) {
                        spares.give(array);
                    }
                }
            }
        }
        undoLog.clear();
    }

    /** A journal entry that restores a snapshot (its columns are recognised, to be reused once it is committed). */
    private final class SnapshotUndo implements Runnable {
        private final Snapshot snapshot;

        SnapshotUndo(Snapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public void run() {
            restore(snapshot);
        }
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

    /** Makes {@code key}'s entity what it was ({@code previous}; null: none). */
    private void restore(Object key, Entry previous) {
        int now = present(key);
        if (previous == null) {
            if (now >= 0) {
                drop(now);
            }
            return;
        }
        int id = previous.id(); // the key's id then and now: a compaction since is undone before (newest first)
        if (now < 0) {
            size++;
        }
        set(id, key, previous.features(), previous.norm1(), previous.norm2(), previous.normInf(), previous.anchorMargin(),
                previous.anchorSpread());
        cols.setStored(id, previous.storedMargin(), previous.storedLabel(), previous.storedScore(), previous.storedVersion(),
                previous.storedSpread());
        // the slot column as it was (a snapshot may share it): undone newest first, the sort now is the one it was written
        // under, so the entity is back in its slot, or it was unsorted
        cols.slot[id] = previous.slot();
        if (liveSlot(id) < 0) {
            unsorted.add(key);
        }
        track(id);
    }

    private void track(int id) {
        Columns c = cols;
        maxDeviation = Math.max(maxDeviation, Math.abs(c.anchorMargin[id] - c.storedMargin[id]));
        maxSpreadDeviation = Math.max(maxSpreadDeviation, spreadDeviation(c.anchorSpread[id], c.storedSpread[id]));
        maxNorm1 = Math.max(maxNorm1, c.norm1[id]);
        maxNorm2 = Math.max(maxNorm2, c.norm2[id]);
        maxNormInf = Math.max(maxNormInf, c.normInf[id]);
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
     * Brings the view to {@code current} after a model change, as the bindings do: incrementally where the bounds allow
     * ({@link #modelChanged}), or by a full re-scoring that re-anchors when {@link #shouldReanchor} says so. A refresh asked
     * {@code full}, another feature function ({@code refeatured}) and alpha = 0 ("never incremental") write every row that
     * differs ({@link #rescoreAll(Model, int)}); the skiing rule's re-anchoring writes only the rows the tolerance requires,
     * as incremental maintenance does ({@link #reanchor}).
     */
    public Plan maintain(Model current, int version, double tolerance, double alpha, boolean full, boolean refeatured) {
        if (!shouldReanchor(alpha, full, refeatured)) {
            return modelChanged(current, version, tolerance);
        }
        return full || refeatured || alpha == 0 ? rescoreAll(current, version) : reanchor(current, version, tolerance);
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
        long checked = 0;
        int[] needed = new int[Math.max(16, unsorted.size())];
        int n = 0;
        MarginScreen.Step step = screenStep(bounds, current);
        double[] scratch = new double[2];
        double checkCost;
        if (scoresSafe && labels) {
            // only labels can change: the band |anchor margin| <= maxBound + 2 D holds every candidate
            double band = maxBound + 2 * maxDeviation;
            sortFor(band);
            int from = lowerBound(sortedAnchorMargins, -band);
            int to = upperBound(sortedAnchorMargins, band);
            for (int i = from; i < to; i++) {
                int id = idOfSlot[i];
                if (cols.slot[id] != i || cols.features[id] == null) {
                    continue; // a dead slot: its entity changed since the sort (it is unsorted) or is gone
                }
                checked++;
                if (!safe(id, bounds, labels, tolerance) && !screenedSafe(id, step, current, bounds.scoreLipschitz(), labels, tolerance, scratch)) {
                    needed = add(needed, n++, id);
                }
            }
            for (Object key : unsorted) {
                int id = present(key);
                if (id < 0 || liveSlot(id) >= 0) {
                    continue;
                }
                checked++;
                if (!safe(id, bounds, labels, tolerance) && !screenedSafe(id, step, current, bounds.scoreLipschitz(), labels, tolerance, scratch)) {
                    needed = add(needed, n++, id);
                }
            }
            checkCost = checked * 0.05;
        } else {
            // a cheap first pass, in id order: when the bounds leave most rows to re-score, a full re-scoring (which also
            // re-anchors) costs less than checking and journaling row by row
            needed = spares.ints(size);
            if (step != null) {
                n = screenAll(step, bounds, current, labels, tolerance, needed);
            } else {
                FeatureVector[] f = cols.features;
                for (int id = 0; id < f.length; id++) {
                    if (f[id] != null && !safe(id, bounds, labels, tolerance)) {
                        needed[n++] = id;
                    }
                }
            }
            if (n > size / 2) {
                spares.give(needed);
                return reanchor(current, version, tolerance);
            }
            checked = size;
            // a screened pass costs the same whatever the anchor, so only what it leaves to re-score counts toward re-anchoring
            checkCost = step != null ? 0 : checked * 0.05;
        }
        List<Scored> changed = rescore(Arrays.copyOf(needed, n), current, version, tolerance);
        spares.give(needed);
        long rescored = n;
        incrementalCost += checkCost + rescored;
        return new Plan(changed, checked, rescored, maxBound, false, CpuScorer.INSTANCE.name());
    }

    /**
     * For a view that learns: codes every dense row for the screen now, in a parallel pass (a million rows of 50 features:
     * about 0.3 s on two cores, before the JIT has compiled it), so that the first step to screen them all does not pay
     * it. A binding calls it when it builds the index; rows changed later are coded when screened. Does nothing where the
     * screen does not apply.
     */
    public void prepareScreen() {
        ViewBounds none = ViewBounds.between(anchor, anchor);
        if (none == null || screenStep(none, anchor) == null) {
            return;
        }
        FeatureVector[] f = cols.features;
        int blocks = (f.length + SCREEN_BLOCK - 1) / SCREEN_BLOCK;
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, blocks);
        (f.length >= PARALLEL_ROWS ? range.parallel() : range).forEach(b -> {
            for (int id = b * SCREEN_BLOCK; id < Math.min(f.length, (b + 1) * SCREEN_BLOCK); id++) {
                if (f[id] instanceof DenseVector) {
                    screen.ensureCoded(id, f[id]);
                }
            }
        });
    }

    /** The screen's view of the change to {@code current}, or null where it does not apply (the norms' bounds then). */
    private MarginScreen.Step screenStep(ViewBounds bounds, Model current) {
        if (!learning || !bounds.singleMargin() || !anchorMarginsCpu || anchor.features() instanceof BagOfWords
                || current.dimension() > MarginScreen.MAX_DIMENSION) {
            return null;
        }
        if (screen == null || screen.dimension() != current.dimension()) {
            screen = new MarginScreen(current.dimension());
        }
        MarginScreen.Step step = screen.step(anchor, current);
        if (step != null) {
            screen.ensureCapacity(cols.capacity());
        }
        return step;
    }

    /**
     * Whether the screen proves entity {@code id}'s stored label and score still hold under {@code current}: its margin's
     * interval has the stored label at both ends and scores within the tolerance of the stored score at both ends (labels
     * and scores are monotone in the margin for every single-margin kind). Tighter than {@link #safe} twice over: the
     * interval is the screen's, and the score's change is the link's over it, not its Lipschitz constant times the
     * interval's width. False where there is no screen, or the row is gone or was never scored.
     */
    private boolean screenedSafe(int id, MarginScreen.Step step, Model current, double lipschitz, boolean labels, double tolerance,
                                 double[] scratch) {
        Columns c = cols;
        // a screened view's rows are all dense (its model's features are): no look at the vector's class, whose header
        // is a cache miss a row in a pass over a million
        FeatureVector features = c.features[id];
        double storedMargin = c.storedMargin[id];
        if (step == null || features == null || Double.isNaN(storedMargin)) {
            return false;
        }
        screen.interval(id, features, c.norm2[id], c.anchorMargin[id], step, scratch);
        double lo = scratch[0];
        double hi = scratch[1];
        if (!(lo <= hi)) {
            return false;
        }
        String stored = c.storedLabel[id];
        if (labels && !(java.util.Objects.equals(current.labelOfMargin(lo), stored)
                && java.util.Objects.equals(current.labelOfMargin(hi), stored))) {
            return false;
        }
        double storedScore = c.storedScore[id];
        // first the link's Lipschitz constant over the interval's farther end from the stored margin, whose link the stored
        // score is (as safe() assumes): no exp for most rows
        if (within(lipschitz * Math.max(Math.abs(lo - storedMargin), Math.abs(hi - storedMargin)), tolerance)) {
            return true;
        }
        // 1e-12: the link's own rounding (a score one ulp off monotone)
        double deviation = Math.max(Math.abs(current.scoreOfMargin(lo) - storedScore), Math.abs(current.scoreOfMargin(hi) - storedScore))
                + 1e-12;
        return within(deviation, tolerance);
    }

    /** Rows screened per task of a parallel pass. */
    private static final int SCREEN_BLOCK = 16_384;

    /**
     * Every entity the norms' bound and then the screen leave to re-score, in id order, into {@code needed}; returns how
     * many. Blocks of ids on the common pool's cores from {@value #PARALLEL_ROWS} ids (each row coded and screened by one).
     */
    private int screenAll(MarginScreen.Step step, ViewBounds bounds, Model current, boolean labels, double tolerance, int[] needed) {
        FeatureVector[] f = cols.features;
        int ids = f.length;
        int blocks = (ids + SCREEN_BLOCK - 1) / SCREEN_BLOCK;
        int[][] ofBlock = new int[blocks][];
        int[] counts = new int[blocks];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, blocks);
        (ids >= PARALLEL_ROWS ? range.parallel() : range).forEach(b -> {
            int from = b * SCREEN_BLOCK;
            int to = Math.min(ids, from + SCREEN_BLOCK);
            int[] mine = new int[64];
            double[] scratch = new double[2];
            int k = 0;
            for (int id = from; id < to; id++) {
                if (f[id] != null && !safe(id, bounds, labels, tolerance) && !screenedSafe(id, step, current, bounds.scoreLipschitz(), labels, tolerance, scratch)) {
                    mine = add(mine, k++, id);
                }
            }
            ofBlock[b] = mine;
            counts[b] = k;
        });
        int n = 0;
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(ofBlock[b], 0, needed, n, counts[b]);
            n += counts[b];
        }
        return n;
    }

    private static double spreadDeviation(double anchorSpread, double storedSpread) {
        return Double.isNaN(anchorSpread) && Double.isNaN(storedSpread) ? 0 : Math.abs(anchorSpread - storedSpread);
    }

    /**
     * Whether entity {@code id}'s own bound proves its stored label, score and spread still hold under {@code current}: the
     * bound since the anchor plus how far the stored values are from the anchor's (the triangle inequality). A NaN (a row
     * never scored) is never safe.
     */
    private boolean safe(int id, ViewBounds bounds, boolean labels, double tolerance) {
        Columns c = cols;
        double norm1 = c.norm1[id];
        double norm2 = c.norm2[id];
        double normInf = c.normInf[id];
        double storedMargin = c.storedMargin[id];
        double drift = bounds.margin(norm1, norm2, normInf) + Math.abs(c.anchorMargin[id] - storedMargin);
        boolean labelSafe = !labels || Math.abs(storedMargin) > drift;
        boolean scoreSafe = within(bounds.scoreLipschitz() * drift, tolerance);
        boolean spreadSafe = bounds.singleMargin()
                || within(bounds.spread(norm1, norm2, normInf) + spreadDeviation(c.anchorSpread[id], c.storedSpread[id]), tolerance);
        return labelSafe && scoreSafe && spreadSafe;
    }

    /** Whether a value that may move by {@code drift} stays within {@code tolerance} (0: must not move at all). */
    private static boolean within(double drift, double tolerance) {
        return drift <= tolerance && !(tolerance == 0 && drift > 0);
    }

    private static int[] add(int[] ids, int n, int id) {
        int[] out = n < ids.length ? ids : Arrays.copyOf(ids, ids.length * 2);
        out[n] = id;
        return out;
    }

    /**
     * Re-scores the entities {@code rows}, which their bounds do not cover (margins in batches, as a full re-scoring), and
     * keeps (and journals) what must change; returns the rows to write.
     */
    private List<Scored> rescore(int[] rows, Model current, int version, double tolerance) {
        int k = current.outputs();
        double[] margins = spares.doubles(rows.length * k);
        batchMargins(CpuScorer.INSTANCE, current, rows, margins);
        double[] rowMargins = new double[k];
        List<Scored> changed = new ArrayList<>();
        Columns c = cols;
        for (int i = 0; i < rows.length; i++) {
            int id = rows[i];
            System.arraycopy(margins, i * k, rowMargins, 0, k);
            Model.ViewValues v = current.viewValues(rowMargins);
            if (mustWrite(v.margin(), v.label(), v.score(), v.spread(), id, tolerance)) {
                journal(c.key[id], entry(id));
                c.setStored(id, v.margin(), v.label(), v.score(), version, v.spread());
                track(id);
                changed.add(new Scored(c.key[id], v.margin(), v.label(), v.score(), c.norm1[id], c.norm2[id], c.normInf[id], v.spread()));
            }
        }
        spares.give(margins);
        return changed;
    }

    /** Whether entity {@code id} re-scored as these values must be written ({@link WriteRule}); a row never scored always is. */
    private boolean mustWrite(double margin, String label, double score, double spread, int id, double tolerance) {
        Columns c = cols;
        double storedMargin = c.storedMargin[id];
        return Double.isNaN(storedMargin)
                || WriteRule.mustWrite(margin, label, score, spread, storedMargin, c.storedLabel[id], c.storedScore[id], c.storedSpread[id], tolerance);
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
        int[] rows = presentIds();
        int n = rows.length;
        int k = current.outputs();
        double[] margins = spares.doubles(n * k);
        Scorer scorer = Scorers.choose(n, current.dimension(), k, false);
        batchMargins(scorer, current, rows, margins);
        boolean marginsCpu = scorer == CpuScorer.INSTANCE;
        // new anchor and stored columns (a snapshot keeps the old ones); features, keys and norms are shared
        Snapshot before = snapshot();
        Columns next = cols.sharing();
        next.anchorMargin = spares.copyOf(next.anchorMargin);
        next.anchorSpread = spares.copyOf(next.anchorSpread);
        next.storedMargin = spares.copyOf(next.storedMargin);
        next.storedLabel = spares.copyOf(next.storedLabel);
        next.storedScore = spares.copyOf(next.storedScore);
        next.storedVersion = spares.copyOf(next.storedVersion);
        next.storedSpread = spares.copyOf(next.storedSpread);
        // each row's values apart from every other's: blocks of rows on the common pool's cores, as their margins (a
        // million rows' scores, comparisons and writes took longer than their margins), in id order once joined
        int blocks = (n + BATCH - 1) / BATCH;
        @SuppressWarnings("unchecked")
        List<Scored>[] changedOfBlock = new List[blocks];
        java.util.stream.IntStream blockIds = java.util.stream.IntStream.range(0, blocks);
        (n >= PARALLEL_ROWS ? blockIds.parallel() : blockIds).forEach(b -> changedOfBlock[b] =
                applyRescored(current, version, tolerance, rows, margins, b * BATCH, Math.min(n, (b + 1) * BATCH), next));
        List<Scored> changed = new ArrayList<>();
        for (List<Scored> c : changedOfBlock) {
            changed.addAll(c);
        }
        undoLog.add(new SnapshotUndo(before));
        cols = next;
        anchor = current;
        anchorVersion = version;
        anchorMarginsCpu = marginsCpu;
        incrementalCost = 0;
        // sorted when a band scan first needs it: a view whose scores the bounds rarely cover re-scores without one
        int[] compacted = compactIfMostRemoved(rows);
        retrack(compacted);
        sortedAnchorMargins = new double[0];
        idOfSlot = new int[0];
        unsorted = new HashSet<>();
        sortedBand = Double.NEGATIVE_INFINITY;
        spares.give(margins);
        spares.give(rows);
        if (compacted != rows) {
            spares.give(compacted);
        }
        return new Plan(changed, n, n, Double.NaN, true, scorer.name());
    }

    /**
     * Installs the re-scored values of the entities {@code rows[from..to)} (margins {@code margins}, outputs per row) in
     * {@code next}, a re-anchoring's new columns: every row's anchor values, the stored values of those that must be
     * written ({@code tolerance} NaN: every one that differs); returns the latter.
     */
    private List<Scored> applyRescored(Model current, int version, double tolerance, int[] rows, double[] margins, int from, int to,
                                       Columns next) {
        int k = current.outputs();
        double[] rowMargins = new double[k]; // viewValues reads it and keeps nothing
        List<Scored> changed = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int id = rows[i];
            System.arraycopy(margins, i * k, rowMargins, 0, k);
            Model.ViewValues v = current.viewValues(rowMargins);
            double m = v.margin();
            double storedMargin = next.storedMargin[id];
            // exact (tolerance NaN): every row whose values differ at all, or that an older version scored
            boolean write = Double.isNaN(tolerance)
                    ? WriteRule.mustWrite(m, v.label(), v.score(), v.spread(), storedMargin, next.storedLabel[id], next.storedScore[id],
                            next.storedSpread[id], 0) || next.storedVersion[id] != version
                    : mustWrite(m, v.label(), v.score(), v.spread(), id, tolerance);
            next.anchorMargin[id] = m;
            next.anchorSpread[id] = v.spread();
            if (write) {
                next.setStored(id, m, v.label(), v.score(), version, v.spread());
                changed.add(new Scored(next.key[id], m, v.label(), v.score(), next.norm1[id], next.norm2[id], next.normInf[id], v.spread()));
            }
        }
        return changed;
    }

    private static final int BATCH = 4096;

    /**
     * Margins of the entities {@code rows} (outputs per row, row-major) in batches of {@value #BATCH} rows: dense rows packed
     * row-major, sparse rows as CSR.
     */
    private void batchMargins(Scorer scorer, Model model, int[] rows, double[] out) {
        FeatureVector[] features = cols.features;
        int blocks = (rows.length + BATCH - 1) / BATCH;
        if (scorer == CpuScorer.INSTANCE && rows.length >= PARALLEL_ROWS) {
            // blocks on the common pool's cores: each row's arithmetic is the same, so are its bits
            java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> marginsOfBlock(scorer, model, features, rows, b * BATCH, out));
        } else {
            for (int b = 0; b < blocks; b++) {
                marginsOfBlock(scorer, model, features, rows, b * BATCH, out);
            }
        }
    }

    /** Rows scored on more than one core from this many (a smaller view costs less than handing out the work). */
    private static final int PARALLEL_ROWS = 65_536;

    /** The margins of the block of up to {@value #BATCH} rows from {@code from}, into {@code out}. */
    private static void marginsOfBlock(Scorer scorer, Model model, FeatureVector[] features, int[] rows, int from, double[] out) {
        int d = model.dimension();
        int outputs = model.outputs();
        int n = Math.min(BATCH, rows.length - from);
        double[] block = new double[n * outputs];
        if (model.features() instanceof BagOfWords) {
            int nnz = 0;
            for (int r = 0; r < n; r++) {
                nnz += ((SparseVector) features[rows[from + r]]).size();
            }
            int[] rowPtr = new int[n + 1];
            int[] idx = new int[nnz];
            double[] val = new double[nnz];
            int k = 0;
            for (int r = 0; r < n; r++) {
                SparseVector v = (SparseVector) features[rows[from + r]];
                System.arraycopy(v.indices(), 0, idx, k, v.size());
                System.arraycopy(v.values(), 0, val, k, v.size());
                k += v.size();
                rowPtr[r + 1] = k;
            }
            model.sparseMargins(scorer, rowPtr, idx, val, n, block);
        } else if (scorer == CpuScorer.INSTANCE) {
            // the CPU's arithmetic row by row from each entity's own array (CpuScorer's, bit for bit): copying a million
            // rows into blocks first cost more than scoring them
            for (int r = 0; r < n; r++) {
                double[] v = features[rows[from + r]].values();
                for (int o = 0; o < outputs; o++) {
                    block[r * outputs + o] = model.margin(v, o);
                }
            }
        } else {
            double[] x = new double[n * d];
            for (int r = 0; r < n; r++) {
                System.arraycopy(features[rows[from + r]].values(), 0, x, r * d, d);
            }
            model.denseMargins(scorer, x, n, block);
        }
        System.arraycopy(block, 0, out, from * outputs, n * outputs);
    }

    /**
     * The whole state, for undoing a re-sort or re-anchoring: the columns object and the slot arrays are replaced, never
     * changed, by what comes after a snapshot (columns written in place after it are journaled, and undone first).
     */
    record Snapshot(Map<Object, Integer> ids, Columns cols, int size, Model anchor, int anchorVersion, double[] sortedAnchorMargins,
                    int[] idOfSlot, Set<Object> unsorted, double sortedBand, double maxDeviation, double maxSpreadDeviation, double[] maxNorms,
                    double incrementalCost, boolean anchorMarginsCpu) {
    }

    Snapshot snapshot() {
        return new Snapshot(ids, cols, size, anchor, anchorVersion, sortedAnchorMargins, idOfSlot, new HashSet<>(unsorted), sortedBand, maxDeviation,
                maxSpreadDeviation, new double[]{maxNorm1, maxNorm2, maxNormInf}, incrementalCost, anchorMarginsCpu);
    }

    void restore(Snapshot s) {
        ids = s.ids();
        cols = s.cols();
        size = s.size();
        anchor = s.anchor();
        anchorVersion = s.anchorVersion();
        sortedAnchorMargins = s.sortedAnchorMargins();
        idOfSlot = s.idOfSlot();
        unsorted = s.unsorted();
        sortedBand = s.sortedBand();
        maxDeviation = s.maxDeviation();
        maxSpreadDeviation = s.maxSpreadDeviation();
        maxNorm1 = s.maxNorms()[0];
        maxNorm2 = s.maxNorms()[1];
        maxNormInf = s.maxNorms()[2];
        incrementalCost = s.incrementalCost();
        anchorMarginsCpu = s.anchorMarginsCpu();
    }

    /** Sorts entities by anchor margin; later inserts go to a small unsorted set until the next sort. */
    public void resort() {
        sortWithin(Double.POSITIVE_INFINITY);
    }

    /** How much wider than the band that asks for it a band sort reaches: the bands widen as the model moves on. */
    private static final double BAND_HEADROOM = 4;

    /**
     * Makes a band scan up to {@code band} complete: after a re-anchoring, or when the band is wider than the last sort
     * reached, sorts the entities within {@link #BAND_HEADROOM} times the band (all of them when that is most).
     */
    private void sortFor(double band) {
        if (!(band <= sortedBand)) {
            sortWithin(Double.isFinite(band) ? band * BAND_HEADROOM : Double.POSITIVE_INFINITY);
        }
    }

    /**
     * Makes the entities whose |anchor margin| is at most {@code band} (every one, NaN margins too, when it is infinite)
     * the sorted scans, in a new slot column (a snapshot keeps the old); compacts the ids first when most are of removed
     * keys (in id order: for rows inserted in key order, the key order, which H2's B-tree writes fastest).
     */
    private void sortWithin(double band) {
        if (!undoLog.isEmpty()) {
            undoLog.add(new SnapshotUndo(snapshot()));
        }
        int[] present = presentIds();
        cols = cols.sharing();
        int[] all = compactIfMostRemoved(present);
        double[] anchorMargin = cols.anchorMargin;
        int[] sorted = all;
        if (band != Double.POSITIVE_INFINITY) {
            int within = 0;
            for (int id : all) {
                within += Math.abs(anchorMargin[id]) <= band ? 1 : 0;
            }
            if (within > all.length / 2) {
                band = Double.POSITIVE_INFINITY; // most of them: sorting all costs little more, and no band outgrows it
            } else {
                sorted = spares.ints(within);
                int k = 0;
                for (int id : all) {
                    if (Math.abs(anchorMargin[id]) <= band) {
                        sorted[k++] = id;
                    }
                }
            }
        }
        int n = sorted.length;
        double[] margins = spares.doubles(n);
        for (int i = 0; i < n; i++) {
            margins[i] = anchorMargin[sorted[i]];
        }
        int[] order = MarginOrder.ascending(margins);
        sortedAnchorMargins = new double[n];
        idOfSlot = new int[n];
        int[] slot = new int[cols.capacity()];
        Arrays.fill(slot, -1);
        for (int s = 0; s < n; s++) {
            int id = sorted[order[s]];
            idOfSlot[s] = id;
            sortedAnchorMargins[s] = anchorMargin[id];
            slot[id] = s;
        }
        cols.slot = slot;
        retrack(all);
        unsorted = new HashSet<>();
        sortedBand = band;
        spares.give(present);
        if (all != present) {
            spares.give(all);
        }
        if (sorted != all) {
            spares.give(sorted);
        }
        spares.give(margins);
    }

    /**
     * When most ids are of removed keys: the entities {@code rows} (every one) get ids 0, 1, ... in that order, in new columns
     * and a new map (a snapshot keeps the old ones); returns their ids (then 0, 1, ...), or {@code rows} when nothing changed.
     */
    private int[] compactIfMostRemoved(int[] rows) {
        int n = rows.length;
        if (!mostIdsRemoved(n)) {
            return rows;
        }
        Columns compact = new Columns(Math.max(16, n));
        Map<Object, Integer> map = new HashMap<>(Math.max(16, n * 2));
        int[] renumbered = new int[n];
        for (int i = 0; i < n; i++) {
            compact.copyFrom(cols, rows[i], i);
            map.put(compact.key[i], i);
            renumbered[i] = i;
        }
        cols = compact;
        ids = map;
        return renumbered;
    }

    /** The largest deviations and norms, over the entities {@code rows} (every one). */
    private void retrack(int[] rows) {
        maxDeviation = 0;
        maxSpreadDeviation = 0;
        maxNorm1 = 0;
        maxNorm2 = 0;
        maxNormInf = 0;
        for (int id : rows) {
            track(id);
        }
        size = rows.length;
    }

    /** Whether most ids are of removed keys (with {@code n} entities), so that the next sort gives new ones. */
    private boolean mostIdsRemoved(int n) {
        return ids.size() > 2 * n + 1024;
    }

    /**
     * What the scans rely on, for tests: every entity is either the live entry of its slot or in {@code unsorted}, a live
     * slot holds its entity's anchor margin, and the size is the number of entities. Null when it holds, else what is wrong.
     */
    String structureProblem() {
        int count = 0;
        for (int id : presentIds()) {
            count++;
            Object key = cols.key[id];
            if (!java.util.Objects.equals(ids.get(key), id)) {
                return "entity " + key + " sits at id " + id + ", its key's id is " + ids.get(key);
            }
            int s = liveSlot(id);
            boolean unreached = sortedBand == Double.NEGATIVE_INFINITY || Math.abs(cols.anchorMargin[id]) > sortedBand;
            if (s < 0 && !unsorted.contains(key) && !unreached) {
                return "entity " + key + " is in no slot and not unsorted: a scan would miss it";
            }
            if (s >= 0 && Double.compare(sortedAnchorMargins[s], cols.anchorMargin[id]) != 0) {
                return "slot " + s + " sorts entity " + key + " by another anchor margin than its own";
            }
        }
        for (int s = 1; s < sortedAnchorMargins.length; s++) {
            if (Double.compare(sortedAnchorMargins[s - 1], sortedAnchorMargins[s]) > 0) {
                return "slots " + (s - 1) + " and " + s + " are out of order";
            }
        }
        int counted = 0;
        for (FeatureVector f : cols.features) {
            counted += f == null ? 0 : 1;
        }
        return counted == size ? null : "size " + size + ", but " + counted + " entities";
    }

    /** Whether two models turn SQL values into the same feature vectors (else stored features must be recomputed). */
    public static boolean sameFeatures(Model a, Model b) {
        return a.features().sameFunctionAs(b.features());
    }

    /** Replaces an entity's feature vector (a model with another feature function), keeping its stored values. */
    public void refeature(Object key, FeatureVector features) {
        int id = present(key);
        if (id < 0 || features == null) {
            return;
        }
        journal(key, entry(id));
        double[] n = norms(features);
        cols.features[id] = features;
        cols.norm1[id] = n[0];
        cols.norm2[id] = n[1];
        cols.normInf[id] = n[2];
        track(id);
    }

    /**
     * Loads an entity as stored (on start): features from the base table, stored values from the view table (the spread
     * an ensemble's, NaN for one model). Not journaled: a load is the state found, not a change to undo.
     */
    public void load(Object key, FeatureVector features, double storedMargin, String storedLabel, double storedScore, int storedVersion,
                     double storedSpread) {
        double[] n = norms(features);
        Model.ViewValues a = anchor.viewValues(anchor.margins(features));
        boolean had = present(key) >= 0;
        int id = idOf(key, false);
        set(id, key, features, n[0], n[1], n[2], a.margin(), a.spread());
        cols.setStored(id, storedMargin, storedLabel, storedScore, storedVersion, storedSpread);
        if (!had) {
            size++;
        }
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
