package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database made by the catalog of commit 25032aa (every function body in V1..V7) upgrades in place when it is
 * connected through jdbc:augur:postgresql: (V1..V7's old checksums repaired, functions from the repeatable scripts,
 * generated functions regenerated, privileges applied): it answers as before, and the same changes afterwards (data,
 * deploys, a rollback, new examples for the classification view's online learning) give the same answers as the old
 * catalog gives them, on a second copy of the same database that is never upgraded.
 */
class PgUpgradeTest {
    /**
     * Scores the upgraded functions compute afresh (not the views' stored rows) are within this of the old ones: every
     * logistic score now goes through the one augur.sigmoid (tanh), where PREDICT_EXPLAIN, PREDICT_PROBA and bag-of-words
     * PREDICT used a formula of exp of their own (the last bits differ).
     */
    private static final double FRESH = 1e-12;

    /** The functions of 25032aa that V8 drops (the data-trigger generators that augur.view_row_trigger_body replaced). */
    /** Functions of the old catalog that a later one drops: V8's three, and cv_run's signature before the margin screen's arguments. */
    private static final List<String> DROPPED = List.of("augur.cv_entity_trigger_body(text,text,text,text[],text)",
            "augur.view_bow_trigger_body(text,text,text,text)", "augur.view_trigger_body(text,text,text,text[],text[])",
            "augur.cv_run(augur.views,text,double precision[],double precision,text[],integer,double precision,double precision,"
                    + "double precision,double precision,double precision,double precision,double precision,double precision)");

    private static final Map<String, String> ANSWERS = new LinkedHashMap<>();

    static {
        ANSWERS.put("dense PREDICT family", "SELECT id, PREDICT('m', a, b), PREDICT_LABEL('m', a, b), PREDICT_PROBA('m', '1', a, b), "
                + "PREDICT('m@2', a, b), PREDICT('m@3', a, b), PREDICT_EXPLAIN('m', 2, a, b) FROM t ORDER BY id");
        ANSWERS.put("bag-of-words PREDICT family", "SELECT id, PREDICT('spam', body), PREDICT_LABEL('spam', body), "
                + "PREDICT_PROBA('spam', '1', body), PREDICT('spam@2', body) FROM docs ORDER BY id");
        ANSWERS.put("eager view ev", "SELECT id, score, label, margin, norm_1, norm_2, norm_inf, model_version, anchor_margin, dirty FROM ev ORDER BY id");
        ANSWERS.put("hybrid view hy", "SELECT id, score, label, model_version FROM hy ORDER BY id");
        ANSWERS.put("labels of hy", "SELECT id, label, margin, model_version, anchor_margin, dirty FROM hy_labels ORDER BY id");
        ANSWERS.put("lazy view lz", "SELECT id, score, label FROM lz ORDER BY id");
        ANSWERS.put("bag-of-words view bv", "SELECT id, score, label, margin, norm_1, norm_2, norm_inf, model_version FROM bv ORDER BY id");
        ANSWERS.put("classification view cv", "SELECT id, score, label, margin, model_version, f_idx, f_val FROM cv ORDER BY id");
        ANSWERS.put("views", "SELECT name, kind, mode, model, model_version, anchor_version, tolerance, alpha, created_by FROM augur.views ORDER BY name");
        ANSWERS.put("view models", "SELECT view_name, role, version, sha256 FROM augur.view_models ORDER BY view_name, role");
        ANSWERS.put("learners", "SELECT view_name, live_weights, live_bias, anchor_weights, anchor_bias, examples FROM augur.view_learners ORDER BY view_name");
        ANSWERS.put("deployed", "SELECT name, version, sha256 FROM augur.deployed ORDER BY name");
        ANSWERS.put("privileges", "SELECT p.oid::regprocedure::text, p.proacl::text, p.prosecdef, p.proconfig::text FROM pg_proc p "
                + "WHERE p.pronamespace IN ('augur'::regnamespace, 'public'::regnamespace) AND p.proname !~ '^augur_(v[rtix]|c[tl])_' ORDER BY 1");
    }

    private static final List<String> CHANGES = List.of(
            "INSERT INTO t VALUES (101, -0.25, 0.75), (102, 0.9, 0.1)",
            "UPDATE t SET a = -a WHERE id % 3 = 0",
            "DELETE FROM t WHERE id % 7 = 0",
            "SELECT augur.deploy_model('m', 2)",
            "SELECT augur.deploy_model('m', 3)",
            "SELECT augur.rollback_model('m')",
            "INSERT INTO docs VALUES (6, 'cheap lunch pills'), (7, 'meeting meeting')",
            "UPDATE docs SET body = 'pills at noon' WHERE id = 5",
            "SELECT augur.deploy_model('spam', 2)",
            "INSERT INTO labels VALUES (5, 1), (6, 0), (7, 0)",
            "SELECT augur.refresh_prediction_view('hy', true)",
            "SELECT augur.refresh_prediction_view('ev')");

    @Test
    void aDatabaseOf25032aaUpgradesInPlaceAndAnswersAsTheOldCatalogDoes() throws Exception {
        String kept = PgServer.newDatabase("upgrade_kept");
        String upgraded = PgServer.newDatabase("upgrade_new");
        OldPgCatalog.restoreDump(kept);
        OldPgCatalog.restoreDump(upgraded);
        Map<String, List<List<Object>>> before;
        try (Connection c = DriverManager.getConnection(upgraded)) {
            before = answers(c);
            assertThat(before.get("views")).hasSize(5);
            assertThat(before.get("classification view cv")).hasSize(5);
        }
        try (Connection c = DriverManager.getConnection("jdbc:augur:" + upgraded.substring("jdbc:".length()))) {
            assertThat(H2Db.count(c, "augur.\"AUGUR_SCHEMA_HISTORY\" WHERE NOT success")).isZero();
            assertThat(H2Db.count(c, "augur.\"AUGUR_SCHEMA_HISTORY\" WHERE type = 'SQL' AND version IS NULL"))
                    .as("repeatable scripts applied").isGreaterThan(50);
            assertThat(H2Db.text(c, "SELECT obj_description('augur.\"AUGUR_SCHEMA_HISTORY\"'::regclass, 'pg_class')"))
                    .startsWith("Augur catalog scripts ");
            // the functions generated before the upgrade were generated again, calling the current helpers
            assertThat(H2Db.text(c, "SELECT coalesce(string_agg(p.oid::regprocedure::text, ', '), '') FROM pg_proc p "
                    + "WHERE (p.proname ~ '^augur_(v[rtix]|c[tl])_' OR p.proname = 'predict') AND p.prosrc LIKE '%tanh(%'"))
                    .as("generated functions with a sigmoid of their own").isEmpty();
            assertSame("right after the upgrade", before, answers(c), FRESH);
            // the generated dense PREDICT is still planned as the model's arithmetic (augur.sigmoid inlined too)
            StringBuilder plan = new StringBuilder();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN VERBOSE SELECT PREDICT('m', a, b) FROM t")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).as("plan of PREDICT").contains("tanh(", "* a)", "* b)")
                    .doesNotContain("predict(", "sigmoid(", "coefs(", "affine(");
            assertThat(H2Db.count(c, "bv JOIN docs d ON d.id = bv.id WHERE bv.score IS DISTINCT FROM PREDICT('spam', d.body)"))
                    .as("scores of the bag-of-words view that differ from PREDICT's").isZero();
        }
        try (Connection old = DriverManager.getConnection(kept);
             Connection now = DriverManager.getConnection("jdbc:augur:" + upgraded.substring("jdbc:".length()))) {
            for (String change : CHANGES) {
                for (Connection c : List.of(old, now)) {
                    try (Statement st = c.createStatement()) {
                        st.execute(change);
                    }
                }
            }
            Map<String, List<List<Object>>> expected = answers(old);
            assertThat(expected.get("learners").get(0).get(1)).as("the classification view learned from the new examples")
                    .isNotEqualTo(before.get("learners").get(0).get(1));
            assertSame("after the same changes", expected, answers(now), FRESH);
        }
    }

    private static Map<String, List<List<Object>>> answers(Connection c) throws SQLException {
        Map<String, List<List<Object>>> all = new LinkedHashMap<>();
        for (Map.Entry<String, String> q : ANSWERS.entrySet()) {
            List<List<Object>> rows = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q.getValue())) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof Array a ? Arrays.deepToString((Object[]) a.getArray()) : v);
                    }
                    rows.add(row);
                }
            }
            all.put(q.getKey(), rows);
        }
        return all;
    }

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?\\d+\\.\\d+(?:[eE][-+]?\\d+)?");

    private static String digits(String text) {
        return DECIMAL.matcher(text).replaceAll(m -> String.format(java.util.Locale.ROOT, "%.12g", Double.parseDouble(m.group())));
    }

    /** The same rows; numbers within tolerance (the functions now computing them were rewritten), all else equal. */
    private static void assertSame(String when, Map<String, List<List<Object>>> expected, Map<String, List<List<Object>>> actual,
                                   double tolerance) {
        for (String what : expected.keySet()) {
            List<List<Object>> e = expected.get(what);
            List<List<Object>> a = actual.get(what);
            if (what.equals("privileges")) {
                // every function of the old catalog keeps its privileges, but those V8 drops (helpers new in this one
                // are not compared)
                // and its settings, or since 2026-12-03 the pinned search_path where it had none (PgSearchPathTest)
                List<List<Object>> kept = e.stream().filter(row -> !DROPPED.contains(row.get(0))).toList();
                assertThat(a.stream().map(row -> row.subList(0, 3)).toList()).as("%s: %s", when, what)
                        .containsAll(kept.stream().map(row -> row.subList(0, 3)).toList());
                Map<Object, Object> settings = new java.util.HashMap<>();
                a.forEach(row -> settings.put(row.get(0), row.get(3)));
                String pinned = "\"search_path=pg_catalog, pg_temp\"";
                for (List<Object> row : kept) {
                    Object before = row.get(3);
                    Object added = before == null ? "{" + pinned + "}" : "{" + pinned + "," + before.toString().substring(1);
                    assertThat(settings.get(row.get(0))).as("%s: settings of %s", when, row.get(0)).isIn(before, added);
                }
                assertThat(a).as("%s: functions dropped since", when).noneMatch(row -> DROPPED.contains(row.get(0)));
                continue;
            }
            assertThat(a).as("%s: %s, rows", when, what).hasSameSizeAs(e);
            for (int r = 0; r < e.size(); r++) {
                for (int i = 0; i < e.get(r).size(); i++) {
                    Object x = e.get(r).get(i);
                    Object y = a.get(r).get(i);
                    if (x instanceof Double dx && y instanceof Double dy) {
                        assertThat(dy).as("%s: %s, row %s, column %s", when, what, r + 1, i + 1).isCloseTo(dx,
                                org.assertj.core.data.Offset.offset(tolerance));
                    } else if (x instanceof String sx && y instanceof String sy) {
                        // PREDICT_EXPLAIN's JSON: its numbers to 12 digits, all else equal
                        assertThat(digits(sy)).as("%s: %s, row %s, column %s", when, what, r + 1, i + 1).isEqualTo(digits(sx));
                    } else {
                        assertThat(y).as("%s: %s, row %s, column %s", when, what, r + 1, i + 1).isEqualTo(x);
                    }
                }
            }
        }
    }
}
