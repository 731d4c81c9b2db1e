package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.feedback.LiveMetrics;
import dev.augur.engine.model.Model;
import dev.augur.engine.selection.Experiment;
import org.h2.value.Value;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Experiments over versions of a model on H2 (AUGUR.START_EXPERIMENT, AUGUR.ROUTE, PREDICT_SERVED): the engine's
 * {@link Experiment} decides; this class keeps AUGUR.EXPERIMENTS and AUGUR.EXPERIMENT_ARMS in the transactions that
 * route a key and that bring its label. While an experiment runs, the deployed version keeps serving plain PREDICT and
 * prediction views; keyed serving (PREDICT_SERVED, RECORD_PREDICTION without a version) is routed and recorded with
 * the experiment, and its labels reward the arm that served.
 */
public final class H2Experiments {
    private H2Experiments() {
    }

    /** A running experiment with its arms in OVER VERSIONS order. */
    record Active(long id, Experiment.Strategy strategy, Experiment.Reward reward, Experiment.Options options,
                  List<Experiment.Arm> arms) {
        String describe() {
            List<Integer> versions = arms.stream().map(Experiment.Arm::version).toList();
            return strategy.sqlName() + " over versions " + versions;
        }
    }

    // ------------------------------------------------------------------ AUGUR functions

    public static int startExperiment(Connection c, String model, String strategy, String versions) throws SQLException {
        return startExperiment(c, model, strategy, versions, null);
    }

    /** Starts an experiment over {@code versions} ("3,4,5"); returns its id. */
    public static int startExperiment(Connection c, String model, String strategy, String versions, String options)
            throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.call(() -> {
            String m = Names.checkModelName(model);
            Experiment.Strategy s = Experiment.Strategy.of(strategy);
            List<Integer> vs = versionList(m, versions);
            Experiment.checkVersions(m, vs);
            Experiment.Options o = Experiment.Options.fromJson(options);
            CatalogStore store = new CatalogStore(c);
            store.requireDeployed(m);
            Active running = active(c, m);
            if (running != null) {
                throw new AugurException(Errors.NOT_IN_PREREQUISITE_STATE, "model '" + m + "' already has an experiment ("
                        + running.describe() + "); end it with ROLLBACK MODEL " + m + " before starting another");
            }
            Model first = null;
            int firstVersion = 0;
            for (int v : vs) {
                Model candidate = store.load(store.version(m, v));
                if (first == null) {
                    first = candidate;
                    firstVersion = v;
                } else if (candidate.kind() != first.kind() || !candidate.inputs().equals(first.inputs())
                        || !candidate.classes().equals(first.classes())
                        || !candidate.features().getClass().equals(first.features().getClass())) {
                    throw Errors.invalidParameter("an experiment compares versions of one kind with the same inputs and classes:"
                            + " version " + firstVersion + " of model '" + m + "' is a " + first.kind().sqlName() + " on "
                            + first.inputs() + " with classes " + first.classes() + ", version " + v + " a "
                            + candidate.kind().sqlName() + " on " + candidate.inputs() + " with classes " + candidate.classes());
                }
            }
            // classifiers are rewarded by accuracy, regressors by squared error, from labels of the matching kind
            Experiment.Reward reward = Experiment.Reward.of(first.kind());
            String feedback = feedbackOf(c, m, o.feedback());
            Experiment.checkFeedback(m, reward, feedback, H2Feedback.load(c, feedback).target());
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO AUGUR.EXPERIMENTS (MODEL, STRATEGY, FEEDBACK,"
                    + " EXPLORATION_FLOOR, SEED, MIN_LABELS, CONFIDENCE, REWARD) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, m);
                ps.setString(2, s.sqlName());
                ps.setString(3, feedback);
                ps.setDouble(4, o.floor());
                ps.setLong(5, o.seed());
                ps.setLong(6, o.minLabels());
                ps.setDouble(7, o.confidence());
                ps.setString(8, reward.sqlName());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO AUGUR.EXPERIMENT_ARMS (EXPERIMENT, ARM, MODEL_VERSION)"
                    + " VALUES (?, ?, ?)")) {
                for (int i = 0; i < vs.size(); i++) {
                    ps.setLong(1, id);
                    ps.setInt(2, i);
                    ps.setInt(3, vs.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return Math.toIntExact(id);
        }));
    }

