package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static dev.augur.tests.H2Db.exec;
import static dev.augur.tests.H2Db.intValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written by an older Augur ({@code upgrade/h2-25032aa.mv.db.gz}, by {@link H2UpgradeFixtureWriter} at
 * main 25032aa) opens through {@code jdbc:augur:h2:file:}, which upgrades its catalog in place, answers what it
 * answered before, and goes on maintaining its views.
 */
class H2UpgradeTest {
    private static final String FIXTURE = "/upgrade/h2-25032aa.mv.db.gz";

    /** What is compared before and after the upgrade: read-only queries of the tables, in a stable order. */
    private static final Map<String, String> RECORDED = new LinkedHashMap<>();

    static {
        RECORDED.put("models", "SELECT NAME, VERSION, KIND, SHA256 FROM AUGUR.MODELS ORDER BY NAME, VERSION");
        RECORDED.put("deployed", "SELECT NAME, VERSION, SHA256 FROM AUGUR.DEPLOYED ORDER BY NAME");
        RECORDED.put("deployments", "SELECT NAME, VERSION, PREVIOUS_VERSION, ACTION, ROLLED_BACK FROM AUGUR.DEPLOYMENTS ORDER BY ID");
        RECORDED.put("views", "SELECT NAME, KIND, MODE, MODEL, MODEL_VERSION FROM AUGUR.VIEWS ORDER BY NAME");
        RECORDED.put("eager view", "SELECT id, score, label, model_version FROM eager_scores ORDER BY id");
        RECORDED.put("bag-of-words view", "SELECT id, score, label, model_version FROM word_scores ORDER BY id");
        RECORDED.put("classification view", "SELECT id, score, label, model_version FROM learned ORDER BY id");
    }

