package dev.augur.tests;

import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;

import static dev.augur.tests.PgRoleChecks.as;
import static dev.augur.tests.PgRoleChecks.denied;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feedback's privileges on PostgreSQL, as views': augur_admin creates and drops feedbacks over tables it may read and
 * trigger; augur_user records served predictions, inserts labels where it may INSERT, and reads the metrics; nobody
 * writes the feedback tables but the catalog owner's functions, and a role that may not insert labels cannot hand
 * labels to a feedback by calling its function directly.
 */
class PgFeedbackRolesTest {
    @Test
    void adminCreatesUserRecordsAndLabelsOutsiderCannotForgeLabels() throws Exception {
        String url = PgServer.newDatabase("feedback_roles");
        String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        String admin = "fadmin" + suffix;
        String user = "fuser" + suffix;
        String outsider = "fout" + suffix;
        try (Connection su = new AugurDataSource(url, null, null, null).getConnection()) {
            H2Db.exec(su, "CREATE ROLE " + admin + " LOGIN", "GRANT augur_admin TO " + admin,
                    "CREATE ROLE " + user + " LOGIN", "GRANT augur_user TO " + user,
                    "CREATE ROLE " + outsider + " LOGIN", "GRANT augur_user TO " + outsider,
                    "CREATE TABLE labels (id int, y int)", "CREATE TABLE secret (id int, y int)",
                    "GRANT SELECT, TRIGGER ON labels TO " + admin, "GRANT INSERT ON labels TO " + user,
                    "GRANT SELECT ON labels, secret TO " + outsider);
        }
        try (Connection a = DriverManager.getConnection("jdbc:augur:" + as(url, admin).substring("jdbc:".length()))) {
            H2Db.intValue(a, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE);
            H2Db.intValue(a, "SELECT augur.deploy_model('m', 1)");
            H2Db.intValue(a, "SELECT augur.import_model('s', ?)", ConformanceTest.SOFTMAX);
            H2Db.intValue(a, "SELECT augur.deploy_model('s', 1)");
            denied(a, "CREATE FEEDBACK g FOR MODEL m FROM secret KEY id LABEL y", "secret");
            assertThat(H2Db.intValue(a, "CREATE FEEDBACK fb FOR MODEL m FROM labels KEY id LABEL y")).isZero();
            assertThat(H2Db.scalar(a, "SELECT created_by FROM augur.feedbacks WHERE name = 'fb'")).isEqualTo(admin);
        }
        try (Connection u = DriverManager.getConnection(as(url, user))) {
            assertThat(H2Db.intValue(u, "SELECT augur.record_prediction('m', '1', 0.8)")).isEqualTo(1);
            H2Db.exec(u, "INSERT INTO labels VALUES (1, 1)");
            assertThat(H2Db.intValue(u, "SELECT n FROM augur.live_metrics WHERE feedback = 'fb'")).isEqualTo(1);
            // a label's time is when it arrives where the feedback has no AT column: a direct call cannot choose one
            // (it would join the label to an older prediction than an INSERT now does)
            denied(u, "SELECT augur.feedback_label('fb', 'labels'::regclass, '2', true, '0', true, TIMESTAMPTZ '2000-01-01 00:00:00+00')", "fb");
            assertThat(H2Db.intValue(u, "SELECT count(*) FROM augur.feedback_labels")).isEqualTo(1);
            // a model with more than two classes: its probabilities, through the catalog owner's function only
            assertThat(H2Db.intValue(u, "SELECT augur.record_prediction_proba('s', '1', ARRAY[0.2, 0.3, 0.5])")).isEqualTo(1);
            denied(u, "SELECT augur.record_served('s', '2', 0.5, ARRAY[0.2, 0.3, 0.5], 1, now())", "record_served");
            assertThat(H2Db.scalar(u, "SELECT probabilities::text FROM augur.served_predictions WHERE model = 's'")).isEqualTo("{0.2,0.3,0.5}");
            denied(u, "SELECT augur.create_feedback('g', 'm', 'labels', 'id', 'y')", "create_feedback");
            denied(u, "SELECT augur.drop_feedback('fb')", "drop_feedback");
            denied(u, "INSERT INTO augur.served_predictions (model, key_text, model_version, score) VALUES ('m', '2', 1, 0.1)", "served_predictions");
            denied(u, "UPDATE augur.feedback_metrics SET n = 100", "feedback_metrics");
            denied(u, "DELETE FROM augur.feedback_labels", "feedback_labels");
        }
        try (Connection o = DriverManager.getConnection(as(url, outsider))) {
            denied(o, "SELECT augur.feedback_label('fb', 'labels'::regclass, '1', true, '0', true, now())", "fb");
            denied(o, "INSERT INTO labels VALUES (1, 0)", "labels");
            denied(o, "SELECT augur.feedback_resolve(f, '1') FROM augur.feedbacks f", "feedback_resolve");
            assertThat(H2Db.intValue(o, "SELECT count(*) FROM augur.feedback_labels")).isEqualTo(1);
        }
        try (Connection a = DriverManager.getConnection(as(url, admin))) {
            assertThat(H2Db.intValue(a, "SELECT augur.drop_feedback('fb')")).isEqualTo(1);
        }
    }
}
