package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;


/**
 * Prediction views on H2 (Java triggers, ViewIndex) and on PostgreSQL (PL/pgSQL, migrations V3 and V5) through the
 * {@code jdbc:augur:} driver: the same script gives the same view rows (numbers within 1e-9, the same labels,
 * NULLs and model versions), the same return values, the same maintenance events and the same SQLSTATEs.
 */
class PgViewsConformanceTest {
    private static final String ROWS = "SELECT id, score, label, margin, norm_1, norm_2, norm_inf, model_version FROM %s ORDER BY id";
    /** A hybrid view (scores computed on read) and the labels kept behind it. */
    private static final String HYBRID = "SELECT id, score, label, model_version FROM %s ORDER BY id";
    private static final String LABELS = "SELECT id, label, model_version FROM %s_labels ORDER BY id";
    /** An ensemble's view: its spread beside the score. */
    private static final String ENSEMBLE_ROWS = "SELECT id, score, label, spread, margin, norm_1, norm_2, norm_inf, model_version FROM %s ORDER BY id";
    private static final String EVENTS = "SELECT EVENT, MODEL_VERSION, ROWS_WRITTEN FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = '%s' ORDER BY ID";
    /** What views with log_served logged of model %s, key by key in the order served, and what the monitoring counted. */
    private static final String SERVED = "SELECT KEY_TEXT, MODEL_VERSION, SCORE FROM AUGUR.SERVED_PREDICTIONS WHERE MODEL = '%s'"
            + " ORDER BY KEY_TEXT, ID";
    private static final String SERVED_COUNTS = "SELECT MODEL_VERSION, SUM(N) FROM AUGUR.MONITOR_WINDOWS WHERE MODEL = '%s'"
            + " GROUP BY MODEL_VERSION ORDER BY MODEL_VERSION";

    private static String model(String kind, double wa, double wb, double bias) {
        return "SELECT AUGUR.IMPORT_MODEL('m', '{\"name\": \"m\", \"kind\": \"" + kind + "\", \"features\": {\"type\": \"dense\","
                + " \"inputs\": [\"a\", \"b\"]}, \"weights\": [" + wa + ", " + wb + "], \"bias\": " + bias + "}')";
    }

