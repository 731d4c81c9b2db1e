package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;


/**
 * Classification views on H2 (engine SGD in Java triggers) and on PostgreSQL (PL/pgSQL, migration V6): the same
 * script gives the same initial model (same example order and shuffles), the same online-learning steps, the same
 * view rows (numbers within 1e-9, the same labels, NULLs and versions), the same maintenance events and SQLSTATEs.
 */
class PgClassificationViewsConformanceTest {
    private static final String ROWS = "SELECT id, score, label, margin, norm_1, norm_2, norm_inf, model_version FROM %s ORDER BY id";
    private static final String EVENTS = "SELECT EVENT, MODEL_VERSION, ROWS_RESCORED, ROWS_WRITTEN FROM AUGUR.VIEW_EVENTS "
            + "WHERE VIEW_NAME = '%s' ORDER BY ID";

    /** Example inserts that must fail (on both databases alike) and change nothing. */
    private static final java.util.Set<String> BAD_EXAMPLES = java.util.Set.of("INSERT INTO ex VALUES (94, NULL)",
            "INSERT INTO ex VALUES (95, 1), (96, 7)", "INSERT INTO ex VALUES (97, 0), (9999, 1)", "INSERT INTO ex VALUES (124, 1)",
            "INSERT INTO dex VALUES (47, 'eggs')", "INSERT INTO dex VALUES (501, 'ham')");

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    @Test
    void classificationViewsLearnAndAnswerAlikeOnH2AndPostgres() throws Exception {
        Random rnd = new Random(11);
        List<String> script = new ArrayList<>();
        double[][] x = denseEntitiesAndExamples(rnd, script);
        script.add("CREATE CLASSIFICATION VIEW cl KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                + "USING logistic WITH (learning_rate = 0.2, epochs = 5)");
        script.add("SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('cs', 'ent', 'id', 'ex', 'id', 'y', '(a, b)', 'svm', "
                + "'{\"learning_rate\": 0.05, \"tolerance\": 0, \"alpha\": 3, \"seed\": 7}')");
        List<String> check = List.of(String.format(ROWS, "cl"), String.format(ROWS, "cs"), String.format(EVENTS, "cl"),
                String.format(EVENTS, "cs"));
        script.addAll(check);
        List<String> steps = new ArrayList<>();
        for (int i = 41; i <= 60; i++) {
            steps.add("INSERT INTO ex VALUES (" + i + ", " + label(x[i], rnd) + ")");
        }
        StringBuilder batch = new StringBuilder("INSERT INTO ex VALUES ");
        for (int i = 61; i <= 90; i++) {
            if (i % 31 == 0) {
                continue;  // no features (a is NULL): an example for it fails, as tested below
            }
            batch.append(i == 61 ? "" : ", ").append("(").append(i).append(", ").append(label(x[i], rnd)).append(")");
        }
        steps.add(batch.toString());
        steps.addAll(List.of(
                "INSERT INTO ent VALUES (500, 0.5, -0.25, 'x'), (501, NULL, 0.5, 'y'), (502, -1.5, 1.0, 'z')",
                "UPDATE ent SET a = -a WHERE MOD(id, 7) = 0",
                "UPDATE ent SET note = 'w' WHERE MOD(id, 5) = 0",
                "DELETE FROM ent WHERE MOD(id, 13) = 0",
                "INSERT INTO ex VALUES (500, 1), (502, 0)",
                "REFRESH PREDICTION VIEW cl",
                "INSERT INTO ex VALUES (105, 1), (106, 0), (107, 1)",
                "REFRESH PREDICTION VIEW cs FULL",
                // bad examples change nothing: a NULL label, a label outside the classes, no entity, NULL features
                "INSERT INTO ex VALUES (94, NULL)",
                "INSERT INTO ex VALUES (95, 1), (96, 7)",
                "INSERT INTO ex VALUES (97, 0), (9999, 1)",
                "INSERT INTO ex VALUES (124, 1)",
                "INSERT INTO ex VALUES (98, 0), (99, 1)"));
        for (String step : steps) {
            script.add(step);
            script.addAll(check);
        }
        // bag of words: text labels, hashed features, learning from documents
        script.add("CREATE TABLE docs (id INT PRIMARY KEY, body VARCHAR(300))");
        String[] spam = {"buy", "now", "cheap", "offer", "free", "win", "prize", "click"};
        String[] ham = {"hello", "meeting", "team", "lunch", "report", "project", "thanks", "monday"};
        StringBuilder docs = new StringBuilder("INSERT INTO docs VALUES ");
        boolean[] isSpam = new boolean[201];
        for (int i = 1; i <= 120; i++) {
            isSpam[i] = rnd.nextBoolean();
            StringBuilder body = new StringBuilder();
            for (int k = 2 + rnd.nextInt(8); k > 0; k--) {
                String[] pool = rnd.nextInt(5) == 0 ? (isSpam[i] ? ham : spam) : (isSpam[i] ? spam : ham);
                body.append(pool[rnd.nextInt(pool.length)]).append(rnd.nextInt(4) == 0 ? ", " : " ");
            }
            docs.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i % 37 == 0 ? "NULL" : "'" + body + "'").append(")");
        }
        script.add(docs.toString());
        script.add("CREATE TABLE dex (id INT PRIMARY KEY, kind VARCHAR(5))");
        StringBuilder dex = new StringBuilder("INSERT INTO dex VALUES ");
        for (int i = 1; i <= 30; i++) {
            dex.append(i == 1 ? "" : ", ").append("(").append(i).append(", '").append(isSpam[i] ? "spam" : "ham").append("')");
        }
        script.add(dex.toString());
        script.add("CREATE CLASSIFICATION VIEW cb KEY id ENTITIES FROM docs EXAMPLES FROM dex KEY id LABEL kind "
                + "FEATURE FUNCTION bag_of_words(body) WITH (hash_bits = 8, learning_rate = 0.5)");
        List<String> bowCheck = List.of(String.format(ROWS, "cb"), String.format(EVENTS, "cb"));
        script.addAll(bowCheck);
        List<String> bowSteps = new ArrayList<>();
        for (int i = 31; i <= 45; i++) {
            if (i % 37 == 0) {
                continue;  // a NULL body: no features
            }
            bowSteps.add("INSERT INTO dex VALUES (" + i + ", '" + (isSpam[i] ? "spam" : "ham") + "')");
        }
        bowSteps.addAll(List.of(
                "INSERT INTO docs VALUES (500, 'Buy NOW, buy now: free offer'), (501, NULL), (502, '')",
                "UPDATE docs SET body = body || ' win prize' WHERE MOD(id, 7) = 0",
                "DELETE FROM docs WHERE MOD(id, 11) = 0",
                "INSERT INTO dex VALUES (500, 'spam'), (502, 'ham'), (46, '" + (isSpam[46] ? "spam" : "ham") + "')",
                "INSERT INTO dex VALUES (47, 'eggs')",
                "INSERT INTO dex VALUES (501, 'ham')",
                "REFRESH PREDICTION VIEW cb FULL"));
        for (String step : bowSteps) {
            script.add(step);
            script.addAll(bowCheck);
        }
        int incrementalCheck = script.size();
        script.add("SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE EVENT = 'learn' AND ROWS_RESCORED < ROWS_CHECKED");
        script.add("DROP PREDICTION VIEW cl");
        script.add("INSERT INTO ex VALUES (100, 1)");
        script.add("SELECT COUNT(*) FROM AUGUR.VIEWS");
        int mustSucceed = script.size();
        // bad definitions fail alike
        script.add("CREATE TABLE one (id INT PRIMARY KEY, y INT)");
        script.add("INSERT INTO one VALUES (1, 1), (2, 1)");
        script.add("CREATE TABLE nul (id INT PRIMARY KEY, y INT)");
        script.add("INSERT INTO nul VALUES (1, 1), (2, NULL)");
        script.add("CREATE TABLE orphan (id INT PRIMARY KEY, y INT)");
        script.add("INSERT INTO orphan VALUES (1, 1), (2, 0), (777, 1)");
        script.addAll(List.of(
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM one KEY id LABEL y FEATURE FUNCTION (a, b)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM nul KEY id LABEL y FEATURE FUNCTION (a, b)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM orphan KEY id LABEL y FEATURE FUNCTION (a, b)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM missing EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL nope FEATURE FUNCTION (a, b)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) USING softmax",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) WITH (speed = 2)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) WITH (l2 = -1)",
                "SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('x', 'ent', 'id', 'ex', 'id', 'y', 'tokens(a)', 'logistic', NULL)",
                "CREATE CLASSIFICATION VIEW cs KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b)",
                "DROP PREDICTION VIEW cs", "DROP PREDICTION VIEW cb",
                "SELECT COUNT(*) FROM AUGUR.VIEWS", "SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS",
                "INSERT INTO ex VALUES (101, 0)", "INSERT INTO dex VALUES (48, 'eggs')"));

