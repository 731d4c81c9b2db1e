package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.codec.ModelCache;
import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.train.OnlineLearner;
import dev.augur.engine.view.ViewIndex;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory side of one H2 view in one database: its {@link ViewIndex} (features, norms, anchor margins,
 * stored values) kept equal to what the calling transaction sees.
 *
 * <p>The index is changed as triggers fire, before the transaction ends, and H2 has no commit hook. So every
 * maintenance step first locks the view's AUGUR.VIEWS row (serializing writers of the view) and writes a fresh
 * token into it; the index journals its changes under that token. The next step reads the token back: the
 * newest token this transaction wrote means nothing was lost; an older one means a statement or a transaction
 * rolled back, and the index undoes its journal to that point; an unknown one means the index is rebuilt from
 * the tables. A different transaction finding the newest token knows everything before it committed.
 */
final class ViewRuntime {
    private static final Map<Object, Map<String, ViewRuntime>> BY_DATABASE = new WeakHashMap<>();

    final String name;
    ViewDefinition def;
    ViewIndex index;
    /** The model the view is maintained with now (deployed version, or a classification view's live model). */
    Model current;
    int currentVersion;
    String currentSha;
    /** A classification view's learner for the statement being run (null between statements). */
    OnlineLearner learner;
    /** The examples the view had learned online before the statement (AUGUR.VIEWS.EXAMPLES_LEARNED), and since. */
    long examplesBefore;
    int learnedExamples;

    private record Marker(String token, int journal) {
    }

    private final Deque<Marker> markers = new ArrayDeque<>();
    private Object transaction;
    private String committedToken;

    private ViewRuntime(String name) {
        this.name = name;
    }

    static synchronized ViewRuntime of(Connection conn, String name) {
        Object db = H2Internals.database(conn);
        return BY_DATABASE.computeIfAbsent(db, k -> new ConcurrentHashMap<>()).computeIfAbsent(name, ViewRuntime::new);
    }

    static synchronized void forget(Connection conn, String name) {
        Map<String, ViewRuntime> views = BY_DATABASE.get(H2Internals.database(conn));
        if (views != null) {
            views.remove(name);
        }
    }

