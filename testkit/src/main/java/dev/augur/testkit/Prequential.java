package dev.augur.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.function.IntConsumer;

/**
 * Online learning on real drift, measured prequentially: a classification view starts from the older {@code -1}
 * groups' labels, then the newer {@code -2} groups arrive as examples in batches of 50 in a fixed shuffled order;
 * each batch is scored (read from the view) before the view learns from it.
 */
public final class Prequential {
    /** Accuracies on the stream: with online learning, and of the frozen initial model on the same mails. */
    public record Result(double online, double frozen, int examples, int batches) {
    }

    private Prequential() {
    }

    /** Loads the mails into {@code emails} and {@code email_labels} (the older half labelled) and runs the stream. */
    public static Result run(Connection c, List<Corpus.Message> mails, int batchSize, long seed, IntConsumer progress) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE emails (id VARCHAR(64) PRIMARY KEY, grp VARCHAR(32) NOT NULL, is_spam INT NOT NULL,"
                    + " body VARCHAR(1000000) NOT NULL)");
            st.execute("CREATE TABLE email_labels (id VARCHAR(64) PRIMARY KEY, is_spam INT NOT NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO emails VALUES (?, ?, ?, ?)");
             PreparedStatement labels = c.prepareStatement("INSERT INTO email_labels VALUES (?, ?)")) {
            for (Corpus.Message m : mails) {
                ps.setString(1, m.id());
                ps.setString(2, m.group());
                ps.setInt(3, m.spam());
                ps.setString(4, m.text());
                ps.addBatch();
                if (m.older()) {
                    labels.setString(1, m.id());
                    labels.setInt(2, m.spam());
                    labels.addBatch();
                }
            }
            ps.executeBatch();
            labels.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE CLASSIFICATION VIEW spam_live KEY id ENTITIES FROM emails EXAMPLES FROM email_labels KEY id"
                    + " LABEL is_spam FEATURE FUNCTION bag_of_words(body) USING logistic");
        }
        List<Corpus.Message> stream = new ArrayList<>();
        for (Corpus.Message m : mails) {
            if (!m.older()) {
                stream.add(m);
            }
        }
        Collections.shuffle(stream, new Random(seed));
        Map<String, String> frozen = labels(c, stream);
        int online = 0;
        int frozenRight = 0;
        int batches = 0;
        for (int from = 0; from < stream.size(); from += batchSize) {
            List<Corpus.Message> batch = stream.subList(from, Math.min(stream.size(), from + batchSize));
            Map<String, String> predicted = labels(c, batch);
            // one INSERT per batch, its rows in the stream's order: the view learns them in that order on every database
            StringJoiner rows = new StringJoiner(", ");
            for (Corpus.Message m : batch) {
                String truth = String.valueOf(m.spam());
                online += truth.equals(predicted.get(m.id())) ? 1 : 0;
                frozenRight += truth.equals(frozen.get(m.id())) ? 1 : 0;
                rows.add("('" + m.id().replace("'", "''") + "', " + m.spam() + ")");
            }
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO email_labels VALUES " + rows);
            }
            batches++;
            if (progress != null) {
                progress.accept(from + batch.size());
            }
        }
        return new Result((double) online / stream.size(), (double) frozenRight / stream.size(), stream.size(), batches);
    }

    private static Map<String, String> labels(Connection c, List<Corpus.Message> mails) throws SQLException {
        Map<String, String> out = new HashMap<>();
        StringJoiner ids = new StringJoiner(", ");
        for (Corpus.Message m : mails) {
            ids.add("'" + m.id().replace("'", "''") + "'");
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, label FROM spam_live WHERE id IN (" + ids + ")")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
