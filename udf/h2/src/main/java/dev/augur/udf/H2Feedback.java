package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.feedback.FeedbackRule;
import dev.augur.engine.feedback.LiveMetrics;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.SgdTrainer;
import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Feedback on H2: the AUGUR functions RECORD_PREDICTION, CREATE_FEEDBACK and DROP_FEEDBACK, and the triggers that keep
 * AUGUR.FEEDBACK_LABELS, AUGUR.FEEDBACK_METRICS and AUGUR.FEEDBACK_CALIBRATION equal to a batch recomputation in the
 * transaction of the label's (or the served prediction's) INSERT. The rules are the engine's ({@link FeedbackRule},
 * {@link LiveMetrics}); this class stores what they decide.
 */
public final class H2Feedback {
    /** The trigger Augur puts on the served log (declared by {@link H2Binding}). */
    static final String SERVED_TRIGGER = "SERVED_PREDICTIONS_AUGUR_FEEDBACK";
    private static final String LABEL_TRIGGER_SUFFIX = "_AUGUR_FEEDBACK";

    private H2Feedback() {
    }

    // ------------------------------------------------------------------ AUGUR functions

    public static int recordPrediction(Connection c, String model, String key, Double score) throws SQLException {
        return recordPrediction(c, model, key, score, null, null);
    }

    public static int recordPrediction(Connection c, String model, String key, Double score, Integer version) throws SQLException {
        return recordPrediction(c, model, key, score, version, null);
    }

