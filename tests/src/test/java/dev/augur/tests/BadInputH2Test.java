package dev.augur.tests;

import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static dev.augur.tests.H2Db.catalog;
import static dev.augur.tests.H2Db.count;
import static dev.augur.tests.H2Db.doubleValue;
import static dev.augur.tests.H2Db.exec;
import static dev.augur.tests.H2Db.intValue;
import static dev.augur.tests.H2Db.open;
import static dev.augur.tests.H2Db.rows;
import static dev.augur.tests.H2Db.scalar;
import static dev.augur.tests.H2Db.sqlError;
import static dev.augur.tests.H2Db.text;
import static dev.augur.tests.SqlSurfaceH2Test.createTrainingTable;
import static dev.augur.tests.SqlSurfaceH2Test.importModel;
import static dev.augur.tests.SqlSurfaceH2Test.linear3;
import static dev.augur.tests.SqlSurfaceH2Test.logistic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input gets a stable SQLSTATE and a message that names the problem (DESIGN.md "SQL surface"), and a
 * failed call leaves Augur's catalog exactly as it was.
 */
class BadInputH2Test {

    /** The four PREDICT functions with the arguments that come before the inputs. */
    private static final String[] FAMILY = {"PREDICT(%s", "PREDICT_LABEL(%s", "PREDICT_PROBA(%s, '1'", "PREDICT_EXPLAIN(%s, 3"};

    private static String call(String family, String ref, String inputs) {
        return "SELECT " + String.format(family, "'" + ref + "'") + ", " + inputs + ")";
    }

    /** A database with a deployed logistic model 'm' over inputs (a, b), an undeployed 'idle' and a text model 'txt'. */
    private static Connection withModels(String prefix) throws Exception {
        Connection c = open(prefix);
        importModel(c, "m", logistic("m", 0.5, -0.25, 0.1));
        importModel(c, "m", logistic("m", 1.5, -0.25, 0.1));
        importModel(c, "idle", logistic("idle", 1, 1, 1));
        Model txt = Model.of("txt", ModelKind.LOGISTIC, new BagOfWords("body", BagOfWords.Weighting.BINARY, 1, 0, false,
                new String[]{"cheap", "pills"}, null), List.of("0", "1"), new double[]{1.0, 2.0}, new double[]{-1.0});
        importModel(c, "txt", txt);
        Model one = Model.of("one", ModelKind.LINEAR, new dev.augur.engine.features.DenseFeatures(List.of("x")), List.of(),
                new double[]{2.0}, new double[]{1.0});
        importModel(c, "one", one);
        exec(c, "SELECT AUGUR.DEPLOY_MODEL('m', 1)", "SELECT AUGUR.DEPLOY_MODEL('txt', 1)", "SELECT AUGUR.DEPLOY_MODEL('one', 1)");
        return c;
    }

    // ------------------------------------------------------------------ unknown models and versions

    @Test
    void unknownModelIs42704AndListsTheKnownModels() throws Exception {
        try (Connection c = withModels("unknown_model")) {
            for (String f : FAMILY) {
                SQLException e = sqlError(c, call(f, "nope", "1.0, 2.0"), "42704");
                assertThat(e.getMessage()).contains("unknown model 'nope'", "known models: idle, m, one, txt");
            }
            for (String admin : new String[]{"SELECT AUGUR.EXPORT_MODEL('nope')", "SELECT AUGUR.EXPORT_MODEL('nope', 1)",
                    "SELECT AUGUR.DEPLOY_MODEL('nope')", "SELECT AUGUR.DEPLOY_MODEL('nope', 1)",
                    "SELECT AUGUR.ROLLBACK_MODEL('nope')", "SELECT AUGUR.DROP_MODEL('nope')"}) {
                List<List<Object>> before = catalog(c);
                SQLException e = sqlError(c, admin, "42704");
                assertThat(e.getMessage()).as(admin).contains("'nope'", "m, one");
                assertThat(catalog(c)).as(admin).isEqualTo(before);
            }
        }
    }

    @Test
    void unknownModelInAnEmptyCatalogSaysHowToRegisterOne() throws Exception {
        try (Connection c = open("unknown_empty")) {
            SQLException e = sqlError(c, "SELECT PREDICT('spam', 'hello')", "42704");
            assertThat(e.getMessage()).contains("'spam'", "no models are registered", "AUGUR.TRAIN_MODEL");
        }
    }

    @Test
    void registeredButUndeployedModelIs42704NamingItsVersions() throws Exception {
        try (Connection c = withModels("undeployed")) {
            for (String f : FAMILY) {
                SQLException e = sqlError(c, call(f, "idle", "1.0, 2.0"), "42704");
                assertThat(e.getMessage()).contains("'idle'", "no deployed version", "versions: 1", "idle@");
            }
            // pinning works without a deployment
            assertThat(H2Db.doubleValue(c, "SELECT PREDICT('idle@1', 1.0, 2.0)")).isCloseTo(H2Db.sigmoid(4.0),
                    org.assertj.core.api.Assertions.within(1e-15));
        }
    }

    @Test
    void unknownVersionIs42704ListingTheVersions() throws Exception {
        try (Connection c = withModels("unknown_version")) {
            for (String f : FAMILY) {
                SQLException e = sqlError(c, call(f, "m@9", "1.0, 2.0"), "42704");
                assertThat(e.getMessage()).contains("'m'", "no version 9", "versions: 1, 2");
            }
            SQLException e = sqlError(c, "SELECT AUGUR.EXPORT_MODEL('m', 9)", "42704");
            assertThat(e.getMessage()).contains("no version 9", "versions: 1, 2");
            SQLException pinnedUnknown = sqlError(c, "SELECT PREDICT('ghost@1', 1.0, 2.0)", "42704");
            assertThat(pinnedUnknown.getMessage()).contains("unknown model 'ghost'");
        }
    }

