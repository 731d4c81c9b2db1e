package dev.augur.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.augur.tests.H2Db.JSON;
import static dev.augur.tests.H2Db.count;
import static dev.augur.tests.H2Db.doubleValue;
import static dev.augur.tests.H2Db.exec;
import static dev.augur.tests.H2Db.intValue;
import static dev.augur.tests.H2Db.rows;
import static dev.augur.tests.H2Db.sqlError;
import static dev.augur.tests.SqlSurfaceH2Test.createTrainingTable;
import static dev.augur.tests.SqlSurfaceH2Test.importModel;
import static dev.augur.tests.SqlSurfaceH2Test.linear3;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deploy, rollback, train and drop join the caller's transaction (DESIGN.md "Models": deploy and rollback are
 * transactional), other connections see them only once committed, and one statement scores with one version.
 */
class TransactionsH2Test {
    /** linear3 at x=1, y=1, z=2 is exactly its bias: 2 - 3 + 1 = 0. */
    private static final String PREDICT_BIAS = "SELECT PREDICT('m', 1, 1, 2)";

    @AfterEach
    void disarm() {
        StatementHooks.arm(null, null);
    }

    /** A database with model m: version 1 (value 10) deployed, version 2 (value 20) registered. */
    private static String databaseWithTwoVersions(String prefix) throws Exception {
        String url = H2Db.augurUrl(H2Db.uniqueName(prefix));
        try (Connection c = DriverManager.getConnection(url)) {
            importModel(c, "m", linear3("m", 10));
            importModel(c, "m", linear3("m", 20));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('m', 1)");
        }
        return url;
    }

    private static int deployed(Connection c) throws SQLException {
        return intValue(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'm'");
    }

    @Test
    void deployThenConnectionRollbackRestoresThePreviousVersion() throws Exception {
        String url = databaseWithTwoVersions("tx_deploy_rollback");
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            assertThat(intValue(c, "SELECT AUGUR.DEPLOY_MODEL('m', 2)")).isEqualTo(2);
            assertThat(doubleValue(c, PREDICT_BIAS)).as("own uncommitted deploy").isEqualTo(20.0);
            assertThat(deployed(c)).isEqualTo(2);
            c.rollback();
            assertThat(deployed(c)).isEqualTo(1);
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(10.0);
            assertThat(rows(c, "SELECT VERSION, ACTION FROM AUGUR.DEPLOYMENTS")).containsExactly(List.of(1, "deploy"));

            // the same through the extension statement
            exec(c, "DEPLOY MODEL m VERSION 2");
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(20.0);
            c.rollback();
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(10.0);

            // committed, then an AUGUR.ROLLBACK_MODEL that is itself rolled back
            exec(c, "DEPLOY MODEL m VERSION 2");
            c.commit();
            assertThat(intValue(c, "SELECT AUGUR.ROLLBACK_MODEL('m')")).isEqualTo(1);
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(10.0);
            c.rollback();
            assertThat(deployed(c)).isEqualTo(2);
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(20.0);
            assertThat(rows(c, "SELECT VERSION, ACTION, ROLLED_BACK FROM AUGUR.DEPLOYMENTS ORDER BY ID"))
                    .containsExactly(List.of(1, "deploy", false), List.of(2, "deploy", false));
        }
    }

    @Test
    void rollbackToASavepointUndoesOnlyTheLaterDeploy() throws Exception {
        String url = databaseWithTwoVersions("tx_savepoint");
        try (Connection c = DriverManager.getConnection(url)) {
            importModel(c, "m", linear3("m", 30));
            c.setAutoCommit(false);
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            Savepoint sp = c.setSavepoint();
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('m', 3)");
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(30.0);
            c.rollback(sp);
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(20.0);
            c.commit();
            assertThat(deployed(c)).isEqualTo(2);
        }
    }