    /** The PREDICT answers of the old code, which it stored in the fixture (old_predictions, old_hybrid_scores). */
    private static final String OLD_PREDICTIONS = "SELECT model, id, score, label FROM old_predictions ORDER BY model, id";
    private static final String NEW_PREDICTIONS = "SELECT * FROM ("
            + "SELECT 'dense' AS model, id, PREDICT('dense', a, b) AS score, PREDICT_LABEL('dense', a, b) AS label FROM t"
            + " UNION ALL SELECT 'dense@1', id, PREDICT('dense@1', a, b), PREDICT_LABEL('dense@1', a, b) FROM t"
            + " UNION ALL SELECT 'dense@2', id, PREDICT('dense@2', a, b), PREDICT_LABEL('dense@2', a, b) FROM t"
            + " UNION ALL SELECT 'words', id, PREDICT('words', body), PREDICT_LABEL('words', body) FROM docs"
            + ") p ORDER BY model, id";
    private static final String OLD_HYBRID = "SELECT id, score, label, model_version FROM old_hybrid_scores ORDER BY id";
    private static final String NEW_HYBRID = "SELECT id, score, label, model_version FROM hybrid_scores ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void anOldDatabaseUpgradesInPlaceAndAnswersTheSame() throws Exception {
        Path file = unzipFixture();
        Map<String, List<List<Object>>> before = new LinkedHashMap<>();
        // plain H2, read-only: what the old database holds, untouched by any Augur code
        try (Connection plain = DriverManager.getConnection("jdbc:h2:file:" + file + ";ACCESS_MODE_DATA=r")) {
            for (Map.Entry<String, String> q : RECORDED.entrySet()) {
                before.put(q.getKey(), rows(plain, q.getValue()));
            }
            before.put("predictions", rows(plain, OLD_PREDICTIONS));
            before.put("hybrid view", rows(plain, OLD_HYBRID));
        }
        // the fixture is what its script says it is, so the comparison below compares something
        assertThat(before.get("models")).extracting(r -> r.get(0) + "@" + r.get(1)).containsExactly("dense@1", "dense@2", "words@1");
        assertThat(before.get("deployments")).extracting(r -> r.get(3)).containsExactly("deploy", "deploy", "rollback", "deploy");
        assertThat(before.get("views")).extracting(r -> r.get(0) + ":" + r.get(2))
                .containsExactly("eager_scores:eager", "hybrid_scores:hybrid", "learned:eager", "word_scores:eager");
        assertThat(before.get("classification view")).extracting(r -> r.get(3)).containsOnly(2L);
        assertThat(before.get("eager view")).hasSize(121);
        assertThat(before.get("predictions")).hasSize(3 * 121 + 8);

        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:file:" + file)) {
            for (Map.Entry<String, String> q : RECORDED.entrySet()) {
                assertThat(rows(c, q.getValue())).as(q.getKey() + " after the upgrade").isEqualTo(before.get(q.getKey()));
            }
            assertThat(rows(c, NEW_PREDICTIONS)).as("PREDICT after the upgrade").isEqualTo(before.get("predictions"));
            assertThat(rows(c, NEW_HYBRID)).as("hybrid view after the upgrade").isEqualTo(before.get("hybrid view"));
            goesOnMaintainingTheViews(c);
        }
        // and it opens again, as it was left
        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:file:" + file)) {
            assertThat(intValue(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'dense'")).isEqualTo(1);
            assertViewEqualsFullRescoring(c, "eager_scores", "dense", 1);
        }
    }

    /**
     * A function the old catalog lacks (here: one dropped from it) is declared on the next connect, which migrates the
     * old database: its V1..V3 were applied with the scripts of 25032aa, whose checksums differ from the shipped ones
     * (the aliases left them), and Flyway's validation would refuse; the checksums are realigned instead.
     */
    @Test
    void aMissingFunctionIsDeclaredAndTheOldChecksumsAreRealigned() throws Exception {
        Path file = unzipFixture();
        String history = "SELECT \"version\", \"checksum\" FROM AUGUR.AUGUR_SCHEMA_HISTORY WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"";
        List<List<Object>> oldChecksums;
        try (Connection plain = DriverManager.getConnection("jdbc:h2:file:" + file)) {
            exec(plain, "DROP ALIAS AUGUR.DROP_MODEL");
            oldChecksums = rows(plain, history);
        }
        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:file:" + file)) {
            assertThat(intValue(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA = 'AUGUR'"
                    + " AND ROUTINE_NAME = 'DROP_MODEL'")).isPositive();
            // the fixture's V1..V3 come first; the migrations shipped since it (V4: calibrations, V5: feedback) follow them
            List<List<Object>> now = rows(c, history).subList(0, oldChecksums.size());
            assertThat(now).extracting(r -> r.get(0)).isEqualTo(oldChecksums.stream().map(r -> r.get(0)).toList());
            assertThat(now).as("V1..V3 realigned with the shipped scripts").isNotEqualTo(oldChecksums);
            assertThat(intValue(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'dense'")).isEqualTo(1);
            assertViewEqualsFullRescoring(c, "eager_scores", "dense", 1);
        }
    }

    /** A new version, deploys, rollbacks, rows and examples after the upgrade: every view follows. */
    private static void goesOnMaintainingTheViews(Connection c) throws Exception {
        exec(c, "TRAIN MODEL dense KIND logistic FROM (SELECT a, b, CASE WHEN b > 0.2 THEN 1 ELSE 0 END FROM t) WITH (epochs = 5, seed = 11)");
        assertThat(intValue(c, "SELECT MAX(VERSION) FROM AUGUR.MODELS WHERE NAME = 'dense'")).isEqualTo(3);
        exec(c, "DEPLOY MODEL dense VERSION 3");
        assertViewEqualsFullRescoring(c, "eager_scores", "dense", 3);
        assertViewEqualsFullRescoring(c, "hybrid_scores", "dense", null);

        exec(c, "INSERT INTO t VALUES (600, -0.4, 0.9), (601, 0.7, 0.1)",
                "UPDATE t SET a = -a WHERE MOD(id, 7) = 0",
                "DELETE FROM t WHERE MOD(id, 11) = 0");
        assertViewEqualsFullRescoring(c, "eager_scores", "dense", 3);
        assertViewEqualsFullRescoring(c, "hybrid_scores", "dense", null);

        exec(c, "ROLLBACK MODEL dense");
        assertThat(intValue(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'dense'")).isEqualTo(1);
        assertViewEqualsFullRescoring(c, "eager_scores", "dense", 1);
        assertViewEqualsFullRescoring(c, "hybrid_scores", "dense", null);

        exec(c, "INSERT INTO docs VALUES (9, 'free cash prize now', 1), (10, 'review the meeting notes', 0)",
                "UPDATE docs SET body = 'claim cash' WHERE id = 2");
        assertThat(rows(c, "SELECT id, score, label FROM word_scores ORDER BY id"))
                .isEqualTo(rows(c, "SELECT id, PREDICT('words', body), PREDICT_LABEL('words', body) FROM docs ORDER BY id"));

        int learnedBefore = intValue(c, "SELECT MODEL_VERSION FROM AUGUR.VIEWS WHERE NAME = 'learned'");
        exec(c, "INSERT INTO ex SELECT id, CASE WHEN a + b > 0 THEN 1 ELSE 0 END FROM ent WHERE id BETWEEN 31 AND 45",
                "INSERT INTO ent VALUES (100, 0.5, 0.5), (101, -0.5, -0.6)");
        assertThat(intValue(c, "SELECT MODEL_VERSION FROM AUGUR.VIEWS WHERE NAME = 'learned'")).isGreaterThan(learnedBefore);
        // a full refresh re-scores every entity with the live model: the maintained view must already agree with it
        List<List<Object>> maintained = rows(c, "SELECT id, label, score, model_version FROM learned ORDER BY id");
        assertThat(maintained).hasSize(82);
        exec(c, "REFRESH PREDICTION VIEW learned FULL");
        List<List<Object>> rescored = rows(c, "SELECT id, label, score, model_version FROM learned ORDER BY id");
        assertThat(rescored).hasSameSizeAs(maintained);
        int live = intValue(c, "SELECT MODEL_VERSION FROM AUGUR.VIEWS WHERE NAME = 'learned'");
        for (int i = 0; i < rescored.size(); i++) {
            List<Object> m = maintained.get(i);
            List<Object> r = rescored.get(i);
            assertThat(m.get(0)).isEqualTo(r.get(0));
            assertThat(m.get(1)).as("label of entity " + m.get(0)).isEqualTo(r.get(1));
            assertThat(Math.abs((double) m.get(2) - (double) r.get(2))).as("score of entity " + m.get(0)).isLessThanOrEqualTo(0.02);
            // a full refresh writes every row with the live version; maintenance left rows within the tolerance with the
            // version that last scored them (a re-anchoring writes only what the tolerance requires), never a later one
            assertThat(((Number) r.get(3)).intValue()).as("version of entity " + m.get(0) + " after the full refresh").isEqualTo(live);
            assertThat(((Number) m.get(3)).intValue()).as("version of entity " + m.get(0) + " as maintained").isBetween(1, live);
        }
    }

    /**
     * Keys, labels and scores (bit for bit) of a view equal PREDICT over the base table; an eager view's rows were all
     * scored by {@code version} (null for a hybrid view: its labels keep the version that last had to re-score them).
     */
    private static void assertViewEqualsFullRescoring(Connection c, String view, String model, Integer version) throws SQLException {
        assertThat(rows(c, "SELECT id, score, label FROM " + view + " ORDER BY id")).as(view)
                .isEqualTo(rows(c, "SELECT id, PREDICT('" + model + "', a, b), PREDICT_LABEL('" + model + "', a, b) FROM t ORDER BY id"));
        if (version != null) {
            assertThat(rows(c, "SELECT DISTINCT model_version FROM " + view)).as(view + " model versions")
                    .containsExactly(List.of((long) version));
        }
    }

    private Path unzipFixture() throws Exception {
        Path db = dir.resolve("augur.mv.db");
        try (InputStream in = H2UpgradeTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as("fixture " + FIXTURE).isNotNull();
            try (InputStream unzipped = new GZIPInputStream(in)) {
                Files.copy(unzipped, db);
            }
        }
        return dir.resolve("augur");
    }

    /**
     * Rows with numbers normalized (integers to long, others to double), so a column whose integer or decimal type
     * changes in a later catalog still compares by value.
     */
    private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : H2Db.rows(c, sql)) {
            List<Object> normalized = new ArrayList<>();
            for (Object v : row) {
                normalized.add(normalize(v));
            }
            out.add(normalized);
        }
        return out;
    }

    private static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigDecimal d) {
            return d.scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            return s.strip(); // CHAR(64) columns pad
        }
        return v;
    }
}