    /** Records a served prediction (version: the deployed one when NULL; time: now when NULL); returns its version. */
    public static int recordPrediction(Connection c, String model, String key, Double score, Integer version, OffsetDateTime at)
            throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            try {
                String m = Names.checkModelName(model);
                checkScore(m, score);
                // a model with more than two classes is refused by the served log's trigger (checkServed)
                return record(c, m, key, version, at, v -> new ServedValue(score, null));
            } catch (AugurException e) {
                throw Predictions.sql(e);
            }
        });
    }

    public static int recordPredictionProba(Connection c, String model, String key, Double[] probabilities) throws SQLException {
        return recordPredictionProba(c, model, key, probabilities, null, null);
    }

    public static int recordPredictionProba(Connection c, String model, String key, Double[] probabilities, Integer version)
            throws SQLException {
        return recordPredictionProba(c, model, key, probabilities, version, null);
    }

    /**
     * Records a served prediction as the probability of each of the model's classes, in its order: with more than two
     * classes the vector (and its largest as the score), for a binary classifier the second class's (RECORD_PREDICTION's
     * score). Returns its version.
     */
    public static int recordPredictionProba(Connection c, String model, String key, Double[] probabilities, Integer version,
                                            OffsetDateTime at) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            try {
                String m = Names.checkModelName(model);
                return record(c, m, key, version, at, v -> {
                    List<String> classes = new CatalogStore(c).load(new CatalogStore(c).version(m, v)).classes();
                    if (classes.isEmpty()) {
                        throw Errors.invalidParameter("model '" + m + "' is a regressor: it has no class probabilities; record its"
                                + " value with AUGUR.RECORD_PREDICTION");
                    }
                    double[] p = LiveMetrics.checkProbabilities(m, classes, probabilities);
                    return LiveMetrics.multiclass(classes) ? new ServedValue(p[LiveMetrics.predicted(p)], probabilities)
                            : new ServedValue(p[1], null);
                });
            } catch (AugurException e) {
                throw Predictions.sql(e);
            }
        });
    }

    /** RECORD_PREDICTION's score: a finite number (22023 otherwise). */
    private static void checkScore(String m, Double score) {
        if (score == null || !Double.isFinite(score)) {
            throw Errors.invalidParameter("the served score of model '" + m + "' must be a finite number, got " + score);
        }
    }

    /**
     * Records many served predictions of model {@code m} version {@code version}, all served at {@code at}, as
     * RECORD_PREDICTION(m, key, score, version, at) records each (a prediction view's log, {@link ViewServedLog}): the
     * same checks (a key, a finite score, a version served by one score: {@link #checkServed}), the same experiment (that
     * of an explicit version), the same INSERT into the served log, and the same work of its trigger, monitoring and
     * feedback, the monitoring's counts and detector done once per batch of rows instead of once per row
     * ({@link H2Monitor#counted}). Everything is checked before the first row is written.
     */
    static void recordServed(Connection c, String m, int version, List<String> keys, double[] scores, OffsetDateTime at) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try {
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                if (key == null) {
                    throw new AugurException("22004", "the served prediction's key is NULL; record the key it was served for");
                }
                if (key.length() > MAX_KEY) {
                    throw new AugurException("22001", "the served prediction's key is " + key.length() + " characters long, and the"
                            + " served log (AUGUR.SERVED_PREDICTIONS.KEY_TEXT) takes keys of at most " + MAX_KEY + ": "
                            + Errors.abbreviate(key, 40));
                }
                checkScore(m, scores[i]);
            }
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
        checkServed(c, m, version, scores[0], null);
        Long experiment = H2Experiments.experimentOf(c, m, version);
        long atUs = micros(at);
        // one INSERT per batch, of its keys and scores as arrays (rows in array order: the order they are recorded in)
        PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE,"
                + " EXPERIMENT, SERVED_AT) SELECT ?, T.K, ?, T.S, ?, ? FROM UNNEST(CAST(? AS VARCHAR(1000) ARRAY),"
                + " CAST(? AS DOUBLE PRECISION ARRAY)) WITH ORDINALITY AS T(K, S, N) ORDER BY T.N");
        Deferred batch = new Deferred(H2Internals.transaction(c), m, version, atUs, Math.min(BATCH, keys.size()));
        for (int from = 0; from < keys.size(); from += BATCH) {
            int to = Math.min(keys.size(), from + BATCH);
            Double[] chunk = new Double[to - from];
            for (int i = from; i < to; i++) {
                chunk[i - from] = scores[i];
            }
            ps.setString(1, m);
            ps.setInt(2, version);
            ps.setObject(3, experiment);
            ps.setObject(4, at);
            ps.setObject(5, keys.subList(from, to).toArray(new String[0]));
            ps.setObject(6, chunk);
            batch.n = 0;
            DEFERRED.set(batch);
            try {
                ps.executeUpdate();
            } finally {
                DEFERRED.remove();
            }
            if (batch.n != to - from) {
                throw new SQLException("the served log's trigger saw " + batch.n + " of the " + (to - from) + " rows inserted into"
                        + " AUGUR.SERVED_PREDICTIONS; is trigger " + SERVED_TRIGGER + " there?", "XX000");
            }
            // the trigger's work, for the batch: the monitoring's counts and detector at once (in the order the rows were
            // recorded), then row by row what a label may move: the alpha_t a row is served with, the labels of its key
            H2Monitor.counted(c, batch.ids, m, version, batch.scores, batch.n, atUs);
            for (int i = 0; i < batch.n; i++) {
                H2Monitor.servedWithAlphas(c, batch.ids[i], m, version);
                served(c, m, batch.keys[i], atUs);
            }
        }
    }

    /** The longest key the served log takes (AUGUR.SERVED_PREDICTIONS.KEY_TEXT, V5). */
    private static final int MAX_KEY = 1000;
    /** Rows per INSERT batch of {@link #recordServed}, and per batch of its trigger work. */
    private static final int BATCH = 1000;

    /** The rows of one batch of {@link #recordServed}: the trigger keeps their ids, and leaves their work to the batch. */
    private static final class Deferred {
        final Object transaction;
        final String model;
        final int version;
        final long atUs;
        final long[] ids;
        final String[] keys;
        final double[] scores;
        int n;

        Deferred(Object transaction, String model, int version, long atUs, int capacity) {
            this.transaction = transaction;
            this.model = model;
            this.version = version;
            this.atUs = atUs;
            this.ids = new long[capacity];
            this.keys = new String[capacity];
            this.scores = new double[capacity];
        }

        /** Takes a row its batch inserted (same transaction, model, version and time), in the order inserted; false for any other row. */
        boolean take(Connection c, Object[] row) throws SQLException {
            if (transaction != H2Internals.transaction(c) || !model.equals(row[1]) || version != ((Number) row[3]).intValue()
                    || atUs != micros(row[5]) || n == ids.length) {
                return false;
            }
            ids[n] = ((Number) row[0]).longValue();
            keys[n] = (String) row[2];
            scores[n++] = ((Number) row[4]).doubleValue();
            return true;
        }
    }

    /** The batch {@link #recordServed} is inserting on this thread, if any. */
    private static final ThreadLocal<Deferred> DEFERRED = new ThreadLocal<>();

    /** What a served prediction records of its version: the score and, with more than two classes, the probabilities. */
    private record ServedValue(double score, Double[] probabilities) {
    }

    private interface ServedOf {
        ServedValue of(int version) throws SQLException;
    }

    /** Inserts a served prediction of model {@code m} for {@code key}, by the version given or routed; returns the version. */
    private static int record(Connection c, String m, String key, Integer version, OffsetDateTime at, ServedOf value) throws SQLException {
        if (key == null) {
            throw new AugurException("22004", "the served prediction's key is NULL; record the key it was served for");
        }
        // no version: the key's routing (its model's experiment, else the deployed version)
        H2Experiments.Routed r = version == null ? H2Experiments.routed(c, m, key)
                : new H2Experiments.Routed(new CatalogStore(c).version(m, version).version(), H2Experiments.experimentOf(c, m, version));
        int v = r.version();
        ServedValue served = value.of(v);
        PreparedStatement ps = SessionStatements.of(c, at == null
                ? "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE, EXPERIMENT, PROBABILITIES) VALUES (?, ?, ?, ?, ?, ?)"
                : "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE, EXPERIMENT, PROBABILITIES, SERVED_AT)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, m);
        ps.setString(2, key);
        ps.setInt(3, v);
        ps.setDouble(4, served.score());
        ps.setObject(5, r.experiment());
        ps.setObject(6, served.probabilities());
        if (at != null) {
            ps.setObject(7, at);
        }
        ps.executeUpdate();
        return v;
    }

    /** What a version's classes are read from: {@link #checkServed} reads them once per session until it changes. */
    private static final String[] CLASSES_FROM = {"AUGUR.MODELS"};

    /**
     * The served log's check of each row, however it was inserted: a version with more than two classes records one
     * probability per class (LiveMetrics.checkProbabilities) with the largest as its score; other versions none. A row
     * naming a version not in the catalog is taken as it is (nothing to check it against).
     */
    static void checkServed(Connection c, String model, int version, double score, Object[] probabilities) throws SQLException {
        List<String> classes = H2Internals.sessionCached(c, "feedback.classes", model + "@" + version, CLASSES_FROM, () -> {
            CatalogStore store = new CatalogStore(c);
            try {
                return store.load(store.version(model, version)).classes();
            } catch (AugurException e) {
                return null;
            }
        });
        if (classes == null) {
            return;
        }
        try {
            if (!LiveMetrics.multiclass(classes)) {
                if (probabilities != null) {
                    throw Errors.invalidParameter("model '" + model + "' version " + version + " has " + classes.size() + " classes:"
                            + " its served score says it all; record no probabilities (AUGUR.RECORD_PREDICTION)");
                }
                return;
            }
            if (probabilities == null) {
                throw Errors.invalidParameter("model '" + model + "' version " + version + " has " + classes.size() + " classes ("
                        + String.join(", ", classes) + "): record the probability of each with AUGUR.RECORD_PREDICTION_PROBA, not one score");
            }
            Double[] boxed = new Double[probabilities.length];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = probabilities[i] == null ? null : ((Number) probabilities[i]).doubleValue();
            }
            double[] p = LiveMetrics.checkProbabilities(model, classes, boxed);
            double top = p[LiveMetrics.predicted(p)];
            if (!(Math.abs(score - top) <= 1e-9)) {
                throw Errors.invalidParameter("the served score of model '" + model + "' must be its largest probability, " + top
                        + ", got " + score);
            }
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
    }

    public static int createFeedback(Connection c, String name, String model, String labels, String key, String label)
            throws SQLException {
        return createFeedback(c, name, model, labels, key, label, null, null, null);
    }

    public static int createFeedback(Connection c, String name, String model, String labels, String key, String label, String at)
            throws SQLException {
        return createFeedback(c, name, model, labels, key, label, at, null, null);
    }

    public static int createFeedback(Connection c, String name, String model, String labels, String key, String label, String at,
                                     Double implicitAfterSeconds) throws SQLException {
        return createFeedback(c, name, model, labels, key, label, at, implicitAfterSeconds, null);
    }

    /**
     * Joins every row of {@code labels} (those there now and those inserted later) to the predictions of {@code model}
     * served for its key before its time; returns the number of labels there now.
     */
    public static int createFeedback(Connection c, String rawName, String rawModel, String labels, String key, String label,
                                     String at, Double implicitAfterSeconds, Double windowSeconds) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            try {
                if (rawName == null || !Names.isIdentifier(rawName)) {
                    throw Errors.invalidName("feedback", String.valueOf(rawName));
                }
                String name = rawName.toLowerCase(Locale.ROOT);
                String model = Names.checkModelName(rawModel);
                for (String id : Arrays.asList(labels, key, label)) {
                    identifier(id);
                }
                if (at != null) {
                    identifier(at);
                }
                if (load(c, name) != null) {
                    throw new AugurException(Errors.DUPLICATE_OBJECT, "feedback '" + name + "' already exists; drop it first"
                            + " (DROP FEEDBACK " + name + ")");
                }
                CatalogStore store = new CatalogStore(c);
                List<Integer> versions = store.versions(model);
                if (versions.isEmpty()) {
                    throw Errors.unknownModel(model, store.modelNames());
                }
                CatalogStore.VersionRef ref = store.deployed(model);
                Model m = store.load(ref != null ? ref : store.version(model, versions.get(versions.size() - 1)));
                ModelKind kind = m.kind();
                LiveMetrics.Target target;
                if (!kind.isClassifier()) {
                    target = LiveMetrics.Target.VALUE;
                } else {
                    target = LiveMetrics.Target.CLASS;
                }
                Long implicitUs = implicitAfterSeconds == null ? null : FeedbackRule.intervalMicros("IMPLICIT NEGATIVE AFTER", implicitAfterSeconds);
                if (implicitUs != null && target == LiveMetrics.Target.VALUE) {
                    throw Errors.invalidParameter("IMPLICIT NEGATIVE needs a classifier; model '" + model + "' is "
                            + kind.sqlName() + " (a regressor has no negative class): leave the clause out");
                }
                if (implicitUs != null && LiveMetrics.multiclass(m.classes())) {
                    throw Errors.invalidParameter("IMPLICIT NEGATIVE needs a binary classifier; model '" + model + "' has "
                            + m.classes().size() + " classes (" + String.join(", ", m.classes()) + "), none of them the negative"
                            + " one: leave the clause out");
                }
                long windowUs = FeedbackRule.intervalMicros("WINDOW",
                        windowSeconds == null ? FeedbackRule.DEFAULT_WINDOW_SECONDS : windowSeconds);
                checkLabelTable(c, name, labels, key, label, at);
                {
                    PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.FEEDBACKS (NAME, MODEL, LABEL_TABLE, KEY_COLUMN,"
                        + " LABEL_COLUMN, AT_COLUMN, TARGET, CLASSES, IMPLICIT_AFTER_US, WINDOW_US) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    ps.setString(1, name);
                    ps.setString(2, model);
                    ps.setString(3, labels);
                    ps.setString(4, key);
                    ps.setString(5, label);
                    ps.setString(6, at);
                    ps.setString(7, target.sqlName());
                    ps.setString(8, target == LiveMetrics.Target.CLASS ? String.join("\n", m.classes()) : null);
                    ps.setObject(9, implicitUs);
                    ps.setLong(10, windowUs);
                    ps.executeUpdate();
                }
                Definition def = load(c, name);
                int n = 0;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + key + ", " + label
                        + (at == null ? "" : ", " + at) + " FROM " + labels)) {
                    List<Object[]> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(new Object[]{rs.getObject(1), rs.getObject(2), at == null ? null : rs.getObject(3)});
                    }
                    for (Object[] r : rows) {
                        received(c, def, r[0], r[1], r[2]);
                        n++;
                    }
                }
                // DDL commits on H2: the trigger comes last, after everything that may fail
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TRIGGER " + name + LABEL_TRIGGER_SUFFIX + " AFTER INSERT ON " + labels
                            + " FOR EACH ROW CALL '" + LabelTrigger.class.getName() + "'");
                }
                forget(c);
                return n;
            } catch (AugurException e) {
                throw Predictions.sql(e);
            }
        });
    }

    /** Drops a feedback: its trigger, labels and metrics (the served log stays); returns 1. */
    public static int dropFeedback(Connection c, String rawName) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            String name = rawName == null ? null : rawName.toLowerCase(Locale.ROOT);
            if (name == null || !Names.isIdentifier(name) || load(c, name) == null) {
                throw Predictions.sql(unknownFeedback(c, String.valueOf(rawName)));
            }
            H2Experiments.refuseFeedbackDrop(c, name);
            {
                PreparedStatement ps = SessionStatements.of(c, "DELETE FROM AUGUR.FEEDBACKS WHERE NAME = ?");
                ps.setString(1, name);
                ps.executeUpdate();
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER IF EXISTS " + name + LABEL_TRIGGER_SUFFIX);
            }
            forget(c);
            return 1;
        });
    }

    private static AugurException unknownFeedback(Connection c, String name) throws SQLException {
        List<String> known = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT NAME FROM AUGUR.FEEDBACKS ORDER BY NAME")) {
            while (rs.next()) {
                known.add(rs.getString(1));
            }
        }
        return new AugurException(Errors.UNDEFINED_OBJECT, "feedback '" + name + "' does not exist; known feedbacks: "
                + (known.isEmpty() ? "none (CREATE FEEDBACK name FOR MODEL m FROM labels KEY k LABEL y)" : String.join(", ", known)));
    }

    private static void identifier(String s) {
        if (s == null || !s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new AugurException(Errors.INVALID_NAME, "invalid identifier '" + s + "': use a plain table or column name");
        }
    }

    /** The label table with its key, label and time columns; the time a TIMESTAMP [WITH TIME ZONE] (42804 otherwise). */
    private static void checkLabelTable(Connection c, String name, String table, String key, String label, String at) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT " + key + ", " + label + (at == null ? "" : ", " + at) + " FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException e) {
            boolean noTable = "42S02".equals(e.getSQLState()) || "42S04".equals(e.getSQLState());
            throw new AugurException(noTable ? "42P01" : "42703", "feedback '" + name + "' cannot read " + key + ", " + label
                    + (at == null ? "" : ", " + at) + " from " + table + ": " + e.getMessage().split("\n")[0]);
        }
        if (at == null) {
            return;
        }
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(TABLE_NAME) = UPPER(?)"
                + " AND UPPER(COLUMN_NAME) = UPPER(?) AND TABLE_SCHEMA <> 'INFORMATION_SCHEMA'");
            ps.setString(1, table);
            ps.setString(2, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // upper case, except in a database that lower-cases its names (DATABASE_TO_LOWER, as augur serve opens them)
                    String type = rs.getString(1).toUpperCase(Locale.ROOT);
                    if (!type.equals("TIMESTAMP") && !type.equals("TIMESTAMP WITH TIME ZONE")) {
                        throw new AugurException(Errors.DATATYPE_MISMATCH, "feedback '" + name + "': the label time " + table + "." + at
                                + " is " + type + ", not a timestamp; make it TIMESTAMP WITH TIME ZONE (or TIMESTAMP), or leave AT out"
                                + " to time labels when they are inserted");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ maintenance

    /** A feedback's definition, as stored in AUGUR.FEEDBACKS (the clock apart: it moves). */
    record Definition(String name, String model, String atColumn, LiveMetrics.Target target, List<String> classes,
                      Long implicitAfterUs, long windowUs) {
    }

    static Definition load(Connection c, String name) throws SQLException {
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT MODEL, AT_COLUMN, TARGET, CLASSES, IMPLICIT_AFTER_US, WINDOW_US"
                + " FROM AUGUR.FEEDBACKS WHERE NAME = ?");
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String classes = rs.getString(4);
                long implicit = rs.getLong(5);
                Long implicitUs = rs.wasNull() ? null : implicit;
                return new Definition(name, rs.getString(1), rs.getString(2), LiveMetrics.Target.fromSqlName(rs.getString(3)),
                        classes == null ? List.of() : List.of(classes.split("\n", -1)), implicitUs, rs.getLong(6));
            }
        }
    }

    /**
     * What the served trigger needs per database, kept in memory (an H2 database is open in one process): the
     * feedbacks of each model (cleared on CREATE and DROP FEEDBACK, whose DDL commits), and per feedback an upper bound
     * of its labels' times (raised by every label received, committed or not), so that a prediction served after every
     * label (the usual case: served now, labelled later) costs no query.
     */
    private static final Map<Object, Map<String, List<Definition>>> FEEDBACKS_OF_MODEL = new java.util.WeakHashMap<>();
    private static final Map<Object, Map<String, Long>> LATEST_LABEL = new java.util.WeakHashMap<>();

    private static void forget(Connection c) {
        synchronized (FEEDBACKS_OF_MODEL) {
            FEEDBACKS_OF_MODEL.remove(H2Internals.database(c));
            LATEST_LABEL.remove(H2Internals.database(c));
        }
    }

    private static List<Definition> cachedOfModel(Connection c, String model) throws SQLException {
        Map<String, List<Definition>> byModel;
        synchronized (FEEDBACKS_OF_MODEL) {
            byModel = FEEDBACKS_OF_MODEL.computeIfAbsent(H2Internals.database(c), d -> new java.util.concurrent.ConcurrentHashMap<>());
        }
        List<Definition> defs = byModel.get(model);
        if (defs == null) {
            defs = List.copyOf(ofModel(c, model));
            byModel.put(model, defs);
        }
        return defs;
    }

    /** An upper bound of the times of feedback {@code f}'s labels (Long.MIN_VALUE: none). */
    private static long latestLabel(Connection c, String feedback) throws SQLException {
        Map<String, Long> bounds;
        synchronized (FEEDBACKS_OF_MODEL) {
            bounds = LATEST_LABEL.computeIfAbsent(H2Internals.database(c), d -> new java.util.concurrent.ConcurrentHashMap<>());
        }
        Long bound = bounds.get(feedback);
        if (bound == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(LABEL_AT) FROM AUGUR.FEEDBACK_LABELS WHERE FEEDBACK = ?")) {
                ps.setString(1, feedback);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                    bound = t == null ? Long.MIN_VALUE : micros(t);
                }
            }
            bounds.merge(feedback, bound, Math::max);
        }
        return bounds.get(feedback);
    }

    private static void labelSeen(Connection c, String feedback, long atUs) throws SQLException {
        latestLabel(c, feedback);
        synchronized (FEEDBACKS_OF_MODEL) {
            LATEST_LABEL.get(H2Internals.database(c)).merge(feedback, atUs, Math::max);
        }
    }

    private static List<Definition> ofModel(Connection c, String model) throws SQLException {
        List<String> names = new ArrayList<>();
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT NAME FROM AUGUR.FEEDBACKS WHERE MODEL = ? ORDER BY NAME");
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        List<Definition> out = new ArrayList<>();
        for (String n : names) {
            out.add(load(c, n));
        }
        return out;
    }

    /** One label row received: stored, its key resolved again, and (with implicit negatives) the clock moved on. */
    static void received(Connection c, Definition f, Object key, Object label, Object at) throws SQLException {
        if (key == null) {
            throw new SQLException("a label for feedback '" + f.name() + "' has a NULL key; give every label the key of its prediction", "22004");
        }
        if (label == null) {
            throw new SQLException("the label for key " + key + " of feedback '" + f.name() + "' is NULL; insert the class (or value)"
                    + " that came true", "22004");
        }
        long atUs;
        if (f.atColumn() == null) {
            atUs = micros(OffsetDateTime.now());
        } else if (at == null) {
            throw new SQLException("the label for key " + key + " of feedback '" + f.name() + "' has a NULL time (" + f.atColumn()
                    + "); give every label its time", "22004");
        } else {
            atUs = micros(at);
        }
        String keyText = SgdTrainer.labelText(key);
        String labelText = SgdTrainer.labelText(label);
        labelSeen(c, f.name(), atUs);
        try {
            if (f.target() == LiveMetrics.Target.CLASS) {
                LiveMetrics.classIndex(f.classes(), labelText);
            } else {
                LiveMetrics.value(labelText);
            }
        } catch (AugurException e) {
            throw new SQLException("feedback '" + f.name() + "', key " + keyText + ": " + e.getMessage(), e.sqlState(), e);
        }
        Incoming incoming = new Incoming(labelText, atUs);
        if (f.implicitAfterUs() == null) {
            resolveKey(c, f, keyText, null, incoming);
            return;
        }
        Long clock = clock(c, f.name());
        if (clock != null && atUs <= clock) {
            resolveKey(c, f, keyText, clock, incoming);
            return;
        }
        {
            PreparedStatement ps = SessionStatements.of(c, "UPDATE AUGUR.FEEDBACKS SET CLOCK = ? WHERE NAME = ?");
            ps.setObject(1, timestamp(atUs));
            ps.setString(2, f.name());
            ps.executeUpdate();
        }
        // the served predictions whose interval ended between the old clock and the new one: their keys resolve again
        resolveKey(c, f, keyText, atUs, incoming);
        Set<String> keys = new LinkedHashSet<>();
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT DISTINCT KEY_TEXT FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = ?"
                + " AND SERVED_AT > ? AND SERVED_AT <= ?");
            ps.setString(1, f.model());
            ps.setObject(2, clock == null ? OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC) : timestamp(clock - f.implicitAfterUs()));
            ps.setObject(3, timestamp(atUs - f.implicitAfterUs()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(1).equals(keyText)) {
                        keys.add(rs.getString(1));
                    }
                }
            }
        }
        for (String k : keys) {
            resolveKey(c, f, k, atUs, null);
        }
    }

    private static Long clock(Connection c, String feedback) throws SQLException {
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT CLOCK FROM AUGUR.FEEDBACKS WHERE NAME = ?");
            ps.setString(1, feedback);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return t == null ? null : micros(t);
            }
        }
    }

    /** A served prediction was recorded: the keys of feedbacks on its model that it may change resolve again. */
    static void served(Connection c, String model, String keyText, long servedAtUs) throws SQLException {
        for (Definition f : cachedOfModel(c, model)) {
            if (servedAtUs > latestLabel(c, f.name())) {
                continue; // no label at or after it, and no implicit negative due (the clock is a label's time)
            }
            Long clock = f.implicitAfterUs() == null ? null : clock(c, f.name());
            boolean implicitDue = clock != null && servedAtUs + f.implicitAfterUs() <= clock;
            boolean labelled;
            {
                PreparedStatement ps = SessionStatements.of(c, "SELECT 1 FROM AUGUR.FEEDBACK_LABELS WHERE FEEDBACK = ? AND KEY_TEXT = ?"
                    + " AND LABEL_AT >= ? LIMIT 1");
                ps.setString(1, f.name());
                ps.setString(2, keyText);
                ps.setObject(3, timestamp(servedAtUs));
                try (ResultSet rs = ps.executeQuery()) {
                    labelled = rs.next();
                }
            }
            if (labelled || implicitDue) {
                resolveKey(c, f, keyText, clock, null);
            }
        }
    }

    /** The label being received: stored once its outcome is known (one INSERT, no UPDATE after). */
    private record Incoming(String label, long atUs) {
    }

    /** It arrived after every stored label: the rule breaks its ties by arrival. */
    private static final long INCOMING_SEQ = Long.MAX_VALUE;

    private record StoredLabel(long seq, String label, long atUs, boolean implicit, String outcome, Long servedId) {
    }

    /** Applies {@link FeedbackRule#resolve} to one key: outcomes updated, implicit negatives added or removed, metrics moved. */
    private static void resolveKey(Connection c, Definition f, String keyText, Long clock, Incoming incoming) throws SQLException {
        Map<Long, FeedbackRule.Served> served = new HashMap<>();
        Map<Long, Long> experiments = new HashMap<>(); // served id -> the experiment that routed it
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT ID, MODEL_VERSION, SCORE, SERVED_AT, EXPERIMENT, PROBABILITIES"
                + " FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = ? AND KEY_TEXT = ?");
            ps.setString(1, f.model());
            ps.setString(2, keyText);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Array probabilities = rs.getArray(6);
                    served.put(rs.getLong(1), new FeedbackRule.Served(rs.getLong(1), rs.getInt(2), rs.getDouble(3),
                            micros(rs.getObject(4, OffsetDateTime.class)), probabilities == null ? null
                            : Arrays.stream((Object[]) probabilities.getArray()).mapToDouble(o -> ((Number) o).doubleValue()).toArray()));
                    long experiment = rs.getLong(5);
                    if (!rs.wasNull()) {
                        experiments.put(rs.getLong(1), experiment);
                    }
                }
            }
        }
        List<StoredLabel> stored = new ArrayList<>();
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT SEQ, LABEL, LABEL_AT, IMPLICIT, OUTCOME, SERVED_ID FROM AUGUR.FEEDBACK_LABELS"
                + " WHERE FEEDBACK = ? AND KEY_TEXT = ?");
            ps.setString(1, f.name());
            ps.setString(2, keyText);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long sid = rs.getLong(6);
                    stored.add(new StoredLabel(rs.getLong(1), rs.getString(2), micros(rs.getObject(3, OffsetDateTime.class)),
                            rs.getBoolean(4), rs.getString(5), rs.wasNull() ? null : sid));
                }
            }
        }
        List<FeedbackRule.Label> real = new ArrayList<>();
        for (StoredLabel s : stored) {
            if (!s.implicit()) {
                real.add(new FeedbackRule.Label(s.seq(), s.label(), s.atUs()));
            }
        }
        if (incoming != null) {
            real.add(new FeedbackRule.Label(INCOMING_SEQ, incoming.label(), incoming.atUs()));
        }
        FeedbackRule.Resolution r = FeedbackRule.resolve(new ArrayList<>(served.values()), real, f.implicitAfterUs(), clock);
        if (incoming != null) {
            FeedbackRule.Resolved now = r.labels().get(INCOMING_SEQ);
            PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.FEEDBACK_LABELS (FEEDBACK, KEY_TEXT, LABEL, LABEL_AT,"
                    + " IMPLICIT, OUTCOME, SERVED_ID) VALUES (?, ?, ?, ?, FALSE, ?, ?)");
            ps.setString(1, f.name());
            ps.setString(2, keyText);
            ps.setString(3, incoming.label());
            ps.setObject(4, timestamp(incoming.atUs()));
            ps.setString(5, now.outcome().sqlName());
            ps.setObject(6, now.servedId());
            ps.executeUpdate();
            if (now.outcome() == FeedbackRule.Outcome.JOINED) {
                contribute(c, f, experiments, served.get(now.servedId()), incoming.label(), +1);
                errorSeen(c, f, served.get(now.servedId()), incoming.label(), incoming.atUs());
            }
        }
        Map<Long, Long> implicitWanted = new HashMap<>(r.implicit());
        for (StoredLabel s : stored) {
            boolean wasJoined = s.outcome().equals("joined");
            if (s.implicit()) {
                if (implicitWanted.remove(s.servedId()) == null) {
                    contribute(c, f, experiments, served.get(s.servedId()), s.label(), -1);
                    {
                        PreparedStatement ps = SessionStatements.of(c, "DELETE FROM AUGUR.FEEDBACK_LABELS WHERE SEQ = ?");
                        ps.setLong(1, s.seq());
                        ps.executeUpdate();
                    }
                }
                continue;
            }
            FeedbackRule.Resolved now = r.labels().get(s.seq());
            boolean isJoined = now.outcome() == FeedbackRule.Outcome.JOINED;
            boolean sameTarget = java.util.Objects.equals(now.servedId(), s.servedId());
            if (wasJoined && (!isJoined || !sameTarget)) {
                contribute(c, f, experiments, served.get(s.servedId()), s.label(), -1);
            }
            if (isJoined && (!wasJoined || !sameTarget)) {
                contribute(c, f, experiments, served.get(now.servedId()), s.label(), +1);
            }
            if (!now.outcome().sqlName().equals(s.outcome()) || !sameTarget) {
                {
                    PreparedStatement ps = SessionStatements.of(c, "UPDATE AUGUR.FEEDBACK_LABELS SET OUTCOME = ?, SERVED_ID = ? WHERE SEQ = ?");
                    ps.setString(1, now.outcome().sqlName());
                    ps.setObject(2, now.servedId());
                    ps.setLong(3, s.seq());
                    ps.executeUpdate();
                }
            }
        }
        for (Map.Entry<Long, Long> e : implicitWanted.entrySet()) {
            String negative = f.classes().get(0);
            {
                PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.FEEDBACK_LABELS (FEEDBACK, KEY_TEXT, LABEL, LABEL_AT,"
                    + " IMPLICIT, OUTCOME, SERVED_ID) VALUES (?, ?, ?, ?, TRUE, 'joined', ?)");
                ps.setString(1, f.name());
                ps.setString(2, keyText);
                ps.setString(3, negative);
                ps.setObject(4, timestamp(e.getValue()));
                ps.setLong(5, e.getKey());
                ps.executeUpdate();
            }
            contribute(c, f, experiments, served.get(e.getKey()), negative, +1);
            errorSeen(c, f, served.get(e.getKey()), negative, e.getValue());
        }
    }

    /**
     * A label joined as it arrived (or an implicit negative fell due): the realized error's detector sees it once, in
     * arrival order (a later re-resolution that moves a label does not feed the detector again).
     */
    private static void errorSeen(Connection c, Definition f, FeedbackRule.Served s, String label, long labelAtUs) throws SQLException {
        H2Monitor.labelJoined(c, f.name(), f.model(), f.target(), f.classes(), f.windowUs(), s, labelAtUs, label);
    }

    /** Adds ({@code sign} 1) or removes (-1) one joined pair's terms in its version's window. */
    private static void contribute(Connection c, Definition f, Map<Long, Long> experiments, FeedbackRule.Served s, String label, int sign)
            throws SQLException {
        if (s == null) {
            throw new SQLException("a served prediction that feedback '" + f.name() + "' joined is gone from AUGUR.SERVED_PREDICTIONS;"
                    + " the served log is append-only: drop and create the feedback again", "55000");
        }
        LiveMetrics.Terms t;
        try {
            t = LiveMetrics.terms(f.target(), f.classes(), s.score(), s.probabilities(), label);
        } catch (AugurException e) {
            throw new SQLException("feedback '" + f.name() + "', served prediction " + s.id() + ": " + e.getMessage(), e.sqlState(), e);
        }
        OffsetDateTime window = timestamp(FeedbackRule.windowStart(s.servedAtMicros(), f.windowUs()));
        int updated;
        {
            PreparedStatement ps = SessionStatements.of(c, "UPDATE AUGUR.FEEDBACK_METRICS SET N = N + ?, CORRECT = CORRECT + ?,"
                + " LOG_LOSS_SUM = LOG_LOSS_SUM + ?, BRIER_SUM = BRIER_SUM + ?, ABS_ERROR_SUM = ABS_ERROR_SUM + ?,"
                + " SQUARED_ERROR_SUM = SQUARED_ERROR_SUM + ? WHERE FEEDBACK = ? AND MODEL_VERSION = ? AND WINDOW_START = ?");
            ps.setLong(1, sign);
            ps.setLong(2, sign * t.correct());
            ps.setDouble(3, sign * t.logLoss());
            ps.setDouble(4, sign * t.brier());
            ps.setDouble(5, sign * t.absError());
            ps.setDouble(6, sign * t.squaredError());
            ps.setString(7, f.name());
            ps.setInt(8, s.version());
            ps.setObject(9, window);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            {
                PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.FEEDBACK_METRICS (FEEDBACK, MODEL_VERSION, WINDOW_START, N,"
                    + " CORRECT, LOG_LOSS_SUM, BRIER_SUM, ABS_ERROR_SUM, SQUARED_ERROR_SUM) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)");
                ps.setString(1, f.name());
                ps.setInt(2, s.version());
                ps.setObject(3, window);
                ps.setLong(4, t.correct());
                ps.setDouble(5, t.logLoss());
                ps.setDouble(6, t.brier());
                ps.setDouble(7, t.absError());
                ps.setDouble(8, t.squaredError());
                ps.executeUpdate();
            }
        } else if (sign < 0) {
            deleteEmpty(c, "AUGUR.FEEDBACK_METRICS", f.name(), s.version(), window, null);
        }
        Long experiment = experiments.get(s.id());
        if (experiment != null) {
            H2Experiments.rewarded(c, f, experiment, s.version(), t, sign);
        }
        if (f.target() != LiveMetrics.Target.CLASS) {
            return;
        }
        {
            PreparedStatement ps = SessionStatements.of(c, "UPDATE AUGUR.FEEDBACK_CALIBRATION SET N = N + ?, SCORE_SUM = SCORE_SUM + ?,"
                + " POSITIVES = POSITIVES + ? WHERE FEEDBACK = ? AND MODEL_VERSION = ? AND WINDOW_START = ? AND BIN = ?");
            ps.setLong(1, sign);
            ps.setDouble(2, sign * t.confidence());
            ps.setLong(3, sign * t.positive());
            ps.setString(4, f.name());
            ps.setInt(5, s.version());
            ps.setObject(6, window);
            ps.setInt(7, t.bin());
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            {
                PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.FEEDBACK_CALIBRATION (FEEDBACK, MODEL_VERSION, WINDOW_START,"
                    + " BIN, N, SCORE_SUM, POSITIVES) VALUES (?, ?, ?, ?, 1, ?, ?)");
                ps.setString(1, f.name());
                ps.setInt(2, s.version());
                ps.setObject(3, window);
                ps.setInt(4, t.bin());
                ps.setDouble(5, t.confidence());
                ps.setLong(6, t.positive());
                ps.executeUpdate();
            }
        } else if (sign < 0) {
            deleteEmpty(c, "AUGUR.FEEDBACK_CALIBRATION", f.name(), s.version(), window, t.bin());
        }
    }

    /** A window (or bin) whose last pair left is removed, as a batch recomputation would not have it. */
    private static void deleteEmpty(Connection c, String table, String feedback, int version, OffsetDateTime window, Integer bin)
            throws SQLException {
        {
            PreparedStatement ps = SessionStatements.of(c, "DELETE FROM " + table + " WHERE FEEDBACK = ? AND MODEL_VERSION = ?"
                + " AND WINDOW_START = ? AND N = 0" + (bin == null ? "" : " AND BIN = ?"));
            ps.setString(1, feedback);
            ps.setInt(2, version);
            ps.setObject(3, window);
            if (bin != null) {
                ps.setInt(4, bin);
            }
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ time

    /** Epoch microseconds of a timestamp as H2 hands it to a trigger or a result (TIMESTAMP: in the JVM's time zone). */
    static long micros(Object t) throws SQLException {
        Instant i;
        if (t instanceof OffsetDateTime o) {
            i = o.toInstant();
        } else if (t instanceof ZonedDateTime z) {
            i = z.toInstant();
        } else if (t instanceof Instant x) {
            i = x;
        } else if (t instanceof LocalDateTime l) {
            i = l.atZone(ZoneId.systemDefault()).toInstant();
        } else if (t instanceof java.sql.Timestamp ts) {
            i = ts.toInstant();
        } else {
            throw new SQLException("a label time must be a timestamp, got " + t.getClass().getSimpleName() + " " + t, Errors.DATATYPE_MISMATCH);
        }
        return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    static OffsetDateTime timestamp(long micros) {
        return OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    // ------------------------------------------------------------------ triggers

    /** Each label inserted into a feedback's label table. */
    public static final class LabelTrigger implements Trigger {
        private Definition def;
        private int keyPos;
        private int labelPos;
        private int atPos = -1;

        @Override
        public void init(Connection c, String schema, String trigger, String table, boolean before, int type) throws SQLException {
            String name = trigger.substring(0, trigger.length() - LABEL_TRIGGER_SUFFIX.length()).toLowerCase(Locale.ROOT);
            def = load(c, name);
            if (def == null) {
                return;
            }
            String[] cols = columns(c, name);
            Map<String, Integer> pos = H2Views.columnPositions(c, schema, table);
            keyPos = pos.get(cols[0].toUpperCase(Locale.ROOT));
            labelPos = pos.get(cols[1].toUpperCase(Locale.ROOT));
            if (cols[2] != null) {
                atPos = pos.get(cols[2].toUpperCase(Locale.ROOT));
            }
        }

        private static String[] columns(Connection c, String name) throws SQLException {
            {
                PreparedStatement ps = SessionStatements.of(c, "SELECT KEY_COLUMN, LABEL_COLUMN, AT_COLUMN FROM AUGUR.FEEDBACKS WHERE NAME = ?");
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new String[]{rs.getString(1), rs.getString(2), rs.getString(3)};
                }
            }
        }

        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            if (def == null || newRow == null) {
                return;
            }
            received(c, def, newRow[keyPos], ViewMaintenance.sqlValue(newRow[labelPos]), atPos < 0 ? null : newRow[atPos]);
        }
    }

    /** Each served prediction recorded in AUGUR.SERVED_PREDICTIONS (by RECORD_PREDICTION or an INSERT). */
    public static final class ServedTrigger implements Trigger {
        @Override
        public void init(Connection c, String schema, String trigger, String table, boolean before, int type) {
        }

        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            if (newRow == null) {
                return;
            }
            // ID, MODEL, KEY_TEXT, MODEL_VERSION, SCORE, SERVED_AT, EXPERIMENT (V7), PROBABILITIES (V11)
            Deferred batch = DEFERRED.get();
            if (batch != null && newRow[7] == null && batch.take(c, newRow)) {
                return; // checked before, and the rest done for the batch at once (recordServed)
            }
            checkServed(c, (String) newRow[1], ((Number) newRow[3]).intValue(), ((Number) newRow[4]).doubleValue(), (Object[]) newRow[7]);
            long at = micros(newRow[5]);
            H2Monitor.served(c, ((Number) newRow[0]).longValue(), (String) newRow[1], ((Number) newRow[3]).intValue(),
                    ((Number) newRow[4]).doubleValue(), at);
            served(c, (String) newRow[1], (String) newRow[2], at);
        }
    }
}