    /** The version that serves {@code key}: its experiment's routing, else the deployed version. */
    public static int route(Connection c, String model, String key) throws SQLException {
        return H2Statements.carryingStatement(c, () -> Admin.call(() -> routed(c, Names.checkModelName(model), key).version()));
    }

    // ------------------------------------------------------------------ serving and feedback

    /** Where a key's prediction is served: the version, and the experiment that routed it (null: none). */
    record Routed(int version, Long experiment) {
    }

    static Routed routed(Connection c, String model, String key) throws SQLException {
        if (key == null) {
            throw new AugurException("22004", "the key to route is NULL; pass the key the prediction is served for");
        }
        Active a = active(c, model);
        if (a == null) {
            int deployed = H2Internals.sessionCached(c, "experiments.deployed", model, DEPLOYED_FROM,
                    () -> new CatalogStore(c).requireDeployed(model).version());
            return new Routed(deployed, null);
        }
        return new Routed(a.arms().get(Experiment.route(a.strategy(), a.reward(), a.arms(), a.options(), key)).version(), a.id());
    }

    /** The experiment a served prediction of {@code version} belongs to when recorded with an explicit version. */
    static Long experimentOf(Connection c, String model, int version) throws SQLException {
        Active a = active(c, model);
        return a != null && a.arms().stream().anyMatch(arm -> arm.version() == version) ? a.id() : null;
    }

