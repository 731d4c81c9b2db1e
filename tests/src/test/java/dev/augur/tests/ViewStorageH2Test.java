package dev.augur.tests;

import org.h2.api.Trigger;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.augur.tests.H2Db.doubleValue;
import static dev.augur.tests.H2Db.exec;
import static dev.augur.tests.H2Db.intValue;
import static dev.augur.tests.SqlSurfaceH2Test.importModel;
import static dev.augur.tests.SqlSurfaceH2Test.linear3;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A view's rows are written straight into H2's storage, not by one UPDATE each: they must still be the transaction's
 * (invisible to other sessions until it commits, undone by its rollback), and a view table a user put a trigger on is
 * written by SQL, so the trigger fires for every row.
 */
class ViewStorageH2Test {
    private static final int ROWS = 300;
    /** linear3 of version 1 (bias 10) over the table below; version 2 (bias 20) adds 10 to every score. */
    private static final String SUM_V1 = "SELECT SUM(2 * x - 3 * y + 0.5 * z + 10) FROM ent";

    private static String databaseWithView(String prefix) throws Exception {
        String url = H2Db.augurUrl(H2Db.uniqueName(prefix));
        try (Connection c = DriverManager.getConnection(url)) {
            importModel(c, "m", linear3("m", 10));
            importModel(c, "m", linear3("m", 20));
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('m', 1)",
                    "CREATE TABLE ent (id INT PRIMARY KEY, x DOUBLE PRECISION, y DOUBLE PRECISION, z DOUBLE PRECISION)",
                    "INSERT INTO ent SELECT X, SIN(X), COS(X), MOD(X, 7) FROM SYSTEM_RANGE(1, " + ROWS + ")",
                    "SELECT AUGUR.CREATE_PREDICTION_VIEW('v', 'SELECT id, PREDICT(''m'', x, y, z) FROM ent', '{\"tolerance\": 0}')");
        }
        return url;
    }

    private static double viewSum(Connection c) throws Exception {
        return doubleValue(c, "SELECT SUM(score) FROM v");
    }

    @Test
    void aDeployUnderAViewIsSeenByOthersOnlyOnceCommittedAndARollbackUndoesEveryRow() throws Exception {
        String url = databaseWithView("view_storage_tx");
        try (Connection writer = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url)) {
            double v1 = doubleValue(reader, SUM_V1);
            assertThat(viewSum(reader)).isCloseTo(v1, org.assertj.core.data.Offset.offset(1e-9));
            writer.setAutoCommit(false);
            exec(writer, "SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            assertThat(viewSum(writer)).as("the writer sees its own deploy").isCloseTo(v1 + 10 * ROWS, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(viewSum(reader)).as("another session sees committed rows only").isCloseTo(v1, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(intValue(reader, "SELECT COUNT(*) FROM v WHERE model_version = 2")).isZero();
            writer.rollback();
            assertThat(viewSum(writer)).isCloseTo(v1, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(intValue(writer, "SELECT COUNT(*) FROM v WHERE model_version = 1")).isEqualTo(ROWS);
            exec(writer, "SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            writer.commit();
            assertThat(viewSum(reader)).isCloseTo(v1 + 10 * ROWS, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(intValue(reader, "SELECT COUNT(*) FROM v WHERE model_version = 2")).isEqualTo(ROWS);
            // every stored row equals PREDICT on the fly
            assertThat(intValue(reader, "SELECT COUNT(*) FROM v JOIN ent ON ent.id = v.id WHERE v.score <> PREDICT('m', x, y, z)")).isZero();
        }
    }

    /** Counts the rows its trigger saw updated, across the JVM (the database runs embedded). */
    public static final class CountingTrigger implements Trigger {
        static final AtomicInteger UPDATES = new AtomicInteger();

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
            UPDATES.incrementAndGet();
        }
    }

    @Test
    void aViewTableWithAUsersTriggerIsWrittenBySqlSoTheTriggerSeesEveryRow() throws Exception {
        String url = databaseWithView("view_storage_trigger");
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "CREATE TRIGGER v_audit AFTER UPDATE ON v FOR EACH ROW CALL '" + CountingTrigger.class.getName() + "'");
            int before = CountingTrigger.UPDATES.get();
            exec(c, "SELECT AUGUR.DEPLOY_MODEL('m', 2)");
            assertThat(CountingTrigger.UPDATES.get() - before).isEqualTo(ROWS);
            assertThat(viewSum(c)).isCloseTo(doubleValue(c, SUM_V1) + 10 * ROWS, org.assertj.core.data.Offset.offset(1e-6));
        }
    }
}
