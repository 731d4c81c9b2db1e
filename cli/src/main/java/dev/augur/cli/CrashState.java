package dev.augur.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the crash harness knows must be in the database: the effect of every acknowledged operation of
 * {@link CrashWorkload}, plus the one operation that was in flight when the process died (which may have committed or
 * not, but never half). {@link #verify} compares a reopened database with it and then takes the in-flight operation
 * as committed or not, whichever the database shows.
 */
final class CrashState implements CrashWorkload.Listener {
    /** What one verification found. */
    record Findings(int lost, int viewsWrong, List<String> problems) {
        boolean clean() {
            return lost == 0 && viewsWrong == 0 && problems.isEmpty();
        }
    }

    private final TreeMap<Integer, Double> rows = new TreeMap<>();
    private final Set<Integer> batches = new TreeSet<>();
    private final Set<Integer> versions = new TreeSet<>();
    private Integer deployed;
    private final Set<String> views = new TreeSet<>();
    /** The rows of {@code labels} acknowledged, as "id y" with how many times each. */
    private final TreeMap<String, Integer> labels = new TreeMap<>();
    private String inFlight;
    int acknowledged;
    /** The operations acknowledged since the last check (the latest 400), named in a finding so that it can be reproduced. */
    private final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
    /** Every operation begun, acknowledged or left in flight, by check cycle: a wrong row is named with its own history. */
    private final List<String> history = new ArrayList<>();
    private int cycle = 1;

    synchronized String inFlight() {
        return inFlight;
    }

    @Override
    public synchronized void begin(String op) {
        inFlight = op;
        history.add("[" + cycle + "] begin " + op);
    }

    @Override
    public synchronized void ack(String op, String result) {
        inFlight = null;
        acknowledged++;
        recent.addLast(op + " -> " + result);
        history.add("[" + cycle + "] " + op + " -> " + result);
        if (recent.size() > 400) {
            recent.removeFirst();
        }
        if (!result.startsWith("error")) {
            apply(op, result);
        }
    }

    private void apply(String op, String result) {
        String[] w = op.split(" ");
        switch (w[0]) {
            case "bulk", "insert", "update", "delete" -> applyToRows(rows, w);
            case "batch" -> batches.add(Integer.parseInt(w[1]));
            case "train" -> versions.add(Integer.parseInt(result));
            case "deploy" -> deployed = Integer.parseInt(w[1]);
            case "rollback" -> deployed = Integer.parseInt(result);
            case "createview", "createcv" -> views.add(w[1]);
            case "dropview", "dropcv" -> views.remove(w[1]);
            case "label" -> labels.merge(w[1] + " " + w[2], 1, Integer::sum);
            default -> {
                // refresh changes no durable fact the harness tracks; the view check covers it
            }
        }
    }

    /** Compares the database with what was acknowledged; afterwards the state is the database's (when consistent). */
    synchronized Findings verify(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        int lost = 0;
        String op = inFlight;
        inFlight = null;
        String[] w = op == null ? new String[]{""} : op.split(" ");
        CrashWorkload.createTables(c);

        // rows of pts: exactly the acknowledged ones, or those and the in-flight operation's, never half of it
        TreeMap<Integer, Double> actualRows = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, a FROM pts")) {
            while (rs.next()) {
                actualRows.put(rs.getInt(1), rs.getDouble(2));
            }
        }
        if (!actualRows.equals(rows)) {
            TreeMap<Integer, Double> withOp = new TreeMap<>(rows);
            if (op != null && isRowOp(w[0])) {
                applyToRows(withOp, w);
            }
            if (op != null && isRowOp(w[0]) && actualRows.equals(withOp)) {
                rows.putAll(withOp);
                rows.keySet().retainAll(withOp.keySet());
            } else {
                int missing = 0;
                List<String> examples = new ArrayList<>();
                for (Map.Entry<Integer, Double> e : rows.entrySet()) {
                    if (!Objects.equals(actualRows.get(e.getKey()), e.getValue())) {
                        missing++;
                        if (examples.size() < 5) {
                            examples.add("id " + e.getKey() + ": " + actualRows.get(e.getKey()) + " instead of " + e.getValue()
                                    + " (its history: " + historyOf(e.getKey()) + ")");
                        }
                    }
                }
                for (Integer id : actualRows.keySet()) {
                    if (!rows.containsKey(id) && examples.size() < 10) {
                        examples.add("id " + id + " unacknowledged");
                    }
                }
                lost += Math.max(1, missing);
                problems.add("pts: " + missing + " acknowledged row(s) missing or changed, " + actualRows.size() + " rows vs "
                        + rows.size() + " acknowledged " + examples + " (in flight: " + op + "; before it: " + String.join(", ", recent) + ")");
                rows.clear();
                rows.putAll(actualRows);
            }
        }

        // batches of events: all or nothing
        Map<Integer, Integer> actualBatches = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT batch, COUNT(*) FROM events GROUP BY batch")) {
            while (rs.next()) {
                actualBatches.put(rs.getInt(1), rs.getInt(2));
            }
        }
        for (Map.Entry<Integer, Integer> e : actualBatches.entrySet()) {
            if (e.getValue() != CrashWorkload.BATCH_ROWS) {
                problems.add("events: batch " + e.getKey() + " half applied (" + e.getValue() + " of " + CrashWorkload.BATCH_ROWS + " rows)");
            }
        }
        for (int b : batches) {
            if (!actualBatches.containsKey(b)) {
                lost++;
                problems.add("events: acknowledged batch " + b + " lost");
            }
        }
        batches.retainAll(actualBatches.keySet());
        for (int b : actualBatches.keySet()) {
            if (!batches.contains(b)) {
                if (op != null && w[0].equals("batch") && Integer.parseInt(w[1]) == b) {
                    batches.add(b);
                } else {
                    problems.add("events: batch " + b + " was never acknowledged nor in flight");
                }
            }
        }

        // model versions: every acknowledged one, and at most the in-flight training's
        Set<Integer> actualVersions = new TreeSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM AUGUR.MODELS WHERE name = '" + CrashWorkload.MODEL + "'")) {
            while (rs.next()) {
                actualVersions.add(rs.getInt(1));
            }
        }
        for (int v : versions) {
            if (!actualVersions.contains(v)) {
                lost++;
                problems.add("model version " + v + " was acknowledged and is gone");
            }
        }
        Set<Integer> extra = new TreeSet<>(actualVersions);
        extra.removeAll(versions);
        if (extra.size() > (op != null && w[0].equals("train") ? 1 : 0)) {
            problems.add("model versions " + extra + " were never acknowledged (in flight: " + op + ")");
        }
        versions.clear();
        versions.addAll(actualVersions);

        // the deployed pointer
        Integer actualDeployed = null;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM AUGUR.DEPLOYED WHERE name = '" + CrashWorkload.MODEL + "'")) {
            if (rs.next()) {
                actualDeployed = rs.getInt(1);
            }
        }
        if (!Objects.equals(actualDeployed, deployed)) {
            boolean explained = op != null && (w[0].equals("rollback") || (w[0].equals("deploy") && actualDeployed != null
                    && actualDeployed == Integer.parseInt(w[1])));
            if (!explained) {
                lost++;
                problems.add("deployed version is " + actualDeployed + ", acknowledged " + deployed + " (in flight: " + op
                        + "; before it: " + String.join(", ", recent) + ")");
            }
            deployed = actualDeployed;
        }

        // examples: every acknowledged one, and at most the in-flight one's
        TreeMap<String, Integer> actualLabels = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, y, COUNT(*) FROM labels GROUP BY id, y")) {
            while (rs.next()) {
                actualLabels.put(rs.getInt(1) + " " + rs.getInt(2), rs.getInt(3));
            }
        }
        if (!actualLabels.equals(labels)) {
            TreeMap<String, Integer> withOp = new TreeMap<>(labels);
            if (op != null && w[0].equals("label")) {
                withOp.merge(w[1] + " " + w[2], 1, Integer::sum);
            }
            if (!actualLabels.equals(withOp)) {
                int missing = 0;
                for (Map.Entry<String, Integer> e : labels.entrySet()) {
                    missing += Math.max(0, e.getValue() - actualLabels.getOrDefault(e.getKey(), 0));
                }
                lost += missing;
                problems.add("labels: " + missing + " acknowledged example(s) missing, " + actualLabels + " vs " + labels
                        + " acknowledged (in flight: " + op + ")");
            }
            labels.clear();
            labels.putAll(actualLabels);
        }

        // views: the acknowledged set (plus or minus the one in flight), no trace of others, each equal to a full re-scoring
        Set<String> actualViews = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM AUGUR.VIEWS")) {
            while (rs.next()) {
                actualViews.add(rs.getString(1).toLowerCase());
            }
        }
        Set<String> allowed = new HashSet<>(views);
        if (op != null && (w[0].equals("createview") || w[0].equals("dropview") || w[0].equals("createcv") || w[0].equals("dropcv"))) {
            allowed.add(w[1]);
        }
        for (String v : views) {
            if (!actualViews.contains(v) && !(op != null && (w[0].equals("dropview") || w[0].equals("dropcv")) && w[1].equals(v))) {
                lost++;
                problems.add("view " + v + " was acknowledged and is gone");
            }
        }
        for (String v : actualViews) {
            if (!allowed.contains(v)) {
                problems.add("view " + v + " exists but was never acknowledged");
            }
        }
        views.clear();
        views.addAll(actualViews);
        int viewsWrong = 0;
        List<String> all = new ArrayList<>(List.of(CrashWorkload.VIEWS));
        all.add(CrashWorkload.CLASSIFICATION_VIEW);
        for (String v : all) {
            boolean registered = actualViews.contains(v);
            if (!registered) {
                if (tableExists(c, v) || triggerCount(c, v) > 0) {
                    problems.add("view " + v + " is not registered but its table or trigger is left behind");
                }
                continue;
            }
            String wrong = v.equals(CrashWorkload.CLASSIFICATION_VIEW) ? classificationViewDifference(c, v) : viewDifference(c, v, actualDeployed);
            if (wrong != null) {
                viewsWrong++;
                problems.add("view " + v + " differs from a full re-scoring: " + wrong + " (in flight: " + op + "; before it: "
                        + String.join(", ", recent) + ")");
            }
        }
        recent.clear();
        history.add("[" + cycle + "] checked after the kill" + (op == null ? "" : ", in flight: " + op));
        cycle++;
        return new Findings(lost, viewsWrong, problems);
    }

    private static boolean isRowOp(String verb) {
        return verb.equals("bulk") || verb.equals("insert") || verb.equals("update") || verb.equals("delete");
    }

    /** The operations that named row {@code id}, with their check cycles ([n]: before the n-th check). */
    private String historyOf(int id) {
        java.util.regex.Pattern named = java.util.regex.Pattern.compile("\\b(update|delete|insert) " + id + "\\b");
        List<String> out = new ArrayList<>();
        for (String h : history) {
            if (named.matcher(h).find()) {
                out.add(h);
            }
        }
        return out.isEmpty() ? "none of its own; bulk-inserted" : String.join("; ", out);
    }

    private static void applyToRows(Map<Integer, Double> target, String[] w) {
        switch (w[0]) {
            case "bulk" -> {
                int from = Integer.parseInt(w[1]);
                for (int x = from; x < from + Integer.parseInt(w[2]); x++) {
                    target.put(x, Math.sin(x) * 3);
                }
            }
            case "insert" -> target.put(Integer.parseInt(w[1]), Double.parseDouble(w[2]));
            case "update" -> target.computeIfPresent(Integer.parseInt(w[1]), (k, v) -> Double.parseDouble(w[2]));
            case "delete" -> target.remove(Integer.parseInt(w[1]));
            default -> throw new IllegalArgumentException("not a row operation: " + w[0]);
        }
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = '" + name + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private static int triggerCount(Connection c, String view) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS WHERE LOWER(TRIGGER_NAME) LIKE '" + view + "\\_augur\\_%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Null when every base row has exactly its row in classification view {@code view}, with the label its live model (the
     * one AUGUR.VIEW_MODELS holds, which every learned example moved in the example's transaction) gives, and a score within
     * the view's tolerance of that model's.
     */
    private static String classificationViewDifference(Connection c, String view) throws SQLException {
        dev.augur.engine.model.Model live;
        double tolerance;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT m.VERSION, m.SHA256, m.PAYLOAD, v.TOLERANCE"
                + " FROM AUGUR.VIEW_MODELS m JOIN AUGUR.VIEWS v ON v.NAME = m.VIEW_NAME WHERE LOWER(m.VIEW_NAME) = '" + view + "' AND m.ROLE = 'live'")) {
            if (!rs.next()) {
                return "no live model";
            }
            live = dev.augur.engine.codec.ModelCodec.decode(rs.getBytes(3), rs.getString(2), view, rs.getInt(1));
            tolerance = rs.getDouble(4);
        }
        long missing = 0;
        long differ = 0;
        List<String> examples = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT b.id, b.a, b.b, v.id, v.score, v.label FROM pts b LEFT JOIN " + view + " v ON v.id = b.id")) {
            while (rs.next()) {
                if (rs.getObject(4) == null) {
                    missing++;
                    continue;
                }
                double margin = live.margin(live.featureVector(new Object[]{rs.getDouble(2), rs.getDouble(3)}));
                String label = live.labelOfMargin(margin);
                double score = live.scoreOfMargin(margin);
                if (!label.equals(rs.getString(6)) || !(Math.abs(rs.getDouble(5) - score) <= tolerance + 1e-12)) {
                    differ++;
                    if (examples.size() < 3) {
                        examples.add("id " + rs.getInt(1) + ": " + rs.getString(6) + " " + rs.getDouble(5) + " instead of " + label + " " + score);
                    }
                }
            }
        }
        long extra;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM " + view + " v LEFT JOIN pts b ON v.id = b.id WHERE b.id IS NULL")) {
            rs.next();
            extra = rs.getLong(1);
        }
        if (missing + extra + differ == 0) {
            return null;
        }
        return missing + " row(s) missing, " + extra + " extra, " + differ + " with another label or a score beyond the tolerance of"
                + " the live model's " + examples;
    }

    /** Null when every base row has exactly its view row with PREDICT's score and label at the deployed version. */
    private static String viewDifference(Connection c, String view, Integer deployed) throws SQLException {
        if (deployed == null) {
            return "the model has no deployed version";
        }
        String ref = "'" + CrashWorkload.MODEL + "@" + deployed + "'";
        String sql = "SELECT"
                + " (SELECT COUNT(*) FROM pts b LEFT JOIN " + view + " v ON v.id = b.id WHERE v.id IS NULL),"
                + " (SELECT COUNT(*) FROM " + view + " v LEFT JOIN pts b ON v.id = b.id WHERE b.id IS NULL),"
                + " (SELECT COUNT(*) FROM pts b JOIN " + view + " v ON v.id = b.id WHERE v.score IS DISTINCT FROM PREDICT(" + ref
                + ", b.a, b.b) OR v.label IS DISTINCT FROM PREDICT_LABEL(" + ref + ", b.a, b.b))";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long missing = rs.getLong(1);
            long extra = rs.getLong(2);
            long differ = rs.getLong(3);
            if (missing + extra + differ == 0) {
                return null;
            }
            return missing + " row(s) missing, " + extra + " extra, " + differ + " with another score or label than version " + deployed;
        }
    }
}
