package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.Features;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.LinearSgd;
import dev.augur.engine.train.Forgetting;
import dev.augur.engine.train.OnlineLearner;
import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.view.ViewIndex;
import dev.augur.engine.view.ViewOptions;
import dev.augur.sql.ViewDefinitions;
import org.h2.api.Trigger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Prediction views on H2: the AUGUR.*_PREDICTION_VIEW functions, and the triggers that keep eager views equal to a
 * full re-scoring in the same transaction as the change (data, deploy, or learning from new examples).
 */
public final class H2Views {
    private static final String IDENT = "[A-Za-z_][A-Za-z0-9_]*";

    private H2Views() {
    }

    // ------------------------------------------------------------------ AUGUR functions

    public static int createPredictionView(Connection c, String name, String query) throws SQLException {
        return createPredictionView(c, name, query, null);
    }

    /**
     * {@code SELECT key, PREDICT('model', col, ...) FROM table}; options {@code {"mode": "eager"|"lazy"|"hybrid",
     * "tolerance": 0, "alpha": 1.0}}. Returns the number of rows scored.
     */
    public static int createPredictionView(Connection c, String rawName, String query, String optionsJson) throws SQLException {
        return creating(c, rawName, () -> {
            try {
                String name = viewName(rawName);
                ViewDefinitions.PredictionQuery parsed = ViewDefinitions.predictionQuery(query);
                String key = parsed.key();
                String model = Names.checkModelName(parsed.model());
                List<String> inputs = parsed.inputs();
                String table = parsed.table();
                ViewOptions.Prediction options = ViewOptions.Prediction.fromJson(optionsJson);
                String mode = options.mode();
                double tolerance = options.tolerance();
                double alpha = options.alpha();
                checkNew(c, name);
                checkSource(c, table, key, inputs);
                CatalogStore store = new CatalogStore(c);
                CatalogStore.VersionRef deployed = store.requireDeployed(model);
                Model current = store.load(deployed);
                if (current.inputs().size() != inputs.size()) {
                    throw Errors.wrongArity(model, current.inputs(), inputs.size());
                }
                if (current.viewBound() == Model.ViewBound.NONE) {
                    throw new AugurException(Errors.FEATURE_NOT_SUPPORTED, "prediction views hold linear, logistic and svm models"
                            + " and their bagged ensembles; model '" + model + "' is " + current.kind().sqlName() + ": query it with PREDICT instead");
                }
                if (mode.equals("lazy")) {
                    String args = String.join(", ", inputs);
                    String label = current.kind().isClassifier() ? ", PREDICT_LABEL('" + model + "', " + args + ") AS LABEL" : "";
                    label += current.kind().isEnsemble() ? ", PREDICT_STDDEV('" + model + "', " + args + ") AS SPREAD" : "";
                    insertDefinition(c, name, "prediction", mode, tolerance, alpha, table, key, inputs, model, deployed.version(),
                            deployed.sha256(), null, null, null, 0, 0, query);
                    execute(c, "CREATE VIEW " + name + " AS SELECT " + key + ", PREDICT('" + model + "', " + args + ") AS SCORE" + label
                            + " FROM " + table);
                    return 0;
                }
                // a hybrid view's table keeps labels only (scores come from PREDICT on read): no score tolerance to keep
                insertDefinition(c, name, "prediction", mode, mode.equals("hybrid") ? Double.POSITIVE_INFINITY : tolerance, alpha, table,
                        key, inputs, model, deployed.version(), deployed.sha256(), null, null, null, 0, 0, query);
                ViewMaintenance.saveViewModel(c, name, "anchor", current, deployed.version());
                if (options.logServed()) {
                    ViewServedLog.logServed(c, name, model, deployed.version());
                }
                if (mode.equals("hybrid")) {
                    // labels kept eagerly in NAME_labels; scores computed on read, so they are exact whatever the model does. An
                    // outer join (every labels row has its entity): H2 stores a view's plan, and an inner join's order, which
                    // depends on the tables' sizes, would rewrite the view while the database opens (see H2CatalogReopenTest)
                    int rows = materialize(c, name, name + "_labels", table, key, inputs, current.kind().isEnsemble());
                    String args = ViewRuntime.prefixed("b", inputs);
                    String spread = current.kind().isEnsemble() ? " PREDICT_STDDEV('" + model + "', " + args + ") AS SPREAD," : "";
                    execute(c, "CREATE VIEW " + name + " AS SELECT r." + key + ", PREDICT('" + model + "', " + args + ") AS SCORE,"
                            + " r.LABEL," + spread + " r.MODEL_VERSION, r.SCORED_AT FROM " + name + "_labels r LEFT JOIN " + table + " b ON b." + key
                            + " = r." + key);
                    return rows;
                }
                return materialize(c, name, name, table, key, inputs, current.kind().isEnsemble());
            } catch (AugurException e) {
                throw Predictions.sql(e);
            }
        });
    }