    @Test
    void trainImportAndDeployInARolledBackTransactionLeaveNothing() throws Exception {
        try (Connection c = H2Db.open("tx_train")) {
            createTrainingTable(c);
            c.setAutoCommit(false);
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('t', 'logistic', 'SELECT A, B, C FROM T')")).isEqualTo(1);
            assertThat(intValue(c, "SELECT AUGUR.IMPORT_MODEL('t', ?)",
                    dev.augur.engine.codec.ModelJson.toJson(SqlSurfaceH2Test.logistic("t", 0, 0, 0)))).isEqualTo(2);
            exec(c, "DEPLOY MODEL t VERSION 2");
            assertThat(doubleValue(c, "SELECT PREDICT('t', 1, 2)")).isEqualTo(0.5);
            c.rollback();
            for (String table : new String[]{"MODELS", "MODEL_PAYLOADS", "DEPLOYED", "DEPLOYMENTS"}) {
                assertThat(count(c, "AUGUR." + table)).as(table).isZero();
            }
            assertThat(sqlError(c, "SELECT PREDICT('t', 1, 2)", "42704").getMessage()).contains("unknown model 't'");
            // the version numbers are free again, and a committed train stays
            assertThat(intValue(c, "SELECT AUGUR.TRAIN_MODEL('t', 'svm', 'SELECT A, B, C FROM T')")).isEqualTo(1);
            c.commit();
            assertThat(rows(c, "SELECT NAME, VERSION, KIND FROM AUGUR.MODELS")).containsExactly(List.of("t", 1, "svm"));
        }
    }