    /** PREDICT_SERVED: scores the key's inputs with the version routed to, and records the served prediction. */
    static Double predictServed(Connection c, String model, String key, Value[] x) throws SQLException {
        Routed r;
        String m;
        try {
            m = Names.checkModelName(model);
            r = routed(c, m, key);
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
        Double score = Predictions.predict(c, m + "@" + r.version(), x);
        if (score == null) {
            return null; // a NULL input: nothing was served
        }
        Double[] probabilities = Predictions.servedProbabilities(c, m + "@" + r.version(), x);
        PreparedStatement ps = SessionStatements.of(c, "INSERT INTO AUGUR.SERVED_PREDICTIONS (MODEL, KEY_TEXT, MODEL_VERSION, SCORE,"
                + " EXPERIMENT, PROBABILITIES) VALUES (?, ?, ?, ?, ?, ?)");
        ps.setString(1, m);
        ps.setString(2, key);
        ps.setInt(3, r.version());
        ps.setDouble(4, score);
        ps.setObject(5, r.experiment());
        ps.setObject(6, probabilities);
        ps.executeUpdate();
        return score;
    }

    /**
     * A joined pair of feedback {@code f} was added ({@code sign} 1) or removed (-1) for a prediction that
     * {@code experiment} routed: the arm that served it gains or loses the reward (when the experiment is this
     * feedback's and its reward is what the feedback's labels give): a label, a correct one, and for regressors the
     * squared error and its square (the sums 0 again once no label is left, never below 0: what removing a label leaves
     * of rounding); {@code best} promotes a winner in the same transaction.
     */
    static void rewarded(Connection c, H2Feedback.Definition f, long experiment, int version, LiveMetrics.Terms t, int sign)
            throws SQLException {
        Experiment.Reward reward;
        {
            PreparedStatement ps = SessionStatements.of(c, "SELECT REWARD FROM AUGUR.EXPERIMENTS WHERE ID = ? AND FEEDBACK = ?");
            ps.setLong(1, experiment);
            ps.setString(2, f.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                reward = Experiment.Reward.fromSqlName(rs.getString(1));
            }
        }
        if (reward.target() != f.target()) {
            return; // a feedback of that name made again for another kind: its labels do not say this reward
        }
        double squaredError = reward == Experiment.Reward.SQUARED_ERROR ? t.squaredError() : 0;
        double square;
        try {
            square = Experiment.squaredErrorSquare(f.name(), squaredError);
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
        PreparedStatement ps = SessionStatements.of(c, "UPDATE AUGUR.EXPERIMENT_ARMS SET LABELS = LABELS + ?, CORRECT = CORRECT + ?,"
                + " SQUARED_ERROR_SUM = CASE WHEN LABELS + ? = 0 THEN CAST(0 AS DOUBLE PRECISION) ELSE GREATEST(CAST(0 AS DOUBLE PRECISION), SQUARED_ERROR_SUM + ?) END,"
                + " SQUARED_ERROR_SQUARES = CASE WHEN LABELS + ? = 0 THEN CAST(0 AS DOUBLE PRECISION) ELSE GREATEST(CAST(0 AS DOUBLE PRECISION), SQUARED_ERROR_SQUARES + ?) END"
                + " WHERE EXPERIMENT = ? AND MODEL_VERSION = ?");
        ps.setLong(1, sign);
        ps.setLong(2, sign * t.correct());
        ps.setLong(3, sign);
        ps.setDouble(4, sign * squaredError);
        ps.setLong(5, sign);
        ps.setDouble(6, sign * square);
        ps.setLong(7, experiment);
        ps.setInt(8, version);
        if (ps.executeUpdate() == 0 || sign < 0) {
            return;
        }
        Active a = active(c, f.model());
        if (a == null || a.strategy() != Experiment.Strategy.BEST) {
            return;
        }
        int w = Experiment.winner(a.reward(), a.arms(), a.options());
        if (w >= 0) {
            Experiment.Arm arm = a.arms().get(w);
            String model = f.model();
            end(c, a.id(), Experiment.outcome(a.reward(), arm));
            Admin.call(() -> new CatalogStore(c).deploy(model, arm.version()));
            H2Views.modelDeployed(c, model);
        }
    }

    // ------------------------------------------------------------------ deploy, rollback, drop

    /** A plain deploy would take the model from under its experiment: refused until the experiment ends. */
    static void refuseDeploy(Connection c, String model) throws SQLException {
        if (model == null || !Names.isIdentifier(model)) {
            return; // the deploy itself names the problem
        }
        Active a = active(c, Names.checkModelName(model));
        if (a != null) {
            throw new SQLException("model '" + Names.checkModelName(model) + "' is in an experiment (" + a.describe()
                    + "); end it with ROLLBACK MODEL " + Names.checkModelName(model) + " before deploying a version",
                    Errors.NOT_IN_PREREQUISITE_STATE);
        }
    }

    /** ROLLBACK MODEL while an experiment runs ends it and keeps the deployed version; returns that, or null: none ran. */
    static Integer endByRollback(Connection c, String model) throws SQLException {
        if (model == null || !Names.isIdentifier(model)) {
            return null;
        }
        String m = Names.checkModelName(model);
        Active a = active(c, m);
        if (a == null) {
            return null;
        }
        end(c, a.id(), "ended by ROLLBACK MODEL");
        return Admin.call(() -> new CatalogStore(c).requireDeployed(m).version());
    }

    /** A dropped model's experiments go with it. */
    static void modelDropped(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM AUGUR.EXPERIMENTS WHERE MODEL = ?")) {
            ps.setString(1, model);
            ps.executeUpdate();
        }
    }

    /** A feedback that rewards a running experiment cannot be dropped (its arms would stop learning unseen). */
    static void refuseFeedbackDrop(Connection c, String feedback) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MODEL FROM AUGUR.EXPERIMENTS WHERE FEEDBACK = ? AND ENDED_AT IS NULL")) {
            ps.setString(1, feedback);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new SQLException("feedback '" + feedback + "' rewards the running experiment on model '" + rs.getString(1)
                            + "'; end it with ROLLBACK MODEL " + rs.getString(1) + " first", Errors.NOT_IN_PREREQUISITE_STATE);
                }
            }
        }
    }

    // ------------------------------------------------------------------ the tables

    /** What {@link #activeUncached} reads. */
    private static final String[] ACTIVE_FROM = {"AUGUR.EXPERIMENTS", "AUGUR.EXPERIMENT_ARMS"};
    /** What CatalogStore.requireDeployed reads. */
    private static final String[] DEPLOYED_FROM = {"AUGUR.DEPLOYED", "AUGUR.MODELS"};

    /** The model's running experiment, or null; read once per session until the experiment tables change. */
    static Active active(Connection c, String model) throws SQLException {
        return H2Internals.sessionCached(c, "experiments.active", model, ACTIVE_FROM, () -> activeUncached(c, model));
    }

    private static Active activeUncached(Connection c, String model) throws SQLException {
        PreparedStatement ps = SessionStatements.of(c, "SELECT e.ID, e.STRATEGY, e.EXPLORATION_FLOOR, e.SEED, e.MIN_LABELS, e.CONFIDENCE,"
                + " e.FEEDBACK, a.MODEL_VERSION, a.LABELS, a.CORRECT, e.REWARD, a.SQUARED_ERROR_SUM, a.SQUARED_ERROR_SQUARES"
                + " FROM AUGUR.EXPERIMENTS e JOIN AUGUR.EXPERIMENT_ARMS a"
                + " ON a.EXPERIMENT = e.ID WHERE e.MODEL = ? AND e.ENDED_AT IS NULL ORDER BY e.ID, a.ARM");
        ps.setString(1, model);
        Active out = null;
        List<Experiment.Arm> arms = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (out == null) {
                    out = new Active(rs.getLong(1), Experiment.Strategy.of(rs.getString(2)), Experiment.Reward.fromSqlName(rs.getString(11)),
                            new Experiment.Options(rs.getDouble(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6), rs.getString(7)), arms);
                }
                arms.add(new Experiment.Arm(rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getDouble(12), rs.getDouble(13)));
            }
        }
        return out;
    }

    private static void end(Connection c, long id, String outcome) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE AUGUR.EXPERIMENTS SET ENDED_AT = CURRENT_TIMESTAMP, OUTCOME = ?"
                + " WHERE ID = ?")) {
            ps.setString(1, outcome);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private static List<Integer> versionList(String model, String versions) {
        List<Integer> out = new ArrayList<>();
        if (versions == null || versions.isBlank()) {
            throw Errors.invalidParameter("the versions of the experiment on model '" + model + "' are missing; pass them as '3,4'");
        }
        for (String part : versions.split(",", -1)) {
            String t = part.trim();
            if (!t.matches("\\d{1,10}") || Long.parseLong(t) < 1 || Long.parseLong(t) > Integer.MAX_VALUE) {
                throw Errors.invalidParameter("'" + Errors.abbreviate(versions, 60) + "' is not a list of version numbers for model '"
                        + model + "'; pass them as '3,4'");
            }
            out.add(Integer.parseInt(t));
        }
        return out;
    }

    /** The feedback whose labels reward the arms: the named one, or the model's only one. */
    private static String feedbackOf(Connection c, String model, String named) throws SQLException {
        List<String> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT NAME, TARGET FROM AUGUR.FEEDBACKS WHERE MODEL = ? ORDER BY NAME")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(rs.getString(1));
                }
            }
        }
        if (named != null) {
            String n = named.toLowerCase(java.util.Locale.ROOT);
            if (!all.contains(n)) {
                throw new AugurException(Errors.UNDEFINED_OBJECT, "model '" + model + "' has no feedback '" + named + "'"
                        + (all.isEmpty() ? "" : "; its feedbacks: " + String.join(", ", all)));
            }
            return n;
        }
        if (all.isEmpty()) {
            throw new AugurException(Errors.NOT_IN_PREREQUISITE_STATE, "model '" + model + "' has no feedback to reward the"
                    + " versions of an experiment; CREATE FEEDBACK ... FOR MODEL " + model + " first");
        }
        if (all.size() > 1) {
            throw Errors.invalidParameter("model '" + model + "' has feedbacks " + all + "; name the one that rewards the"
                    + " experiment: WITH (feedback = '" + all.get(0) + "')");
        }
        return all.get(0);
    }
}
