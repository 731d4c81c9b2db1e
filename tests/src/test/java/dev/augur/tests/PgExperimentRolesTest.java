package dev.augur.tests;

import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;

import static dev.augur.tests.PgRoleChecks.as;
import static dev.augur.tests.PgRoleChecks.denied;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Experiments' privileges on PostgreSQL: augur_admin starts and ends them; augur_user routes and serves keys
 * (PREDICT_SERVED, AUGUR.ROUTE) and reads the status; nobody writes the experiment tables but the catalog owner's
 * functions, and a role's own functions named like Augur's are never what the routing runs.
 */
class PgExperimentRolesTest {
    @Test
    void adminStartsUserServesAndNobodyForgesRewards() throws Exception {
        String url = PgServer.newDatabase("experiment_roles");
        String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        String admin = "eadmin" + suffix;
        String user = "euser" + suffix;
        try (Connection su = new AugurDataSource(url, null, null, null).getConnection()) {
            H2Db.exec(su, "CREATE ROLE " + admin + " LOGIN", "GRANT augur_admin TO " + admin,
                    "CREATE ROLE " + user + " LOGIN", "GRANT augur_user TO " + user,
                    "CREATE TABLE labels (id text, y int)", "GRANT SELECT, TRIGGER ON labels TO " + admin,
                    "GRANT INSERT ON labels TO " + user, "GRANT CREATE ON SCHEMA public TO " + user);
        }
        try (Connection a = DriverManager.getConnection("jdbc:augur:" + as(url, admin).substring("jdbc:".length()))) {
            H2Db.intValue(a, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE);
            H2Db.intValue(a, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE);
            H2Db.intValue(a, "SELECT augur.deploy_model('m', 1)");
            H2Db.intValue(a, "CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y");
            assertThat(H2Db.intValue(a, "DEPLOY MODEL m STRATEGY bandit OVER VERSIONS (1, 2)")).isPositive();
        }
        try (Connection u = DriverManager.getConnection(as(url, user))) {
            // a function of the user's own, named like the routing's helpers, in a schema first on its path: not called
            H2Db.exec(u, "CREATE FUNCTION public.experiment_routed(text, text, OUT version integer, OUT experiment bigint)"
                    + " LANGUAGE sql AS 'SELECT 99, NULL::bigint'", "SET search_path = public, augur");
            int routed = H2Db.intValue(u, "SELECT augur.route('m', 'k1')");
            assertThat(routed).isIn(1, 2);
            H2Db.scalar(u, "SELECT predict_served('m', 'k1', 1.0, 2.0)");
            assertThat(H2Db.intValue(u, "SELECT model_version FROM augur.served_predictions WHERE key_text = 'k1'")).isEqualTo(routed);
            H2Db.exec(u, "INSERT INTO labels VALUES ('k1', 1)");
            assertThat(H2Db.intValue(u, "SELECT sum(labels) FROM augur.experiment_status")).isEqualTo(1);
            denied(u, "SELECT augur.start_experiment('m', 'best', '1,2')", "start_experiment");
            denied(u, "UPDATE augur.experiment_arms SET correct = labels + 100", "experiment_arms");
            denied(u, "UPDATE augur.experiments SET ended_at = now()", "experiments");
            denied(u, "SELECT augur.experiment_rewarded('fb', 'class', 1, 2, 1, 0.0, 1)", "experiment_rewarded");
            denied(u, "UPDATE augur.experiment_arms SET squared_error_sum = 0", "experiment_arms");
            denied(u, "SELECT augur.rollback_model('m')", "rollback_model");
            assertThat(H2Db.intValue(u, "SELECT sum(labels) FROM augur.experiment_status")).isEqualTo(1);
        }
        try (Connection a = DriverManager.getConnection(as(url, admin))) {
            assertThat(H2Db.intValue(a, "SELECT augur.rollback_model('m')")).isEqualTo(1);
            assertThat(H2Db.scalar(a, "SELECT outcome FROM augur.experiments")).isEqualTo("ended by ROLLBACK MODEL");
        }
    }
}
