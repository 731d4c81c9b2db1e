package dev.augur.tests;

import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static dev.augur.tests.PgRoleChecks.as;
import static dev.augur.tests.PgRoleChecks.denied;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monitoring's privileges on PostgreSQL, as feedback's: augur_admin captures references and sets monitors and adaptive
 * conformal; augur_user serves predictions (which feed the monitors) and reads drift, estimates and alarms; nobody
 * writes the monitoring tables but the catalog owner's functions, so no role forges a reference or an alarm, and a
 * role outside Augur's reads nothing. Its SECURITY DEFINER functions pin search_path.
 */
class PgMonitorRolesTest {
    @Test
    void adminConfiguresUserServesAndReadsNobodyForgesEvents() throws Exception {
        String url = PgServer.newDatabase("monitor_roles");
        String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        String admin = "madmin" + suffix;
        String user = "muser" + suffix;
        String outsider = "mout" + suffix;
        try (Connection su = new AugurDataSource(url, null, null, null).getConnection()) {
            StringBuilder rows = new StringBuilder();
            java.util.Random rnd = new java.util.Random(7);
            for (int i = 0; i < 100; i++) {
                double a = rnd.nextGaussian();
                rows.append(i == 0 ? "" : ", ").append("(").append(a).append(", ").append(rnd.nextGaussian()).append(", ").append(a > 0 ? 1 : 0).append(")");
            }
            H2Db.exec(su, "CREATE ROLE " + admin + " LOGIN", "GRANT augur_admin TO " + admin,
                    "CREATE ROLE " + user + " LOGIN", "GRANT augur_user TO " + user, "CREATE ROLE " + outsider + " LOGIN",
                    "CREATE TABLE train_rows (a float8, b float8, y int)", "INSERT INTO train_rows VALUES " + rows,
                    "GRANT SELECT ON train_rows TO " + admin + ", " + user);
        }
        try (Connection a = DriverManager.getConnection("jdbc:augur:" + as(url, admin).substring("jdbc:".length()))) {
            assertThat(H2Db.intValue(a, "TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM train_rows)")).isEqualTo(1);
            assertThat(H2Db.scalar(a, "SELECT source FROM augur.model_references WHERE name = 'm' AND version = 1")).isEqualTo("train");
            H2Db.intValue(a, "SELECT augur.deploy_model('m', 1)");
            assertThat(H2Db.intValue(a, "SELECT AUGUR.SET_MONITOR('m', 3600, 0.005, 0.5, 3)")).isEqualTo(1);
            assertThat(H2Db.intValue(a, "SELECT AUGUR.SET_ADAPTIVE_CONFORMAL('m', 0.1, 0.05)")).isEqualTo(1);
            assertThat(H2Db.intValue(a, "SELECT AUGUR.CAPTURE_REFERENCE('m', 'SELECT a, b FROM train_rows WHERE a > 0')")).isPositive();
        }
        try (Connection u = DriverManager.getConnection("jdbc:augur:" + as(url, user).substring("jdbc:".length()))) {
            for (int i = 0; i < 20; i++) {
                H2Db.intValue(u, "SELECT augur.record_prediction('m', '" + i + "', " + (i < 10 ? 0.1 : 0.95) + ")");
            }
            assertThat(H2Db.intValue(u, "SELECT count(*) FROM augur.monitor_events WHERE model = 'm'")).as("the served scores' alarms").isPositive();
            assertThat(H2Db.intValue(u, "SELECT sum(n) FROM augur.model_drift WHERE model = 'm'")).isEqualTo(20);
            assertThat(H2Db.scalar(u, "SELECT AUGUR.SCORE_DRIFT('m')")).isNotNull();
            assertThat(String.valueOf(H2Db.scalar(u, "SELECT AUGUR.INPUT_DRIFT('m', 'SELECT a, b FROM train_rows')"))).contains("\"features\"");
            denied(u, "SELECT AUGUR.CAPTURE_REFERENCE('m', 'SELECT a, b FROM train_rows')", "store_reference");
            denied(u, "SELECT augur.store_reference('m', 1, 'query', spec) FROM augur.model_references", "store_reference");
            denied(u, "SELECT augur.set_monitor('m', 60)", "set_monitor");
            denied(u, "SELECT augur.set_adaptive_conformal('m', 0.2, 0.1)", "set_adaptive_conformal");
            denied(u, "SELECT augur.register_trained('m', '{}', NULL, '{}')", "register_trained");
            denied(u, "SELECT augur.monitor_observe('m', 1, 'score', 'served', 1e9, 0, 1e-9, 1, 1, now())", "monitor_observe");
            denied(u, "SELECT augur.monitor_label_joined(f, 1, '1', now()) FROM augur.feedbacks f", "monitor_label_joined");
            denied(u, "SELECT augur.monitor_recount('m')", "monitor_recount");
            denied(u, "SELECT augur.monitor_copy_reference('m', 1, 2)", "monitor_copy_reference");
            denied(u, "INSERT INTO augur.monitor_events (model, model_version, at, detector, signal, source, direction, what, statistic,"
                    + " threshold, mean, observations, served_id) VALUES ('m', 1, now(), 'page_hinkley', 'score', 'served', 'up', 'forged', 1, 1, 1, 1, 1)",
                    "monitor_events");
            denied(u, "DELETE FROM augur.monitor_events", "monitor_events");
            denied(u, "UPDATE augur.monitor_detectors SET n = 0", "monitor_detectors");
            denied(u, "UPDATE augur.model_references SET rows_used = 1", "model_references");
            denied(u, "INSERT INTO augur.monitors (model, window_us, ph_delta, ph_lambda, ph_min_n) VALUES ('x', 1, 0, 1, 1)", "monitors");
            denied(u, "UPDATE augur.adaptive_conformal_state SET alpha_t = 0", "adaptive_conformal_state");
        }
        try (Connection o = DriverManager.getConnection(as(url, outsider))) {
            denied(o, "SELECT count(*) FROM augur.monitor_events", "augur");
            denied(o, "SELECT augur.score_drift('m')", "augur");
        }
        try (Connection su = new AugurDataSource(url, null, null, null).getConnection()) {
            List<String> unpinned = new ArrayList<>();
            try (var st = su.createStatement(); var rs = st.executeQuery("SELECT p.oid::regprocedure::text FROM pg_proc p"
                    + " WHERE p.pronamespace = 'augur'::regnamespace AND p.prosecdef"
                    + " AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)")) {
                while (rs.next()) {
                    unpinned.add(rs.getString(1));
                }
            }
            assertThat(unpinned).as("SECURITY DEFINER functions without a pinned search_path").isEmpty();
            assertThat(H2Db.intValue(su, "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'augur'::regnamespace AND p.prosecdef"
                    + " AND p.proname IN ('set_monitor', 'set_adaptive_conformal', 'store_reference', 'monitor_served')")).isEqualTo(4);
        }
    }
}
