package dev.augur.tests;

import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static dev.augur.tests.PgRoleChecks.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The catalog's two roles on PostgreSQL: a login role granted augur_admin may import and deploy; one granted only
 * augur_user may PREDICT (inlined and general paths) and read the catalog, and gets 42501 on IMPORT/DEPLOY.
 */
class PgRolesTest {
    private static final String BOW = "{\"name\":\"b\",\"kind\":\"logistic\",\"classes\":[\"0\",\"1\"],\"features\":{\"type\":\"bag_of_words\","
            + "\"input\":\"body\",\"weighting\":\"binary\",\"ngrams\":1,\"hash_bits\":0,\"normalize\":false,\"vocabulary\":[\"cheap\",\"meeting\"]},"
            + "\"weights\":[2.0,-1.5],\"bias\":0.25}";

    @Test
    void adminDeploysAndUserOnlyPredicts() throws Exception {
        String url = PgServer.newDatabase("roles");
        String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        String admin = "alice" + suffix;
        String user = "bob" + suffix;
        try (Connection su = new AugurDataSource(url, null, null, null).getConnection()) {
            // the catalog is installed by the superuser (its owner); grant the roles to login roles
            H2Db.exec(su, "CREATE ROLE " + admin + " LOGIN", "GRANT augur_admin TO " + admin,
                    "CREATE ROLE " + user + " LOGIN", "GRANT augur_user TO " + user,
                    "CREATE TABLE pts (a float8, b float8)", "INSERT INTO pts VALUES (1, 2), (3, -1)",
                    "GRANT SELECT ON pts TO " + user);
        }
        try (Connection a = DriverManager.getConnection(as(url, admin))) {
            assertThat(H2Db.intValue(a, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE)).isEqualTo(1);
            assertThat(H2Db.intValue(a, "SELECT augur.deploy_model('m', 1)")).isEqualTo(1);
            assertThat(H2Db.intValue(a, "SELECT augur.import_model('b', ?)", BOW)).isEqualTo(1);
            assertThat(H2Db.intValue(a, "SELECT augur.deploy_model('b')")).isEqualTo(1);
            assertThat(H2Db.scalar(a, "SELECT created_by FROM augur.models WHERE name = 'm'")).isEqualTo(admin);
            assertThat(H2Db.scalar(a, "SELECT by_user FROM augur.deployments WHERE name = 'm'")).isEqualTo(admin);
        }
        try (Connection u = DriverManager.getConnection(as(url, user))) {
            assertThat(H2Db.doubleValue(u, "SELECT PREDICT('m', 1, 2)")).isCloseTo(H2Db.sigmoid(0.1 + 0.5 - 2.5), within(1e-12));
            assertThat(H2Db.doubleValue(u, "SELECT PREDICT('m@1', 1, 2)")).isCloseTo(H2Db.sigmoid(0.1 + 0.5 - 2.5), within(1e-12));
            assertThat(H2Db.doubleValue(u, "SELECT sum(PREDICT('m', a, b)) FROM pts"))
                    .isCloseTo(H2Db.sigmoid(0.1 + 0.5 - 2.5) + H2Db.sigmoid(0.1 + 1.5 + 1.25), within(1e-12));
            assertThat(H2Db.scalar(u, "SELECT PREDICT_LABEL('m', 1, 2)")).isEqualTo("0");
            assertThat(H2Db.doubleValue(u, "SELECT PREDICT('b', 'Cheap pills')")).isCloseTo(H2Db.sigmoid(2.25), within(1e-12));
            assertThat(H2Db.intValue(u, "SELECT count(*) FROM augur.models")).isEqualTo(2);
            assertThat(H2Db.intValue(u, "SELECT version FROM augur.deployed WHERE name = 'm'")).isEqualTo(1);
            assertThat(H2Db.intValue(u, "SELECT count(*) FROM augur.deployments")).isEqualTo(2);
            assertThat((String) H2Db.scalar(u, "SELECT augur.export_model('m')")).contains("\"weights\":[0.5,-1.25]");
            assertDenied(u, "SELECT augur.deploy_model('m', 1)", "deploy_model");
            assertDenied(u, "SELECT augur.import_model('m', ?)", "import_model", ConformanceTest.DENSE2);
            assertDenied(u, "SELECT augur.rollback_model('m')", "rollback_model");
            assertDenied(u, "SELECT augur.drop_model('m')", "drop_model");
            assertDenied(u, "SELECT augur.register_model('m', ?, 'import', NULL)", "register_model", ConformanceTest.DENSE2);
            assertDenied(u, "DELETE FROM augur.deployed", "deployed");
            assertDenied(u, "UPDATE augur.model_defs SET bias = '{5}'", "model_defs");
        }
        try (Connection a = DriverManager.getConnection(as(url, admin))) {
            // nothing the user tried changed the catalog
            assertThat(H2Db.intValue(a, "SELECT count(*) FROM augur.models")).isEqualTo(2);
            assertThat(H2Db.doubleValue(a, "SELECT PREDICT('m', 1, 2)")).isCloseTo(H2Db.sigmoid(0.1 + 0.5 - 2.5), within(1e-12));
            // and the admin may also roll back and drop
            assertThat(H2Db.intValue(a, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE2)).isEqualTo(2);
            assertThat(H2Db.intValue(a, "SELECT augur.deploy_model('m')")).isEqualTo(2);
            assertThat(H2Db.intValue(a, "SELECT augur.rollback_model('m')")).isEqualTo(1);
            assertThat(H2Db.intValue(a, "SELECT augur.drop_model('b')")).isEqualTo(1);
        }
    }