    @Test
    void badModelReferenceIs22023() throws Exception {
        try (Connection c = withModels("bad_reference")) {
            SQLException e = sqlError(c, "SELECT PREDICT('m@latest', 1.0, 2.0)", "22023");
            assertThat(e.getMessage()).contains("'m@latest'", "name@version");
            SQLException nullName = sqlError(c, "SELECT PREDICT(CAST(NULL AS VARCHAR), 1.0, 2.0)", "22023");
            assertThat(nullName.getMessage()).contains("model name is NULL");
        }
    }

    // ------------------------------------------------------------------ inputs

    @Test
    void wrongArityIs22023NamingTheExpectedInputs() throws Exception {
        try (Connection c = withModels("arity")) {
            for (String f : FAMILY) {
                SQLException three = sqlError(c, call(f, "m", "1.0, 2.0, 3.0"), "22023");
                assertThat(three.getMessage()).as(f).contains("model 'm' expects 2 inputs (a, b), got 3");
                SQLException one = sqlError(c, call(f, "m", "1.0"), "22023");
                assertThat(one.getMessage()).as(f).contains("model 'm' expects 2 inputs (a, b), got 1");
            }
            SQLException e = sqlError(c, "SELECT PREDICT('one', 1.0, 2.0)", "22023");
            assertThat(e.getMessage()).contains("model 'one' expects 1 input (x), got 2");
        }
    }

    @Test
    void textWhereANumberIsExpectedIsADataExceptionNamingTheValue() throws Exception {
        try (Connection c = withModels("text_for_number")) {
            for (String f : FAMILY) {
                // two or more inputs: H2 converts to DOUBLE itself and raises its conversion error
                SQLException two = sqlError(() -> exec(c, call(f, "m", "'abc', 2.0")));
                assertThat(two.getSQLState()).as(f).matches("22\\d\\d\\d|42804");
                assertThat(two.getMessage()).as(f).contains("abc");
                // one input reaches Augur as text, which names the model and the input
                SQLException one = sqlError(() -> exec(c, call(f.replace("'1'", "'x'"), "one", "'abc'")));
                assertThat(one.getSQLState()).as(f).matches("22\\d\\d\\d|42804");
                assertThat(one.getMessage()).as(f).contains("abc");
            }
            SQLException e = sqlError(c, "SELECT PREDICT('one', 'abc')", "42804");
            assertThat(e.getMessage()).contains("model 'one' input 'x' expects a number", "'abc'");
            // numbers given as text are numbers
            assertThat(H2Db.doubleValue(c, "SELECT PREDICT('one', ' 2.5 ')")).isEqualTo(6.0);
        }
    }

    @Test
    void numbersForATextModelAreRejectedNamingItsTextInput() throws Exception {
        try (Connection c = withModels("number_for_text")) {
            for (String f : FAMILY) {
                SQLException e = sqlError(() -> exec(c, call(f, "txt", "1.0, 2.0")));
                assertThat(e.getSQLState()).as(f).isIn("22023", "42804");
                assertThat(e.getMessage()).as(f).contains("model 'txt'", "body");
            }
        }
    }

