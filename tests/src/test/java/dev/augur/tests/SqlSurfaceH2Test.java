package dev.augur.tests;

import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import static dev.augur.tests.H2Db.JSON;
import static dev.augur.tests.H2Db.count;
import static dev.augur.tests.H2Db.doubleValue;
import static dev.augur.tests.H2Db.exec;
import static dev.augur.tests.H2Db.intValue;
import static dev.augur.tests.H2Db.json;
import static dev.augur.tests.H2Db.open;
import static dev.augur.tests.H2Db.rows;
import static dev.augur.tests.H2Db.scalar;
import static dev.augur.tests.H2Db.sigmoid;
import static dev.augur.tests.H2Db.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The stable SQL surface on H2 (DESIGN.md "SQL surface" and "Stable names"): the AUGUR.* administration functions,
 * the PREDICT family, the catalog tables and the extension statements of the {@code jdbc:augur:} driver.
 */
class SqlSurfaceH2Test {

    /** 150 rows: a regression target, a binary label, three classes and a spam/ham text per row. */
    static void createTrainingTable(Connection c) throws SQLException {
        exec(c, "CREATE TABLE T(ID INT PRIMARY KEY, A DOUBLE PRECISION, B DOUBLE PRECISION, Y DOUBLE PRECISION,"
                        + " C INT, K VARCHAR(8), BODY VARCHAR(200), SPAM INT)",
                "INSERT INTO T SELECT X, X, MOD(X * 7, 11), 3 * X - 2 * MOD(X * 7, 11) + 5,"
                        + " CASE WHEN X + 3 * MOD(X * 7, 11) > 90 THEN 1 ELSE 0 END,"
                        + " CASE WHEN X <= 50 THEN 'low' WHEN X <= 100 THEN 'mid' ELSE 'high' END,"
                        + " CASE MOD(X, 6) WHEN 0 THEN 'Buy cheap pills now' WHEN 1 THEN 'Cheap meds, best offer!'"
                        + "   WHEN 2 THEN 'Win money now, click here' WHEN 3 THEN 'Meeting at noon about the project'"
                        + "   WHEN 4 THEN 'Agenda for the team meeting attached' ELSE 'Lunch with the project team today' END,"
                        + " CASE WHEN MOD(X, 6) < 3 THEN 1 ELSE 0 END"
                        + " FROM SYSTEM_RANGE(1, 150)");
    }

    static Model logistic(String name, double wa, double wb, double bias) {
        return Model.of(name, ModelKind.LOGISTIC, new DenseFeatures(List.of("a", "b")), List.of("0", "1"),
                new double[]{wa, wb}, new double[]{bias});
    }

    static Model linear3(String name, double bias) {
        return Model.of(name, ModelKind.LINEAR, new DenseFeatures(List.of("x", "y", "z")), List.of(),
                new double[]{2.0, -3.0, 0.5}, new double[]{bias});
    }

    static Model softmax(String name) {
        return Model.of(name, ModelKind.SOFTMAX, new DenseFeatures(List.of("a", "b")), List.of("cat", "dog", "eel"),
                new double[]{1.0, -0.5, /* dog */ -0.25, 0.75, /* eel */ 0.1, 0.2}, new double[]{0.3, -0.2, 0.05});
    }

    static int importModel(Connection c, String name, Model m) throws SQLException {
        return intValue(c, "SELECT AUGUR.IMPORT_MODEL(?, ?)", name, ModelJson.toJson(m));
    }

    static int deployed(Connection c, String name) throws SQLException {
        return intValue(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = ?", name);
    }

    // ------------------------------------------------------------------ TRAIN_MODEL

    @Test
    void trainModelLinearWithThreeAndFourArgumentsReturnsNewUndeployedVersions() throws Exception {
        try (Connection c = open("train_linear")) {
            createTrainingTable(c);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('lin', 'linear', 'SELECT A, B, Y FROM T')")).isEqualTo(1);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('lin', 'linear', 'SELECT A, B, Y FROM T',"
                    + " '{\"epochs\": 30, \"seed\": 7}')")).isEqualTo(2);
            // registered, not deployed
            assertThat(count(c, "AUGUR.DEPLOYED")).isZero();
            assertThat(rows(c, "SELECT VERSION, KIND, INPUTS, CLASSES, SOURCE FROM AUGUR.MODELS ORDER BY VERSION"))
                    .containsExactly(Arrays.asList(1, "linear", "a,b", null, "train"),
                            Arrays.asList(2, "linear", "a,b", null, "train"));
            JsonNode spec = json(c, "SELECT SPEC FROM AUGUR.MODELS WHERE NAME = 'lin' AND VERSION = 2");
            assertThat(spec.path("training_options").path("epochs").asInt()).isEqualTo(30);
            assertThat(spec.path("features").path("type").asText()).isEqualTo("dense");
            // y = 3a - 2b + 5 exactly, so a trained linear model predicts it closely
            double worst = 0;
            for (List<Object> r : rows(c, "SELECT PREDICT('lin@2', A, B), Y FROM T")) {
                worst = Math.max(worst, Math.abs(((Number) r.get(0)).doubleValue() - ((Number) r.get(1)).doubleValue()));
            }
            assertThat(worst).isLessThan(0.5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic", "svm"})
    void trainModelBinaryKindsLearnTheLabel(String kind) throws Exception {
        try (Connection c = open("train_" + kind)) {
            createTrainingTable(c);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('bin', ?, 'SELECT A, B, C FROM T')", kind)).isEqualTo(1);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('bin', ?, 'SELECT A, B, C FROM T', '{\"epochs\": 40}')", kind))
                    .isEqualTo(2);
            assertThat(rows(c, "SELECT KIND, CLASSES FROM AUGUR.MODELS WHERE VERSION = 2"))
                    .containsExactly(List.of(kind, "0,1"));
            int correct = intValue(c, "SELECT COUNT(*) FROM T WHERE PREDICT_LABEL('bin@2', A, B) = CAST(C AS VARCHAR)");
            assertThat(correct).as("training accuracy of %s out of 150", kind).isGreaterThanOrEqualTo(135);
            // PREDICT is P(class "1") and agrees with the label
            int disagree = intValue(c, "SELECT COUNT(*) FROM T WHERE (PREDICT('bin@2', A, B) >= 0.5)"
                    + " <> (PREDICT_LABEL('bin@2', A, B) = '1')");
            assertThat(disagree).isZero();
            assertThat(intValue(c, "SELECT COUNT(*) FROM T WHERE PREDICT('bin@1', A, B) NOT BETWEEN 0 AND 1")).isZero();
        }
    }