    /**
     * CALIBRATE_MODEL is augur_admin's and runs its query with the caller's rights; the calibration tables are written
     * only by the owner's augur.calibration_register; augur_user gets conformal sets and nothing else.
     */
    @Test
    void adminCalibratesWithItsOwnRightsAndUserOnlyGetsSets() throws Exception {
        String url = PgServer.newDatabase("roles_conformal");
        String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        String admin = "carol" + suffix;
        String user = "dave" + suffix;
        try (Connection su = new AugurDataSource(url, null, null, null).getConnection()) {
            H2Db.exec(su, "CREATE ROLE " + admin + " LOGIN", "GRANT augur_admin TO " + admin,
                    "CREATE ROLE " + user + " LOGIN", "GRANT augur_user TO " + user,
                    "CREATE TABLE held (a float8, b float8, y int)",
                    "INSERT INTO held SELECT sin(g), cos(g * 3), CASE WHEN sin(g) - cos(g * 5) > 0 THEN 1 ELSE 0 END FROM generate_series(1, 60) g",
                    "CREATE TABLE secret (a float8, b float8, y int)", "INSERT INTO secret VALUES (1, 2, 1)",
                    "GRANT SELECT ON held TO " + admin + ", " + user);
        }
        try (Connection a = DriverManager.getConnection(as(url, admin))) {
            assertThat(H2Db.intValue(a, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE)).isEqualTo(1);
            assertThat(H2Db.intValue(a, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM held')")).isEqualTo(2);
            // the query runs as the caller, not as the catalog's owner: a table the admin may not read stays unread
            assertDenied(a, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM secret')", "secret");
        }
        try (Connection u = DriverManager.getConnection(as(url, user))) {
            assertThat(H2Db.intValue(u, "SELECT cardinality(PREDICT_SET('m@2', 0.2, 1, 2)) + 0")).isBetween(0, 2);
            assertThat(H2Db.intValue(u, "SELECT count(*) FROM augur.calibration_scores WHERE name = 'm'")).isEqualTo(1);
            assertDenied(u, "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM held')", "calibrate_model");
            assertDenied(u, "SELECT augur.calibration_register('m', 1, 'split', '{0}', '{0.5}', NULL)", "calibration_register");
            assertDenied(u, "UPDATE augur.calibration_scores SET scores = '{1}'", "calibration_scores");
        }
        try (Connection a = DriverManager.getConnection(as(url, admin))) {
            assertDenied(a, "DELETE FROM augur.calibrations", "calibrations");
            assertThat(H2Db.intValue(a, "SELECT augur.drop_model('m')")).as("a calibrated version drops with its calibration").isEqualTo(2);
            assertThat(H2Db.intValue(a, "SELECT count(*) FROM augur.calibration_scores")).isZero();
        }
    }

    private static void assertDenied(Connection c, String sql, String object, Object... params) {
        assertThatThrownBy(() -> H2Db.scalar(c, sql, params))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                    assertThat(e.getMessage()).as(sql).contains("permission denied").contains(object);
                });
    }
}
