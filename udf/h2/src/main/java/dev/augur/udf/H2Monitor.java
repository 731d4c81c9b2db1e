package dev.augur.udf;

import dev.augur.engine.calibration.Conformal;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.feedback.FeedbackRule;
import dev.augur.engine.feedback.LiveMetrics;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.monitor.AdaptiveConformal;
import dev.augur.engine.monitor.InputDrift;
import dev.augur.engine.monitor.Monitoring;
import dev.augur.engine.monitor.PageHinkley;
import dev.augur.engine.monitor.Psi;
import dev.augur.engine.monitor.Reference;
import dev.augur.sql.TrainingQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitoring without labels on H2: the AUGUR functions CAPTURE_REFERENCE, SET_MONITOR, SCORE_DRIFT and INPUT_DRIFT, and
 * what the served trigger and the label trigger add in their transaction: the served score counted in its window (and
 * its reference bin), the Page-Hinkley detectors moved, an alarm written to AUGUR.MONITOR_EVENTS. The definitions are
 * the engine's ({@link Reference}, {@link Psi}, {@link PageHinkley}, {@link Monitoring}); this class stores them.
 */
public final class H2Monitor {
    static final String SCORE = "score";
    static final String ERROR = "error";
    static final String SERVED = "served";

    private H2Monitor() {
    }

    // ------------------------------------------------------------------ AUGUR functions

    public static int captureReference(Connection c, String model, String query) throws SQLException {
        return captureReference(c, model, query, null);
    }

    /**
     * Captures the reference of a version (null: the deployed one) from a query of its inputs (a version imported, or
     * trained elsewhere, has none); replaces the one it had; returns the rows it read.
     */
    public static int captureReference(Connection c, String rawModel, String query, Integer version) throws SQLException {
        return function(c, () -> {
            CatalogStore store = new CatalogStore(c);
            CatalogStore.VersionRef ref = versionOf(store, rawModel, version);
            Model m = store.load(ref);
            Reference r = Reference.capture(m, inputRows(c, m, query, "CAPTURE_REFERENCE", "reference_rows"));
            store(c, ref.name(), ref.version(), "query", r);
            return (int) r.rows();
        });
    }

    public static int setMonitor(Connection c, String model, Double windowSeconds) throws SQLException {
        return setMonitor(c, model, windowSeconds, null, null, null);
    }

    public static int setMonitor(Connection c, String model, Double windowSeconds, Double delta) throws SQLException {
        return setMonitor(c, model, windowSeconds, delta, null, null);
    }

    public static int setMonitor(Connection c, String model, Double windowSeconds, Double delta, Double lambda) throws SQLException {
        return setMonitor(c, model, windowSeconds, delta, lambda, null);
    }