    @Test
    void trainModelSoftmaxLearnsThreeTextClasses() throws Exception {
        try (Connection c = open("train_softmax")) {
            createTrainingTable(c);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('cls', 'softmax', 'SELECT A, B, K FROM T')")).isEqualTo(1);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('cls', 'softmax', 'SELECT A, B, K FROM T',"
                    + " '{\"epochs\": 60, \"learning_rate\": 0.5}')")).isEqualTo(2);
            assertThat(text(c, "SELECT CLASSES FROM AUGUR.MODELS WHERE VERSION = 2")).isEqualTo("high,low,mid");
            int correct = intValue(c, "SELECT COUNT(*) FROM T WHERE PREDICT_LABEL('cls@2', A, B) = K");
            assertThat(correct).as("training accuracy out of 150").isGreaterThanOrEqualTo(120);
            assertThat(rows(c, "SELECT DISTINCT PREDICT_LABEL('cls@2', A, B) FROM T"))
                    .allSatisfy(r -> assertThat(r.get(0)).isIn("low", "mid", "high"));
            // PREDICT is the probability of the predicted class; the class probabilities sum to 1
            for (List<Object> r : rows(c, "SELECT PREDICT('cls@2', A, B), PREDICT_LABEL('cls@2', A, B),"
                    + " PREDICT_PROBA('cls@2', 'low', A, B), PREDICT_PROBA('cls@2', 'mid', A, B),"
                    + " PREDICT_PROBA('cls@2', 'high', A, B) FROM T WHERE MOD(ID, 7) = 0")) {
                double low = (Double) r.get(2);
                double mid = (Double) r.get(3);
                double high = (Double) r.get(4);
                assertThat(low + mid + high).isCloseTo(1.0, within(1e-12));
                double byLabel = switch ((String) r.get(1)) {
                    case "low" -> low;
                    case "mid" -> mid;
                    default -> high;
                };
                assertThat((Double) r.get(0)).isCloseTo(byLabel, within(1e-12)).isEqualTo(Math.max(low, Math.max(mid, high)));
            }
        }
    }

    @Test
    void trainModelOnOneTextColumnIsBagOfWords() throws Exception {
        try (Connection c = open("train_text")) {
            createTrainingTable(c);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('spam', 'logistic', 'SELECT BODY, SPAM FROM T')")).isEqualTo(1);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('spam', 'logistic', 'SELECT BODY, SPAM FROM T',"
                    + " '{\"features\": \"tfidf\", \"ngrams\": 2, \"epochs\": 5}')")).isEqualTo(2);
            JsonNode spec1 = json(c, "SELECT SPEC FROM AUGUR.MODELS WHERE NAME = 'spam' AND VERSION = 1");
            assertThat(spec1.path("features").path("type").asText()).isEqualTo("bag_of_words");
            assertThat(spec1.path("inputs").get(0).asText()).isEqualTo("body");
            JsonNode export2 = json(c, "SELECT AUGUR.EXPORT_MODEL('spam', 2)");
            assertThat(export2.path("features").path("weighting").asText()).isEqualTo("tfidf");
            assertThat(export2.path("features").path("ngrams").asInt()).isEqualTo(2);
            assertThat(export2.path("features").path("idf").size())
                    .isEqualTo(export2.path("features").path("vocabulary").size()).isPositive();
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('spam', 1)");
            for (String ref : new String[]{"spam", "spam@2"}) {
                assertThat(doubleValue(c, "SELECT PREDICT(?, 'CHEAP pills, buy now!!')", ref)).as(ref).isGreaterThan(0.5);
                assertThat(doubleValue(c, "SELECT PREDICT(?, 'team meeting about the project')", ref)).as(ref).isLessThan(0.5);
                assertThat(text(c, "SELECT PREDICT_LABEL(?, 'cheap pills')", ref)).as(ref).isEqualTo("1");
                assertThat(text(c, "SELECT PREDICT_LABEL(?, 'project agenda')", ref)).as(ref).isEqualTo("0");
            }
            assertThat(intValue(c, "SELECT COUNT(*) FROM T WHERE PREDICT_LABEL('spam', BODY) = CAST(SPAM AS VARCHAR)"))
                    .isEqualTo(150);
            // the explanation of a text names its terms, and bias + contributions is the margin
            String body = "buy cheap pills, meeting now";
            JsonNode ex = json(c, "SELECT PREDICT_EXPLAIN('spam', 100, ?)", body);
            double score = doubleValue(c, "SELECT PREDICT('spam', ?)", body);
            assertExplanationAddsUp(ex, Math.log(score / (1 - score)), 1e-9);
            assertThat(ex.path("score").asDouble()).isCloseTo(score, within(1e-15));
            Set<String> features = new HashSet<>();
            ex.path("contributions").forEach(n -> features.add(n.path("feature").asText()));
            assertThat(features).containsExactlyInAnyOrder("buy", "cheap", "pills", "meeting", "now");
        }
    }

    @Test
    void trainModelSoftmaxOnText() throws Exception {
        try (Connection c = open("train_text_softmax")) {
            createTrainingTable(c);
            exec(c, "CREATE TABLE DOCS AS SELECT BODY, CASE MOD(ID, 6) WHEN 0 THEN 'pharma' WHEN 1 THEN 'pharma'"
                    + " WHEN 2 THEN 'money' ELSE 'work' END AS TOPIC FROM T");
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('topic', 'softmax', 'SELECT BODY, TOPIC FROM DOCS')")).isEqualTo(1);
            assertThat(text(c, "SELECT PREDICT_LABEL('topic@1', 'cheap pills')")).isEqualTo("pharma");
            assertThat(text(c, "SELECT PREDICT_LABEL('topic@1', 'win money')")).isEqualTo("money");
            assertThat(text(c, "SELECT PREDICT_LABEL('topic@1', 'team meeting')")).isEqualTo("work");
            double sum = doubleValue(c, "SELECT PREDICT_PROBA('topic@1', 'pharma', 'x y') + PREDICT_PROBA('topic@1', 'money', 'x y')"
                    + " + PREDICT_PROBA('topic@1', 'work', 'x y')");
            assertThat(sum).isCloseTo(1.0, within(1e-12));
        }
    }

    // ------------------------------------------------------------------ IMPORT / EXPORT

    @Test
    void importReturnsVersionsAndExportRoundTripsTheJson() throws Exception {
        try (Connection c = open("import_export")) {
            Model v1 = logistic("whatever_name_inside", 0.75, -1.5, 0.25);
            Model v2 = logistic("other", -2.0, 0.125, 1.0);
            assertThat(importModel(c, "imp", v1)).isEqualTo(1);
            assertThat(importModel(c, "imp", v2)).isEqualTo(2);
            // the name argument wins over the name inside the JSON
            assertThat(rows(c, "SELECT DISTINCT NAME, SOURCE FROM AUGUR.MODELS")).containsExactly(List.of("imp", "import"));
            JsonNode e1 = json(c, "SELECT AUGUR.EXPORT_MODEL('imp', 1)");
            JsonNode e2 = json(c, "SELECT AUGUR.EXPORT_MODEL('imp', 2)");
            assertThat(e1).isEqualTo(JSON.readTree(ModelJson.toJson(v1.withName("imp"))));
            assertThat(e2).isEqualTo(JSON.readTree(ModelJson.toJson(v2.withName("imp"))));
            // without a version: the latest while none is deployed, then the deployed one
            assertThat(json(c, "SELECT AUGUR.EXPORT_MODEL('imp')")).isEqualTo(e2);
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('imp', 1)");
            assertThat(json(c, "SELECT AUGUR.EXPORT_MODEL('imp')")).isEqualTo(e1);
            // export -> import under another name gives the same model (same payload hash, same predictions)
            String exported = text(c, "SELECT AUGUR.EXPORT_MODEL('imp', 2)");
            assertThat(intValue(c, "SELECT AUGUR.IMPORT_MODEL('copy', ?)", exported)).isEqualTo(1);
            assertThat(ModelJson.fromJson(text(c, "SELECT AUGUR.EXPORT_MODEL('copy', 1)")))
                    .isEqualTo(ModelJson.fromJson(exported).withName("copy"));
            assertThat(doubleValue(c, "SELECT PREDICT('copy@1', 1.5, -2.5)"))
                    .isEqualTo(doubleValue(c, "SELECT PREDICT('imp@2', 1.5, -2.5)"))
                    .isCloseTo(sigmoid(1.0 + -2.0 * 1.5 + 0.125 * -2.5), within(1e-15));
        }
    }

    @Test
    void exportOfATrainedTextModelReimportsToIdenticalPredictions() throws Exception {
        try (Connection c = open("export_text")) {
            createTrainingTable(c);
            exec(c, "SELECT AUGUR.TRAIN_MODEL('spam', 'logistic', 'SELECT BODY, SPAM FROM T', '{\"hash_bits\": 10}')");
            String json = text(c, "SELECT AUGUR.EXPORT_MODEL('spam', 1)");
            assertThat(intValue(c, "SELECT AUGUR.IMPORT_MODEL('spam2', ?)", json)).isEqualTo(1);
            assertThat(intValue(c, "SELECT COUNT(*) FROM T WHERE PREDICT('spam@1', BODY) <> PREDICT('spam2@1', BODY)"))
                    .isZero();
            assertThat(intValue(c, "SELECT COUNT(DISTINCT PREDICT('spam@1', BODY)) FROM T")).isGreaterThan(1);
        }
    }

    // ------------------------------------------------------------------ DEPLOY / ROLLBACK / DROP

    @Test
    void deployWithAndWithoutVersionAndRollbackWalksBackTwice() throws Exception {
        try (Connection c = open("deploy_rollback")) {
            for (int v = 1; v <= 3; v++) {
                assertThat(importModel(c, "m", linear3("m", 100.0 * v))).isEqualTo(v);
            }
            // x=1, y=1, z=2: 2 - 3 + 1 = 0, so the value is the bias
            String predict = "SELECT PREDICT('m', 1, 1, 2)";
            assertThat(intValue(c, "SELECT AUGUR.DEPLOY_MODEL('m', 1)")).isEqualTo(1);
            assertThat(doubleValue(c, predict)).isEqualTo(100.0);
            assertThat(intValue(c, "SELECT AUGUR.DEPLOY_MODEL('m')")).as("latest").isEqualTo(3);
            assertThat(doubleValue(c, predict)).isEqualTo(300.0);
            assertThat(intValue(c, "SELECT AUGUR.DEPLOY_MODEL('m', 2)")).isEqualTo(2);
            assertThat(doubleValue(c, predict)).isEqualTo(200.0);
            // deploying what is deployed changes nothing
            assertThat(intValue(c, "SELECT AUGUR.DEPLOY_MODEL('m', 2)")).isEqualTo(2);
            assertThat(rows(c, "SELECT VERSION, PREVIOUS_VERSION, ACTION, ROLLED_BACK FROM AUGUR.DEPLOYMENTS ORDER BY ID"))
                    .containsExactly(Arrays.asList(1, null, "deploy", false), List.of(3, 1, "deploy", false), List.of(2, 3, "deploy", false));

            assertThat(intValue(c, "SELECT AUGUR.ROLLBACK_MODEL('m')")).isEqualTo(3);
            assertThat(deployed(c, "m")).isEqualTo(3);
            assertThat(doubleValue(c, predict)).isEqualTo(300.0);
            assertThat(intValue(c, "SELECT AUGUR.ROLLBACK_MODEL('m')")).isEqualTo(1);
            assertThat(deployed(c, "m")).isEqualTo(1);
            assertThat(doubleValue(c, predict)).isEqualTo(100.0);
            assertThat(rows(c, "SELECT VERSION, PREVIOUS_VERSION, ACTION, ROLLED_BACK FROM AUGUR.DEPLOYMENTS ORDER BY ID"))
                    .containsExactly(Arrays.asList(1, null, "deploy", false),
                            List.of(3, 1, "deploy", true), List.of(2, 3, "deploy", true),
                            List.of(3, 2, "rollback", false), List.of(1, 3, "rollback", false));
            // the first deployment has nothing before it
            SQLException e = H2Db.sqlError(c, "SELECT AUGUR.ROLLBACK_MODEL('m')", "55000");
            assertThat(e.getMessage()).contains("'m'", "no earlier deployment");
            assertThat(deployed(c, "m")).isEqualTo(1);
        }
    }

    @Test
    void dropModelReturnsTheNumberOfVersionsAndRemovesEverything() throws Exception {
        try (Connection c = open("drop")) {
            for (int v = 1; v <= 3; v++) {
                importModel(c, "gone", linear3("gone", v));
            }
            importModel(c, "kept", linear3("kept", 7));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('gone', 1)", "SELECT AUGUR.DEPLOY_MODEL('gone', 2)",
                    "SELECT AUGUR.DEPLOY_MODEL('kept', 1)");
            assertThat(intValue(c, "SELECT AUGUR.DROP_MODEL('gone')")).isEqualTo(3);
            for (String table : new String[]{"MODELS", "MODEL_PAYLOADS", "DEPLOYED", "DEPLOYMENTS"}) {
                assertThat(count(c, "AUGUR." + table + " WHERE NAME = 'gone'")).as(table).isZero();
                assertThat(count(c, "AUGUR." + table + " WHERE NAME = 'kept'")).as(table).isEqualTo(1);
            }
            SQLException e = H2Db.sqlError(c, "SELECT PREDICT('gone', 1, 2, 3)", "42704");
            assertThat(e.getMessage()).contains("'gone'", "kept");
            assertThat(doubleValue(c, "SELECT PREDICT('kept', 1, 1, 2)")).isEqualTo(7.0);
            // a dropped name starts again at version 1
            assertThat(importModel(c, "gone", linear3("gone", 5))).isEqualTo(1);
        }
    }

    @Test
    void modelNamesAreCaseInsensitive() throws Exception {
        try (Connection c = open("case")) {
            assertThat(importModel(c, "Spam_Model", linear3("x", 4))).isEqualTo(1);
            assertThat(text(c, "SELECT NAME FROM AUGUR.MODELS")).isEqualTo("spam_model");
            assertThat(intValue(c, "SELECT AUGUR.DEPLOY_MODEL('SPAM_MODEL', 1)")).isEqualTo(1);
            assertThat(doubleValue(c, "SELECT PREDICT('spam_MODEL', 1, 1, 2)")).isEqualTo(4.0);
            assertThat(doubleValue(c, "SELECT PREDICT('SPAM_MODEL@1', 1, 1, 2)")).isEqualTo(4.0);
        }
    }

    // ------------------------------------------------------------------ the PREDICT family

    @Test
    void predictFamilyOnALogisticModelMatchesItsWeights() throws Exception {
        try (Connection c = open("family_logistic")) {
            importModel(c, "lg", logistic("lg", 0.75, -1.5, 0.25));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('lg', 1)");
            double[][] inputs = {{1.0, 2.0}, {4.0, 0.5}, {0.0, 0.0}, {-3.25, -7.5}, {1e3, 1e2}};
            for (double[] x : inputs) {
                double margin = 0.25 + 0.75 * x[0] + -1.5 * x[1];
                double p = sigmoid(margin);
                assertThat(doubleValue(c, "SELECT PREDICT('lg', ?, ?)", x[0], x[1])).isCloseTo(p, within(1e-15));
                assertThat(text(c, "SELECT PREDICT_LABEL('lg', ?, ?)", x[0], x[1])).isEqualTo(margin >= 0 ? "1" : "0");
                assertThat(doubleValue(c, "SELECT PREDICT_PROBA('lg', '1', ?, ?)", x[0], x[1])).isCloseTo(p, within(1e-15));
                assertThat(doubleValue(c, "SELECT PREDICT_PROBA('lg', '0', ?, ?)", x[0], x[1])).isCloseTo(1 - p, within(1e-15));

                JsonNode all = json(c, "SELECT PREDICT_EXPLAIN('lg', 2, ?, ?)", x[0], x[1]);
                assertThat(all.path("model").asText()).isEqualTo("lg");
                assertThat(all.path("version").asInt()).isEqualTo(1);
                assertThat(all.path("label").asText()).isEqualTo(margin >= 0 ? "1" : "0");
                assertThat(all.path("score").asDouble()).isCloseTo(sigmoid(margin), within(1e-15));
                assertThat(all.path("bias").asDouble()).isEqualTo(0.25);
                assertExplanationAddsUp(all, margin, 1e-9 * Math.max(1, Math.abs(margin)));
                // ordered by |contribution|, each contribution = value * weight
                JsonNode cs = all.path("contributions");
                assertThat(cs.size()).isEqualTo(2);
                assertThat(Math.abs(cs.get(0).path("contribution").asDouble()))
                        .isGreaterThanOrEqualTo(Math.abs(cs.get(1).path("contribution").asDouble()));
                for (JsonNode n : cs) {
                    assertThat(n.path("contribution").asDouble())
                            .isEqualTo(n.path("value").asDouble() * n.path("weight").asDouble());
                    double expectedWeight = n.path("feature").asText().equals("a") ? 0.75 : -1.5;
                    assertThat(n.path("weight").asDouble()).isEqualTo(expectedWeight);
                }
                // top-1 is the larger term
                JsonNode top1 = json(c, "SELECT PREDICT_EXPLAIN('lg', 1, ?, ?)", x[0], x[1]);
                assertThat(top1.path("contributions").size()).isEqualTo(1);
                assertThat(top1.path("contributions").get(0)).isEqualTo(cs.get(0));
            }
        }
    }

    @Test
    void predictFamilyOnASoftmaxModel() throws Exception {
        try (Connection c = open("family_softmax")) {
            Model m = softmax("sm");
            importModel(c, "sm", m);
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('sm', 1)");
            double[] w = m.weights();
            double[] b = m.bias();
            Random random = new Random(11);
            for (int i = 0; i < 50; i++) {
                double a = random.nextDouble() * 8 - 4;
                double bb = random.nextDouble() * 8 - 4;
                double[] z = new double[3];
                for (int k = 0; k < 3; k++) {
                    z[k] = b[k] + w[2 * k] * a + w[2 * k + 1] * bb;
                }
                double max = Math.max(z[0], Math.max(z[1], z[2]));
                double sum = 0;
                double[] p = new double[3];
                for (int k = 0; k < 3; k++) {
                    p[k] = Math.exp(z[k] - max);
                    sum += p[k];
                }
                int best = 0;
                for (int k = 0; k < 3; k++) {
                    p[k] /= sum;
                    if (z[k] > z[best]) {
                        best = k;
                    }
                }
                String label = m.classes().get(best);
                assertThat(text(c, "SELECT PREDICT_LABEL('sm', ?, ?)", a, bb)).isEqualTo(label);
                assertThat(doubleValue(c, "SELECT PREDICT('sm', ?, ?)", a, bb)).isCloseTo(p[best], within(1e-12));
                for (int k = 0; k < 3; k++) {
                    assertThat(doubleValue(c, "SELECT PREDICT_PROBA('sm', ?, ?, ?)", m.classes().get(k), a, bb))
                            .isCloseTo(p[k], within(1e-12));
                }
                JsonNode ex = json(c, "SELECT PREDICT_EXPLAIN('sm', 5, ?, ?)", a, bb);
                assertThat(ex.path("label").asText()).isEqualTo(label);
                assertThat(ex.path("bias").asDouble()).isEqualTo(b[best]);
                assertExplanationAddsUp(ex, z[best], 1e-12);
            }
        }
    }

    @Test
    void predictExplainOfALinearModelSumsToTheValue() throws Exception {
        try (Connection c = open("explain_linear")) {
            importModel(c, "lin", linear3("lin", -0.75));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('lin')");
            JsonNode ex = json(c, "SELECT PREDICT_EXPLAIN('lin', 3, 1.5, 2.0, -4.0)");
            double value = doubleValue(c, "SELECT PREDICT('lin', 1.5, 2.0, -4.0)");
            assertThat(value).isEqualTo(-0.75 + 2.0 * 1.5 - 3.0 * 2.0 + 0.5 * -4.0);
            assertThat(ex.path("score").asDouble()).isEqualTo(value);
            assertThat(ex.has("label")).as("a regression model has no label").isFalse();
            assertExplanationAddsUp(ex, value, 1e-12);
            List<String> order = new ArrayList<>();
            ex.path("contributions").forEach(n -> order.add(n.path("feature").asText()));
            assertThat(order).containsExactly("y", "x", "z"); // |-6| > |3| > |-2|
            assertThat(json(c, "SELECT PREDICT_EXPLAIN('lin', 2, 1.5, 2.0, -4.0)").path("contributions").size()).isEqualTo(2);
        }
    }

    @Test
    void pinnedVersionGivesThePinnedResultWhileAnotherIsDeployed() throws Exception {
        try (Connection c = open("pinning")) {
            importModel(c, "p", logistic("p", 1.0, 1.0, -1.0));
            importModel(c, "p", logistic("p", -1.0, -1.0, 1.0));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('p', 2)");
            double m1 = -1.0 + 2.0 + 3.0;
            double m2 = 1.0 - 2.0 - 3.0;
            assertThat(doubleValue(c, "SELECT PREDICT('p@1', 2.0, 3.0)")).isCloseTo(sigmoid(m1), within(1e-15));
            assertThat(doubleValue(c, "SELECT PREDICT('p', 2.0, 3.0)")).isCloseTo(sigmoid(m2), within(1e-15));
            assertThat(doubleValue(c, "SELECT PREDICT('p@2', 2.0, 3.0)")).isCloseTo(sigmoid(m2), within(1e-15));
            assertThat(text(c, "SELECT PREDICT_LABEL('p@1', 2.0, 3.0)")).isEqualTo("1");
            assertThat(text(c, "SELECT PREDICT_LABEL('p', 2.0, 3.0)")).isEqualTo("0");
            assertThat(doubleValue(c, "SELECT PREDICT_PROBA('p@1', '0', 2.0, 3.0)")).isCloseTo(1 - sigmoid(m1), within(1e-15));
            JsonNode ex = json(c, "SELECT PREDICT_EXPLAIN('p@1', 2, 2.0, 3.0)");
            assertThat(ex.path("version").asInt()).isEqualTo(1);
            assertExplanationAddsUp(ex, m1, 1e-12);
            assertThat(json(c, "SELECT PREDICT_EXPLAIN('p', 2, 2.0, 3.0)").path("version").asInt()).isEqualTo(2);
            // both in one statement
            List<Object> row = rows(c, "SELECT PREDICT('p@1', 2.0, 3.0), PREDICT('p', 2.0, 3.0)").get(0);
            assertThat((Double) row.get(0)).isCloseTo(sigmoid(m1), within(1e-15));
            assertThat((Double) row.get(1)).isCloseTo(sigmoid(m2), within(1e-15));
            // a pinned, never deployed version works too
            importModel(c, "p", logistic("p", 0, 0, 0));
            assertThat(doubleValue(c, "SELECT PREDICT('p@3', 2.0, 3.0)")).isEqualTo(0.5);
            assertThat(deployed(c, "p")).isEqualTo(2);
        }
    }

    @Test
    void predictOnADenseModelEqualsAHandComputationFromTheExportedWeights() throws Exception {
        try (Connection c = open("hand_computation")) {
            Random random = new Random(20240611L);
            exec(c, "CREATE TABLE R(ID INT PRIMARY KEY, X1 DOUBLE PRECISION, X2 DOUBLE PRECISION, X3 DOUBLE PRECISION,"
                    + " X4 DOUBLE PRECISION, Y DOUBLE PRECISION, L INT)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO R VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 400; i++) {
                    double[] x = {random.nextGaussian() * 3, random.nextDouble() * 100, random.nextGaussian(), random.nextDouble() - 0.5};
                    ps.setInt(1, i);
                    for (int j = 0; j < 4; j++) {
                        ps.setDouble(j + 2, x[j]);
                    }
                    ps.setDouble(6, 1.5 * x[0] - 0.02 * x[1] + 4 * x[2] + random.nextGaussian() * 0.1);
                    ps.setInt(7, x[0] + x[2] > 0 ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            exec(c, "SELECT AUGUR.TRAIN_MODEL('reg', 'linear', 'SELECT X1, X2, X3, X4, Y FROM R')",
                    "SELECT AUGUR.TRAIN_MODEL('cls', 'logistic', 'SELECT X1, X2, X3, X4, L FROM R')",
                    "SELECT AUGUR.DEPLOY_MODEL('reg')", "SELECT AUGUR.DEPLOY_MODEL('cls')");
            for (String name : new String[]{"reg", "cls"}) {
                JsonNode model = json(c, "SELECT AUGUR.EXPORT_MODEL(?)", name);
                assertThat(model.path("features").path("inputs")).hasSize(4);
                double[] w = new double[4];
                for (int j = 0; j < 4; j++) {
                    w[j] = model.path("weights").get(j).asDouble();
                }
                double bias = model.path("bias").asDouble();
                boolean logistic = model.path("kind").asText().equals("logistic");
                assertThat(logistic).isEqualTo(name.equals("cls"));
                // random inputs, one call each, through parameters
                try (PreparedStatement ps = c.prepareStatement("SELECT PREDICT(?, ?, ?, ?, ?)")) {
                    ps.setString(1, name);
                    for (int i = 0; i < 300; i++) {
                        double[] x = new double[4];
                        for (int j = 0; j < 4; j++) {
                            x[j] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(5) - 2);
                            ps.setDouble(j + 2, x[j]);
                        }
                        double margin = bias;
                        for (int j = 0; j < 4; j++) {
                            margin += w[j] * x[j];
                        }
                        double expected = logistic ? sigmoid(margin) : margin;
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getDouble(1)).as("%s at %s", name, Arrays.toString(x))
                                    .isCloseTo(expected, within(1e-12));
                        }
                    }
                }
                // and one statement over every row of the table
                int checked = 0;
                for (List<Object> r : rows(c, "SELECT X1, X2, X3, X4, PREDICT('" + name + "', X1, X2, X3, X4) FROM R")) {
                    double margin = bias;
                    for (int j = 0; j < 4; j++) {
                        margin += w[j] * (Double) r.get(j);
                    }
                    assertThat((Double) r.get(4)).isCloseTo(logistic ? sigmoid(margin) : margin, within(1e-12));
                    checked++;
                }
                assertThat(checked).isEqualTo(400);
            }
        }
    }

    @Test
    void predictAcceptsOneToManyDenseInputs() throws Exception {
        try (Connection c = open("arity")) {
            for (int d : new int[]{1, 2, 7, 30}) {
                List<String> inputs = new ArrayList<>();
                double[] w = new double[d];
                StringBuilder args = new StringBuilder();
                double expected = 0.5;
                for (int i = 0; i < d; i++) {
                    inputs.add("x" + i);
                    w[i] = i + 1;
                    args.append(", ").append(i % 3);
                    expected += (i + 1) * (i % 3);
                }
                Model m = Model.of("d" + d, ModelKind.LINEAR, new DenseFeatures(inputs), List.of(), w, new double[]{0.5});
                importModel(c, "d" + d, m);
                assertThat(doubleValue(c, "SELECT PREDICT('d" + d + "@1'" + args + ")")).as("d=%s", d).isEqualTo(expected);
            }
        }
    }

    // ------------------------------------------------------------------ catalog tables

    @Test
    void catalogTablesAreReadable() throws Exception {
        try (Connection c = open("catalog")) {
            Model lg = logistic("lg", 0.5, 0.25, 0);
            Model sm = softmax("sm");
            importModel(c, "lg", lg);
            importModel(c, "lg", logistic("lg", 1.5, 0.25, 0));
            importModel(c, "sm", sm);
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('lg', 1)", "SELECT AUGUR.DEPLOY_MODEL('lg', 2)",
                    "SELECT AUGUR.DEPLOY_MODEL('sm', 1)");
            assertThat(rows(c, "SELECT NAME, VERSION, KIND, INPUTS, CLASSES, SOURCE FROM AUGUR.MODELS ORDER BY NAME, VERSION"))
                    .containsExactly(List.of("lg", 1, "logistic", "a,b", "0,1", "import"),
                            List.of("lg", 2, "logistic", "a,b", "0,1", "import"),
                            List.of("sm", 1, "softmax", "a,b", "cat,dog,eel", "import"));
            // SHA256 and PAYLOAD_BYTES describe the stored payload
            for (List<Object> r : rows(c, "SELECT M.SHA256, M.PAYLOAD_BYTES, P.PAYLOAD, M.CREATED_AT, M.SPEC"
                    + " FROM AUGUR.MODELS M JOIN AUGUR.MODEL_PAYLOADS P ON P.NAME = M.NAME AND P.VERSION = M.VERSION")) {
                byte[] payload = H2Db.bytes(r.get(2));
                assertThat(r.get(0)).isEqualTo(ModelCodec.sha256(payload));
                assertThat(r.get(1)).isEqualTo(payload.length);
                assertThat(r.get(3)).isNotNull();
                assertThat(JSON.readTree((String) r.get(4)).path("kind").isTextual()).isTrue();
            }
            assertThat(text(c, "SELECT SHA256 FROM AUGUR.MODELS WHERE NAME = 'sm'"))
                    .isEqualTo(ModelCodec.sha256(ModelCodec.encode(sm)));
            JsonNode spec = json(c, "SELECT SPEC FROM AUGUR.MODELS WHERE NAME = 'sm'");
            assertThat(spec.path("dimension").asInt()).isEqualTo(2);
            assertThat(spec.path("classes")).hasSize(3);
            assertThat(rows(c, "SELECT D.NAME, D.VERSION, D.SHA256 = M.SHA256, D.DEPLOYED_AT IS NOT NULL FROM AUGUR.DEPLOYED D"
                    + " JOIN AUGUR.MODELS M ON M.NAME = D.NAME AND M.VERSION = D.VERSION ORDER BY D.NAME"))
                    .containsExactly(List.of("lg", 2, true, true), List.of("sm", 1, true, true));
            assertThat(rows(c, "SELECT NAME, VERSION, PREVIOUS_VERSION, ACTION, ROLLED_BACK FROM AUGUR.DEPLOYMENTS ORDER BY ID"))
                    .containsExactly(Arrays.asList("lg", 1, null, "deploy", false),
                            List.of("lg", 2, 1, "deploy", false),
                            Arrays.asList("sm", 1, null, "deploy", false));
            assertThat(count(c, "AUGUR.DEPLOYMENTS WHERE AT IS NULL")).isZero();
        }
    }

    @Test
    void catalogIsInstalledAgainWhenAnInMemoryDatabaseIsRecreated() throws Exception {
        // Without DB_CLOSE_DELAY an in-memory database ends with its last connection; the next connection to the
        // same URL opens a new, empty database, which needs Augur's catalog like any other.
        String url = "jdbc:augur:h2:mem:" + H2Db.uniqueName("recreated");
        for (int i = 0; i < 2; i++) {
            try (Connection c = DriverManager.getConnection(url)) {
                assertThat(count(c, "AUGUR.MODELS")).as("connection %s", i + 1).isZero();
                assertThat(importModel(c, "m", linear3("m", 1))).isEqualTo(1);
            }
        }
    }

    // ------------------------------------------------------------------ extension statements

    @Test
    void extensionStatementsThroughStatementExecuteExecuteQueryAndExecuteUpdate() throws Exception {
        try (Connection c = open("ext_statement"); Statement st = c.createStatement()) {
            createTrainingTable(c);
            assertThat(st.execute("TRAIN MODEL m KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 5, l2 = 1e-5)"))
                    .isTrue();
            try (ResultSet rs = st.getResultSet()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            JsonNode options = json(c, "SELECT SPEC FROM AUGUR.MODELS WHERE VERSION = 1").path("training_options");
            assertThat(options.path("epochs").asInt()).isEqualTo(5);
            assertThat(options.path("l2").asDouble()).isEqualTo(1e-5);
            try (ResultSet rs = st.executeQuery("train model M kind LOGISTIC from (select a, b, c from t where id > 10)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            assertThat(st.executeUpdate("TRAIN MODEL m KIND logistic FROM (SELECT A, B, C FROM T WHERE ID <> 3)"
                    + " WITH (epochs = 3, seed = 9, learning_rate = 0.1)")).isEqualTo(3);
            assertThat(count(c, "AUGUR.DEPLOYED")).isZero();

            assertThat(st.executeUpdate("DEPLOY MODEL m VERSION 1")).isEqualTo(1);
            assertThat(deployed(c, "m")).isEqualTo(1);
            assertThat(st.executeUpdate("DEPLOY MODEL m")).as("latest").isEqualTo(3);
            assertThat(deployed(c, "m")).isEqualTo(3);
            assertThat(st.executeUpdate("deploy model M version 2;")).isEqualTo(2);
            assertThat(st.executeUpdate("-- comment\nROLLBACK MODEL m")).isEqualTo(3);
            assertThat(deployed(c, "m")).isEqualTo(3);
            assertThat(doubleValue(c, "SELECT PREDICT('m', 10, 3)")).isEqualTo(doubleValue(c, "SELECT PREDICT('m@3', 10, 3)"));
            assertThat(st.executeUpdate("DEPLOY MODEL \"m\" VERSION 1")).isEqualTo(1);
            assertThat(st.executeUpdate("DEPLOY MODEL m VERSION LATEST")).isEqualTo(3);
            assertThat(st.execute("ROLLBACK MODEL m")).isTrue();
            assertThat(deployed(c, "m")).isEqualTo(1);
            assertThat(st.executeUpdate("DROP MODEL m")).isEqualTo(3);
            assertThat(count(c, "AUGUR.MODELS")).isZero();
            assertThat(count(c, "AUGUR.DEPLOYED")).isZero();
        }
    }

    @Test
    void trainModelStatementPassesOptionsAndQuotedTextThrough() throws Exception {
        try (Connection c = open("ext_options"); Statement st = c.createStatement()) {
            createTrainingTable(c);
            // a string literal with a parenthesis and a quote inside the training query, options of every value type
            assertThat(st.executeUpdate("TRAIN MODEL txt KIND logistic FROM (SELECT BODY, SPAM FROM T"
                    + " WHERE BODY <> ')' AND BODY <> 'it''s')"
                    + " WITH (features = tfidf, ngrams = 2, normalize = FALSE, hash_bits = 8, learning_rate = 2.5, seed = 3)"))
                    .isEqualTo(1);
            JsonNode f = json(c, "SELECT AUGUR.EXPORT_MODEL('txt', 1)").path("features");
            assertThat(f.path("weighting").asText()).isEqualTo("tfidf");
            assertThat(f.path("ngrams").asInt()).isEqualTo(2);
            assertThat(f.path("normalize").asBoolean()).isFalse();
            assertThat(f.path("hash_bits").asInt()).isEqualTo(8);
            JsonNode options = json(c, "SELECT SPEC FROM AUGUR.MODELS WHERE NAME = 'txt'").path("training_options");
            assertThat(options.path("learning_rate").asDouble()).isEqualTo(2.5);
            assertThat(options.path("seed").asInt()).isEqualTo(3);
            assertThat(st.executeLargeUpdate("DEPLOY MODEL txt VERSION 1")).isEqualTo(1L);
            assertThat(text(c, "SELECT PREDICT_LABEL('txt', 'cheap pills now')")).isEqualTo("1");
        }
    }

    @Test
    void extensionStatementsThroughPreparedStatementExecuteAndExecuteQuery() throws Exception {
        try (Connection c = open("ext_prepared")) {
            createTrainingTable(c);
            try (PreparedStatement ps = c.prepareStatement("TRAIN MODEL m KIND svm FROM (SELECT A, B, C FROM T) WITH (epochs = 4)")) {
                assertThat(ps.execute()).isTrue();
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the prepared TRAIN runs again").isEqualTo(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DEPLOY MODEL m VERSION 1"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (PreparedStatement ps = c.prepareStatement("DEPLOY MODEL m"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            try (PreparedStatement ps = c.prepareStatement("ROLLBACK MODEL m"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(text(c, "SELECT KIND FROM AUGUR.MODELS WHERE VERSION = 2")).isEqualTo("svm");
            try (PreparedStatement ps = c.prepareStatement("DROP MODEL m")) {
                assertThat(ps.execute()).isTrue();
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
            assertThat(count(c, "AUGUR.MODELS")).isZero();
        }
    }

    @Test
    void extensionStatementsThroughPreparedStatementExecuteUpdate() throws Exception {
        // Statement.executeUpdate(sql) returns the function's number; PreparedStatement.executeUpdate() must too
        try (Connection c = open("ext_prepared_update")) {
            importModel(c, "m", linear3("m", 1));
            importModel(c, "m", linear3("m", 2));
            try (PreparedStatement ps = c.prepareStatement("DEPLOY MODEL m VERSION 2")) {
                assertThat(ps.executeUpdate()).isEqualTo(2);
            }
            assertThat(deployed(c, "m")).isEqualTo(2);
        }
    }

    @Test
    void extensionStatementsInAStatementBatch() throws Exception {
        // the driver rewrites addBatch(sql) as well; the batch must then run the AUGUR functions
        try (Connection c = open("ext_batch"); Statement st = c.createStatement()) {
            importModel(c, "m", linear3("m", 1));
            importModel(c, "m", linear3("m", 2));
            st.addBatch("DEPLOY MODEL m VERSION 1");
            st.addBatch("DEPLOY MODEL m VERSION 2");
            assertThat(st.executeBatch()).containsExactly(1, 2);
            assertThat(deployed(c, "m")).isEqualTo(2);
        }
    }

    @Test
    void importModelStatementReadsAbsoluteAndRelativePaths(@TempDir Path dir) throws Exception {
        Model m1 = logistic("from_file", 0.5, -0.5, 0.125);
        Model m2 = linear3("ignored", 3);
        Path abs = dir.resolve("abs model.json");
        Files.writeString(abs, ModelJson.toJson(m1), StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/lin.json"), ModelJson.toJson(m2), StandardCharsets.UTF_8);
        Properties props = new Properties();
        props.setProperty("augur.importBase", dir.toString());
        try (Connection c = DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName("ext_import")), props);
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("IMPORT MODEL imp FROM '" + abs.toAbsolutePath() + "'")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("IMPORT MODEL other FROM 'models/lin.json'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (PreparedStatement ps = c.prepareStatement("IMPORT MODEL imp FROM 'models/lin.json'")) {
                assertThat(ps.execute()).isTrue();
            }
            assertThat(rows(c, "SELECT NAME, VERSION, KIND, SOURCE FROM AUGUR.MODELS ORDER BY NAME, VERSION"))
                    .containsExactly(List.of("imp", 1, "logistic", "import"), List.of("imp", 2, "linear", "import"),
                            List.of("other", 1, "linear", "import"));
            assertThat(json(c, "SELECT AUGUR.EXPORT_MODEL('imp', 1)"))
                    .isEqualTo(JSON.readTree(ModelJson.toJson(m1.withName("imp"))));
            // a missing file names the path it tried
            SQLException e = H2Db.sqlError(() -> st.execute("IMPORT MODEL imp FROM 'models/missing.json'"));
            assertThat(e.getSQLState()).isEqualTo("58030");
            assertThat(e.getMessage()).contains("missing.json");
            assertThat(count(c, "AUGUR.MODELS")).isEqualTo(3);
        }
    }

    @Test
    void ordinarySqlPassesThroughTheDriverUntouched() throws Exception {
        try (Connection c = open("passthrough"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE MODEL(ID INT)");
            assertThat(st.executeUpdate("INSERT INTO MODEL VALUES (1), (2)")).isEqualTo(2);
            assertThat(text(c, "SELECT 'DEPLOY MODEL m VERSION 1'")).isEqualTo("DEPLOY MODEL m VERSION 1");
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM MODEL WHERE ID > ?")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            st.execute("DROP TABLE MODEL");
            assertThat(intValue(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'MODEL'")).isZero();
            assertThat(st.getConnection()).isSameAs(c);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** bias + Σ contribution equals the margin, and every listed contribution is value × weight. */
    static void assertExplanationAddsUp(JsonNode ex, double margin, double tolerance) {
        double sum = ex.path("bias").asDouble();
        for (JsonNode n : ex.path("contributions")) {
            sum += n.path("contribution").asDouble();
        }
        assertThat(ex.path("contributions").isArray()).isTrue();
        assertThat(sum).as("bias + contributions of %s", ex).isCloseTo(margin, within(tolerance));
    }
}