    @Test
    void dropInARolledBackTransactionKeepsTheModel() throws Exception {
        String url = databaseWithTwoVersions("tx_drop");
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            assertThat(intValue(c, "SELECT AUGUR.DROP_MODEL('m')")).isEqualTo(2);
            sqlError(c, PREDICT_BIAS, "42704");
            c.rollback();
            assertThat(doubleValue(c, PREDICT_BIAS)).isEqualTo(10.0);
            assertThat(count(c, "AUGUR.MODELS")).isEqualTo(2);
        }
    }

    @Test
    void aFailedCallInsideATransactionKeepsTheWorkBeforeIt() throws Exception {
        String url = databaseWithTwoVersions("tx_partial");
        try (Connection c = DriverManager.getConnection(url)) {
            createTrainingTable(c);
            c.setAutoCommit(false);
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            sqlError(c, "SELECT AUGUR.DEPLOY_MODEL('m', 9)", "42704");
            sqlError(c, "SELECT AUGUR.TRAIN_MODEL('m', 'logistic', 'SELECT A, B, 1 FROM T')", "22023");
            sqlError(c, "SELECT AUGUR.IMPORT_MODEL('m', '{}')", "22032");
            c.commit();
            assertThat(deployed(c)).isEqualTo(2);
            assertThat(count(c, "AUGUR.MODELS")).isEqualTo(2);
            assertThat(count(c, "AUGUR.DEPLOYMENTS")).isEqualTo(2);
        }
    }

    @Test
    void aSecondConnectionSeesADeployOnlyAfterCommit() throws Exception {
        String url = databaseWithTwoVersions("tx_isolation");
        try (Connection writer = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url)) {
            assertThat(reader.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            writer.setAutoCommit(false);
            exec(writer, "DEPLOY MODEL m VERSION 2");
            assertThat(doubleValue(writer, PREDICT_BIAS)).isEqualTo(20.0);
            assertThat(doubleValue(reader, PREDICT_BIAS)).as("uncommitted deploy is invisible").isEqualTo(10.0);
            assertThat(deployed(reader)).isEqualTo(1);
            assertThat(count(reader, "AUGUR.DEPLOYMENTS")).isEqualTo(1);
            writer.commit();
            assertThat(doubleValue(reader, PREDICT_BIAS)).isEqualTo(20.0);
            assertThat(deployed(reader)).isEqualTo(2);

            // an uncommitted new version and its first deployment are invisible too
            assertThat(intValue(writer, "SELECT AUGUR.IMPORT_MODEL('fresh', ?)",
                    dev.augur.engine.codec.ModelJson.toJson(linear3("fresh", 5)))).isEqualTo(1);
            exec(writer, "DEPLOY MODEL fresh");
            assertThat(doubleValue(writer, "SELECT PREDICT('fresh', 1, 1, 2)")).isEqualTo(5.0);
            assertThat(sqlError(reader, "SELECT PREDICT('fresh', 1, 1, 2)", "42704").getMessage())
                    .contains("unknown model 'fresh'");
            writer.commit();
            assertThat(doubleValue(reader, "SELECT PREDICT('fresh', 1, 1, 2)")).isEqualTo(5.0);
        }
    }

    @Test
    void oneStatementOverManyRowsUsesOneVersionWhileAnotherConnectionDeploys() throws Exception {
        String url = databaseWithTwoVersions("tx_one_version");
        try (Connection scan = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            exec(scan, "CREATE TABLE R(ID INT PRIMARY KEY, X DOUBLE PRECISION, Y DOUBLE PRECISION, Z DOUBLE PRECISION)",
                    "INSERT INTO R SELECT X, X * 0.5, MOD(X, 7), -X FROM SYSTEM_RANGE(1, 2000)",
                    "CREATE ALIAS FIRE_ONCE FOR 'dev.augur.tests.StatementHooks.fireOnce'");
            // the first row is scored first, then another connection commits a deploy of version 2; every later
            // row of the same statement must still be scored by version 1
            StatementHooks.arm(other, "SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            // (the text column makes the statement create many other values, as real queries do)
            List<List<Object>> result = rows(scan, "SELECT X, Y, Z, PREDICT('m', X, Y, Z), PREDICT_EXPLAIN('m', 1, X, Y, Z),"
                    + " FIRE_ONCE(ID), 'row ' || ID FROM R");
            assertThat(StatementHooks.fired()).isEqualTo(1);
            assertThat(result).hasSize(2000);
            Set<Integer> versions = new HashSet<>();
            int v2Rows = 0;
            for (List<Object> r : result) {
                double x = (Double) r.get(0);
                double y = (Double) r.get(1);
                double z = (Double) r.get(2);
                double v1 = 10 + 2 * x - 3 * y + 0.5 * z;
                assertThat((Double) r.get(3)).isIn(v1, v1 + 10);
                if (!r.get(3).equals(v1)) {
                    v2Rows++;
                }
                JsonNode ex = JSON.readTree((String) r.get(4));
                versions.add(ex.path("version").asInt());
            }
            assertThat(v2Rows).as("rows of the statement scored by version 2 instead of 1").isZero();
            assertThat(versions).containsExactly(1);
            // the deploy did happen, and the next statement sees it
            assertThat(deployed(scan)).isEqualTo(2);
            assertThat(doubleValue(scan, PREDICT_BIAS)).isEqualTo(20.0);
        }
    }

    @Test
    void oneStatementKeepsItsVersionWhenTheSameStatementDeploys() throws Exception {
        // A statement that itself deploys (here on its first row) must not switch versions halfway through its rows:
        // PREDICT resolves the model once per statement (H2Statements), as a STABLE function does on PostgreSQL.
        String url = databaseWithTwoVersions("tx_self_deploy");
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "CREATE TABLE R(ID INT PRIMARY KEY)", "INSERT INTO R SELECT X FROM SYSTEM_RANGE(1, 50)");
            List<List<Object>> result = rows(c, "SELECT ID, PREDICT('m', 1, 1, 2), AUGUR.DEPLOY_MODEL('m', 2) FROM R ORDER BY ID");
            assertThat(deployed(c)).isEqualTo(2);
            Set<Object> values = new HashSet<>();
            result.forEach(r -> values.add(r.get(1)));
            assertThat(values).as("PREDICT values of one statement").containsExactly(10.0);
        }
    }
}
