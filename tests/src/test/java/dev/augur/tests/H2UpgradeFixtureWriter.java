package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the H2 database that {@link H2UpgradeTest} upgrades: run it on the commit whose catalog the fixture is to
 * hold (the one checked in, {@code upgrade/h2-25032aa.mv.db.gz}, was written at main 25032aa), e.g.
 * <pre>mvn -B -o -pl tests -am verify -Dtest=H2UpgradeFixtureWriter -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Daugur.upgrade.fixture=/tmp/h2-COMMIT.mv.db.gz</pre>
 * It is skipped in ordinary runs: a fixture is written once, by the old code, and then only read.
 */
class H2UpgradeFixtureWriter {
    /** Everything the fixture holds, through the Augur driver, in this order. */
    static final String[] SCRIPT = {
        // a dense logistic model with two versions: deployed 1, then 2, then rolled back to 1
        "CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)",
        "INSERT INTO t SELECT X, SIN(X), COS(X * 3) FROM SYSTEM_RANGE(1, 120)",
        "TRAIN MODEL dense KIND logistic FROM (SELECT a, b, CASE WHEN a - b > 0.1 THEN 1 ELSE 0 END FROM t WHERE id <= 60)"
                + " WITH (epochs = 5, seed = 7)",
        "TRAIN MODEL dense KIND logistic FROM (SELECT a, b, CASE WHEN a + 0.5 * b > 0 THEN 1 ELSE 0 END FROM t)"
                + " WITH (epochs = 5, seed = 7)",
        "DEPLOY MODEL dense VERSION 1",
        "CREATE PREDICTION VIEW eager_scores AS SELECT id, PREDICT('dense', a, b) FROM t WITH (mode = eager)",
        "CREATE PREDICTION VIEW hybrid_scores AS SELECT id, PREDICT('dense', a, b) FROM t WITH (mode = hybrid)",
        "DEPLOY MODEL dense VERSION 2",
        "ROLLBACK MODEL dense",
        "INSERT INTO t VALUES (500, 0.25, -0.75)",
        // a bag-of-words model with an eager view
        "CREATE TABLE docs (id INT PRIMARY KEY, body VARCHAR(200), y INT)",
        "INSERT INTO docs VALUES (1, 'cheap pills now', 1), (2, 'meeting notes attached', 0), (3, 'win cash now', 1),"
                + " (4, 'lunch meeting today', 0), (5, 'cash prize claim', 1), (6, 'project notes review', 0),"
                + " (7, 'claim your free prize', 1), (8, 'notes from the review meeting', 0)",
        "TRAIN MODEL words KIND logistic FROM (SELECT body, y FROM docs) WITH (epochs = 5, seed = 3)",
        "DEPLOY MODEL words",
        "CREATE PREDICTION VIEW word_scores AS SELECT id, PREDICT('words', body) FROM docs",
        // a classification view that has learned from examples after its creation
        "CREATE TABLE ent (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)",
        "INSERT INTO ent SELECT X, SIN(X * 7), COS(X * 5) FROM SYSTEM_RANGE(1, 80)",
        "CREATE TABLE ex (id INT NOT NULL, y INT)",
        "INSERT INTO ex SELECT id, CASE WHEN a + b > 0 THEN 1 ELSE 0 END FROM ent WHERE id <= 20",
        "CREATE CLASSIFICATION VIEW learned KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y"
                + " FEATURE FUNCTION (a, b) USING logistic WITH (learning_rate = 0.3, tolerance = 0.02)",
        "INSERT INTO ex SELECT id, CASE WHEN a + b > 0 THEN 1 ELSE 0 END FROM ent WHERE id BETWEEN 21 AND 30",
        // what the old code answered, kept in the database so the upgraded one can be held to it
        "CREATE TABLE old_predictions (model VARCHAR(20), id INT, score DOUBLE PRECISION, label VARCHAR(10), PRIMARY KEY (model, id))",
        "INSERT INTO old_predictions SELECT 'dense', id, PREDICT('dense', a, b), PREDICT_LABEL('dense', a, b) FROM t",
        "INSERT INTO old_predictions SELECT 'dense@1', id, PREDICT('dense@1', a, b), PREDICT_LABEL('dense@1', a, b) FROM t",
        "INSERT INTO old_predictions SELECT 'dense@2', id, PREDICT('dense@2', a, b), PREDICT_LABEL('dense@2', a, b) FROM t",
        "INSERT INTO old_predictions SELECT 'words', id, PREDICT('words', body), PREDICT_LABEL('words', body) FROM docs",
        "CREATE TABLE old_hybrid_scores AS SELECT id, score, label, model_version FROM hybrid_scores",
    };

    @Test
    @EnabledIfSystemProperty(named = "augur.upgrade.fixture", matches = ".+")
    void writeFixture() throws Exception {
        write(Path.of(System.getProperty("augur.upgrade.fixture")));
    }

    static void write(Path gzipped) throws SQLException, IOException {
        Path dir = Files.createTempDirectory("augur-upgrade-fixture");
        String file = dir.resolve("augur").toString();
        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:file:" + file); Statement st = c.createStatement()) {
            for (String sql : SCRIPT) {
                st.execute(sql);
            }
        }
        // SHUTDOWN COMPACT (plain H2, no Augur) closes the file cleanly and leaves it small
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
        Files.createDirectories(gzipped.toAbsolutePath().getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(dir.resolve("augur.mv.db"), out);
        }
    }
}