    /**
     * Sets a model's monitoring window and Page-Hinkley options (NULL: the default of each); the windows' counts are
     * recomputed from the served log, the detectors keep their state and use the new options from the next
     * observation. Returns 1.
     */
    public static int setMonitor(Connection c, String rawModel, Double windowSeconds, Double delta, Double lambda, Integer minN)
            throws SQLException {
        return function(c, () -> {
            CatalogStore store = new CatalogStore(c);
            String model = Names.checkModelName(rawModel);
            if (store.versions(model).isEmpty()) {
                throw Errors.unknownModel(model, store.modelNames());
            }
            long windowUs = FeedbackRule.intervalMicros("WINDOW", windowSeconds == null ? Monitoring.DEFAULT_WINDOW_SECONDS : windowSeconds);
            PageHinkley.Options d = PageHinkley.Options.DEFAULT;
            PageHinkley.Options o = new PageHinkley.Options(delta == null ? d.delta() : delta, lambda == null ? d.lambda() : lambda,
                    minN == null ? d.minObservations() : minN);
            PreparedStatement del = SessionStatements.of(c, "DELETE FROM AUGUR.MONITORS WHERE MODEL = ?");
            del.setString(1, model);
            del.executeUpdate();
            PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.MONITORS (MODEL, WINDOW_US, PH_DELTA, PH_LAMBDA, PH_MIN_N)"
                    + " VALUES (?, ?, ?, ?, ?)");
            ps.setString(1, model);
            ps.setLong(2, windowUs);
            ps.setDouble(3, o.delta());
            ps.setDouble(4, o.lambda());
            ps.setInt(5, o.minObservations());
            ps.executeUpdate();
            recount(c, model);
            return 1;
        });
    }

    public static Double scoreDrift(Connection c, String model) throws SQLException {
        return scoreDrift(c, model, null);
    }

    /** The PSI of every score served by a version (null: the deployed one) against its reference; NULL when none was served. */
    public static Double scoreDrift(Connection c, String rawModel, Integer version) throws SQLException {
        return function(c, () -> {
            CatalogStore store = new CatalogStore(c);
            CatalogStore.VersionRef ref = versionOf(store, rawModel, version);
            Reference r = requireReference(c, ref);
            List<Double> scores = new ArrayList<>();
            PreparedStatement ps = SessionStatements.of(c, "SELECT SCORE FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = ? AND MODEL_VERSION = ?");
            ps.setString(1, ref.name());
            ps.setInt(2, ref.version());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scores.add(rs.getDouble(1));
                }
            }
            return Psi.of(r.scoreCounts(), r.scoreHistogram(scores.stream().mapToDouble(Double::doubleValue).toArray()));
        });
    }

    public static String inputDrift(Connection c, String model, String query) throws SQLException {
        return inputDrift(c, model, query, null);
    }

    /** How far the inputs a query returns moved from a version's reference (null: the deployed one), as JSON. */
    public static String inputDrift(Connection c, String rawModel, String query, Integer version) throws SQLException {
        return function(c, () -> {
            CatalogStore store = new CatalogStore(c);
            CatalogStore.VersionRef ref = versionOf(store, rawModel, version);
            Reference r = requireReference(c, ref);
            Model m = store.load(ref);
            return InputDrift.of(r, m, inputRows(c, m, query, "INPUT_DRIFT", "recent_rows"));
        });
    }

    /** An AUGUR function's body: the calling statement's resolved models kept, Augur's errors as SQLExceptions with their SQLSTATE. */
    private static <T> T function(Connection c, H2Internals.SqlCall<T> body) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            try {
                return body.run();
            } catch (AugurException e) {
                throw Predictions.sql(e);
            }
        });
    }

    private static List<Object[]> inputRows(Connection c, Model m, String query, String function, String exampleTable) throws SQLException {
        return TrainingQuery.inputRows(c, m, query, function, exampleTable);
    }

    private static CatalogStore.VersionRef versionOf(CatalogStore store, String rawModel, Integer version) throws SQLException {
        String model = Names.checkModelName(rawModel);
        return version == null ? store.requireDeployed(model) : store.version(model, version);
    }

    /** A version's reference, or 55000 saying how to capture one. */
    private static Reference requireReference(Connection c, CatalogStore.VersionRef ref) throws SQLException {
        Stored s = stored(c, ref.name(), ref.version());
        if (s == null || s.reference() == null) {
            throw Monitoring.noReference(ref.name(), ref.version());
        }
        return s.reference();
    }

    // ------------------------------------------------------------------ references

    /** Stores (or replaces) a version's reference and its score bins; the model's windows are counted again. */
    static void store(Connection c, String model, int version, String source, Reference r) throws SQLException {
        PreparedStatement del = SessionStatements.of(c, "DELETE FROM AUGUR.MODEL_REFERENCES WHERE NAME = ? AND VERSION = ?");
        del.setString(1, model);
        del.setInt(2, version);
        del.executeUpdate();
        PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.MODEL_REFERENCES (NAME, VERSION, SOURCE, ROWS_USED,"
                + " MEAN_CONFIDENCE, SPEC) VALUES (?, ?, ?, ?, ?, ?)");
        ps.setString(1, model);
        ps.setInt(2, version);
        ps.setString(3, source);
        ps.setLong(4, r.rows());
        ps.setObject(5, Double.isNaN(r.meanConfidence()) ? null : r.meanConfidence());
        ps.setString(6, r.toJson());
        ps.executeUpdate();
        PreparedStatement bins = SessionStatements.of(c, "INSERT INTO AUGUR.REFERENCE_SCORE_BINS (NAME, VERSION, BIN, LOWER, UPPER, N)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        double[] e = r.scoreEdges();
        for (int b = 0; b < r.scoreCounts().length; b++) {
            bins.setString(1, model);
            bins.setInt(2, version);
            bins.setInt(3, b);
            bins.setObject(4, b == 0 ? null : e[b - 1]);
            bins.setObject(5, b == e.length ? null : e[b]);
            bins.setLong(6, r.scoreCounts()[b]);
            bins.executeUpdate();
        }
        recount(c, model);
    }

    /** A calibrated copy (the same payload) is monitored against its source's reference, when that has one. */
    static void copyReference(Connection c, String model, int from, int to) throws SQLException {
        Stored s = stored(c, model, from);
        if (s != null && s.reference() != null) {
            store(c, model, to, "calibration", s.reference());
        }
    }

    /** What the served trigger needs of a version: binary classifier or not, its reference (null: none), the options. */
    private record Stored(boolean binary, Reference reference, long windowUs, PageHinkley.Options options, boolean adaptive) {
    }

    /** Parsed references by database and REF_ID (an identity, never reused: a cached entry is never stale). */
    private static final Map<Object, Map<Long, Reference>> REFERENCES = new java.util.WeakHashMap<>();

    /** Null when the version is not in the catalog (a row inserted into the served log by hand may name any). */
    /** What {@link #stored} read from these tables; it reads nothing else from the database. */
    private static final String[] STORED_FROM = {"AUGUR.MODELS", "AUGUR.MODEL_REFERENCES", "AUGUR.MONITORS", "AUGUR.ADAPTIVE_CONFORMAL"};
    /**
     * The model version's monitoring settings, read once per session until one of the tables it comes from changes
     * (served predictions ask for it one by one).
     */
    private static Stored stored(Connection c, String model, int version) throws SQLException {
        return H2Internals.sessionCached(c, "monitor.stored", model + "@" + version, STORED_FROM, () -> storedUncached(c, model, version));
    }

    private static Stored storedUncached(Connection c, String model, int version) throws SQLException {
        PreparedStatement ps = SessionStatements.of(c, "SELECT mo.KIND, mo.CLASSES, r.REF_ID, m.WINDOW_US, m.PH_DELTA, m.PH_LAMBDA, m.PH_MIN_N,"
                + " a.MODEL FROM AUGUR.MODELS mo LEFT JOIN AUGUR.MODEL_REFERENCES r ON r.NAME = mo.NAME AND r.VERSION = mo.VERSION"
                + " LEFT JOIN AUGUR.MONITORS m ON m.MODEL = mo.NAME LEFT JOIN AUGUR.ADAPTIVE_CONFORMAL a ON a.MODEL = mo.NAME"
                + " WHERE mo.NAME = ? AND mo.VERSION = ?");
        ps.setString(1, model);
        ps.setInt(2, version);
        long refId;
        boolean binary;
        Long windowUs;
        PageHinkley.Options options;
        boolean adaptive;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            ModelKind kind = ModelKind.fromSqlName(rs.getString(1));
            String classes = rs.getString(2);
            binary = kind.isClassifier() && (kind.isBinary() || (classes != null && classes.split(",", -1).length == 2));
            refId = rs.getLong(3);
            if (rs.wasNull()) {
                refId = -1;
            }
            long w = rs.getLong(4);
            windowUs = rs.wasNull() ? null : w;
            options = windowUs == null ? PageHinkley.Options.DEFAULT
                    : new PageHinkley.Options(rs.getDouble(5), rs.getDouble(6), rs.getInt(7));
            adaptive = rs.getString(8) != null;
        }
        Reference r = null;
        if (refId >= 0) {
            Map<Long, Reference> byId;
            synchronized (REFERENCES) {
                byId = REFERENCES.computeIfAbsent(H2Internals.database(c), d -> new java.util.concurrent.ConcurrentHashMap<>());
            }
            r = byId.get(refId);
            if (r == null) {
                PreparedStatement q = SessionStatements.of(c, "SELECT SPEC FROM AUGUR.MODEL_REFERENCES WHERE REF_ID = ?");
                q.setLong(1, refId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    r = Reference.fromJson(rs.getString(1));
                }
                byId.put(refId, r);
            }
        }
        return new Stored(binary, r, windowUs == null ? Monitoring.defaultWindowMicros() : windowUs, options, adaptive);
    }

    /** The model's window counts and score bins, from the served log (after its window or a reference changed). */
    private static void recount(Connection c, String model) throws SQLException {
        for (String table : new String[]{"AUGUR.MONITOR_WINDOWS", "AUGUR.MONITOR_SCORE_BINS"}) {
            PreparedStatement del = SessionStatements.of(c, "DELETE FROM " + table + " WHERE MODEL = ?");
            del.setString(1, model);
            del.executeUpdate();
        }
        record Row(int version, double score, long atUs) {
        }
        record Cell(int version, long window, int bin) {
        }
        List<Row> rows = new ArrayList<>();
        PreparedStatement ps = SessionStatements.of(c, "SELECT MODEL_VERSION, SCORE, SERVED_AT FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = ? ORDER BY ID");
        ps.setString(1, model);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getInt(1), rs.getDouble(2), H2Feedback.micros(rs.getObject(3, OffsetDateTime.class))));
            }
        }
        Map<Integer, Stored> versions = new HashMap<>();
        for (Row r : rows) {
            if (!versions.containsKey(r.version())) {
                versions.put(r.version(), stored(c, model, r.version()));
            }
        }
        // in the served log's order, as the trigger adds them (sums of doubles depend on their order)
        Map<List<Object>, double[]> grouped = new java.util.LinkedHashMap<>();
        Map<Cell, long[]> bins = new java.util.LinkedHashMap<>();
        for (Row r : rows) {
            Stored s = versions.get(r.version());
            long w = FeedbackRule.windowStart(r.atUs(), s == null ? Monitoring.defaultWindowMicros() : s.windowUs());
            double[] g = grouped.computeIfAbsent(List.of(r.version(), w), k -> new double[3]);
            g[0]++;
            g[1] += r.score();
            g[2] += Reference.confidence(r.score());
            if (s != null && s.reference() != null) {
                bins.computeIfAbsent(new Cell(r.version(), w, s.reference().scoreBin(r.score())), k -> new long[1])[0]++;
            }
        }
        PreparedStatement iw = SessionStatements.of(c, "INSERT INTO AUGUR.MONITOR_WINDOWS (MODEL, MODEL_VERSION, WINDOW_START, N, SCORE_SUM,"
                + " CONFIDENCE_SUM) VALUES (?, ?, ?, ?, ?, ?)");
        for (Map.Entry<List<Object>, double[]> e : grouped.entrySet()) {
            int v = (Integer) e.getKey().get(0);
            Stored s = versions.get(v);
            iw.setString(1, model);
            iw.setInt(2, v);
            iw.setObject(3, H2Feedback.timestamp((Long) e.getKey().get(1)));
            iw.setLong(4, (long) e.getValue()[0]);
            iw.setDouble(5, e.getValue()[1]);
            iw.setObject(6, s != null && s.binary() ? e.getValue()[2] : null);
            iw.executeUpdate();
        }
        PreparedStatement ib = SessionStatements.of(c, "INSERT INTO AUGUR.MONITOR_SCORE_BINS (MODEL, MODEL_VERSION, WINDOW_START, BIN, N)"
                + " VALUES (?, ?, ?, ?, ?)");
        for (Map.Entry<Cell, long[]> e : bins.entrySet()) {
            ib.setString(1, model);
            ib.setInt(2, e.getKey().version());
            ib.setObject(3, H2Feedback.timestamp(e.getKey().window()));
            ib.setInt(4, e.getKey().bin());
            ib.setLong(5, e.getValue()[0]);
            ib.executeUpdate();
        }
    }

    /** A model dropped: its monitoring state goes (its events stay, as the served log does). */
    static void modelDropped(Connection c, String model) throws SQLException {
        for (String table : new String[]{"AUGUR.MONITOR_WINDOWS", "AUGUR.MONITOR_SCORE_BINS", "AUGUR.MONITOR_DETECTORS", "AUGUR.MONITORS"}) {
            PreparedStatement del = SessionStatements.of(c, "DELETE FROM " + table + " WHERE MODEL = ?");
            del.setString(1, model);
            del.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ per served prediction, per label

    /** A served prediction recorded: counted in its window and bin, and seen by the score detector. */
    static void served(Connection c, long servedId, String model, int version, double score, long servedAtUs) throws SQLException {
        counted(c, new long[]{servedId}, model, version, new double[]{score}, 1, servedAtUs);
        servedWithAlphas(c, servedId, model, version);
    }

    /**
     * What {@link #served} does of the first {@code n} served predictions of one version at one time, in the order
     * recorded, but their alpha_t ({@link #servedWithAlphas}, which the caller runs for each in turn, as a label a
     * prediction resolves may move the next one's): the same sums, added in the same order, the same detector steps
     * and alarms, with one write of their window, of each bin and of the detector for them all (a prediction view's
     * log records thousands).
     */
    static void counted(Connection c, long[] servedIds, String model, int version, double[] scores, int n, long servedAtUs)
            throws SQLException {
        if (n == 0) {
            return;
        }
        Stored s = stored(c, model, version);
        long windowUs = s == null ? Monitoring.defaultWindowMicros() : s.windowUs();
        OffsetDateTime window = H2Feedback.timestamp(FeedbackRule.windowStart(servedAtUs, windowUs));
        boolean binary = s != null && s.binary();
        // N = N + 1, SCORE_SUM = SCORE_SUM + score, CONFIDENCE_SUM = CONFIDENCE_SUM + confidence (NULL stays NULL), row by row
        updateElseInsert(() -> {
            Boolean found = H2Internals.updateRowByKey(c, "AUGUR.MONITOR_WINDOWS", new Object[]{model, version, window}, row -> {
                double sum = row[WINDOW_SCORE_SUM].getDouble();
                boolean confidences = binary && row[WINDOW_CONFIDENCE_SUM] != org.h2.value.ValueNull.INSTANCE;
                double confidenceSum = confidences ? row[WINDOW_CONFIDENCE_SUM].getDouble() : 0;
                for (int i = 0; i < n; i++) {
                    sum += scores[i];
                    confidenceSum += confidences ? Reference.confidence(scores[i]) : 0;
                }
                row[WINDOW_N] = org.h2.value.ValueBigint.get(row[WINDOW_N].getLong() + n);
                row[WINDOW_SCORE_SUM] = org.h2.value.ValueDouble.get(sum);
                row[WINDOW_CONFIDENCE_SUM] = confidences ? org.h2.value.ValueDouble.get(confidenceSum) : org.h2.value.ValueNull.INSTANCE;
                return row;
            });
            if (found != null) {
                return found;
            }
            PreparedStatement up = SessionStatements.of(c, "UPDATE AUGUR.MONITOR_WINDOWS SET N = N + 1, SCORE_SUM = SCORE_SUM + ?,"
                    + " CONFIDENCE_SUM = CONFIDENCE_SUM + ? WHERE MODEL = ? AND MODEL_VERSION = ? AND WINDOW_START = ?");
            for (int i = 0; i < n; i++) {
                up.setDouble(1, scores[i]);
                up.setObject(2, binary ? Reference.confidence(scores[i]) : null);
                up.setString(3, model);
                up.setInt(4, version);
                up.setObject(5, window);
                if (up.executeUpdate() == 0) {
                    return false; // the first finds no window: it is inserted with them all
                }
            }
            return true;
        }, () -> {
            double sum = scores[0];
            Double confidenceSum = binary ? Reference.confidence(scores[0]) : null;
            for (int i = 1; i < n; i++) {
                sum += scores[i];
                confidenceSum = binary ? confidenceSum + Reference.confidence(scores[i]) : null;
            }
            PreparedStatement in = SessionStatements.of(c, "INSERT INTO AUGUR.MONITOR_WINDOWS (MODEL, MODEL_VERSION, WINDOW_START, N, SCORE_SUM,"
                    + " CONFIDENCE_SUM) VALUES (?, ?, ?, ?, ?, ?)");
            in.setString(1, model);
            in.setInt(2, version);
            in.setObject(3, window);
            in.setLong(4, n);
            in.setDouble(5, sum);
            in.setObject(6, confidenceSum);
            in.executeUpdate();
        });
        if (s != null && s.reference() != null) {
            java.util.TreeMap<Integer, Long> counts = new java.util.TreeMap<>();
            for (int i = 0; i < n; i++) {
                counts.merge(s.reference().scoreBin(scores[i]), 1L, Long::sum);
            }
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                int bin = e.getKey();
                long count = e.getValue();
                updateElseInsert(() -> {
                    Boolean found = H2Internals.updateRowByKey(c, "AUGUR.MONITOR_SCORE_BINS", new Object[]{model, version, window, bin}, row -> {
                        row[BIN_N] = org.h2.value.ValueBigint.get(row[BIN_N].getLong() + count);
                        return row;
                    });
                    if (found != null) {
                        return found;
                    }
                    PreparedStatement ub = SessionStatements.of(c, "UPDATE AUGUR.MONITOR_SCORE_BINS SET N = N + ?"
                            + " WHERE MODEL = ? AND MODEL_VERSION = ? AND WINDOW_START = ? AND BIN = ?");
                    ub.setLong(1, count);
                    ub.setString(2, model);
                    ub.setInt(3, version);
                    ub.setObject(4, window);
                    ub.setInt(5, bin);
                    return ub.executeUpdate() > 0;
                }, () -> {
                    PreparedStatement ib = SessionStatements.of(c, "INSERT INTO AUGUR.MONITOR_SCORE_BINS (MODEL, MODEL_VERSION, WINDOW_START, BIN, N)"
                            + " VALUES (?, ?, ?, ?, ?)");
                    ib.setString(1, model);
                    ib.setInt(2, version);
                    ib.setObject(3, window);
                    ib.setInt(4, bin);
                    ib.setLong(5, count);
                    ib.executeUpdate();
                });
            }
        }
        observe(c, model, version, SCORE, SERVED, scores, n, s == null ? PageHinkley.Options.DEFAULT : s.options(), servedIds, servedAtUs);
    }

    /** With adaptive conformal on the model: each feedback's alpha_t now, kept as the set the prediction is served with. */
    static void servedWithAlphas(Connection c, long servedId, String model, int version) throws SQLException {
        Stored s = stored(c, model, version);
        if (s == null || !s.adaptive()) {
            return;
        }
        PreparedStatement aci = SessionStatements.of(c, "SELECT f.NAME, COALESCE(s.ALPHA_T, a.ALPHA) FROM AUGUR.ADAPTIVE_CONFORMAL a"
                + " JOIN AUGUR.FEEDBACKS f ON f.MODEL = a.MODEL LEFT JOIN AUGUR.ADAPTIVE_CONFORMAL_STATE s ON s.FEEDBACK = f.NAME"
                + " AND s.MODEL_VERSION = ? WHERE a.MODEL = ?");
        aci.setInt(1, version);
        aci.setString(2, model);
        List<Object[]> alphas = new ArrayList<>();
        try (ResultSet rs = aci.executeQuery()) {
            while (rs.next()) {
                alphas.add(new Object[]{rs.getString(1), rs.getDouble(2)});
            }
        }
        for (Object[] a : alphas) {
            PreparedStatement in = SessionStatements.of(c, "INSERT INTO AUGUR.ADAPTIVE_CONFORMAL_SERVED (FEEDBACK, SERVED_ID, ALPHA_T) VALUES (?, ?, ?)");
            in.setString(1, (String) a[0]);
            in.setLong(2, servedId);
            in.setDouble(3, (Double) a[1]);
            in.executeUpdate();
        }
    }

    /**
     * A label joined a served prediction (as it arrived, or as an implicit negative): its error (a classifier's 0 or 1,
     * a regressor's absolute error) is seen by the feedback's error detector; an alarm is timed by the label (when the
     * evidence came), a score alarm by the served prediction.
     */
    static void labelJoined(Connection c, String feedback, String model, LiveMetrics.Target target, List<String> classes, long windowUs,
                            FeedbackRule.Served served, long labelAtUs, String label) throws SQLException {
        LiveMetrics.Terms t = LiveMetrics.terms(target, classes, served.score(), served.probabilities(), label);
        double error = target == LiveMetrics.Target.CLASS ? 1 - t.correct() : t.absError();
        Stored s = stored(c, model, served.version());
        observe(c, model, served.version(), ERROR, feedback, error, s == null ? PageHinkley.Options.DEFAULT : s.options(),
                served.id(), labelAtUs);
        // adaptive conformal sets are a binary classifier's
        if (target == LiveMetrics.Target.CLASS && !LiveMetrics.multiclass(classes) && s != null && s.adaptive()) {
            adaptiveConformal(c, feedback, model, classes, windowUs, served, label);
        }
    }

    // ------------------------------------------------------------------ adaptive conformal

    /**
     * Sets a model's adaptive conformal target miscoverage and step; every feedback on the model then moves an alpha_t per
     * calibrated version from its labels (starting at alpha; a change keeps the alpha_t reached). Returns 1.
     */
    public static int setAdaptiveConformal(Connection c, String rawModel, Double alpha, Double gamma) throws SQLException {
        return function(c, () -> {
            CatalogStore store = new CatalogStore(c);
            String model = Names.checkModelName(rawModel);
            if (store.versions(model).isEmpty()) {
                throw Errors.unknownModel(model, store.modelNames());
            }
            AdaptiveConformal.Options o = new AdaptiveConformal.Options(alpha == null ? Double.NaN : alpha,
                    gamma == null ? Double.NaN : gamma);
            PreparedStatement del = SessionStatements.of(c, "DELETE FROM AUGUR.ADAPTIVE_CONFORMAL WHERE MODEL = ?");
            del.setString(1, model);
            del.executeUpdate();
            PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.ADAPTIVE_CONFORMAL (MODEL, ALPHA, GAMMA) VALUES (?, ?, ?)");
            ps.setString(1, model);
            ps.setDouble(2, o.alpha());
            ps.setDouble(3, o.gamma());
            ps.executeUpdate();
            return 1;
        });
    }

    /** Calibrations by database and version (a version's calibration never changes; the SHA guards a model dropped and made again). */
    private static final Map<Object, Map<String, dev.augur.engine.calibration.Calibration>> CALIBRATIONS = new java.util.WeakHashMap<>();

    /**
     * One label against the static set (alpha) and the adaptive one it was served with (the alpha_t of its serving),
     * counted in its window; the alpha_t reached moves by gamma (alpha - err), Gibbs and Candès' update with delayed
     * feedback.
     */
    private static void adaptiveConformal(Connection c, String feedback, String model, List<String> classes, long windowUs,
                                          FeedbackRule.Served served, String label) throws SQLException {
        PreparedStatement q = SessionStatements.of(c, "SELECT a.ALPHA, a.GAMMA, m.SHA256, m.CALIBRATION FROM AUGUR.ADAPTIVE_CONFORMAL a"
                + " JOIN AUGUR.MODELS m ON m.NAME = a.MODEL AND m.VERSION = ? WHERE a.MODEL = ?");
        q.setInt(1, served.version());
        q.setString(2, model);
        AdaptiveConformal.Options o;
        String sha;
        try (ResultSet rs = q.executeQuery()) {
            if (!rs.next() || rs.getString(4) == null) {
                return; // no adaptive conformal on this model, or a version without a calibration
            }
            o = new AdaptiveConformal.Options(rs.getDouble(1), rs.getDouble(2));
            sha = rs.getString(3);
        }
        Map<String, dev.augur.engine.calibration.Calibration> cache;
        synchronized (CALIBRATIONS) {
            cache = CALIBRATIONS.computeIfAbsent(H2Internals.database(c), d -> new java.util.concurrent.ConcurrentHashMap<>());
        }
        String key = model + "@" + served.version() + "#" + sha;
        dev.augur.engine.calibration.Calibration cal = cache.get(key);
        if (cal == null) {
            cal = new CalibrationStore(c).find(new CatalogStore.VersionRef(model, served.version(), sha));
            if (cal == null) {
                throw Conformal.notCalibrated(model, served.version(), "adaptive conformal");
            }
            cache.put(key, cal);
        }
        PreparedStatement st = SessionStatements.of(c, "SELECT ALPHA_T FROM AUGUR.ADAPTIVE_CONFORMAL_STATE WHERE FEEDBACK = ? AND MODEL_VERSION = ?");
        st.setString(1, feedback);
        st.setInt(2, served.version());
        Double alphaT = null;
        try (ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
                alphaT = rs.getDouble(1);
            }
        }
        boolean exists = alphaT != null;
        double now = exists ? alphaT : o.alpha();
        // the set it was served with (a prediction served before adaptive conformal was set: the alpha_t now)
        PreparedStatement sv = SessionStatements.of(c, "SELECT ALPHA_T FROM AUGUR.ADAPTIVE_CONFORMAL_SERVED WHERE FEEDBACK = ? AND SERVED_ID = ?");
        sv.setString(1, feedback);
        sv.setLong(2, served.id());
        double a = now;
        try (ResultSet rs = sv.executeQuery()) {
            if (rs.next()) {
                a = rs.getDouble(1);
            }
        }
        boolean adaptive = AdaptiveConformal.covered(cal, classes, served.score(), label, a);
        boolean fixed = AdaptiveConformal.covered(cal, classes, served.score(), label, o.alpha());
        PreparedStatement w = SessionStatements.of(c, exists
                ? "UPDATE AUGUR.ADAPTIVE_CONFORMAL_STATE SET N = N + 1, ALPHA_T = ? WHERE FEEDBACK = ? AND MODEL_VERSION = ?"
                : "INSERT INTO AUGUR.ADAPTIVE_CONFORMAL_STATE (N, ALPHA_T, FEEDBACK, MODEL_VERSION) VALUES (1, ?, ?, ?)");
        w.setDouble(1, AdaptiveConformal.next(now, adaptive, o));
        w.setString(2, feedback);
        w.setInt(3, served.version());
        w.executeUpdate();
        OffsetDateTime window = H2Feedback.timestamp(FeedbackRule.windowStart(served.servedAtMicros(), windowUs));
        PreparedStatement up = SessionStatements.of(c, "UPDATE AUGUR.CONFORMAL_COVERAGE SET N = N + 1, COVERED_STATIC = COVERED_STATIC + ?,"
                + " COVERED_ADAPTIVE = COVERED_ADAPTIVE + ?, ALPHA_T_SUM = ALPHA_T_SUM + ? WHERE FEEDBACK = ? AND MODEL_VERSION = ?"
                + " AND WINDOW_START = ?");
        up.setInt(1, fixed ? 1 : 0);
        up.setInt(2, adaptive ? 1 : 0);
        up.setDouble(3, a);
        up.setString(4, feedback);
        up.setInt(5, served.version());
        up.setObject(6, window);
        if (up.executeUpdate() == 0) {
            PreparedStatement in = SessionStatements.of(c, "INSERT INTO AUGUR.CONFORMAL_COVERAGE (FEEDBACK, MODEL_VERSION, WINDOW_START, N,"
                    + " COVERED_STATIC, COVERED_ADAPTIVE, ALPHA_T_SUM) VALUES (?, ?, ?, 1, ?, ?, ?)");
            in.setString(1, feedback);
            in.setInt(2, served.version());
            in.setObject(3, window);
            in.setInt(4, fixed ? 1 : 0);
            in.setInt(5, adaptive ? 1 : 0);
            in.setDouble(6, a);
            in.executeUpdate();
        }
    }

    /** One observation for a detector: its state moved (or reset by an alarm, which is written as an event). */
    private static void observe(Connection c, String model, int version, String signal, String source, double x,
                                PageHinkley.Options options, long servedId, long atUs) throws SQLException {
        observe(c, model, version, signal, source, new double[]{x}, 1, options, new long[]{servedId}, atUs);
    }

    /** The detector's steps over the first {@code n} observations in turn (each with its served id), its state written once. */
    private static void observe(Connection c, String model, int version, String signal, String source, double[] xs, int n,
                                PageHinkley.Options options, long[] servedIds, long atUs) throws SQLException {
        // the detector's state read and written under its row's lock (an UPDATE's read-modify-write), so concurrent
        // observations of one detector each see the other's; SQL where the table is not plain
        PageHinkley.Step[] stepped = new PageHinkley.Step[n];
        for (int attempt = 1; ; attempt++) {
            Boolean updated = H2Internals.updateRowByKey(c, "AUGUR.MONITOR_DETECTORS", new Object[]{model, version, signal, source}, row -> {
                PageHinkley.State old = new PageHinkley.State(row[DETECTOR_N].getLong(), row[DETECTOR_N + 1].getDouble(),
                        row[DETECTOR_N + 2].getDouble(), row[DETECTOR_N + 3].getDouble(), row[DETECTOR_N + 4].getDouble(),
                        row[DETECTOR_N + 5].getDouble());
                PageHinkley.State n1 = steps(old, xs, n, options, stepped);
                row[DETECTOR_N] = org.h2.value.ValueBigint.get(n1.n());
                double[] v = {n1.mean(), n1.up(), n1.upMin(), n1.down(), n1.downMax()};
                for (int i = 0; i < v.length; i++) {
                    row[DETECTOR_N + 1 + i] = org.h2.value.ValueDouble.get(v[i]);
                }
                return row;
            });
            if (updated == null) {
                break; // not a plain table: SQL below
            }
            if (!updated) {
                PageHinkley.State n1 = steps(PageHinkley.State.EMPTY, xs, n, options, stepped);
                PreparedStatement in = SessionStatements.of(c, "INSERT INTO AUGUR.MONITOR_DETECTORS (N, MEAN, UP, UP_MIN, DOWN, DOWN_MAX,"
                        + " MODEL, MODEL_VERSION, SIGNAL, SOURCE) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                in.setLong(1, n1.n());
                in.setDouble(2, n1.mean());
                in.setDouble(3, n1.up());
                in.setDouble(4, n1.upMin());
                in.setDouble(5, n1.down());
                in.setDouble(6, n1.downMax());
                in.setString(7, model);
                in.setInt(8, version);
                in.setString(9, signal);
                in.setString(10, source);
                try {
                    in.executeUpdate();
                } catch (SQLException e) {
                    if (!"23505".equals(e.getSQLState()) || attempt == 3) {
                        throw e;
                    }
                    continue; // another session added the detector meanwhile: step from its state
                }
            }
            for (int i = 0; i < n; i++) {
                alarm(c, model, version, signal, source, stepped[i], servedIds[i], atUs);
            }
            return;
        }
        PreparedStatement q = SessionStatements.of(c, "SELECT N, MEAN, UP, UP_MIN, DOWN, DOWN_MAX FROM AUGUR.MONITOR_DETECTORS"
                + " WHERE MODEL = ? AND MODEL_VERSION = ? AND SIGNAL = ? AND SOURCE = ?");
        q.setString(1, model);
        q.setInt(2, version);
        q.setString(3, signal);
        q.setString(4, source);
        PageHinkley.State state = null;
        try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
                state = new PageHinkley.State(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6));
            }
        }
        boolean exists = state != null;
        PageHinkley.State n1 = steps(exists ? state : PageHinkley.State.EMPTY, xs, n, options, stepped);
        for (int i = 0; i < n; i++) {
            alarm(c, model, version, signal, source, stepped[i], servedIds[i], atUs);
        }

        PreparedStatement w = SessionStatements.of(c, exists
                ? "UPDATE AUGUR.MONITOR_DETECTORS SET N = ?, MEAN = ?, UP = ?, UP_MIN = ?, DOWN = ?, DOWN_MAX = ?"
                        + " WHERE MODEL = ? AND MODEL_VERSION = ? AND SIGNAL = ? AND SOURCE = ?"
                : "INSERT INTO AUGUR.MONITOR_DETECTORS (N, MEAN, UP, UP_MIN, DOWN, DOWN_MAX, MODEL, MODEL_VERSION, SIGNAL, SOURCE)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        w.setLong(1, n1.n());
        w.setDouble(2, n1.mean());
        w.setDouble(3, n1.up());
        w.setDouble(4, n1.upMin());
        w.setDouble(5, n1.down());
        w.setDouble(6, n1.downMax());
        w.setString(7, model);
        w.setInt(8, version);
        w.setString(9, signal);
        w.setString(10, source);
        w.executeUpdate();
    }

    /** Page-Hinkley's steps from {@code from} over the first {@code n} of {@code xs}, each kept in {@code stepped}; the last state. */
    private static PageHinkley.State steps(PageHinkley.State from, double[] xs, int n, PageHinkley.Options options, PageHinkley.Step[] stepped) {
        PageHinkley.State state = from;
        for (int i = 0; i < n; i++) {
            stepped[i] = PageHinkley.update(state, xs[i], options);
            state = stepped[i].state();
        }
        return state;
    }

    /** An alarm of the step, if it raised one, as a row of AUGUR.MONITOR_EVENTS. */
    private static void alarm(Connection c, String model, int version, String signal, String source, PageHinkley.Step step,
                              long servedId, long atUs) throws SQLException {
        if (step.alarm() == null) {
            return;
        }
        PageHinkley.Alarm a = step.alarm();
        PreparedStatement ev = SessionStatements.of(c, "INSERT INTO AUGUR.MONITOR_EVENTS (MODEL, MODEL_VERSION, AT, DETECTOR, SIGNAL, SOURCE,"
                + " DIRECTION, WHAT, STATISTIC, THRESHOLD, MEAN, OBSERVATIONS, SERVED_ID) VALUES (?, ?, ?, 'page_hinkley', ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ev.setString(1, model);
        ev.setInt(2, version);
        ev.setObject(3, H2Feedback.timestamp(atUs));
        ev.setString(4, signal);
        ev.setString(5, source);
        ev.setString(6, a.direction().sqlName());
        ev.setString(7, Monitoring.what(signal, source, a));
        ev.setDouble(8, a.statistic());
        ev.setDouble(9, a.threshold());
        ev.setDouble(10, a.mean());
        ev.setLong(11, a.observations());
        ev.setLong(12, servedId);
        ev.executeUpdate();
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private interface SqlRun {
        void run() throws SQLException;
    }

    /**
     * {@code update} (true when it found the row), else {@code insert}; an insert that meets the row another session
     * inserted meanwhile (23505: two sessions opened the same window at once) updates that row instead.
     */
    private static void updateElseInsert(SqlCall<Boolean> update, SqlRun insert) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            if (update.call()) {
                return;
            }
            try {
                insert.run();
                return;
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    // column positions in AUGUR.MONITOR_WINDOWS, MONITOR_SCORE_BINS and MONITOR_DETECTORS (V8), for updateRowByKey
    private static final int WINDOW_N = 3;
    private static final int WINDOW_SCORE_SUM = 4;
    private static final int WINDOW_CONFIDENCE_SUM = 5;
    private static final int BIN_N = 4;
    /** N, then MEAN, UP, UP_MIN, DOWN, DOWN_MAX. */
    private static final int DETECTOR_N = 4;
}