    private static String bow(String name, String kind, double[] weights, double bias) {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < weights.length; i++) {
            w.append(i == 0 ? "" : ", ").append(weights[i]);
        }
        return "SELECT AUGUR.IMPORT_MODEL('" + name + "', '{\"name\": \"" + name + "\", \"kind\": \"" + kind + "\", \"features\": "
                + "{\"type\": \"bag_of_words\", \"input\": \"body\", \"weighting\": \"tfidf\", \"ngrams\": 2, \"hash_bits\": 0,"
                + " \"normalize\": true, \"vocabulary\": [\"buy\", \"now\", \"buy now\", \"cheap\", \"hello\", \"meeting\", \"free offer\", \"win\"],"
                + " \"idf\": [1.5, 1.2, 2.0, 1.8, 0.7, 0.9, 2.2, 1.1]}, \"classes\": [\"ham\", \"spam\"], \"weights\": [" + w + "], \"bias\": "
                + bias + "}')";
    }

    /**
     * The data changes each view is checked through, first with no change at all (the freshly created views): new rows
     * (one with a NULL input), an input changed, another column changed, rows deleted.
     */
    private static List<String> dataChanges(String table, String newRows, String inputChange) {
        return List.of("", "INSERT INTO " + table + " VALUES " + newRows, "UPDATE " + table + " SET " + inputChange + " WHERE MOD(id, 7) = 0",
                "UPDATE " + table + " SET note = 'w' WHERE MOD(id, 5) = 0", "DELETE FROM " + table + " WHERE MOD(id, 13) = 0");
    }

    /** Each step (an empty one: none, the checks alone), then every check query after it. */
    private static void addSteps(List<String> script, List<String> check, List<String> steps) {
        for (String step : steps) {
            if (!step.isEmpty()) {
                script.add(step);
            }
            script.addAll(check);
        }
    }

    @Test
    void viewsGiveTheSameRowsOnH2AndPostgres() throws Exception {
        Random rnd = new Random(5);
        List<String> script = new ArrayList<>();
        script.add("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, note VARCHAR(10))");
        StringBuilder rows = new StringBuilder("INSERT INTO t VALUES ");
        for (int i = 1; i <= 120; i++) {
            rows.append(i == 1 ? "" : ", ").append("(").append(i).append(", ")
                    .append(i % 29 == 0 ? "NULL" : String.format(Locale.ROOT, "%.6f", rnd.nextDouble() * 2 - 1)).append(", ")
                    .append(String.format(Locale.ROOT, "%.6f", rnd.nextDouble() * 2 - 1)).append(", 'n')");
        }
        script.add(rows.toString());
        script.add(model("logistic", 1.0, -1.0, 0.05));
        script.add(model("logistic", 1.002, -0.999, 0.05));
        script.add(model("logistic", 1.05, -0.9, -0.02));
        script.add(model("logistic", -0.5, 1.5, 0.3));
        script.add(model("svm", 0.8, -1.2, 0.0));
        script.add("DEPLOY MODEL m VERSION 1");
        List<String> check = List.of(String.format(ROWS, "v"), String.format(ROWS, "vt"), String.format(EVENTS, "v"),
                String.format(EVENTS, "vt"), "SELECT id, score, label FROM lz ORDER BY id", String.format(HYBRID, "hy"),
                String.format(LABELS, "hy"), String.format(EVENTS, "hy"), String.format(ROWS, "vl"), String.format(SERVED, "m"),
                String.format(SERVED_COUNTS, "m"));
        script.addAll(List.of("SELECT AUGUR.CREATE_PREDICTION_VIEW('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')",
                "CREATE PREDICTION VIEW vl AS SELECT id, PREDICT('m', a, b) FROM t WITH (log_served = true)",
                "SELECT AUGUR.CREATE_PREDICTION_VIEW('vt', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"tolerance\": 0.05, \"alpha\": 2}')",
                "SELECT AUGUR.CREATE_PREDICTION_VIEW('lz', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"mode\": \"lazy\"}')",
                "CREATE PREDICTION VIEW hy AS SELECT id, PREDICT('m', a, b) FROM t WITH (mode = hybrid)"));
        addSteps(script, check, dataChanges("t", "(500, 0.25, -0.125, 'x'), (501, NULL, 0.5, 'y'), (502, -0.75, 0.5, 'z')", "a = -a"));
        addSteps(script, check, List.of(
                "DEPLOY MODEL m VERSION 2",
                "UPDATE t SET b = b * 0.5 WHERE MOD(id, 3) = 0",
                "DEPLOY MODEL m VERSION 3",
                "DEPLOY MODEL m VERSION 2",
                "UPDATE t SET a = 0.125 WHERE id = 501",
                "ROLLBACK MODEL m",
                "DEPLOY MODEL m VERSION 4",
                "DEPLOY MODEL m VERSION 5",
                "REFRESH PREDICTION VIEW v",
                "DEPLOY MODEL m VERSION 1",
                "REFRESH PREDICTION VIEW vt FULL"));
        // bag-of-words views (PostgreSQL: migration V5): documents in, the same rows, norms and events out; deploys keep
        // the feature function (vocabulary, idf, weighting, n-grams), as H2's index keeps each row's feature vector
        script.add("CREATE TABLE docs (id INT PRIMARY KEY, body VARCHAR(200), note VARCHAR(10))");
        String[] words = {"buy", "now", "cheap", "hello", "meeting", "offer", "free", "team", "win", "prize", "zzz"};
        StringBuilder docs = new StringBuilder("INSERT INTO docs VALUES ");
        for (int i = 1; i <= 80; i++) {
            StringBuilder body = new StringBuilder();
            for (int k = rnd.nextInt(7); k > 0; k--) {
                body.append(words[rnd.nextInt(words.length)]).append(rnd.nextInt(4) == 0 ? ", " : " ");
            }
            docs.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i % 23 == 0 ? "NULL" : "'" + body + "'").append(", 'n')");
        }
        script.add(docs.toString());
        script.add(bow("sp", "logistic", new double[]{1.2, 0.4, 2.1, 0.9, -0.8, -1.5, 0.6, 1.1}, -0.2));
        script.add(bow("sp", "logistic", new double[]{1.21, 0.39, 2.1, 0.91, -0.8, -1.49, 0.6, 1.1}, -0.2));
        script.add(bow("sp", "logistic", new double[]{-1.0, 0.8, 0.3, -0.9, 1.6, 0.2, -0.7, 0.4}, 0.3));
        script.add(bow("sp", "svm", new double[]{0.5, 0.5, 1.0, 0.2, -0.4, -0.9, 0.1, 0.8}, 0.0));
        script.add("SELECT AUGUR.IMPORT_MODEL('hs', '{\"name\":\"hs\",\"kind\":\"svm\",\"features\":{\"type\":\"bag_of_words\","
                + "\"input\":\"body\",\"weighting\":\"tf\",\"ngrams\":1,\"hash_bits\":3,\"normalize\":false},\"classes\":[\"0\",\"1\"],"
                + "\"weights\":[0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,-0.8],\"bias\":0.05}')");
        script.add("SELECT AUGUR.IMPORT_MODEL('hs', '{\"name\":\"hs\",\"kind\":\"svm\",\"features\":{\"type\":\"bag_of_words\","
                + "\"input\":\"body\",\"weighting\":\"tf\",\"ngrams\":1,\"hash_bits\":3,\"normalize\":false},\"classes\":[\"0\",\"1\"],"
                + "\"weights\":[0.11,-0.2,0.29,-0.4,0.5,-0.61,0.7,-0.8],\"bias\":0.04}')");
        script.add("DEPLOY MODEL sp VERSION 1");
        script.add("DEPLOY MODEL hs VERSION 1");
        List<String> bowCheck = List.of(String.format(ROWS, "bv"), String.format(ROWS, "bvt"), String.format(ROWS, "hv"),
                String.format(EVENTS, "bv"), String.format(EVENTS, "bvt"), String.format(EVENTS, "hv"), String.format(HYBRID, "bh"),
                String.format(LABELS, "bh"), String.format(EVENTS, "bh"));
        script.addAll(List.of("SELECT AUGUR.CREATE_PREDICTION_VIEW('bv', 'SELECT id, PREDICT(''sp'', body) FROM docs')",
                "SELECT AUGUR.CREATE_PREDICTION_VIEW('bvt', 'SELECT id, PREDICT(''sp'', body) FROM docs', '{\"tolerance\": 0.05, \"alpha\": 2}')",
                "CREATE PREDICTION VIEW hv AS SELECT id, PREDICT('hs', body) FROM docs",
                "CREATE PREDICTION VIEW bh AS SELECT id, PREDICT('sp', body) FROM docs WITH (mode = hybrid, tolerance = 0.5)"));
        addSteps(script, bowCheck, dataChanges("docs", "(500, 'Buy NOW, buy now: free offer', 'x'), (501, NULL, 'y'), (502, '', 'z')",
                "body = body || ' win prize'"));
        addSteps(script, bowCheck, List.of(
                "DEPLOY MODEL sp VERSION 2",
                "DEPLOY MODEL hs VERSION 2",
                "UPDATE docs SET body = 'hello team meeting' WHERE id = 501",
                "DEPLOY MODEL sp VERSION 3",
                "DEPLOY MODEL sp VERSION 2",
                "ROLLBACK MODEL sp",
                "DEPLOY MODEL sp VERSION 4",
                "REFRESH PREDICTION VIEW bv",
                "DEPLOY MODEL sp VERSION 1",
                "REFRESH PREDICTION VIEW bvt FULL"));
        // views of bagged ensembles: the same rows, spreads and events; deploys within and beyond the bounds
        script.add("CREATE TABLE te (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, note VARCHAR(10))");
        StringBuilder ensembleRows = new StringBuilder("INSERT INTO te VALUES ");
        for (int i = 1; i <= 80; i++) {
            ensembleRows.append(i == 1 ? "" : ", ").append("(").append(i).append(", ")
                    .append(i % 31 == 0 ? "NULL" : String.format(Locale.ROOT, "%.6f", rnd.nextDouble() * 2 - 1)).append(", ")
                    .append(String.format(Locale.ROOT, "%.6f", rnd.nextDouble() * 2 - 1)).append(", 'n')");
        }
        script.add(ensembleRows.toString());
        double[][] members = {{1.0, -1.0, 0.05}, {0.5, -1.5, 0.2}, {1.5, -0.5, -0.1}, {0.8, -1.2, 0.0}};
        for (double scale : new double[]{0, 0.002, 0.05, 1}) {
            double[][] version = new double[members.length][];
            for (int k = 0; k < members.length; k++) {
                version[k] = new double[]{members[k][0] + scale * (k - 1.5), members[k][1] - scale * k, members[k][2] + scale * 0.1};
            }
            script.add(ViewsDatabase.ensembleImport("e", "bagged_logistic", "\"no\", \"yes\"", version));
            script.add(ViewsDatabase.ensembleImport("el", "bagged_linear", null, version));
        }
        script.add("DEPLOY MODEL e VERSION 1");
        script.add("DEPLOY MODEL el VERSION 1");
        List<String> ensembleCheck = List.of(String.format(ENSEMBLE_ROWS, "ev"), String.format(ENSEMBLE_ROWS, "evt"),
                String.format(ENSEMBLE_ROWS, "elv"), String.format(EVENTS, "ev"), String.format(EVENTS, "evt"), String.format(EVENTS, "elv"),
                "SELECT id, score, label, spread FROM elz ORDER BY id", "SELECT id, score, label, spread, model_version FROM eh ORDER BY id",
                String.format(LABELS, "eh"), String.format(ENSEMBLE_ROWS, "evl"), String.format(SERVED, "e"), String.format(SERVED_COUNTS, "e"));
        script.addAll(List.of("SELECT AUGUR.CREATE_PREDICTION_VIEW('ev', 'SELECT id, PREDICT(''e'', a, b) FROM te')",
                "CREATE PREDICTION VIEW evt AS SELECT id, PREDICT('e', a, b) FROM te WITH (tolerance = 0.05, alpha = 2)",
                "CREATE PREDICTION VIEW elv AS SELECT id, PREDICT('el', a, b) FROM te WITH (tolerance = 0.01, alpha = 2)",
                "CREATE PREDICTION VIEW elz AS SELECT id, PREDICT('e', a, b) FROM te WITH (mode = lazy)",
                "CREATE PREDICTION VIEW eh AS SELECT id, PREDICT('e', a, b) FROM te WITH (mode = hybrid)",
                "CREATE PREDICTION VIEW evl AS SELECT id, PREDICT('e', a, b) FROM te WITH (log_served = true)"));
        addSteps(script, ensembleCheck, dataChanges("te", "(500, 0.25, -0.125, 'x'), (501, NULL, 0.5, 'y'), (502, -0.75, 0.5, 'z')", "a = -a"));
        addSteps(script, ensembleCheck, List.of(
                "DEPLOY MODEL e VERSION 2",
                "DEPLOY MODEL el VERSION 2",
                "UPDATE te SET b = b * 0.5 WHERE MOD(id, 3) = 0",
                "DEPLOY MODEL e VERSION 3",
                "DEPLOY MODEL el VERSION 3",
                "DEPLOY MODEL e VERSION 2",
                "ROLLBACK MODEL e",
                "DEPLOY MODEL e VERSION 4",
                "DEPLOY MODEL el VERSION 4",
                "REFRESH PREDICTION VIEW ev",
                "DEPLOY MODEL e VERSION 1",
                "REFRESH PREDICTION VIEW evt FULL"));
        // a bag-of-words ensemble's view: the same rows (spreads and norms included) through a data change
        String bowRows = "SELECT id, score, label, spread, margin, norm_1, norm_2, norm_inf, model_version FROM xb ORDER BY id";
        script.addAll(List.of("SELECT AUGUR.IMPORT_MODEL('eb', '" + ConformanceTest.BAGGED_BOW + "')", "DEPLOY MODEL eb VERSION 1",
                "CREATE PREDICTION VIEW xb AS SELECT id, PREDICT('eb', note) FROM te", bowRows,
                "CREATE PREDICTION VIEW xl AS SELECT id, PREDICT('eb', note) FROM te WITH (mode = lazy)",
                "UPDATE te SET note = 'buy, now' WHERE MOD(id, 4) = 1", bowRows, "SELECT id, score, spread FROM xl ORDER BY id",
                "DROP PREDICTION VIEW xb", "DROP PREDICTION VIEW xl"));
        script.add("DROP PREDICTION VIEW bv");
        script.add("DROP PREDICTION VIEW bvt");
        script.add("DROP PREDICTION VIEW hv");
        script.add("DROP PREDICTION VIEW bh");
        // incremental maintenance happened (deploys that wrote part of a view), not only full re-scorings
        int incrementalCheck = script.size();
        script.add("SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE EVENT = 'deploy' AND ROWS_WRITTEN > 0");
        int mustSucceed = script.size();
        // bad definitions fail alike
        script.add("CREATE TABLE dup (id INT, a DOUBLE PRECISION, b DOUBLE PRECISION)");
        script.add("INSERT INTO dup VALUES (1, 1, 1), (1, 2, 2)");
        script.addAll(List.of(
                "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a, b) FROM missing",
                "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a, b) FROM dup",
                "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a) FROM t",
                "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('nope', a, b) FROM t",
                "CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a, b) FROM t",
                "SELECT AUGUR.CREATE_PREDICTION_VIEW('9x', 'SELECT id, PREDICT(''m'', a, b) FROM t')",
                // an ensemble's view holds ensembles: a deploy of one model onto it fails whole (0A000 both)
                "SELECT AUGUR.IMPORT_MODEL('e', '{\"name\": \"e\", \"kind\": \"logistic\", \"features\": {\"type\": \"dense\","
                        + " \"inputs\": [\"a\", \"b\"]}, \"classes\": [\"no\", \"yes\"], \"weights\": [1, -1], \"bias\": 0}')",
                "DEPLOY MODEL e VERSION 5",
                "SELECT version FROM AUGUR.DEPLOYED WHERE name = 'e'",
                "SELECT AUGUR.CREATE_PREDICTION_VIEW('x', 'SELECT id FROM t')",
                "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a, b) FROM t WITH (mode = sometimes)",
                "CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a, b) FROM t WITH (mode = hybrid, log_served = true)",
                "SELECT AUGUR.CREATE_PREDICTION_VIEW('x', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"log_served\": 1}')",
                "SELECT AUGUR.CREATE_PREDICTION_VIEW('x', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"mode\": \"lazy\", \"log_served\": true}')",
                "INSERT INTO t VALUES (1, 0.5, 0.5, 'dup')",
                "DROP MODEL m",
                "DROP PREDICTION VIEW nope",
                "DROP PREDICTION VIEW v", "DROP PREDICTION VIEW vt", "DROP PREDICTION VIEW lz", "DROP PREDICTION VIEW hy",
                "DROP PREDICTION VIEW ev", "DROP PREDICTION VIEW evt", "DROP PREDICTION VIEW elv", "DROP PREDICTION VIEW elz",
                "DROP PREDICTION VIEW eh", "DROP PREDICTION VIEW vl", "DROP PREDICTION VIEW evl",
                // the served log stays, as the view leaves it
                "SELECT MODEL, COUNT(*) FROM AUGUR.SERVED_PREDICTIONS GROUP BY MODEL ORDER BY MODEL",
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) IN ('hy', 'hy_labels')",
                "SELECT COUNT(*) FROM AUGUR.VIEWS", "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS"));

        ConformanceTest.conformScript("vconf", script, i -> i < mustSucceed, incrementalCheck);
    }
}