        ConformanceTest.conformScript("cconf", script, i -> i < mustSucceed && !BAD_EXAMPLES.contains(script.get(i)), incrementalCheck);
    }

    /**
     * Ensembles (online bagging), over dense features or a bag of words: the same bootstrap-trained members, the same Poisson
     * draws per example ordinal, so the same rows (spreads too), events and SQLSTATEs, through batches, entity changes,
     * refreshes and bad examples.
     */
    @Test
    void ensembleClassificationViewsLearnAndAnswerAlikeOnH2AndPostgres() throws Exception {
        Random rnd = new Random(12);
        List<String> script = new ArrayList<>();
        double[][] x = denseEntitiesAndExamples(rnd, script);
        // notes that tell the signs of a and b, for an ensemble over a bag of words
        script.add("UPDATE ent SET note = CASE WHEN a > 0 THEN 'win now' WHEN b > 0 THEN 'team' ELSE 'lunch now' END");
        script.add("CREATE CLASSIFICATION VIEW el KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                + "USING bagged_logistic WITH (learning_rate = 0.2, epochs = 5, members = 5, seed = 3)");
        script.add("SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('es', 'ent', 'id', 'ex', 'id', 'y', '(a, b)', 'bagged_svm', "
                + "'{\"learning_rate\": 0.05, \"tolerance\": 0, \"alpha\": 3, \"members\": 3, \"seed\": -7}')");
        script.add("CREATE CLASSIFICATION VIEW eb KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION bag_of_words(note) "
                + "USING bagged_logistic WITH (learning_rate = 0.3, hash_bits = 6, members = 4, seed = 5)");
        String ensembleRows = "SELECT id, score, label, spread, margin, norm_1, norm_2, norm_inf, model_version FROM %s ORDER BY id";
        List<String> check = List.of(String.format(ensembleRows, "el"), String.format(ensembleRows, "es"), String.format(ensembleRows, "eb"),
                String.format(EVENTS, "el"), String.format(EVENTS, "es"), String.format(EVENTS, "eb"));
        script.addAll(check);
        List<String> steps = new ArrayList<>();
        for (int i = 41; i <= 55; i++) {
            steps.add("INSERT INTO ex VALUES (" + i + ", " + label(x[i], rnd) + ")");
        }
        StringBuilder batch = new StringBuilder("INSERT INTO ex VALUES ");
        for (int i = 56; i <= 90; i++) {
            if (i % 31 == 0) {
                continue;
            }
            batch.append(i == 56 ? "" : ", ").append("(").append(i).append(", ").append(label(x[i], rnd)).append(")");
        }
        steps.add(batch.toString());
        steps.addAll(List.of(
                "INSERT INTO ent VALUES (500, 0.5, -0.25, 'x'), (501, NULL, 0.5, 'y'), (502, -1.5, 1.0, 'z')",
                "UPDATE ent SET a = -a WHERE MOD(id, 7) = 0",
                "DELETE FROM ent WHERE MOD(id, 13) = 0",
                "INSERT INTO ex VALUES (500, 1), (502, 0)",
                "REFRESH PREDICTION VIEW el",
                "INSERT INTO ex VALUES (105, 1), (106, 0), (107, 1)",
                "REFRESH PREDICTION VIEW es FULL",
                // bad examples change nothing, the ordinals included: the next good example draws as if they never came
                "INSERT INTO ex VALUES (94, NULL)",
                "INSERT INTO ex VALUES (95, 1), (96, 7)",
                "INSERT INTO ex VALUES (124, 1)",
                "INSERT INTO ex VALUES (98, 0), (99, 1)"));
        for (String step : steps) {
            script.add(step);
            script.addAll(check);
        }
        int incrementalCheck = script.size();
        script.add("SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE EVENT = 'learn' AND ROWS_RESCORED < ROWS_CHECKED");
        int mustSucceed = script.size();
        script.addAll(List.of(
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                        + "USING bagged_logistic WITH (members = 1)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                        + "USING svm WITH (members = 4)",
                "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                        + "USING bagged_linear",
                "DROP PREDICTION VIEW el", "DROP PREDICTION VIEW es", "DROP PREDICTION VIEW eb", "SELECT COUNT(*) FROM AUGUR.VIEWS"));
        ConformanceTest.conformScript("econf", script, i -> i < mustSucceed && !BAD_EXAMPLES.contains(script.get(i)), incrementalCheck);
    }

    /**
     * Forgetting: the same decayed steps and the same windows (the live model replaced where a window ends, inside a
     * statement or at its end), so the same rows, events and SQLSTATEs; the options alike in AUGUR.VIEWS, bad ones alike.
     */
    @Test
    void forgettingClassificationViewsLearnAndAnswerAlikeOnH2AndPostgres() throws Exception {
        Random rnd = new Random(13);
        List<String> script = new ArrayList<>();
        double[][] x = denseEntitiesAndExamples(rnd, script);
        script.add("CREATE CLASSIFICATION VIEW fd KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                + "USING logistic WITH (learning_rate = 0.2, epochs = 5, forget_decay = 0.9)");
        script.add("CREATE CLASSIFICATION VIEW fw KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                + "USING svm WITH (learning_rate = 0.1, tolerance = 0, forget_window = 4)");
        script.add("SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('fe', 'ent', 'id', 'ex', 'id', 'y', '(a, b)', 'bagged_logistic', "
                + "'{\"learning_rate\": 0.3, \"members\": 3, \"seed\": 5, \"forget_window\": 3}')");
        String ensembleRows = "SELECT id, score, label, spread, margin, norm_1, norm_2, norm_inf, model_version FROM %s ORDER BY id";
        List<String> check = List.of(String.format(ROWS, "fd"), String.format(ROWS, "fw"), String.format(ensembleRows, "fe"),
                String.format(EVENTS, "fd"), String.format(EVENTS, "fw"), String.format(EVENTS, "fe"));
        script.add("SELECT NAME, FORGET_DECAY, FORGET_WINDOW FROM AUGUR.VIEWS ORDER BY NAME");
        script.addAll(check);
        List<String> steps = new ArrayList<>();
        for (int i = 41; i <= 50; i++) {
            // the concept flipped: every label the opposite of the rule's
            steps.add("INSERT INTO ex VALUES (" + i + ", " + (1 - label(x[i], rnd)) + ")");
        }
        StringBuilder batch = new StringBuilder("INSERT INTO ex VALUES ");
        for (int i = 51; i <= 61; i++) {
            batch.append(i == 51 ? "" : ", ").append("(").append(i).append(", ").append(1 - label(x[i], rnd)).append(")");
        }
        steps.add(batch.toString());
        steps.addAll(List.of(
                "UPDATE ent SET a = -a WHERE MOD(id, 7) = 0",
                "INSERT INTO ex VALUES (105, 1), (106, 0)",
                "INSERT INTO ex VALUES (95, 1), (96, 7)",
                "INSERT INTO ex VALUES (98, 0), (99, 1), (100, 1)"));
        for (String step : steps) {
            script.add(step);
            script.addAll(check);
        }
        // (a flipped concept moves every model far: its learning steps re-score most rows, so none is required to skip)
        script.add("SELECT COUNT(*) FROM AUGUR.VIEW_EVENTS WHERE EVENT = 'learn' AND ROWS_RESCORED < ROWS_CHECKED");
        int mustSucceed = script.size();
        String create = "CREATE CLASSIFICATION VIEW x KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (a, b) "
                + "WITH (%s)";
        for (String bad : List.of("forget_decay = 0", "forget_decay = 1.01", "forget_window = 0", "forget_window = 1.5",
                "forget_decay = 0.5, forget_window = 2")) {
            script.add(String.format(create, bad));
        }
        script.add("CREATE PREDICTION VIEW x AS SELECT id, PREDICT('m', a) FROM ent WITH (forget_decay = 0.5)");
        script.addAll(List.of("DROP PREDICTION VIEW fd", "DROP PREDICTION VIEW fw", "DROP PREDICTION VIEW fe", "SELECT COUNT(*) FROM AUGUR.VIEWS"));
        ConformanceTest.conformScript("fconf", script, i -> i < mustSucceed && !BAD_EXAMPLES.contains(script.get(i)), -1);
    }

    /**
     * Dense entities ent (id, a, b, note) 1..150 (a NULL for every 31st), labels from a noisy linear rule, examples ex for
     * the first 40; returns the entities' inputs by id.
     */
    private static double[][] denseEntitiesAndExamples(Random rnd, List<String> script) {
        script.add("CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, note VARCHAR(10))");
        StringBuilder rows = new StringBuilder("INSERT INTO ent VALUES ");
        double[][] x = new double[301][];
        for (int i = 1; i <= 150; i++) {
            x[i] = new double[]{rnd.nextDouble() * 4 - 2, rnd.nextDouble() * 4 - 2};
            rows.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i % 31 == 0 ? "NULL" : num(x[i][0]))
                    .append(", ").append(num(x[i][1])).append(", 'n')");
        }
        script.add(rows.toString());
        script.add("CREATE TABLE ex (id INT PRIMARY KEY, y INT)");
        StringBuilder ex = new StringBuilder("INSERT INTO ex VALUES ");
        for (int i = 1; i <= 40; i++) {
            ex.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(label(x[i], rnd)).append(")");
        }
        script.add(ex.toString());
        return x;
    }

    private static int label(double[] x, Random rnd) {
        return x[0] - 0.5 * x[1] + 0.3 * rnd.nextGaussian() > 0 ? 1 : 0;
    }
}
