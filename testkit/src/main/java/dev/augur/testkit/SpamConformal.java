package dev.augur.testkit;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Conformal prediction on the SpamAssassin corpus, all in SQL over a {@code jdbc:augur:} connection (what
 * {@code augur bench robust} prints and a test checks at looser bounds): a bag-of-words logistic model trained by
 * AUGUR.TRAIN_MODEL, calibrated by AUGUR.CALIBRATE_MODEL on mails it did not train on, PREDICT_SET on the test mails.
 *
 * <p>Random split: the issue's (CRC32 of the id: even trains, odd tests); the even half is split again, a quarter of it
 * held out for calibration (CRC32 mod 4 = 0). Time split: the older groups train (the same quarter held out for
 * calibration), the newer groups are the test, in the order of their message numbers (each group's position by its
 * own count, so ham and spam interleave as they arrived), cut into windows.
 */
public final class SpamConformal {
    /** Coverage and set sizes of PREDICT_SET over some test mails. */
    public record Coverage(int mails, double coverage, double meanSetSize, double certain, double accuracyWhenCertain) {
    }

    /** The sizes of a split's parts. */
    public record Split(int train, int calibration, int test) {
    }

    private SpamConformal() {
    }

    /** Whether a mail of the training side is held out for calibration: a quarter of it, by CRC32 of the id. */
    static boolean calibration(String id) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 4 == 0;
    }

    /**
     * Loads the mails into table {@code mails (id, grp, is_spam, part_random, part_time, pos, body)}: the part of each
     * split ('train', 'calibration', 'test') and, for the newer groups, the position in arrival order.
     */
    public static void load(Connection c, List<Corpus.Message> mails) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE mails (id VARCHAR(64) PRIMARY KEY, grp VARCHAR(32), is_spam INT, part_random VARCHAR(16),"
                    + " part_time VARCHAR(16), pos INT, body VARCHAR(1000000))");
        }
        Map<String, Integer> groupSizes = new HashMap<>();
        for (Corpus.Message m : mails) {
            groupSizes.merge(m.group(), 1, Integer::sum);
        }
        List<Corpus.Message> newer = new ArrayList<>(mails.stream().filter(m -> !m.older()).toList());
        Map<String, Integer> index = new HashMap<>();
        Map<String, Double> arrival = new HashMap<>();
        newer.sort(Comparator.comparing(Corpus.Message::id));
        for (Corpus.Message m : newer) {
            int i = index.merge(m.group(), 1, Integer::sum);
            arrival.put(m.id(), i / (double) groupSizes.get(m.group()));
        }
        newer.sort(Comparator.comparing((Corpus.Message m) -> arrival.get(m.id())).thenComparing(Corpus.Message::id));
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < newer.size(); i++) {
            position.put(newer.get(i).id(), i + 1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mails VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Corpus.Message m : mails) {
                ps.setString(1, m.id());
                ps.setString(2, m.group());
                ps.setInt(3, m.spam());
                ps.setString(4, !m.inTrainingHalf() ? "test" : calibration(m.id()) ? "calibration" : "train");
                ps.setString(5, !m.older() ? "test" : calibration(m.id()) ? "calibration" : "train");
                if (position.containsKey(m.id())) {
                    ps.setInt(6, position.get(m.id()));
                } else {
                    ps.setNull(6, java.sql.Types.INTEGER);
                }
                ps.setString(7, m.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The sizes of the parts of a split ({@code part_random} or {@code part_time}). */
    public static Split split(Connection c, String partColumn) throws SQLException {
        int[] n = new int[3];
        String[] parts = {"train", "calibration", "test"};
        for (int i = 0; i < 3; i++) {
            n[i] = (int) scalar(c, "SELECT COUNT(*) FROM mails WHERE " + partColumn + " = '" + parts[i] + "'");
        }
        return new Split(n[0], n[1], n[2]);
    }

    /**
     * Trains model {@code name} on a split's training part, calibrates it on its calibration part ({@code method}: split
     * or mondrian) and returns the calibrated version (the trained one is version 1, deployed).
     */
    public static int trainAndCalibrate(Connection c, String name, String partColumn, String method) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (scalar(c, "SELECT COUNT(*) FROM AUGUR.MODELS WHERE NAME = '" + name + "'") == 0) {
                st.executeQuery("SELECT AUGUR.TRAIN_MODEL('" + name + "', 'logistic', 'SELECT body, is_spam FROM mails WHERE "
                        + partColumn + " = ''train''')").close();
                st.executeQuery("SELECT AUGUR.DEPLOY_MODEL('" + name + "', 1)").close();
            }
            return (int) scalar(c, "SELECT AUGUR.CALIBRATE_MODEL('" + name + "', 1, 'SELECT body, is_spam FROM mails WHERE "
                    + partColumn + " = ''calibration''', '{\"method\": \"" + method + "\"}')");
        }
    }

    /** PREDICT_SET and PREDICT_LABEL_IF_CERTAIN of {@code name@version} at {@code alpha} over the test mails {@code where}. */
    public static Coverage coverage(Connection c, String name, int version, double alpha, String where) throws SQLException {
        String ref = name + "@" + version;
        int n = 0;
        int covered = 0;
        int sizes = 0;
        int certain = 0;
        int right = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT is_spam, PREDICT_SET('" + ref + "', " + alpha
                + ", body), PREDICT_LABEL_IF_CERTAIN('" + ref + "', " + alpha + ", body) FROM mails WHERE " + where + " ORDER BY pos, id")) {
            while (rs.next()) {
                String truth = String.valueOf(rs.getInt(1));
                Array set = rs.getArray(2);
                List<String> classes = new ArrayList<>();
                for (Object o : (Object[]) set.getArray()) {
                    classes.add(String.valueOf(o));
                }
                n++;
                covered += classes.contains(truth) ? 1 : 0;
                sizes += classes.size();
                String label = rs.getString(3);
                if (label != null) {
                    certain++;
                    right += label.equals(truth) ? 1 : 0;
                }
            }
        }
        return new Coverage(n, covered / (double) n, sizes / (double) n, certain / (double) n, certain == 0 ? Double.NaN : right / (double) certain);
    }

    /** The coverage of each window of {@code window} newer mails of the time split, in arrival order (the last may be shorter). */
    public static List<Coverage> windows(Connection c, String name, int version, double alpha, int window) throws SQLException {
        int newer = (int) scalar(c, "SELECT COUNT(*) FROM mails WHERE part_time = 'test'");
        List<Coverage> out = new ArrayList<>();
        for (int from = 1; from <= newer; from += window) {
            out.add(coverage(c, name, version, alpha, "part_time = 'test' AND pos BETWEEN " + from + " AND " + (from + window - 1)));
        }
        return out;
    }

    /** The first column of the first row of {@code sql}, as a number. */
    public static double scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