    /**
     * Locks the view for this transaction and brings the index to what this transaction sees; returns false
     * when the view does not exist (dropped).
     */
    boolean enter(Connection conn) throws SQLException {
        String dbToken;
        double[] tuning;
        Integer version;
        String sha;
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT TX_TOKEN, MODEL_VERSION, MODEL_SHA256, TOLERANCE, ALPHA, LEARNING_RATE, L2 FROM AUGUR.VIEWS WHERE NAME = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                dbToken = rs.getString(1);
                version = (Integer) rs.getObject(2);
                sha = rs.getString(3);
                tuning = new double[]{rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)};
            }
        }
        Object tx = H2Internals.transaction(conn);
        synchronized (this) {
            if (index != null) {
                if (!reconcile(dbToken, tx)) {
                    index = null;
                }
            }
            if (index == null) {
                load(conn);
                committedToken = dbToken;
                markers.clear();
            }
            // tolerance, alpha, learning rate and l2 may be tuned in AUGUR.VIEWS at any time
            def = def.withTuning(tuning[0], tuning[1], tuning[2], tuning[3]);
            transaction = tx;
            String token = UUID.randomUUID().toString();
            markers.push(new Marker(token, index.journalPosition()));
            try (PreparedStatement ps = conn.prepareStatement("UPDATE AUGUR.VIEWS SET TX_TOKEN = ? WHERE NAME = ?")) {
                ps.setString(1, token);
                ps.setString(2, name);
                ps.executeUpdate();
            }
        }
        if (current == null || currentVersion != version || !sha.equals(currentSha)) {
            current = loadCurrent(conn, version, sha);
            currentVersion = version;
            currentSha = sha;
        }
        return true;
    }

    /** Matches the index to the token this transaction sees; false when it cannot and must be rebuilt. */
    private boolean reconcile(String dbToken, Object tx) {
        if (dbToken.equals(committedToken)) {
            index.rollbackJournalTo(0);
            markers.clear();
            learner = null;
            return true;
        }
        while (!markers.isEmpty() && !markers.peek().token().equals(dbToken)) {
            Marker undone = markers.pop();
            index.rollbackJournalTo(undone.journal());
            learner = null;
        }
        if (markers.isEmpty()) {
            return false;
        }
        if (tx != transaction) {
            // another transaction sees our newest token: everything up to it committed
            index.commitJournal();
            committedToken = dbToken;
            markers.clear();
        }
        return true;
    }

    private Model loadCurrent(Connection conn, int version, String sha) throws SQLException {
        if (def.classification()) {
            return viewModel(conn, "live", sha);
        }
        CatalogStore store = new CatalogStore(conn);
        try {
            return store.load(store.version(def.model(), version));
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
    }

    Model viewModel(Connection conn, String role, String expectedSha) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT VERSION, SHA256, PAYLOAD FROM AUGUR.VIEW_MODELS WHERE VIEW_NAME = ? AND ROLE = ?")) {
            ps.setString(1, name);
            ps.setString(2, role);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("view '" + name + "' has no " + role + " model; drop and create it again", "XX001");
                }
                int v = rs.getInt(1);
                String sha = rs.getString(2);
                byte[] payload = rs.getBytes(3);
                try {
                    return ModelCache.get(name + "#" + role, v, sha, () -> ModelCodec.decode(payload, sha, name, v));
                } catch (AugurException e) {
                    throw Predictions.sql(e);
                }
            }
        }
    }

    /**
     * For a full refresh, after the view's table was given exactly one row per entity: the index is read again from
     * the tables, rows never scored included (their stored margin NaN, so the full re-scoring that follows writes them).
     * The marker of this step stays, so a commit is recognized and a rollback reloads.
     */
    void reloadForRebuild(Connection conn) throws SQLException {
        synchronized (this) {
            Marker step = markers.peek();
            Model model = current;
            load(conn, true);
            current = model;
            markers.clear();
            markers.push(new Marker(step.token(), index.journalPosition()));
            committedToken = null;
        }
    }

    private void load(Connection conn) throws SQLException {
        load(conn, false);
    }

    /**
     * Rebuilds the index from the tables: features from the base table, stored values from the view table; rows
     * without a stored margin are left out, or with {@code unscored} taken in with a NaN margin.
     */
    private void load(Connection conn, boolean unscored) throws SQLException {
        def = ViewDefinition.load(conn, name);
        Model anchor = viewModel(conn, "anchor", anchorSha(conn));
        int anchorVersion;
        try (PreparedStatement ps = conn.prepareStatement("SELECT VERSION FROM AUGUR.VIEW_MODELS WHERE VIEW_NAME = ? AND ROLE = 'anchor'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                anchorVersion = rs.getInt(1);
            }
        }
        ViewIndex fresh = new ViewIndex(anchor, anchorVersion, def.classification());
        boolean spread = anchor.kind().isEnsemble();
        String sql = "SELECT b." + def.keyColumn() + ", " + prefixed("b", def.inputColumns()) + ", v.MARGIN, v.LABEL, v.SCORE, v.MODEL_VERSION,"
                + " v.NORM_1, v.NORM_2, v.NORM_INF, " + (spread ? "v.SPREAD" : "CAST(NULL AS DOUBLE PRECISION)") + " FROM " + def.baseTable() + " b LEFT JOIN " + def.table() + " v ON v." + def.keyColumn()
                + " = b." + def.keyColumn();
        Model scoring = current;
        int n = def.inputColumns().size();
        try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object key = rs.getObject(1);
                Object[] inputs = new Object[n];
                for (int i = 0; i < n; i++) {
                    inputs[i] = ViewMaintenance.sqlValue(rs.getObject(2 + i));
                }
                FeatureVector features = ViewIndex.featuresOf(anchor, inputs);
                Object margin = rs.getObject(n + 2);
                if (features != null && margin != null) {
                    Object storedSpread = rs.getObject(n + 9);
                    fresh.load(key, features, ((Number) margin).doubleValue(), rs.getString(n + 3), rs.getDouble(n + 4), rs.getInt(n + 5),
                            storedSpread == null ? Double.NaN : ((Number) storedSpread).doubleValue());
                    if (unscored && !consistent(fresh.get(key), scoring, rs.getDouble(n + 6), rs.getDouble(n + 7), rs.getDouble(n + 8))) {
                        fresh.load(key, features, Double.NaN, null, Double.NaN, 0, Double.NaN);
                    }
                } else if (features != null && unscored) {
                    fresh.load(key, features, Double.NaN, null, Double.NaN, 0, Double.NaN);
                }
            }
        } catch (AugurException e) {
            throw Predictions.sql(e);
        }
        fresh.resort();
        fresh.prepareScreen();
        index = fresh;
        learner = null;
        current = null;
    }

    /**
     * Whether a stored row says what its own margin says (score and label through the model's link and classes) and
     * holds its entity's norms: a full refresh re-writes every row that does not, whatever left it so.
     */
    private static boolean consistent(ViewIndex.Entry e, Model model, double norm1, double norm2, double normInf) {
        if (model.kind().isEnsemble()) {
            // the stored margin, score and spread are the ensemble's of the row's features, or the row is re-written
            Model.ViewValues v = model.viewValues(model.margins(e.features()));
            return Double.compare(e.storedMargin(), v.margin()) == 0 && Double.compare(e.storedScore(), v.score()) == 0
                    && Double.compare(e.storedSpread(), v.spread()) == 0 && java.util.Objects.equals(v.label(), e.storedLabel())
                    && Double.compare(norm1, e.norm1()) == 0 && Double.compare(norm2, e.norm2()) == 0
                    && Double.compare(normInf, e.normInf()) == 0;
        }
        double m = e.storedMargin();
        String label = model.labelOfMargin(m);
        return Double.compare(e.storedScore(), model.scoreOfMargin(m)) == 0 && java.util.Objects.equals(label, e.storedLabel())
                && Double.compare(norm1, e.norm1()) == 0 && Double.compare(norm2, e.norm2()) == 0 && Double.compare(normInf, e.normInf()) == 0;
    }

    /** Whether the view holds an ensemble (its table then has a SPREAD column): its anchor's kind, which deploys keep. */
    boolean ensemble() {
        return index.anchor().kind().isEnsemble();
    }

    private String anchorSha(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT SHA256 FROM AUGUR.VIEW_MODELS WHERE VIEW_NAME = ? AND ROLE = 'anchor'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("view '" + name + "' has no anchor model; drop and create it again", "XX001");
                }
                return rs.getString(1);
            }
        }
    }

    static String prefixed(String alias, List<String> cols) {
        List<String> out = new ArrayList<>();
        for (String c : cols) {
            out.add(alias + "." + c);
        }
        return String.join(", ", out);
    }
}