    public static int createClassificationView(Connection c, String name, String entities, String key, String examples,
                                               String examplesKey, String label, String featureFunction) throws SQLException {
        return createClassificationView(c, name, entities, key, examples, examplesKey, label, featureFunction, "logistic", null);
    }

    public static int createClassificationView(Connection c, String name, String entities, String key, String examples,
                                               String examplesKey, String label, String featureFunction, String kind) throws SQLException {
        return createClassificationView(c, name, entities, key, examples, examplesKey, label, featureFunction, kind, null);
    }

    /**
     * A view of every entity's predicted class, trained on the examples table and learning online from every
     * example inserted later. Options: {@code learning_rate} (0.5), {@code l2} (1e-6), {@code hash_bits} (18),
     * {@code epochs} (10, the initial training), {@code tolerance} (0.01 on scores; labels are always exact), {@code alpha} (1),
     * {@code seed}, {@code members}, and forgetting ({@link Forgetting}: {@code forget_decay} or {@code forget_window}).
     */
    public static int createClassificationView(Connection c, String rawName, String entities, String key, String examples,
                                               String examplesKey, String label, String featureFunction, String kindName,
                                               String optionsJson) throws SQLException {
        return creating(c, rawName, () -> {
            try {
                String name = viewName(rawName);
                ModelKind kind = ModelKind.fromSqlName(kindName == null ? "logistic" : kindName);
                if (!kind.isBinary() || !(kind.isSingleMargin() || kind.isEnsemble())) {
                    throw Errors.invalidParameter("a classification view learns a binary classifier: USING " + ModelKind.binaryNames()
                            + ", or " + ModelKind.baggedBinaryNames() + " for an ensemble, got " + kindName);
                }
                ViewOptions.Classification options = ViewOptions.Classification.fromJson(optionsJson);
                int members = options.membersFor(kind);
                double rate = options.learningRate();
                double l2 = options.l2();
                int hashBits = options.hashBits();
                int epochs = options.epochs();
                double tolerance = options.tolerance();
                double alpha = options.alpha();
                for (String id : List.of(entities, key, examples, examplesKey, label)) {
                    identifier(id);
                }
                Features features;
                List<String> inputs;
                ViewDefinitions.FeatureFunction function = ViewDefinitions.featureFunction(featureFunction);
                inputs = function.columns();
                if (function.bagOfWords()) {
                    features = new BagOfWords(inputs.get(0).toLowerCase(Locale.ROOT), BagOfWords.Weighting.BINARY, 1, hashBits, true, null, null);
                } else {
                    features = new DenseFeatures(inputs.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
                }
                checkNew(c, name);
                checkSource(c, entities, key, inputs);
                checkSource(c, examples, examplesKey, List.of(label));
                // the examples present now train the first model
                Map<Object, FeatureVector> featuresByKey = new HashMap<>();
                Model shape = Model.of(name, kind.member(), features, List.of("0", "1"), new double[features.dimension()], new double[1]);
                ViewMaintenance.forEachEntity(c, entities, key, inputs,
                        (k, in) -> featuresByKey.put(k, ViewIndex.featuresOf(shape, in)));
                // in key order, so PostgreSQL's classification views (V6) train on the same sequence of examples
                List<Object[]> labelled = new ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + examplesKey + ", " + label + " FROM " + examples
                        + " ORDER BY " + examplesKey)) {
                    while (rs.next()) {
                        labelled.add(new Object[]{rs.getObject(1), rs.getObject(2)});
                    }
                }
                List<String> classes = classes(name, labelled);
                Model initial;
                if (kind.isEnsemble()) {
                    initial = baggedInitialModel(name, kind, features, classes, labelled, featuresByKey, entities, members, options);
                } else {
                    LinearSgd sgd = new LinearSgd(kind, features.dimension(), 1, l2);
                    Random random = new Random(options.seed());
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < labelled.size(); i++) {
                        order.add(i);
                    }
                    for (int epoch = 0; epoch < epochs; epoch++) {
                        java.util.Collections.shuffle(order, random);
                        for (int i : order) {
                            Object[] ex = labelled.get(i);
                            FeatureVector f = entityFeatures(featuresByKey, ex[0], entities, name);
                            if (f != null) {
                                step(sgd, f, classes.indexOf(SgdTrainer.labelText(ex[1])), rate / Math.sqrt(1.0 + epoch));
                            }
                        }
                    }
                    initial = Model.of(name, kind, features, classes, sgd.weights(), sgd.bias());
                }
                byte[] payload = ModelCodec.encode(initial);
                insertDefinition(c, name, "classification", "eager", tolerance, alpha, entities, key, inputs, name, 1,
                        ModelCodec.sha256(payload), examples, examplesKey, label, rate, l2,
                        "CLASSIFICATION VIEW KEY " + key + " ENTITIES FROM " + entities + " EXAMPLES FROM " + examples + " KEY "
                                + examplesKey + " LABEL " + label + " FEATURE FUNCTION " + featureFunction + " USING " + kind.sqlName());
                Forgetting forgetting = options.forgetting();
                try (PreparedStatement ps = c.prepareStatement("UPDATE AUGUR.VIEWS SET SEED = ?, FORGET_DECAY = ?, FORGET_WINDOW = ?"
                        + " WHERE NAME = ?")) {
                    ps.setLong(1, options.seed());
                    ps.setObject(2, forgetting.decays() ? forgetting.decay() : null, Types.DOUBLE);
                    ps.setObject(3, forgetting.windowed() ? forgetting.window() : null, Types.INTEGER);
                    ps.setString(4, name);
                    ps.executeUpdate();
                }
                ViewMaintenance.saveViewModel(c, name, "anchor", initial, 1);
                ViewMaintenance.saveViewModel(c, name, "live", initial, 1);
                int rows = materialize(c, name, name, entities, key, inputs, kind.isEnsemble());
                execute(c, "CREATE TRIGGER " + name + "_AUGUR_LEARN AFTER INSERT ON " + examples + " FOR EACH ROW CALL '"
                        + ExampleTrigger.class.getName() + "'");
                execute(c, "CREATE TRIGGER " + name + "_AUGUR_LEARNED AFTER INSERT ON " + examples + " CALL '"
                        + LearnedTrigger.class.getName() + "'");
                return rows;
            } catch (AugurException e) {
                throw Predictions.sql(e);
            }
        });
    }

    /**
     * An ensemble's first model as TRAIN trains a bagged kind ({@link SgdTrainer#bagged}: each member on its seeded
     * bootstrap sample of the examples in key order), every example checked for its entity first.
     */
    private static Model baggedInitialModel(String name, ModelKind kind, Features features, List<String> classes, List<Object[]> labelled,
                                            Map<Object, FeatureVector> featuresByKey, String entities, int members,
                                            ViewOptions.Classification options) {
        int n = labelled.size();
        FeatureVector[] xs = new FeatureVector[n];
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = entityFeatures(featuresByKey, labelled.get(i)[0], entities, name);
            targets[i] = classes.indexOf(SgdTrainer.labelText(labelled.get(i)[1]));
        }
        double[][] fit = SgdTrainer.bagged(kind, features.dimension(), n, members, options.seed(), options.epochs(), options.learningRate(),
                options.l2(), null, (sgd, i, eta) -> {
                    if (xs[i] != null) {
                        step(sgd, xs[i], targets[i], eta);
                    }
                });
        return Model.of(name, kind, features, classes, fit[0], fit[1]);
    }

    private static List<String> classes(String view, List<Object[]> labelled) {
        boolean numeric = labelled.stream().allMatch(r -> r[1] instanceof Number);
        Comparator<String> order = numeric ? Comparator.comparing(BigDecimal::new) : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        for (Object[] r : labelled) {
            if (r[1] == null) {
                throw new AugurException("22004", "an example of view '" + view + "' has a NULL label; label every example");
            }
            distinct.add(SgdTrainer.labelText(r[1]));
        }
        if (distinct.size() != 2) {
            throw Errors.invalidParameter("classification view '" + view + "' starts from examples of exactly 2 classes, the examples have "
                    + distinct + "; insert examples of both classes first");
        }
        return new ArrayList<>(distinct);
    }

    private static FeatureVector entityFeatures(Map<Object, FeatureVector> featuresByKey, Object key, String entities, String view) {
        if (!featuresByKey.containsKey(key)) {
            throw new AugurException("23503", "example key " + key + " of view '" + view + "' has no entity in " + entities
                    + "; insert the entity first");
        }
        return featuresByKey.get(key);
    }

    static void step(LinearSgd sgd, FeatureVector features, int target, double eta) {
        sgd.step(features, target, eta);
    }

    public static int refreshPredictionView(Connection c, String name) throws SQLException {
        return refreshPredictionView(c, name, false);
    }

    /** Catches up with the current model (incrementally), or re-scores everything and re-anchors ({@code full}); returns rows written. */
    public static int refreshPredictionView(Connection c, String rawName, Boolean full) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            String name = viewName(rawName);
            ViewDefinition def = ViewDefinition.load(c, name);
            if (def == null) {
                throw Predictions.sql(ViewMaintenance.unknownView(name));
            }
            if (!def.maintained()) {
                return 0;
            }
            ViewRuntime rt = ViewRuntime.of(c, name);
            rt.enter(c);
            if (Boolean.TRUE.equals(full)) {
                giveEveryEntityOneRow(c, def, rt.ensemble());
                rt.reloadForRebuild(c);
            }
            if (!def.classification()) {
                // catch up with the deployed version, if the view is behind it
                CatalogStore store = new CatalogStore(c);
                try {
                    CatalogStore.VersionRef deployed = store.requireDeployed(def.model());
                    moveTo(c, rt, store.load(deployed), deployed.version(), deployed.sha256());
                } catch (AugurException e) {
                    throw Predictions.sql(e);
                }
            }
            return (int) ViewMaintenance.modelChanged(c, rt, "refresh", Boolean.TRUE.equals(full));
        });
    }

    /**
     * A full refresh rebuilds the truth whatever happened to the view's table: rows of keys gone from the base table
     * are deleted, missing ones added (unscored, so the re-scoring writes them), rows of entities with a NULL input
     * set to NULLs.
     */
    private static void giveEveryEntityOneRow(Connection c, ViewDefinition def, boolean spread) throws SQLException {
        String v = def.table();
        String k = def.keyColumn();
        String b = def.baseTable();
        execute(c, "DELETE FROM " + v + " WHERE " + k + " NOT IN (SELECT " + k + " FROM " + b + " WHERE " + k + " IS NOT NULL)");
        execute(c, "INSERT INTO " + v + " (" + k + ") SELECT " + k + " FROM " + b + " WHERE " + k + " IS NOT NULL AND " + k
                + " NOT IN (SELECT " + k + " FROM " + v + ")");
        String anyNull = def.inputColumns().stream().map(col -> col + " IS NULL").collect(java.util.stream.Collectors.joining(" OR "));
 execute(c, "UPDATE " + v + " SET SCORE = NULL, LABEL = NULL, MARGIN = NULL, NORM_1 = NULL, NORM_2 = NULL, NORM_INF = NULL,"
                + (spread ? " SPREAD = NULL," : "") + " MODEL_VERSION = NULL WHERE (COALESCE(SCORE, MARGIN, NORM_1, NORM_2, NORM_INF" + (spread ? ", SPREAD" : "")
                + ") IS NOT NULL OR LABEL IS NOT NULL OR MODEL_VERSION IS NOT NULL) AND " + k + " IN (SELECT " + k + " FROM " + b
                + " WHERE " + anyNull + ")");
    }

    public static int dropPredictionView(Connection c, String rawName) throws SQLException {
        return H2Statements.carryingStatement(c, () -> {
            String name = viewName(rawName);
            ViewDefinition def = ViewDefinition.load(c, name);
            if (def == null) {
                throw Predictions.sql(ViewMaintenance.unknownView(name));
            }
            // the DDL below commits: marked first, a drop killed half way is finished on the next open
            String mark = UUID.randomUUID().toString();
            RUNNING.add(mark);
            try {
                markPending(c, name, mark);
                removeTraces(c, name, def.mode());
            } finally {
                RUNNING.remove(mark);
            }
            return 1;
        });
    }

    /**
     * The marks ({@code AUGUR.VIEWS.PENDING_IN}) of creations and drops running in this process: a view marked otherwise
     * was being created or dropped by a process that died (an H2 file database is open in one process at a time).
     */
    private static final java.util.Set<String> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The mark of the creation running on this thread, for {@link #insertDefinition}. */
    private static final ThreadLocal<String> CREATION = new ThreadLocal<>();

    /**
     * Creation takes several transactions on H2 (DDL commits), so the view is marked pending until its last one: a
     * creation that fails half way removes what it made; one killed half way is removed on the next open.
     */
    private static int creating(Connection c, String rawName, H2Internals.SqlCall<Integer> create) throws SQLException {
        String name = viewName(rawName);
        String mark = UUID.randomUUID().toString();
        RUNNING.add(mark);
        CREATION.set(mark);
        try {
            return H2Statements.carryingStatement(c, () -> {
                int rows = create.run();
                markPending(c, name, null);
                return rows;
            });
        } catch (SQLException | RuntimeException e) {
            try (PreparedStatement ps = c.prepareStatement("SELECT MODE FROM AUGUR.VIEWS WHERE NAME = ? AND PENDING_IN = ?")) {
                ps.setString(1, name);
                ps.setString(2, mark);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        removeTraces(c, name, rs.getString(1));
                    }
                }
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        } finally {
            CREATION.remove();
            RUNNING.remove(mark);
        }
    }

    private static void markPending(Connection c, String name, String process) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE AUGUR.VIEWS SET PENDING_IN = ? WHERE NAME = ?")) {
            ps.setString(1, process);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Drops a view's objects, then its catalog rows; each step may find its object already gone. */
    private static void removeTraces(Connection c, String name, String mode) throws SQLException {
        if (!mode.equals("eager")) {
            execute(c, "DROP VIEW IF EXISTS " + name);
        }
        if (!mode.equals("lazy")) {
            String table = mode.equals("hybrid") ? name + "_labels" : name;
            execute(c, "DROP TRIGGER IF EXISTS " + name + "_AUGUR_DATA");
            execute(c, "DROP TRIGGER IF EXISTS " + name + "_AUGUR_LEARN");
            execute(c, "DROP TRIGGER IF EXISTS " + name + "_AUGUR_LEARNED");
            execute(c, "DROP TABLE IF EXISTS " + table);
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM AUGUR.VIEWS WHERE NAME = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
        ViewRuntime.forget(c, name);
    }

    /**
     * Removes every view whose creation or drop was interrupted by the death of its process (called on open by the
     * catalog installer); returns the number removed.
     */
    public static int finishInterruptedViews(Connection c) throws SQLException {
        List<String[]> interrupted = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT NAME, MODE, PENDING_IN FROM AUGUR.VIEWS WHERE PENDING_IN IS NOT NULL")) {
            while (rs.next()) {
                if (!RUNNING.contains(rs.getString(3))) {
                    interrupted.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] v : interrupted) {
            removeTraces(c, v[0], v[1]);
        }
        return interrupted.size();
    }

    /** After a deploy or rollback of {@code model}: every eager prediction view on it follows, in the same transaction. */
    static void modelDeployed(Connection c, String model) throws SQLException {
        List<String> views = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT NAME FROM AUGUR.VIEWS WHERE MODEL = ? AND KIND = 'prediction' AND MODE <> 'lazy' ORDER BY NAME")) {
            ps.setString(1, Names.checkModelName(model));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    views.add(rs.getString(1));
                }
            }
        }
        if (views.isEmpty()) {
            return;
        }
        CatalogStore store = new CatalogStore(c);
        try {
            CatalogStore.VersionRef deployed = store.requireDeployed(model);
            Model next = store.load(deployed);
            for (String view : views) {
                ViewRuntime rt = ViewRuntime.of(c, view);
                rt.enter(c);
                if (next.inputs().size() != rt.def.inputColumns().size()) {
                    throw new AugurException(Errors.INVALID_PARAMETER, "version " + deployed.version() + " of model '" + model
                            + "' takes " + next.inputs().size() + " inputs but prediction view '" + view + "' passes "
                            + rt.def.inputColumns().size() + "; drop the view or deploy a model with the same inputs");
                }
                // the view's table has a spread column exactly when it holds an ensemble
                if (next.viewBound() == Model.ViewBound.NONE || next.kind().isEnsemble() != rt.index.anchor().kind().isEnsemble()) {
                    throw new AugurException(Errors.FEATURE_NOT_SUPPORTED, "version " + deployed.version() + " of model '" + model
                            + "' is " + next.kind().sqlName() + ", which prediction view '" + view + "' cannot hold; drop the view first");
                }
                if (next.features().getClass() != rt.index.anchor().features().getClass()) {
                    throw Errors.viewFeatureKind(model, deployed.version(), next.features() instanceof BagOfWords, view,
                            rt.index.anchor().features() instanceof BagOfWords);
                }
                moveTo(c, rt, next, deployed.version(), deployed.sha256());
                ViewMaintenance.modelChanged(c, rt, "deploy", false);
            }
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
    }

    /** Names the views that depend on a model (for DROP MODEL). */
    static List<String> viewsOf(Connection c, String model) throws SQLException {
        List<String> views = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT NAME FROM AUGUR.VIEWS WHERE MODEL = ? AND KIND = 'prediction' ORDER BY NAME")) {
            ps.setString(1, Names.checkModelName(model));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    views.add(rs.getString(1));
                }
            }
        }
        return views;
    }

    private static void moveTo(Connection c, ViewRuntime rt, Model next, int version, String sha) throws SQLException {
        Model before = rt.current;
        int beforeVersion = rt.currentVersion;
        String beforeSha = rt.currentSha;
        rt.index.journal(() -> {
            rt.current = before;
            rt.currentVersion = beforeVersion;
            rt.currentSha = beforeSha;
        });
        rt.current = next;
        rt.currentVersion = version;
        rt.currentSha = sha;
        setModel(c, rt.name, version, sha);
    }

    static void setModel(Connection c, String view, int version, String sha) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE AUGUR.VIEWS SET MODEL_VERSION = ?, MODEL_SHA256 = ? WHERE NAME = ?")) {
            ps.setInt(1, version);
            ps.setString(2, sha);
            ps.setString(3, view);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ creation helpers

    /**
     * Creates the view's table {@code rows}, its trigger, and scores every entity. DDL commits on H2, so it comes after
     * the catalog rows.
     */
    private static int materialize(Connection c, String name, String rows, String table, String key, List<String> inputs,
                                   boolean spread) throws SQLException {
        long t0 = System.nanoTime();
        execute(c, "CREATE TABLE " + rows + " AS SELECT " + key + ", CAST(NULL AS DOUBLE PRECISION) AS SCORE,"
                + " CAST(NULL AS VARCHAR(256)) AS LABEL," + (spread ? " CAST(NULL AS DOUBLE PRECISION) AS SPREAD," : "")
                + " CAST(NULL AS DOUBLE PRECISION) AS MARGIN, CAST(NULL AS DOUBLE PRECISION) AS NORM_1,"
                + " CAST(NULL AS DOUBLE PRECISION) AS NORM_2, CAST(NULL AS DOUBLE PRECISION) AS NORM_INF, CAST(NULL AS INTEGER) AS MODEL_VERSION,"
                + " CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS SCORED_AT FROM " + table + " WITH NO DATA");
        execute(c, "ALTER TABLE " + rows + " ALTER COLUMN " + key + " SET NOT NULL");
        execute(c, "ALTER TABLE " + rows + " ADD CONSTRAINT " + rows + "_PK PRIMARY KEY (" + key + ")");
        execute(c, "CREATE TRIGGER " + name + "_AUGUR_DATA AFTER INSERT, UPDATE, DELETE ON " + table + " FOR EACH ROW CALL '"
                + DataTrigger.class.getName() + "'");
        ViewRuntime rt = ViewRuntime.of(c, name);
        rt.enter(c);
        List<ViewIndex.Scored> scored = new ArrayList<>();
        List<Object> nullKeys = new ArrayList<>();
        ViewMaintenance.forEachEntity(c, table, key, inputs, (k, in) -> {
            ViewIndex.Scored s = rt.index.put(k, ViewIndex.featuresOf(rt.current, in), rt.current, rt.currentVersion);
            if (s == null) {
                nullKeys.add(k);
            } else {
                scored.add(s);
            }
        });
        ViewMaintenance.write(c, rows, key, scored, rt.currentVersion, true, null, spread);
        ViewServedLog.written(c, rt, scored, rt.currentVersion);
        for (Object k : nullKeys) {
            ViewMaintenance.write(c, rows, key, List.of(), rt.currentVersion, true, k, spread);
        }
        rt.index.resort();
        // the time the creation took: the view's table, its trigger and scoring every entity
        double millis = (System.nanoTime() - t0) / 1e6;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO AUGUR.VIEW_EVENTS (VIEW_NAME, EVENT, MODEL_VERSION, ROWS_CHECKED,"
                + " ROWS_RESCORED, ROWS_WRITTEN, MILLIS, SCORER) VALUES (?, 'create', ?, ?, ?, ?, ?, 'cpu')")) {
            ps.setString(1, name);
            ps.setInt(2, rt.currentVersion);
            ps.setLong(3, scored.size() + nullKeys.size());
            ps.setLong(4, scored.size());
            ps.setLong(5, scored.size() + nullKeys.size());
            ps.setDouble(6, millis);
            ps.executeUpdate();
        }
        return scored.size() + nullKeys.size();
    }

    /** A windowed view's restarted model ({@link Forgetting}), in the statement's transaction. */
    private static void saveRestarted(Connection c, String view, double[] weights, double[] biases) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO AUGUR.VIEW_WINDOWS (VIEW_NAME, WEIGHTS, BIASES) KEY (VIEW_NAME)"
                + " VALUES (?, ?, ?)")) {
            ps.setString(1, view);
            ps.setObject(2, boxed(weights));
            ps.setObject(3, boxed(biases));
            ps.executeUpdate();
        }
    }

    /** The restarted model's weights and biases; nulls (zero) before the view's first example learned online. */
    private static double[][] loadRestarted(Connection c, String view) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT WEIGHTS, BIASES FROM AUGUR.VIEW_WINDOWS WHERE VIEW_NAME = ?")) {
            ps.setString(1, view);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new double[2][];
                }
                return new double[][]{unboxed(rs.getArray(1)), unboxed(rs.getArray(2))};
            }
        }
    }

    private static Double[] boxed(double[] xs) {
        Double[] boxed = new Double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            boxed[i] = xs[i];
        }
        return boxed;
    }

    private static double[] unboxed(java.sql.Array array) throws SQLException {
        Object[] xs = (Object[]) array.getArray();
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = ((Number) xs[i]).doubleValue();
        }
        return out;
    }

    private static void insertDefinition(Connection c, String name, String kind, String mode, double tolerance, double alpha,
                                         String table, String key, List<String> inputs, String model, int version, String sha,
                                         String examples, String examplesKey, String label, double rate, double l2,
                                         String definition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO AUGUR.VIEWS (NAME, KIND, MODE, TOLERANCE, ALPHA, BASE_TABLE, KEY_COLUMN,"
                + " INPUT_COLUMNS, MODEL, MODEL_VERSION, MODEL_SHA256, ANCHOR_VERSION, EXAMPLES_TABLE, EXAMPLES_KEY, LABEL_COLUMN,"
                + " LEARNING_RATE, L2, TX_TOKEN, DEFINITION, PENDING_IN) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, kind);
            ps.setString(3, mode);
            ps.setDouble(4, tolerance);
            ps.setDouble(5, alpha);
            ps.setString(6, table);
            ps.setString(7, key);
            ps.setString(8, String.join(",", inputs));
            ps.setString(9, model);
            ps.setInt(10, version);
            ps.setString(11, sha);
            ps.setInt(12, version);
            ps.setString(13, examples);
            ps.setString(14, examplesKey);
            ps.setString(15, label);
            ps.setDouble(16, rate);
            ps.setDouble(17, l2);
            ps.setString(18, UUID.randomUUID().toString());
            ps.setString(19, definition);
            ps.setString(20, CREATION.get());
            ps.executeUpdate();
        }
    }

    private static String viewName(String raw) throws SQLException {
        if (raw == null || !Names.isIdentifier(raw)) {
            throw Predictions.sql(Errors.invalidName("view", String.valueOf(raw)));
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    private static void identifier(String s) {
        if (s == null || !s.matches(IDENT)) {
            throw new AugurException(Errors.INVALID_NAME, "invalid identifier '" + s + "': use a plain table or column name");
        }
    }

    private static void checkNew(Connection c, String name) throws SQLException {
        if (ViewDefinition.load(c, name) != null) {
            throw new AugurException(Errors.DUPLICATE_OBJECT, "prediction view '" + name + "' already exists; drop it first");
        }
        try (ResultSet rs = c.getMetaData().getTables(null, null, null, null)) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase(name) && !"INFORMATION_SCHEMA".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))
                        && !"AUGUR".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                    throw new AugurException(Errors.DUPLICATE_OBJECT, "a table or view named '" + name + "' already exists; choose another view name");
                }
            }
        }
    }

    /** The base table must exist with the key and input columns, and the key must be unique and never NULL. */
    private static void checkSource(Connection c, String table, String key, List<String> columns) throws SQLException {
        try (Statement st = c.createStatement()) {
            try {
                st.executeQuery("SELECT " + key + ", " + String.join(", ", columns) + " FROM " + table + " WHERE 1 = 0").close();
            } catch (SQLException e) {
                String state = e.getSQLState() != null && e.getSQLState().startsWith("42S02") ? "42P01" : "42703";
                throw new AugurException(e.getSQLState() != null && e.getSQLState().equals("42S02") ? "42P01" : state,
                        "cannot read " + key + ", " + String.join(", ", columns) + " from " + table + ": " + firstLine(e.getMessage()));
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(" + key + "), COUNT(DISTINCT " + key + ") FROM " + table)) {
                rs.next();
                if (rs.getLong(2) != rs.getLong(1)) {
                    throw new AugurException("23502", "key column " + table + "." + key + " has NULLs; a view needs a key on every row");
                }
                if (rs.getLong(3) != rs.getLong(1)) {
                    throw new AugurException("23505", "key column " + table + "." + key + " is not unique (" + rs.getLong(1) + " rows, "
                            + rs.getLong(3) + " distinct keys); a view needs one row per key");
                }
            }
        }
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Column positions of a table, by upper-case name. */
    static Map<String, Integer> columnPositions(Connection c, String schema, String table) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE UPPER(TABLE_SCHEMA) = UPPER(?) AND UPPER(TABLE_NAME) = UPPER(?)")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1).toUpperCase(Locale.ROOT), rs.getInt(2) - 1);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ triggers

    /** Base-table changes: the view row follows in the same transaction. */
    public static final class DataTrigger implements Trigger {
        private String view;
        private int keyPos;
        private int[] inputPos;

        @Override
        public void init(Connection c, String schema, String trigger, String table, boolean before, int type) throws SQLException {
            view = trigger.substring(0, trigger.length() - "_AUGUR_DATA".length()).toLowerCase(Locale.ROOT);
            ViewDefinition def = ViewDefinition.load(c, view);
            if (def == null) {
                return;
            }
            Map<String, Integer> pos = columnPositions(c, schema, table);
            keyPos = pos.get(def.keyColumn().toUpperCase(Locale.ROOT));
            inputPos = def.inputColumns().stream().mapToInt(col -> pos.get(col.toUpperCase(Locale.ROOT))).toArray();
        }

        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            if (inputPos == null) {
                return;
            }
            ViewRuntime rt = ViewRuntime.of(c, view);
            if (!rt.enter(c)) {
                return;
            }
            Object oldKey = oldRow == null ? null : oldRow[keyPos];
            Object newKey = newRow == null ? null : newRow[keyPos];
            Object[] inputs = null;
            if (newRow != null) {
                inputs = new Object[inputPos.length];
                boolean same = oldRow != null && java.util.Objects.equals(oldKey, newKey);
                for (int i = 0; i < inputPos.length; i++) {
                    inputs[i] = ViewMaintenance.sqlValue(newRow[inputPos[i]]);
                    same &= java.util.Objects.equals(ViewMaintenance.sqlValue(oldRow == null ? null : oldRow[inputPos[i]]), inputs[i]);
                }
                if (same) {
                    return; // an update of other columns changes no prediction
                }
            }
            ViewMaintenance.rowChanged(c, rt, oldKey, newKey, inputs);
        }
    }

    /** Each inserted example: SGD steps on the view's live model (maintenance follows at the end of the statement). */
    public static final class ExampleTrigger implements Trigger {
        private String view;
        private int keyPos;
        private int labelPos;
        private String entities;

        @Override
        public void init(Connection c, String schema, String trigger, String table, boolean before, int type) throws SQLException {
            view = trigger.substring(0, trigger.length() - "_AUGUR_LEARN".length()).toLowerCase(Locale.ROOT);
            ViewDefinition def = ViewDefinition.load(c, view);
            if (def == null) {
                return;
            }
            Map<String, Integer> pos = columnPositions(c, schema, table);
            keyPos = pos.get(def.examplesKey().toUpperCase(Locale.ROOT));
            labelPos = pos.get(def.labelColumn().toUpperCase(Locale.ROOT));
            entities = def.baseTable();
        }

        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            if (entities == null || newRow == null) {
                return;
            }
            ViewRuntime rt = ViewRuntime.of(c, view);
            if (!rt.enter(c)) {
                return;
            }
            Object key = newRow[keyPos];
            Object label = newRow[labelPos];
            if (label == null) {
                throw new SQLException("example " + key + " for view '" + view + "' has a NULL label; label every example", "22004");
            }
            int target = rt.current.classes().indexOf(SgdTrainer.labelText(label));
            if (target < 0) {
                throw new SQLException("example " + key + " for view '" + view + "' has label '" + SgdTrainer.labelText(label)
                        + "', not one of the view's classes (" + String.join(", ", rt.current.classes()) + ")", "22023");
            }
            ViewIndex.Entry entity = rt.index.get(key);
            if (entity == null) {
                throw new SQLException("example key " + key + " for view '" + view + "' has no entity in " + entities
                        + " (or its features are NULL); insert the entity first", "23503");
            }
            if (rt.learner == null) {
                // the ordinal of the statement's first example: online bagging's draws and the windows are functions of it
                long seed = 0;
                Forgetting forgetting;
                try (PreparedStatement ps = c.prepareStatement("SELECT EXAMPLES_LEARNED, SEED, COALESCE(FORGET_DECAY, 1),"
                        + " COALESCE(FORGET_WINDOW, 0) FROM AUGUR.VIEWS WHERE NAME = ?")) {
                    ps.setString(1, view);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        rt.examplesBefore = rs.getLong(1);
                        seed = rs.getLong(2);
                        forgetting = new Forgetting(rs.getDouble(3), rs.getInt(4));
                    }
                }
                double[][] restarted = forgetting.windowed() ? loadRestarted(c, view) : new double[2][];
                rt.learner = OnlineLearner.resume(rt.current, rt.def.l2(), seed, forgetting, restarted[0], restarted[1]);
                rt.learnedExamples = 0;
                rt.index.journal(() -> rt.learner = null);
            }
            rt.learner.learn(entity.features(), target, rt.def.learningRate(), rt.examplesBefore + rt.learnedExamples);
            rt.learnedExamples++;
        }
    }

    /** After an INSERT of examples: the learned model becomes live and the view is maintained by the Hölder bound. */
    public static final class LearnedTrigger implements Trigger {
        private String view;

        @Override
        public void init(Connection c, String schema, String trigger, String table, boolean before, int type) {
            view = trigger.substring(0, trigger.length() - "_AUGUR_LEARNED".length()).toLowerCase(Locale.ROOT);
        }

        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            // H2 runs statement-level triggers with the session's autocommit on, so the queries below would try to
            // commit inside the trigger; row-level triggers run with it off, as this does
            H2Internals.withAutoCommitOff(c, () -> {
                learned(c);
                return null;
            });
        }

        private void learned(Connection c) throws SQLException {
            ViewRuntime rt = ViewRuntime.of(c, view);
            if (!rt.enter(c) || rt.learner == null) {
                return;
            }
            Model before = rt.current;
            Model learned = Model.of(before.name(), before.kind(), before.features(), before.classes(), rt.learner.weights(),
                    rt.learner.bias());
            OnlineLearner learner = rt.learner;
            rt.learner = null;
            try (PreparedStatement ps = c.prepareStatement("UPDATE AUGUR.VIEWS SET EXAMPLES_LEARNED = ? WHERE NAME = ?")) {
                ps.setLong(1, rt.examplesBefore + rt.learnedExamples);
                ps.setString(2, view);
                ps.executeUpdate();
            }
            if (learner.restartedWeights() != null) {
                saveRestarted(c, view, learner.restartedWeights(), learner.restartedBiases());
            }
            byte[] payload = ModelCodec.encode(learned);
            String sha = ModelCodec.sha256(payload);
            moveTo(c, rt, learned, rt.currentVersion + 1, sha);
            ViewMaintenance.saveViewModel(c, view, "live", learned, rt.currentVersion);
            ViewMaintenance.modelChanged(c, rt, "learn", false);
        }
    }
}
