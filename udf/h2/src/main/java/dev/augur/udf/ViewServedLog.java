package dev.augur.udf;

import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.view.ViewIndex;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a prediction view with {@code log_served} serves, in the served log: every row the view writes (its creation,
 * data-change maintenance, a deploy's or rollback's re-scoring, REFRESH) is recorded, in the writing statement's
 * transaction, as {@code AUGUR.RECORD_PREDICTION(model, key, score, model_version, now)} would record it
 * ({@link H2Feedback#recordServed}: its checks, the experiment of an explicit version, monitoring, feedback): the model,
 * the key as text (as a label's key becomes text), the version that scored the row, the score the row now holds, and
 * the statement's time, which the row holds as SCORED_AT. A row the view does not write (its stored values still within
 * the view's tolerance, or unchanged) is not recorded again: it still serves the value recorded when it was written,
 * which the feedback's join rule finds. A row of NULLs (a NULL input) serves nothing and is not recorded, nor is a row
 * removed: a label then joins the key's latest recorded prediction, as it would after the row left.
 */
final class ViewServedLog {
    private ViewServedLog() {
    }

    /**
     * Marks view {@code name} (its catalog row just inserted, its rows not yet written) as one that logs what it serves,
     * once the served log is known to take its model's deployed version as RECORD_PREDICTION would (what it refuses is
     * refused here, at CREATE, rather than at the first row).
     */
    static void logServed(Connection c, String name, String model, int version) throws SQLException {
        H2Feedback.checkServed(c, model, version, 0.5, null);
        try (PreparedStatement ps = c.prepareStatement("UPDATE AUGUR.VIEWS SET LOG_SERVED = TRUE WHERE NAME = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    /** The rows a view of {@code rt} has just written, scored by {@code version}; nothing unless the view logs what it serves. */
    static void written(Connection c, ViewRuntime rt, List<ViewIndex.Scored> rows, int version) throws SQLException {
        if (!rt.def.logServed() || rows.isEmpty()) {
            return;
        }
        // in the order of their keys' text (as on PostgreSQL): the served log's index by key is then written in order
        String[] texts = new String[rows.size()];
        Integer[] order = new Integer[texts.length];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = SgdTrainer.labelText(rows.get(i).key());
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> texts[x].compareTo(texts[y]));
        List<String> keys = new ArrayList<>(texts.length);
        double[] scores = new double[texts.length];
        for (int i = 0; i < texts.length; i++) {
            keys.add(texts[order[i]]);
            scores[i] = rows.get(order[i]).score();
        }
        H2Feedback.recordServed(c, rt.def.model(), version, keys, scores, statementTime(c));
    }

    /** The statement's CURRENT_TIMESTAMP, which the rows just written hold as SCORED_AT. */
    private static OffsetDateTime statementTime(Connection c) throws SQLException {
        PreparedStatement ps = SessionStatements.of(c, "SELECT CURRENT_TIMESTAMP");
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }
}