    @Test
    void nullInputGivesNullFromAllFourFunctions() throws Exception {
        try (Connection c = withModels("null_input")) {
            for (String f : FAMILY) {
                assertThat(scalar(c, call(f, "m", "NULL, 2.0"))).as(f).isNull();
                assertThat(scalar(c, call(f, "m", "1.0, NULL"))).as(f).isNull();
                assertThat(scalar(c, call(f, "m", "CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS INT)"))).as(f).isNull();
                assertThat(scalar(c, call(f, "m@2", "NULL, 2.0"))).as(f).isNull();
                assertThat(scalar(c, call(f, "txt", "CAST(NULL AS VARCHAR)"))).as(f).isNull();
                assertThat(scalar(c, call(f, "one", "NULL"))).as(f).isNull();
            }
            // from a table: NULL rows give NULL, the others a value
            exec(c, "CREATE TABLE X(ID INT PRIMARY KEY, A DOUBLE PRECISION, B DOUBLE PRECISION)",
                    "INSERT INTO X VALUES (1, 1.0, 2.0), (2, NULL, 2.0), (3, 1.0, NULL)");
            assertThat(rows(c, "SELECT ID, PREDICT('m', A, B) IS NULL, PREDICT_LABEL('m', A, B) IS NULL,"
                    + " PREDICT_PROBA('m', '0', A, B) IS NULL, PREDICT_EXPLAIN('m', 1, A, B) IS NULL FROM X ORDER BY ID"))
                    .containsExactly(List.of(1, false, false, false, false), List.of(2, true, true, true, true),
                            List.of(3, true, true, true, true));
            // NULL class or NULL k: NULL as well
            assertThat(scalar(c, "SELECT PREDICT_PROBA('m', NULL, 1.0, 2.0)")).isNull();
            assertThat(scalar(c, "SELECT PREDICT_EXPLAIN('m', NULL, 1.0, 2.0)")).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity"})
    void nonFiniteInputIs22023(String value) throws Exception {
        try (Connection c = withModels("non_finite")) {
            String v = "CAST('" + value + "' AS DOUBLE PRECISION)";
            for (String f : FAMILY) {
                SQLException first = sqlError(c, call(f, "m", v + ", 1.0"), "22023");
                assertThat(first.getMessage()).as(f).contains("model 'm' input 'a' is " + value, "finite");
                SQLException second = sqlError(c, call(f, "m", "1.0, " + v), "22023");
                assertThat(second.getMessage()).as(f).contains("input 'b' is " + value);
                SQLException one = sqlError(c, call(f.replace("'1'", "'x'"), "one", v), "22023");
                assertThat(one.getMessage()).as(f).contains("model 'one' input 'x' is " + value);
            }
        }
    }

    @Test
    void unknownClassAndBadKAre22023() throws Exception {
        try (Connection c = withModels("bad_class")) {
            SQLException e = sqlError(c, "SELECT PREDICT_PROBA('m', 'maybe', 1.0, 2.0)", "22023");
            assertThat(e.getMessage()).contains("'maybe'", "classes: 0, 1");
            SQLException k = sqlError(c, "SELECT PREDICT_EXPLAIN('m', 0, 1.0, 2.0)", "22023");
            assertThat(k.getMessage()).contains("k >= 1", "got 0");
            SQLException label = sqlError(c, "SELECT PREDICT_LABEL('one', 1.0)", "22023");
            assertThat(label.getMessage()).contains("'one'", "regression");
        }
    }

    // ------------------------------------------------------------------ deploy and rollback

    @Test
    void deployOfAMissingVersionIs42704AndChangesNothing() throws Exception {
        try (Connection c = withModels("deploy_missing")) {
            List<List<Object>> before = catalog(c);
            SQLException e = sqlError(c, "SELECT AUGUR.DEPLOY_MODEL('m', 7)", "42704");
            assertThat(e.getMessage()).contains("'m'", "no version 7", "versions: 1, 2");
            assertThat(catalog(c)).isEqualTo(before);
            SQLException statement = sqlError(c, "DEPLOY MODEL m VERSION 3", "42704");
            assertThat(statement.getMessage()).contains("no version 3");
            assertThat(catalog(c)).isEqualTo(before);
        }
    }

    @Test
    void rollbackWithoutAnEarlierDeploymentIs55000() throws Exception {
        try (Connection c = withModels("rollback_first")) {
            List<List<Object>> before = catalog(c);
            SQLException e = sqlError(c, "SELECT AUGUR.ROLLBACK_MODEL('m')", "55000");
            assertThat(e.getMessage()).contains("'m'", "no earlier deployment", "version 1");
            assertThat(catalog(c)).isEqualTo(before);
            // never deployed: nothing to roll back either, and the message says it is not deployed
            SQLException idle = sqlError(c, "ROLLBACK MODEL idle", "42704");
            assertThat(idle.getMessage()).contains("'idle'", "no deployed version");
            assertThat(catalog(c)).isEqualTo(before);
        }
    }

    // ------------------------------------------------------------------ corrupt payloads

    @Test
    void truncatedPayloadIsXX001Corrupt() throws Exception {
        try (Connection c = withModels("corrupt_truncated")) {
            importModel(c, "victim", logistic("victim", 0.3, 0.6, 0.9));
            importModel(c, "victim", logistic("victim", 0.4, 0.6, 0.9));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('victim', 1)");
            byte[] payload = H2Db.bytes(scalar(c, "SELECT PAYLOAD FROM AUGUR.MODEL_PAYLOADS WHERE NAME = 'victim' AND VERSION = 2"));
            byte[] truncated = Arrays.copyOf(payload, payload.length - 5);
            // the stored hash matches the truncated bytes, so decoding itself must find the damage; the new hash
            // is also a key the process-wide cache has never seen
            String sha = ModelCodec.sha256(truncated);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE AUGUR.MODEL_PAYLOADS SET PAYLOAD = ? WHERE NAME = 'victim' AND VERSION = 2")) {
                ps.setBytes(1, truncated);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            exec(c, "UPDATE AUGUR.MODELS SET SHA256 = '" + sha + "' WHERE NAME = 'victim' AND VERSION = 2");
            for (String f : FAMILY) {
                SQLException e = sqlError(c, call(f, "victim@2", "1.0, 2.0"), "XX001");
                assertThat(e.getMessage()).as(f).contains("corrupt", "truncated");
            }
            // deploying or exporting it fails the same way and leaves the deployment alone
            List<List<Object>> before = catalog(c);
            assertThat(sqlError(c, "SELECT AUGUR.DEPLOY_MODEL('victim', 2)", "XX001").getMessage()).contains("corrupt");
            assertThat(sqlError(c, "SELECT AUGUR.EXPORT_MODEL('victim', 2)", "XX001").getMessage()).contains("corrupt");
            assertThat(catalog(c)).isEqualTo(before);
            // the intact version still serves
            assertThat(H2Db.doubleValue(c, "SELECT PREDICT('victim', 1.0, 2.0)")).isCloseTo(H2Db.sigmoid(0.9 + 0.3 + 1.2),
                    org.assertj.core.api.Assertions.within(1e-15));
        }
    }

    @Test
    void payloadThatDoesNotMatchItsHashIsXX001Corrupt() throws Exception {
        try (Connection c = withModels("corrupt_hash")) {
            importModel(c, "victim", logistic("victim", 0.25, 0.5, 1.0));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('victim', 1)");
            // flip a weight byte; record a new random hash in the catalog so that the cache misses
            byte[] payload = H2Db.bytes(scalar(c, "SELECT PAYLOAD FROM AUGUR.MODEL_PAYLOADS WHERE NAME = 'victim'"));
            payload[payload.length - 12] ^= 0x55;
            String randomSha = ModelCodec.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            try (PreparedStatement ps = c.prepareStatement("UPDATE AUGUR.MODEL_PAYLOADS SET PAYLOAD = ? WHERE NAME = 'victim'")) {
                ps.setBytes(1, payload);
                ps.executeUpdate();
            }
            exec(c, "UPDATE AUGUR.MODELS SET SHA256 = '" + randomSha + "' WHERE NAME = 'victim'",
                    "UPDATE AUGUR.DEPLOYED SET SHA256 = '" + randomSha + "' WHERE NAME = 'victim'");
            for (String ref : new String[]{"victim", "victim@1"}) {
                for (String f : FAMILY) {
                    SQLException e = sqlError(c, call(f, ref, "1.0, 2.0"), "XX001");
                    assertThat(e.getMessage()).as(f).contains("'victim'", "corrupt", randomSha,
                            ModelCodec.sha256(payload), "re-import");
                }
            }
        }
    }

    // ------------------------------------------------------------------ import

    @Test
    void malformedJsonInImportModelIs22032AndRegistersNothing() throws Exception {
        try (Connection c = withModels("bad_json")) {
            String good = ModelJson.toJson(logistic("good", 1, 2, 3));
            String[][] cases = {
                    {"{bad", "not valid JSON"},
                    {"[1, 2]", "expected a JSON object"},
                    {good.replace("\"weights\"", "\"weightz\""), "missing field \"weights\""},
                    {good.replace("\"kind\":\"logistic\"", "\"kind\":\"forest\""), "kind"},
                    {good.replace("[1.0,2.0]", "[1.0,2.0,3.0]"), "\"weights\" has 3 numbers, the features need 2"},
                    {good.replace("[1.0,2.0]", "[1.0,\"x\"]"), "expected a finite number"},
                    {good.replace("\"format_version\":1", "\"format_version\":99"), "format_version"},
                    {good.replace("\"type\":\"dense\"", "\"type\":\"tree\""), "features.type"},
            };
            assertThat(good).contains("\"weights\":[1.0,2.0]", "\"kind\":\"logistic\"", "\"format_version\":1",
                    "\"type\":\"dense\"");
            for (String[] bad : cases) {
                List<List<Object>> before = catalog(c);
                SQLException e = sqlError(() -> intValue(c, "SELECT AUGUR.IMPORT_MODEL('imp', ?)", bad[0]));
                assertThat(e.getSQLState()).as(bad[0]).isEqualTo("22032");
                assertThat(e.getMessage()).as(bad[0]).contains(bad[1]);
                assertThat(catalog(c)).as(bad[0]).isEqualTo(before);
            }
            SQLException nullJson = sqlError(c, "SELECT AUGUR.IMPORT_MODEL('imp', NULL)", "22032");
            assertThat(nullJson.getMessage()).contains("NULL");
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'imp'")).isZero();
            // the good one is fine
            assertThat(intValue(c, "SELECT AUGUR.IMPORT_MODEL('imp', ?)", good)).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ names

    @ParameterizedTest
    @ValueSource(strings = {"x; DROP TABLE t", "1abc", "a-b", "_x", "", "x' OR '1'='1",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void invalidModelNamesAre42602(String name) throws Exception {
        try (Connection c = withModels("bad_name")) {
            createTrainingTable(c);
            String json = ModelJson.toJson(logistic("ok", 1, 1, 1));
            List<List<Object>> before = catalog(c);
            String[] calls = {"SELECT AUGUR.TRAIN_MODEL(?, 'logistic', 'SELECT A, B, C FROM T')",
                    "SELECT AUGUR.IMPORT_MODEL(?, '" + json + "')", "SELECT AUGUR.EXPORT_MODEL(?)",
                    "SELECT AUGUR.DEPLOY_MODEL(?, 1)", "SELECT AUGUR.DEPLOY_MODEL(?)", "SELECT AUGUR.ROLLBACK_MODEL(?)",
                    "SELECT AUGUR.DROP_MODEL(?)", "SELECT PREDICT(?, 1.0, 2.0)"};
            for (String sql : calls) {
                SQLException e = sqlError(() -> scalar(c, sql, name));
                assertThat(e.getSQLState()).as(sql).isEqualTo("42602");
                assertThat(e.getMessage()).as(sql).contains("invalid model name", "letters, digits and underscores");
            }
            assertThat(catalog(c)).isEqualTo(before);
            assertThat(count(c, "T")).isEqualTo(150);
        }
    }

    // ------------------------------------------------------------------ training

    @Test
    void trainModelErrorsNameTheProblemAndRegisterNothing() throws Exception {
        try (Connection c = withModels("train_errors")) {
            createTrainingTable(c);
            String[][] cases = {
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'forest', 'SELECT A, B, C FROM T')", "22023",
                            "unknown model kind 'forest'", "linear, logistic, svm, softmax"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T', '{\"epoch\": 5}')", "22023",
                            "unknown training option 'epoch'", "epochs"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T', '{\"epochs\": 0}')", "22023",
                            "epochs", "got 0"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T', '{\"epochs\": \"many\"}')", "22023",
                            "epochs", "integer"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T', '{epochs: 5')", "22032",
                            "not valid JSON", "epochs"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT CASEWHEN(ID = 7, NULL, A), B, C FROM T')", "22004",
                            "training row 7 has NULL", "IS NOT NULL"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, CASEWHEN(ID = 3, NULL, C) FROM T ORDER BY ID')",
                            "22004", "training row 3 has NULL in the label", "IS NOT NULL"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, 1 FROM T')", "22023",
                            "at least 2 classes", "[1]"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'svm', 'SELECT A, B, K FROM T')", "22023",
                            "3 classes", "softmax"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T WHERE 1 = 0')", "22023",
                            "returned no rows", "'k'"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT C FROM T')", "22023",
                            "1 column", "label"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', NULL)", "22023", "training query", "label last"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'linear', 'SELECT A, K FROM T')", "22023",
                            "numeric label", "low"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, BODY, C FROM T')", "42804",
                            "'body'", "a number"},
            };
            for (String[] k : cases) {
                List<List<Object>> before = catalog(c);
                SQLException e = sqlError(c, k[0], k[1]);
                assertThat(e.getMessage()).as(k[0]).contains(k[2], k[3]);
                assertThat(catalog(c)).as(k[0]).isEqualTo(before);
            }
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'k'")).isZero();
            // a bad training query is the database's own error, and registers nothing either
            SQLException e = sqlError(() -> exec(c, "SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM NOPE')"));
            assertThat(e.getMessage()).contains("NOPE");
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'k'")).isZero();
        }
    }

    // ------------------------------------------------------------------ extension statement syntax

    @Test
    void extensionStatementSyntaxErrorsAre42601WithThePosition() throws Exception {
        try (Connection c = withModels("syntax")) {
            String[][] cases = {
                    {"TRAIN MODEL m KNID logistic FROM (SELECT 1, 2)", "position 15", "expected KIND, found 'KNID'"},
                    {"TRAIN MODEL m KIND forest FROM (SELECT 1, 2)", "position 20", "unknown model kind 'forest'"},
                    {"TRAIN MODEL m KIND logistic FROM SELECT 1, 2", "position 34", "parentheses"},
                    {"TRAIN MODEL m KIND logistic FROM (SELECT 1, 2", "position 46", "unbalanced parentheses"},
                    {"TRAIN MODEL m KIND logistic FROM ()", "position 35", "empty parentheses"},
                    {"TRAIN MODEL m KIND logistic FROM (SELECT 1, 2) WITH (epochs 5)", "position 61", "'='"},
                    {"TRAIN MODEL m KIND logistic FROM (SELECT 1, 2) WITH (epochs = 5", "position 64", "',' or ')'"},
                    {"DEPLOY MODEL m VERSION two", "position 24", "version number or LATEST"},
                    {"DEPLOY MODEL m VERSION -1", "position 24", "version number"},
                    {"DEPLOY MODEL m VERSION 1 NOW", "position 26", "end of the statement"},
                    {"DEPLOY MODEL 'm'", "position 14", "model name"},
                    {"DEPLOY MODEL 9m", "position 14", "model name"},
                    {"ROLLBACK MODEL", "position 15", "model name"},
                    {"DROP MODEL m CASCADE", "position 14", "end of the statement"},
                    {"DROP MODEL \"x;y\"", "position 12", "invalid model name"},
                    {"IMPORT MODEL m 'file.json'", "position 16", "expected FROM"},
                    {"IMPORT MODEL m FROM file.json", "position 21", "quoted file path"},
                    {"IMPORT MODEL m FROM 'unterminated", "position 21", "unterminated string"},
            };
            for (String[] k : cases) {
                List<List<Object>> before = catalog(c);
                for (boolean prepared : new boolean[]{false, true}) {
                    SQLException e = sqlError(() -> {
                        if (prepared) {
                            c.prepareStatement(k[0]).close();
                        } else {
                            try (Statement st = c.createStatement()) {
                                st.execute(k[0]);
                            }
                        }
                    });
                    assertThat(e.getSQLState()).as(k[0]).isEqualTo("42601");
                    assertThat(e.getMessage()).as(k[0]).contains("syntax error at " + k[1], k[2]);
                }
                assertThat(catalog(c)).as(k[0]).isEqualTo(before);
            }
        }
    }

    @Test
    void parameterMarkerInsideTrainModelIs0A000() throws Exception {
        try (Connection c = withModels("parameter_marker")) {
            createTrainingTable(c);
            String sql = "TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T WHERE ID > ?)";
            SQLException prepared = sqlError(() -> c.prepareStatement(sql).close());
            assertThat(prepared.getSQLState()).isEqualTo("0A000");
            assertThat(prepared.getMessage()).contains("parameter markers", "position 68");
            SQLException plain = sqlError(c, sql, "0A000");
            assertThat(plain.getMessage()).contains("parameter markers");
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'k'")).isZero();
            // a question mark inside a string literal is not a marker
            assertThat(intValue(c, "TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T WHERE BODY <> '?')")).isEqualTo(1);
        }
    }

    @Test
    void failedExtensionStatementsAndFunctionsLeaveTheCatalogAlone() throws Exception {
        try (Connection c = withModels("nothing_written")) {
            createTrainingTable(c);
            List<List<Object>> before = catalog(c);
            String deployedBefore = text(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'm'");
            sqlError(c, "TRAIN MODEL m KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 0)", "22023");
            sqlError(c, "TRAIN MODEL m KIND softmax FROM (SELECT A, B, 1 FROM T)", "22023");
            sqlError(c, "IMPORT MODEL m FROM 'definitely/not/here.json'", "58030");
            sqlError(c, "DEPLOY MODEL m VERSION 5", "42704");
            sqlError(c, "DROP MODEL nope", "42704");
            assertThat(catalog(c)).isEqualTo(before);
            assertThat(text(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'm'")).isEqualTo(deployedBefore);
        }
    }

    /**
     * Through jdbc:augur:, H2 runs a TRUNCATE of a view's base table as a DELETE (H2 fires no trigger on TRUNCATE), which
     * cannot restart identity columns: that form is refused, naming the two statements that do it; a TRUNCATE that H2
     * refuses (a foreign key references the table) stays refused, never a DELETE that cascades.
     */
    @Test
    void truncateOfAViewsBaseTableThatWouldRestartIdentityIs0A000NamingTheFix() throws Exception {
        try (Connection c = withModels("truncate_base")) {
            exec(c, "CREATE TABLE q (id INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)",
                    "INSERT INTO q (a, b) VALUES (1, 2), (3, 4)",
                    "CREATE PREDICTION VIEW qv AS SELECT id, PREDICT('m', a, b) FROM q");
            SQLException e = sqlError(c, "TRUNCATE TABLE q RESTART IDENTITY", "0A000");
            assertThat(e.getMessage()).contains("base table of a prediction view", "TRUNCATE TABLE q CONTINUE IDENTITY",
                    "ALTER TABLE q ALTER COLUMN");
            assertThat(count(c, "q")).isEqualTo(2);
            assertThat(count(c, "qv")).isEqualTo(2);
            exec(c, "TRUNCATE TABLE q CONTINUE IDENTITY");
            assertThat(count(c, "qv")).isZero();
            exec(c, "INSERT INTO q (a, b) VALUES (5, 6)",
                    "CREATE TABLE child (id INT PRIMARY KEY, q_id INT REFERENCES q (id) ON DELETE CASCADE)",
                    "INSERT INTO child SELECT 1, MIN(id) FROM q");
            sqlError(c, "TRUNCATE TABLE q", "90106");
            assertThat(count(c, "child")).isEqualTo(1);
            assertThat(count(c, "qv")).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ numbers in options are exact

    @Test
    void trainOptionsOutOfRangeAre22023NamingTheOptionAndItsRange() throws Exception {
        try (Connection c = withModels("train_ranges")) {
            createTrainingTable(c);
            String[][] cases = {
                    // 2^32 + 1 used to wrap to 1 epoch, 2^32 + 2 hash bits to 2, 99999999999 to 1215752191
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 4294967297)",
                            "option epochs", "between 1 and 10000", "4294967297"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 99999999999)",
                            "option epochs", "between 1 and 10000", "99999999999"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 99999999999999999999999)",
                            "option epochs", "between 1 and 10000", "99999999999999999999999"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 5.5)",
                            "option epochs", "integer", "5.5"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT BODY, SPAM FROM T) WITH (hash_bits = 4294967298)",
                            "option hash_bits", "between 0 and 26", "4294967298"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT BODY, SPAM FROM T) WITH (ngrams = -4294967295)",
                            "option ngrams", "between 1 and 5", "-4294967295"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (seed = 1e30)",
                            "option seed", "64-bit integer", "1"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (l2 = 1e999)",
                            "option l2", "finite number >= 0", "1"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (l2 = abc)",
                            "option l2", "number", "abc"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T', '{\"epochs\": 4294967297}')",
                            "option epochs", "between 1 and 10000", "4294967297"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT BODY, SPAM FROM T', '{\"hash_bits\": 4294967298}')",
                            "option hash_bits", "between 0 and 26", "4294967298"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T', '{\"seed\": 1.5}')",
                            "option seed", "64-bit integer", "1.5"},
                    {"SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T', '{\"min_df\": 1e10}')",
                            "option min_df", "between 1 and", "1"},
            };
            for (String[] k : cases) {
                List<List<Object>> before = catalog(c);
                SQLException e = sqlError(c, k[0], "22023");
                assertThat(e.getMessage()).as(k[0]).contains(k[1], k[2], k[3]).doesNotContain("1215752191");
                assertThat(catalog(c)).as(k[0]).isEqualTo(before);
            }
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'k'")).isZero();
        }
    }

    @Test
    void malformedNumbersAndRepeatedOptionsAreSyntaxErrors() throws Exception {
        try (Connection c = withModels("train_numbers")) {
            createTrainingTable(c);
            String[][] cases = {
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (l2 = 1e-51e-5)", "position 69", "'1e-51e-5' is not a number"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (l2 = 1.2.3)", "position 69", "'1.2.3' is not a number"},
                    {"TRAIN MODEL k KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 5, epochs = 6)", "position 76",
                            "option epochs is given twice"},
            };
            for (String[] k : cases) {
                SQLException e = sqlError(c, k[0], "42601");
                assertThat(e.getMessage()).as(k[0]).contains("syntax error at " + k[1], k[2]);
            }
            // repeated keys in the options JSON are refused as well, never "the last one wins"
            SQLException json = sqlError(c, "SELECT AUGUR.TRAIN_MODEL('k', 'logistic', 'SELECT A, B, C FROM T',"
                    + " '{\"epochs\": 5, \"epochs\": 6}')", "22032");
            assertThat(json.getMessage()).contains("epochs");
            SQLException version = sqlError(c, "DEPLOY MODEL m VERSION 99999999999", "22023");
            assertThat(version.getMessage()).contains("version", "99999999999", "between 1 and 2147483647");
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'k'")).isZero();
        }
    }

    @Test
    void nonNumericAndOutOfRangeViewOptionsAre22023AndCreateNothing() throws Exception {
        try (Connection c = withModels("view_options")) {
            exec(c, "CREATE TABLE V(ID INT PRIMARY KEY, A DOUBLE PRECISION, B DOUBLE PRECISION)", "INSERT INTO V VALUES (1, 1, 2), (2, 3, 4)",
                    "CREATE TABLE EX(ID INT PRIMARY KEY, Y INT)", "INSERT INTO EX VALUES (1, 0), (2, 1)");
            String view = "SELECT AUGUR.CREATE_PREDICTION_VIEW('pv', 'SELECT ID, PREDICT(''m'', A, B) FROM V', '%s')";
            String cview = "SELECT AUGUR.CREATE_CLASSIFICATION_VIEW('cv', 'V', 'ID', 'EX', 'ID', 'Y', '(A, B)', 'logistic', '%s')";
            String[][] cases = {
                    {String.format(view, "{\"tolerance\": \"abc\", \"alpha\": 1}"), "option tolerance", "finite number >= 0", "abc"},
                    {String.format(view, "{\"alpha\": \"x\"}"), "option alpha", "finite number >= 0", "x"},
                    {String.format(view, "{\"alpha\": true}"), "option alpha", "finite number >= 0", "true"},
                    {String.format(view, "{\"tolerance\": null}"), "option tolerance", "finite number >= 0", "null"},
                    {String.format(view, "{\"mode\": 5}"), "option mode", "eager, lazy or hybrid", "5"},
                    {"CREATE PREDICTION VIEW pv AS SELECT ID, PREDICT('m', A, B) FROM V WITH (tolerance = abc)",
                            "option tolerance", "finite number >= 0", "abc"},
                    {"CREATE PREDICTION VIEW pv AS SELECT ID, PREDICT('m', A, B) FROM V WITH (alpha = x, mode = lazy)",
                            "option alpha", "finite number >= 0", "x"},
                    {String.format(cview, "{\"hash_bits\": 4294967298}"), "option hash_bits", "between 1 and 24", "4294967298"},
                    {String.format(cview, "{\"epochs\": \"ten\"}"), "option epochs", "integer between 0 and 10000", "ten"},
                    {String.format(cview, "{\"epochs\": 4294967297}"), "option epochs", "integer between 0 and 10000", "4294967297"},
                    {String.format(cview, "{\"seed\": \"x\"}"), "option seed", "64-bit integer", "x"},
                    {String.format(cview, "{\"learning_rate\": \"fast\"}"), "option learning_rate", "finite number >= 0", "fast"},
                    {"CREATE CLASSIFICATION VIEW cv KEY ID ENTITIES FROM V EXAMPLES FROM EX KEY ID LABEL Y FEATURE FUNCTION (A, B)"
                            + " WITH (l2 = lots)", "option l2", "finite number >= 0", "lots"},
            };
            for (String[] k : cases) {
                SQLException e = sqlError(c, k[0], "22023");
                assertThat(e.getMessage()).as(k[0]).contains(k[1], k[2], k[3]);
                assertThat(count(c, "AUGUR.VIEWS")).as(k[0]).isZero();
            }
            SQLException notObject = sqlError(c, String.format(view, "[1, 2]"), "22032");
            assertThat(notObject.getMessage()).contains("view options must be a JSON object");
            assertThat(count(c, "AUGUR.VIEWS")).isZero();
            // text is not a number, not even a number's text; a number is taken exactly
            sqlError(c, String.format(view, "{\"tolerance\": \"0.25\"}"), "22023");
            assertThat(intValue(c, String.format(view, "{\"tolerance\": 0.25}"))).isEqualTo(2);
            assertThat(doubleValue(c, "SELECT TOLERANCE FROM AUGUR.VIEWS WHERE NAME = 'pv'")).isEqualTo(0.25);
        }
    }

    // ------------------------------------------------------------------ PREDICT arity and argument types

    @Test
    void noInputsOrMoreThanPostgresqlCanPassAre22023NamingTheExpectedInputs() throws Exception {
        try (Connection c = withModels("arity_bounds")) {
            // PostgreSQL passes at most 100 arguments (the model and 99 inputs); H2 took 100 inputs, now the same 99
            String hundred = String.join(", ", java.util.Collections.nCopies(100, "1.0"));
            for (String f : FAMILY) {
                String none = "SELECT " + String.format(f, "'m'") + ")";
                SQLException zero = sqlError(c, none, "22023");
                assertThat(zero.getMessage()).as(none).contains("model 'm' expects 2 inputs (a, b), got 0");
                SQLException many = sqlError(c, call(f, "m", hundred), "22023");
                assertThat(many.getMessage()).as(f).contains("model 'm' expects 2 inputs (a, b), got 100", "at most 99 inputs");
                // an unknown model is still named as unknown
                sqlError(c, "SELECT " + String.format(f, "'nope'") + ")", "42704");
            }
            SQLException bare = sqlError(c, "SELECT PREDICT()", "22023");
            assertThat(bare.getMessage()).contains("PREDICT", "model");
        }
    }

    @Test
    void nonTextIntoABagOfWordsModelIs42804NamingItsTextInput() throws Exception {
        try (Connection c = withModels("bow_types")) {
            exec(c, "CREATE TABLE D(ID INT PRIMARY KEY, BODY VARCHAR(100), AT DATE)", "INSERT INTO D VALUES (1, 'cheap pills', DATE '2020-01-01')");
            String[] args = {"42", "ID", "TRUE", "DATE '2020-01-01'", "AT", "1.5", "CAST(2 AS DOUBLE PRECISION)"};
            for (String f : FAMILY) {
                for (String a : args) {
                    String sql = call(f.replace("'1'", "'0'"), "txt", a) + " FROM D";
                    SQLException e = sqlError(c, sql, "42804");
                    assertThat(e.getMessage()).as(sql).contains("model 'txt' input 'body' expects text, got ");
                }
                // two texts for a one-input model: the arity, not H2's conversion of the text to a number
                String two = call(f.replace("'1'", "'0'"), "txt", "BODY, BODY") + " FROM D";
                SQLException e = sqlError(c, two, "22023");
                assertThat(e.getMessage()).as(two).contains("model 'txt' expects 1 input (body), got 2");
            }
            SQLException integer = sqlError(c, "SELECT PREDICT('txt', 42)", "42804");
            assertThat(integer.getMessage()).contains("model 'txt' input 'body' expects text, got INTEGER 42; cast the argument");
            // text still scores, and a number written as text still feeds a dense model
            assertThat(doubleValue(c, "SELECT PREDICT('txt', BODY) FROM D")).isNotNull();
            assertThat(doubleValue(c, "SELECT PREDICT('m', '1.0', ' 2 ')")).isEqualTo(doubleValue(c, "SELECT PREDICT('m', 1.0, 2.0)"));
            SQLException text = sqlError(c, "SELECT PREDICT('m', 'abc', 2.0)", "42804");
            assertThat(text.getMessage()).contains("model 'm' input 'a' expects a number", "'abc'");
            SQLException date = sqlError(c, "SELECT PREDICT('m', 1.0, DATE '2020-01-01')", "42804");
            assertThat(date.getMessage()).contains("model 'm' input 'b' expects a number, got DATE 2020-01-01; cast the argument");
        }
    }

    // ------------------------------------------------------------------ IMPORT MODEL reads the import folder only

    @Test
    void importModelIsConfinedToTheImportFolderAndNeverQuotesTheFile(@TempDir Path dir) throws Exception {
        Path base = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("secret.txt"), "root-topsecret-token: 1234\n");
        Files.writeString(dir.resolve("secret.json"), ModelJson.toJson(logistic("outside", 1, 2, 3)));
        Files.writeString(base.resolve("garbage.json"), "hunter2-password and more\n");
        Files.writeString(base.resolve("kind.json"), ModelJson.toJson(logistic("k", 1, 2, 3))
                .replace("\"kind\":\"logistic\"", "\"kind\":\"hunter2kind\""));
        Files.writeString(base.resolve("weights.json"), ModelJson.toJson(logistic("k", 1, 2, 3))
                .replace("[1.0,2.0]", "[1.0,\"hunter2weight\"]"));
        Files.writeString(base.resolve("ok.json"), ModelJson.toJson(logistic("k", 1, 2, 3)));
        Files.createSymbolicLink(base.resolve("link.json"), dir.resolve("secret.json"));
        Properties props = new Properties();
        props.setProperty("augur.importBase", base.toString());
        try (Connection c = DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName("import_confined")), props)) {
            String[][] outside = {
                    {"IMPORT MODEL m FROM '../secret.txt'", "../secret.txt"},
                    {"IMPORT MODEL m FROM '../../../../../../../../etc/passwd'", "etc/passwd"},
                    {"IMPORT MODEL m FROM '/etc/passwd'", "/etc/passwd"},
                    {"IMPORT MODEL m FROM '" + dir.resolve("secret.json") + "'", "secret.json"},
                    {"IMPORT MODEL m FROM 'sub/../../secret.json'", "secret.json"},
                    {"IMPORT MODEL m FROM 'link.json'", "link.json"},
            };
            for (String[] k : outside) {
                SQLException e = sqlError(c, k[0], "42501");
                assertThat(e.getMessage()).as(k[0]).contains(k[1], "outside the import folder", base.toRealPath().toString())
                        .doesNotContain("root", "topsecret", "outside\"");
            }
            // what is read is never quoted, whatever is wrong with it
            for (String file : new String[]{"garbage.json", "kind.json", "weights.json"}) {
                SQLException e = sqlError(c, "IMPORT MODEL m FROM '" + file + "'", "22032");
                assertThat(e.getMessage()).as(file).contains(file).doesNotContain("hunter2");
            }
            SQLException surrogate = sqlError(c, "IMPORT MODEL m FROM 'model\uD800.json'", "22023");
            assertThat(surrogate.getMessage()).contains("not a valid file path");
            SQLException nul = sqlError(c, "IMPORT MODEL m FROM 'model\u0000.json'", "22023");
            assertThat(nul.getMessage()).contains("not a valid file path");
            SQLException folder = sqlError(c, "IMPORT MODEL m FROM '.'", "58030");
            assertThat(folder.getMessage()).contains("not a file");
            assertThat(count(c, "AUGUR.MODELS")).isZero();
            assertThat(intValue(c, "IMPORT MODEL m FROM 'ok.json'")).isEqualTo(1);
            assertThat(intValue(c, "IMPORT MODEL m FROM './sub/../ok.json'")).isEqualTo(2);
        }
    }

    @Test
    void importModelWithoutAnImportFolderReadsTheWorkingDirectoryOnly() throws Exception {
        try (Connection c = open("import_cwd")) {
            SQLException e = sqlError(c, "IMPORT MODEL m FROM '/etc/passwd'", "42501");
            assertThat(e.getMessage()).contains("outside the import folder").doesNotContain("root");
            sqlError(c, "IMPORT MODEL m FROM '../../../../../../../../etc/passwd'", "42501");
        }
    }

    // ------------------------------------------------------------------ duplicate classes and inputs

    @Test
    void duplicateClassesAndInputsAre22023NamingTheDuplicate() throws Exception {
        try (Connection c = withModels("duplicates")) {
            createTrainingTable(c);
            String good = ModelJson.toJson(logistic("d", 1, 2, 3));
            String soft = ModelJson.toJson(SqlSurfaceH2Test.softmax("s"));
            String[][] cases = {
                    {good.replace("[\"0\",\"1\"]", "[\"1\",\"1\"]"), "class '1' twice"},
                    {good.replace("[\"a\",\"b\"]", "[\"a\",\"a\"]"), "input 'a' twice"},
                    {good.replace("[\"a\",\"b\"]", "[\"a\",\"A\"]"), "input 'A' twice"},
                    {soft.replace("\"eel\"", "\"cat\""), "class 'cat' twice"},
            };
            assertThat(good).contains("[\"0\",\"1\"]", "[\"a\",\"b\"]");
            for (String[] k : cases) {
                List<List<Object>> before = catalog(c);
                SQLException e = sqlError(() -> intValue(c, "SELECT AUGUR.IMPORT_MODEL('d', ?)", k[0]));
                assertThat(e.getSQLState()).as(k[0]).isEqualTo("22023");
                assertThat(e.getMessage()).as(k[0]).contains(k[1]);
                assertThat(catalog(c)).isEqualTo(before);
            }
            SQLException trained = sqlError(c, "TRAIN MODEL d KIND logistic FROM (SELECT A, A, C FROM T)", "22023");
            assertThat(trained.getMessage()).contains("input 'a' twice");
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'd'")).isZero();
        }
    }

    @Test
    void modelJsonNumbersAreExact() throws Exception {
        try (Connection c = withModels("json_numbers")) {
            String bow = "{\"name\":\"d\",\"kind\":\"logistic\",\"features\":{\"type\":\"bag_of_words\",\"input\":\"b\","
                    + "\"hash_bits\":%s},\"weights\":[1,2,3,4],\"bias\":0}";
            for (String bits : new String[]{"4294967298", "2.5", "\"2\""}) {
                SQLException e = sqlError(() -> intValue(c, "SELECT AUGUR.IMPORT_MODEL('d', ?)", String.format(bow, bits)));
                assertThat(e.getSQLState()).as(bits).isEqualTo("22032");
                assertThat(e.getMessage()).as(bits).contains("features.hash_bits", "integer between 0 and 26");
            }
            String version = ModelJson.toJson(logistic("d", 1, 2, 3)).replace("\"format_version\":1", "\"format_version\":4294967297");
            SQLException e = sqlError(() -> intValue(c, "SELECT AUGUR.IMPORT_MODEL('d', ?)", version));
            assertThat(e.getSQLState()).isEqualTo("22032");
            assertThat(e.getMessage()).contains("format_version");
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'd'")).isZero();
        }
    }

    // ------------------------------------------------------------------ statements nested too deeply

    @Test
    void deeplyNestedStatementsAre54001() throws Exception {
        try (Connection c = withModels("deep")) {
            createTrainingTable(c);
            String deep = "(".repeat(5000) + "SELECT A, B, C FROM T" + ")".repeat(5000);
            SQLException train = sqlError(c, "TRAIN MODEL k KIND logistic FROM (" + deep + ")", "54001");
            assertThat(train.getMessage()).contains("nested");
            SQLException function = sqlError(c, "SELECT AUGUR.TRAIN_MODEL('k', 'logistic', '" + deep + "')", "54001");
            assertThat(function.getMessage()).contains("too complex");
            // plain SQL that H2's parser cannot follow fails with an SQLException too, through the driver
            SQLException plain = sqlError(c, "SELECT " + "(".repeat(20000) + "1" + ")".repeat(20000), "54001");
            assertThat(plain.getMessage()).contains("too complex");
            SQLException prepared = sqlError(() -> c.prepareStatement("SELECT " + "(".repeat(20000) + "1" + ")".repeat(20000)));
            assertThat(prepared.getSQLState()).isEqualTo("54001");
            assertThat(count(c, "AUGUR.MODELS WHERE NAME = 'k'")).isZero();
            // the connection still works
            assertThat(intValue(c, "SELECT 1")).isEqualTo(1);
        }
    }
}
