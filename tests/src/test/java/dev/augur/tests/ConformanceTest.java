package dev.augur.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL surface on H2 and on PostgreSQL, statement by statement through the {@code jdbc:augur:} driver: every
 * statement must give the same result on both (numbers within 1e-9, the same NULLs, JSON equal field by field,
 * the same SQLSTATE when it fails). Each test runs one script on a fresh H2 database and a fresh PostgreSQL one.
 */
class ConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOL = 1e-9;

    static final String DENSE = "{\"name\":\"m\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
            + "\"classes\":[\"0\",\"1\"],\"weights\":[0.5,-1.25],\"bias\":0.1}";
    static final String DENSE2 = "{\"name\":\"m\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
            + "\"classes\":[\"no\",\"yes\"],\"weights\":[-0.75,2.5],\"bias\":-0.3}";
    static final String LINEAR1 = "{\"name\":\"lin\",\"kind\":\"linear\",\"features\":{\"type\":\"dense\",\"inputs\":[\"x\"]},"
            + "\"weights\":[3.0],\"bias\":1.5}";
    static final String SOFTMAX = "{\"name\":\"s\",\"kind\":\"softmax\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
            + "\"classes\":[\"red\",\"green\",\"blue\"],\"weights\":[[1,0],[0,1],[-1,-1]],\"bias\":[0.1,0.2,0.3]}";
    static final String BOW = "{\"name\":\"spam\",\"kind\":\"logistic\",\"features\":{\"type\":\"bag_of_words\",\"input\":\"body\","
            + "\"weighting\":\"tfidf\",\"ngrams\":2,\"hash_bits\":0,\"normalize\":true,"
            + "\"vocabulary\":[\"buy\",\"now\",\"buy now\",\"hello\",\"meeting\",\"cheap\"],\"idf\":[1.5,1.2,2.0,0.7,0.9,1.8]},"
            + "\"classes\":[\"ham\",\"spam\"],\"weights\":[1.2,0.4,2.1,-0.8,-1.5,1.7],\"bias\":-0.2}";
    static final String HASHED = "{\"name\":\"h\",\"kind\":\"svm\",\"features\":{\"type\":\"bag_of_words\",\"input\":\"body\","
            + "\"weighting\":\"tf\",\"ngrams\":1,\"hash_bits\":3,\"normalize\":false},"
            + "\"classes\":[\"0\",\"1\"],\"weights\":[0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,-0.8],\"bias\":0.05}";

    static final String BAGGED = "{\"name\":\"e\",\"kind\":\"bagged_logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
            + "\"classes\":[\"0\",\"1\"],\"weights\":[[0.5,-1.25],[1.5,0.25],[-0.5,2.0]],\"bias\":[0.1,-0.4,0.3]}";
    static final String BAGGED_BOW = "{\"name\":\"eb\",\"kind\":\"bagged_linear\",\"features\":{\"type\":\"bag_of_words\",\"input\":\"body\","
            + "\"weighting\":\"tf\",\"ngrams\":1,\"hash_bits\":3,\"normalize\":true},"
            + "\"weights\":[[0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,-0.8],[0.8,0.7,-0.6,0.5,0.4,0.3,0.2,0.1]],\"bias\":[0.05,-0.5]}";

    static final String[] TABLES = {
            "CREATE TABLE pts (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, y INT, c VARCHAR(10))",
            "INSERT INTO pts VALUES (1, 0.5, 1.0, 0, 'red'), (2, 2.0, -1.0, 1, 'green'), (3, -1.5, 0.25, 0, 'blue'),"
                    + " (4, 3.0, 2.0, 1, 'green'), (5, NULL, 1.0, 1, 'red'), (6, 1.25, -2.5, 1, 'blue'), (7, -0.5, -0.5, 0, 'red'),"
                    + " (8, 2.5, 0.5, 1, 'green')",
            "CREATE TABLE docs (id INT PRIMARY KEY, body VARCHAR(1000), label VARCHAR(10))",
            "INSERT INTO docs VALUES (1, 'Buy now! CHEAP pills, buy now', 'spam'), (2, 'Hello, the meeting is at noon', 'ham'),"
                    + " (3, 'cheap cheap cheap', 'spam'), (4, 'hello hello meeting', 'ham'), (5, '', 'ham'), (6, NULL, 'ham'),"
                    + " (7, 'Ünïcode straße BUY-now k\u212Aelvin', 'spam'), (8, 'meeting: buy now?', 'spam')",
    };

    @Test
    void importDeployPredictFamilyExportAndCatalog() throws Exception {
        conform(List.of(
                "SELECT AUGUR.IMPORT_MODEL('m', '" + DENSE + "')",
                "SELECT AUGUR.IMPORT_MODEL('M', '" + DENSE2 + "')",
                "SELECT AUGUR.DEPLOY_MODEL('m', 1)",
                "SELECT id, PREDICT('m', a, b), PREDICT('m@2', a, b), PREDICT_LABEL('m', a, b), PREDICT_LABEL('m@2', a, b),"
                        + " PREDICT_PROBA('m', '0', a, b), PREDICT_PROBA('m@2', 'yes', a, b) FROM pts ORDER BY id",
                "SELECT id, PREDICT_EXPLAIN('m', 2, a, b), PREDICT_EXPLAIN('m@2', 1, a, b) FROM pts ORDER BY id",
                "SELECT AUGUR.EXPORT_MODEL('m')", "SELECT AUGUR.EXPORT_MODEL('m', 2)",
                "SELECT NAME, VERSION, KIND, INPUTS, CLASSES, SHA256, PAYLOAD_BYTES, SOURCE, SPEC FROM AUGUR.MODELS ORDER BY NAME, VERSION",
                "SELECT NAME, VERSION, LENGTH(PAYLOAD) FROM AUGUR.MODEL_PAYLOADS ORDER BY NAME, VERSION",
                "SELECT AUGUR.DEPLOY_MODEL('m')", "SELECT AUGUR.DEPLOY_MODEL('m')",
                "SELECT PREDICT('m', 1, 2), PREDICT('M', 1, 2)",
                "SELECT AUGUR.ROLLBACK_MODEL('m')", "SELECT PREDICT('m', 1, 2)",
                "SELECT AUGUR.ROLLBACK_MODEL('m')",
                "SELECT NAME, VERSION, SHA256 FROM AUGUR.DEPLOYED",
                "SELECT ID, NAME, VERSION, PREVIOUS_VERSION, ACTION, ROLLED_BACK FROM AUGUR.DEPLOYMENTS ORDER BY ID",
                "SELECT AUGUR.IMPORT_MODEL('lin', '" + LINEAR1 + "')", "SELECT AUGUR.DEPLOY_MODEL('lin')",
                "SELECT PREDICT('lin', 2), PREDICT('lin', 2.5), PREDICT('lin', '4'), PREDICT_EXPLAIN('lin', 3, 2)",
                "SELECT PREDICT_LABEL('lin', 2)",
                "SELECT PREDICT_PROBA('lin', '1', 2)",
                "SELECT AUGUR.DROP_MODEL('m')", "SELECT COUNT(*) FROM AUGUR.MODELS", "SELECT PREDICT('m', 1, 2)",
                "SELECT AUGUR.DROP_MODEL('m')"));
    }

    @Test
    void softmaxAndBagOfWords() throws Exception {
        conform(List.of(
                "SELECT AUGUR.IMPORT_MODEL('s', '" + SOFTMAX + "')", "SELECT AUGUR.DEPLOY_MODEL('s')",
                "SELECT id, PREDICT('s', a, b), PREDICT_LABEL('s', a, b), PREDICT_PROBA('s', 'blue', a, b),"
                        + " PREDICT_PROBA('s', 'red', a, b), PREDICT_EXPLAIN('s', 2, a, b) FROM pts ORDER BY id",
                "SELECT PREDICT_PROBA('s', 'purple', 1, 2)",
                "SELECT AUGUR.IMPORT_MODEL('spam', '" + BOW + "')", "SELECT AUGUR.DEPLOY_MODEL('spam')",
                "SELECT AUGUR.IMPORT_MODEL('h', '" + HASHED + "')", "SELECT AUGUR.DEPLOY_MODEL('h')",
                "SELECT id, PREDICT('spam', body), PREDICT_LABEL('spam', body), PREDICT_PROBA('spam', 'ham', body),"
                        + " PREDICT_EXPLAIN('spam', 3, body) FROM docs ORDER BY id",
                "SELECT id, PREDICT('h', body), PREDICT_LABEL('h', body), PREDICT_EXPLAIN('h', 2, body) FROM docs ORDER BY id",
                "SELECT AUGUR.EXPORT_MODEL('spam')", "SELECT AUGUR.EXPORT_MODEL('h')",
                "SELECT NAME, VERSION, SHA256, PAYLOAD_BYTES FROM AUGUR.MODELS ORDER BY NAME, VERSION",
                "SELECT PREDICT('spam', 1, 2)", "SELECT PREDICT('m', 'abc')"));
    }

    /** Bagged ensembles: the members' mean, spread, label, class probability and mean-weight explanation alike. */
    @Test
    void baggedEnsembles() throws Exception {
        conform(List.of(
                "SELECT AUGUR.IMPORT_MODEL('e', '" + BAGGED + "')", "SELECT AUGUR.DEPLOY_MODEL('e')",
                "SELECT id, PREDICT('e', a, b), PREDICT_STDDEV('e', a, b), PREDICT_LABEL('e', a, b), PREDICT_PROBA('e', '0', a, b),"
                        + " PREDICT_EXPLAIN('e', 2, a, b) FROM pts ORDER BY id",
                "SELECT AUGUR.IMPORT_MODEL('eb', '" + BAGGED_BOW + "')", "SELECT AUGUR.DEPLOY_MODEL('eb')",
                "SELECT id, PREDICT('eb', body), PREDICT_STDDEV('eb', body), PREDICT_EXPLAIN('eb', 3, body) FROM docs ORDER BY id",
                "SELECT PREDICT_LABEL('eb', 'buy now')", "SELECT PREDICT_PROBA('eb', '1', 'buy now')",
                "SELECT AUGUR.EXPORT_MODEL('e')", "SELECT AUGUR.EXPORT_MODEL('eb')",
                "SELECT NAME, VERSION, KIND, INPUTS, CLASSES, SHA256, PAYLOAD_BYTES FROM AUGUR.MODELS ORDER BY NAME",
                "SELECT AUGUR.IMPORT_MODEL('m', '" + DENSE + "')", "SELECT AUGUR.DEPLOY_MODEL('m')", "SELECT PREDICT_STDDEV('m', 1, 2)",
                "SELECT PREDICT_STDDEV('e', 1)", "SELECT PREDICT_STDDEV('e', NULL, 2)",
                "SELECT id, PREDICT('e@1', a, b), PREDICT('e', CAST(a AS REAL), b) FROM pts ORDER BY id",
                "SELECT PREDICT('e', CAST('Infinity' AS DOUBLE PRECISION), 2)", "SELECT PREDICT('e@1', 1, CAST('NaN' AS DOUBLE PRECISION))",
                "SELECT AUGUR.IMPORT_MODEL('one', '" + BAGGED.replace("[[0.5,-1.25],[1.5,0.25],[-0.5,2.0]]", "[[0.5,-1.25]]").replace("[0.1,-0.4,0.3]", "[0.1]") + "')",
                "SELECT AUGUR.IMPORT_MODEL('flat', '" + BAGGED.replace("[[0.5,-1.25],[1.5,0.25],[-0.5,2.0]]", "[0.5,-1.25]") + "')",
                "TRAIN MODEL bag KIND bagged_logistic FROM (SELECT a, b, y FROM pts WHERE a IS NOT NULL ORDER BY id) WITH (members = 5, epochs = 4)",
                "TRAIN MODEL bagt KIND bagged_svm FROM (SELECT body, label FROM docs WHERE body IS NOT NULL ORDER BY id) WITH (members = 3, hash_bits = 5)",
                "SELECT NAME, VERSION, KIND, SHA256 FROM AUGUR.MODELS WHERE NAME LIKE 'bag%' ORDER BY NAME",
                "DEPLOY MODEL bag", "DEPLOY MODEL bagt",
                "SELECT id, PREDICT('bag', a, b), PREDICT_STDDEV('bag', a, b), PREDICT_LABEL('bag', a, b) FROM pts ORDER BY id",
                "SELECT id, PREDICT('bagt', body), PREDICT_STDDEV('bagt', body), PREDICT_LABEL('bagt', body) FROM docs ORDER BY id",
                "SELECT AUGUR.TRAIN_MODEL('bad', 'logistic', 'SELECT a, b, y FROM pts WHERE a IS NOT NULL', '{\"members\": 3}')",
                "SELECT AUGUR.TRAIN_MODEL('bad', 'bagged_logistic', 'SELECT a, b, y FROM pts WHERE a IS NOT NULL', '{\"members\": 1}')",
                "SELECT COUNT(*) FROM AUGUR.MODELS"));
    }

    @Test
    void trainingGivesTheSameModelOnBothDatabases() throws Exception {
        conform(List.of(
                "TRAIN MODEL lin KIND linear FROM (SELECT a, b, y FROM pts WHERE a IS NOT NULL ORDER BY id) WITH (epochs = 20)",
                "SELECT AUGUR.TRAIN_MODEL('lg', 'logistic', 'SELECT a, b, y FROM pts WHERE a IS NOT NULL ORDER BY id')",
                "SELECT AUGUR.TRAIN_MODEL('sm', 'softmax', 'SELECT a, b, c FROM pts WHERE a IS NOT NULL ORDER BY id', '{\"epochs\": 5}')",
                "TRAIN MODEL txt KIND logistic FROM (SELECT body, label FROM docs WHERE body IS NOT NULL ORDER BY id)"
                        + " WITH (features = 'tfidf', ngrams = 2)",
                "TRAIN MODEL hx KIND svm FROM (SELECT body, label FROM docs WHERE body IS NOT NULL ORDER BY id) WITH (hash_bits = 6)",
                "SELECT NAME, VERSION, KIND, INPUTS, CLASSES, SHA256, PAYLOAD_BYTES, SOURCE FROM AUGUR.MODELS ORDER BY NAME",
                "DEPLOY MODEL lin", "DEPLOY MODEL lg", "DEPLOY MODEL sm VERSION 1", "DEPLOY MODEL txt VERSION LATEST", "DEPLOY MODEL hx",
                "SELECT id, PREDICT('lin', a, b), PREDICT('lg', a, b), PREDICT('sm', a, b), PREDICT_LABEL('sm', a, b) FROM pts ORDER BY id",
                "SELECT id, PREDICT('txt', body), PREDICT_LABEL('txt', body), PREDICT('hx', body), PREDICT_EXPLAIN('txt', 4, body)"
                        + " FROM docs ORDER BY id",
                "SELECT AUGUR.TRAIN_MODEL('bad', 'logistic', 'SELECT a FROM pts')",
                "SELECT AUGUR.TRAIN_MODEL('bad', 'tree', 'SELECT a, y FROM pts')",
                "SELECT AUGUR.TRAIN_MODEL('bad', 'logistic', 'SELECT a, y FROM pts', '{\"epoch\": 3}')",
                "ROLLBACK MODEL lin", "DROP MODEL lin", "SELECT COUNT(*) FROM AUGUR.MODELS"));
    }

    @Test
    void badInputGivesTheSameErrors() throws Exception {
        conform(List.of(
                "SELECT PREDICT('nothing', 1, 2)",
                "SELECT AUGUR.IMPORT_MODEL('m', '" + DENSE + "')",
                "SELECT PREDICT('m', 1, 2)",
                "SELECT PREDICT('m@1', 1, 2)", "SELECT PREDICT('m@7', 1, 2)", "SELECT PREDICT('m@x', 1, 2)",
                "SELECT PREDICT('zzz', 1, 2)",
                "SELECT AUGUR.DEPLOY_MODEL('m')",
                "SELECT PREDICT('m', 1, 2, 3)", "SELECT PREDICT('m', 1)", "SELECT PREDICT_LABEL('m', 1, 2, 3)",
                "SELECT PREDICT('m', NULL, 2), PREDICT('m', 1, NULL), PREDICT_LABEL('m', 1, NULL), PREDICT_PROBA('m', NULL, 1, 2),"
                        + " PREDICT_EXPLAIN('m', NULL, 1, 2)",
                "SELECT PREDICT('m', CAST('NaN' AS DOUBLE PRECISION), 2)",
                "SELECT PREDICT('m', 1, CAST('Infinity' AS DOUBLE PRECISION))",
                "SELECT PREDICT_LABEL('m', CAST('-Infinity' AS DOUBLE PRECISION), 2)",
                "SELECT PREDICT_EXPLAIN('m', 0, 1, 2)",
                "SELECT PREDICT_PROBA('m', 'purple', 1, 2)", "SELECT PREDICT_PROBA('m@1', 'purple', 1, 2)",
                "SELECT PREDICT_LABEL('m', 1, CAST('NaN' AS DOUBLE PRECISION))", "SELECT PREDICT_PROBA('m', '1', CAST('Infinity' AS DOUBLE PRECISION), 2)",
                "SELECT PREDICT(NULL, 1, 2)",
                "SELECT AUGUR.IMPORT_MODEL('x''; DROP TABLE pts; --', '" + DENSE + "')",
                "SELECT AUGUR.DEPLOY_MODEL('m; DROP TABLE pts', 1)",
                "SELECT PREDICT('m''); DROP TABLE pts; --', 1, 2)",
                "SELECT COUNT(*) FROM pts",
                "SELECT AUGUR.IMPORT_MODEL('m', '{not json')",
                "SELECT AUGUR.IMPORT_MODEL('m', '{\"name\":\"m\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},\"weights\":[1,2,3],\"bias\":0}')",
                "SELECT AUGUR.IMPORT_MODEL('m', '{\"name\":\"m\",\"kind\":\"tree\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\"]},\"weights\":[1],\"bias\":0}')",
                "SELECT AUGUR.IMPORT_MODEL('m', '{\"name\":\"m\",\"kind\":\"linear\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\"]},\"weights\":[\"x\"],\"bias\":0}')",
                "SELECT AUGUR.DEPLOY_MODEL('m', 9)", "SELECT AUGUR.DEPLOY_MODEL('nope')",
                "SELECT AUGUR.ROLLBACK_MODEL('m')", "SELECT AUGUR.ROLLBACK_MODEL('nope')", "SELECT AUGUR.DROP_MODEL('nope')",
                "SELECT AUGUR.EXPORT_MODEL('nope')", "SELECT AUGUR.EXPORT_MODEL('m', 5)",
                "SELECT COUNT(*) FROM AUGUR.MODELS"));
    }

    /**
     * A model file's class and input checks (ModelKind.classesProblem, the engine's duplicate check) give the same
     * SQLSTATE and words on both databases. PostgreSQL took a binary model naming one class twice, and an input twice
     * in other case, which the engine refuses.
     */
    @Test
    void modelFileChecksGiveTheSameErrorsOnBothDatabases() throws Exception {
        String dense = "{\"name\":\"m\",\"kind\":\"%s\",\"features\":{\"type\":\"dense\",\"inputs\":[%s]},%s\"weights\":%s,\"bias\":%s}";
        String[][] cases = {
                {String.format(dense, "logistic", "\"a\",\"b\"", "\"classes\":[\"1\",\"1\"],", "[1,2]", "0"), "22023", "class '1' twice"},
                {String.format(dense, "logistic", "\"a\",\"A\"", "", "[1,2]", "0"), "22023", "input 'A' twice"},
                {String.format(dense, "softmax", "\"a\"", "\"classes\":[\"x\",\"y\",\"x\"],", "[[1],[2],[3]]", "[0,0,0]"), "22023", "class 'x' twice"},
                {String.format(dense, "softmax", "\"a\"", "\"classes\":[\"x\"],", "[1]", "0"), "22032", "a softmax model needs at least 2 classes, got [x]"},
                {String.format(dense, "svm", "\"a\"", "\"classes\":[\"x\",\"y\",\"z\"],", "[1]", "0"), "22032", "a svm model needs exactly 2 classes, got [x, y, z]"},
                {String.format(dense, "linear", "\"a\"", "\"classes\":[\"x\"],", "[1]", "0"), "22032", "a linear regression model has no classes, got [x]"},
        };
        try (Connection h2 = DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName("kinds")));
             Connection pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("kinds").substring("jdbc:".length()))) {
            for (String[] k : cases) {
                String sql = "SELECT AUGUR.IMPORT_MODEL('m', '" + k[0] + "')";
                for (Outcome o : List.of(run(h2, sql), run(pg, sql))) {
                    assertThat(o.sqlState()).as("%s: %s", sql, o.message()).isEqualTo(k[1]);
                    assertThat(o.message()).as(sql).contains(k[2]);
                }
            }
            assertThat(run(pg, "SELECT COUNT(*) FROM AUGUR.MODELS").rows()).isEqualTo(List.of(List.of(0L)));
        }
    }

    // ------------------------------------------------------------------------------------------------ machinery

    /** One statement's outcome: rows, an update count, or a SQLSTATE. */
    record Outcome(List<List<Object>> rows, String sqlState, String message) {
    }

    private void conform(List<String> script) throws Exception {
        try (Connection h2 = DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName("conf")));
             Connection pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("conf").substring("jdbc:".length()))) {
            for (String t : TABLES) {
                H2Db.exec(h2, t);
                H2Db.exec(pg, t);
            }
            for (String sql : script) {
                Outcome a = run(h2, sql);
                Outcome b = run(pg, sql);
                compare(sql, a, b);
            }
        }
    }

    /** Runs one statement: its rows (or update count), or its SQLSTATE and message. */
    /**
     * Runs a script statement by statement on a fresh H2 and a fresh PostgreSQL database through the jdbc:augur: driver,
     * requiring the same outcome of each; statement i must succeed on H2 where {@code mustSucceed} holds, and the count
     * statement at {@code positiveAt} must give a positive number on PostgreSQL.
     */
    static void conformScript(String prefix, List<String> script, java.util.function.IntPredicate mustSucceed, int positiveAt)
            throws Exception {
        try (Connection h2 = DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName(prefix)));
             Connection pg = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase(prefix).substring("jdbc:".length()))) {
            for (int i = 0; i < script.size(); i++) {
                String sql = script.get(i);
                Outcome a = run(h2, sql);
                Outcome b = run(pg, sql);
                if (mustSucceed.test(i)) {
                    assertThat(a.sqlState()).as("%s on H2: %s", sql, a.message()).isNull();
                }
                compare(sql, a, b);
                if (i == positiveAt) {
                    assertThat(((Number) b.rows().get(0).get(0)).intValue()).as(sql).isPositive();
                }
            }
        }
    }

    static Outcome run(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            boolean rs = st.execute(sql);
            List<List<Object>> rows = new ArrayList<>();
            if (rs) {
                try (ResultSet r = st.getResultSet()) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            row.add(r.getObject(i));
                        }
                        rows.add(row);
                    }
                }
            } else {
                rows.add(List.of(st.getUpdateCount()));
            }
            return new Outcome(rows, null, null);
        } catch (SQLException e) {
            return new Outcome(null, e.getSQLState(), e.getMessage());
        }
    }

    /** The same SQLSTATE, or the same rows with values within 1e-9 (JSON compared parsed). */
    static void compare(String sql, Outcome h2, Outcome pg) throws Exception {
        if (h2.sqlState() != null || pg.sqlState() != null) {
            assertThat(pg.sqlState()).as("SQLSTATE of %s on PostgreSQL (H2: %s / PG: %s)", sql, h2.message(), pg.message())
                    .isEqualTo(h2.sqlState());
            return;
        }
        assertThat(pg.rows()).as("row count of %s", sql).hasSameSizeAs(h2.rows());
        for (int r = 0; r < h2.rows().size(); r++) {
            List<Object> x = h2.rows().get(r);
            List<Object> y = pg.rows().get(r);
            assertThat(y).as("columns of %s", sql).hasSameSizeAs(x);
            for (int i = 0; i < x.size(); i++) {
                value(sql + " row " + r + " column " + (i + 1) + " (H2 row " + x + ", PG row " + y + ")", x.get(i), y.get(i));
            }
        }
    }

    static void value(String where, Object a, Object b) throws Exception {
        if (a == null || b == null) {
            assertThat(b).as("NULL at %s (H2 %s, PG %s)", where, a, b).isEqualTo(a);
            return;
        }
        if (a instanceof Number x && b instanceof Number y) {
            assertThat(y.doubleValue()).as("%s", where).isCloseTo(x.doubleValue(), org.assertj.core.api.Assertions.within(TOL));
            return;
        }
        String s = a.toString().trim();
        String t = b.toString().trim();
        if (s.startsWith("{") && t.startsWith("{")) {
            json(where, JSON.readTree(s), JSON.readTree(t));
            return;
        }
        assertThat(t).as("%s", where).isEqualTo(s);
    }

    static void json(String where, JsonNode a, JsonNode b) throws Exception {
        if (a.isNumber() && b.isNumber()) {
            assertThat(b.asDouble()).as("%s", where).isCloseTo(a.asDouble(), org.assertj.core.api.Assertions.within(TOL));
        } else if (a.isObject() && b.isObject()) {
            assertThat(iter(b.fieldNames())).as("fields at %s", where).containsExactlyInAnyOrderElementsOf(iter(a.fieldNames()));
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                json(where + "." + e.getKey(), e.getValue(), b.get(e.getKey()));
            }
        } else if (a.isArray() && b.isArray()) {
            assertThat(b.size()).as("array size at %s", where).isEqualTo(a.size());
            for (int i = 0; i < a.size(); i++) {
                json(where + "[" + i + "]", a.get(i), b.get(i));
            }
        } else {
            assertThat(b).as("%s", where).isEqualTo(a);
        }
    }

    private static List<String> iter(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
