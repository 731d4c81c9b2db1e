package dev.augur.tests;

import dev.augur.testkit.Corpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The accuracy check, end to end in SQL: TRAIN_MODEL on the corpus, PREDICT_LABEL on the held-out half. */
class SpamAssassinSqlTest {
    static Path corpus;

    @BeforeAll
    static void findCorpus() {
        String root = System.getProperty("augur.root", ".");
        corpus = Path.of(root, "..", "shared", "datasets", "spamassassin.jsonl.gz");
    }

    @Test
    void bagOfWordsLogisticTrainedByTrainModelReachesTheTarget() throws Exception {
        assumeTrue(Files.isRegularFile(corpus), "the SpamAssassin corpus is not at " + corpus.normalize()
                + " (../shared/datasets beside the project); this test needs it");
        List<Corpus.Message> mails = Corpus.read(corpus);
        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:mem:spam_sql;DB_CLOSE_DELAY=-1");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE emails (id VARCHAR(64) PRIMARY KEY, grp VARCHAR(32), is_spam INT, train_half BOOLEAN,"
                    + " body VARCHAR(1000000))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO emails VALUES (?, ?, ?, ?, ?)")) {
                for (Corpus.Message m : mails) {
                    ps.setString(1, m.id());
                    ps.setString(2, m.group());
                    ps.setInt(3, m.spam());
                    ps.setBoolean(4, m.inTrainingHalf());
                    ps.setString(5, m.text());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            assertThat(scalar(st, "SELECT AUGUR.TRAIN_MODEL('spam', 'logistic', 'SELECT body, is_spam FROM emails WHERE train_half')"))
                    .isEqualTo(1.0);
            assertThat(scalar(st, "SELECT AUGUR.DEPLOY_MODEL('spam', 1)")).isEqualTo(1.0);
            double random = scalar(st, "SELECT AVG(CASE WHEN PREDICT_LABEL('spam', body) = CAST(is_spam AS VARCHAR) THEN 1.0 ELSE 0.0 END)"
                    + " FROM emails WHERE NOT train_half");
            assertThat(scalar(st, "SELECT AUGUR.TRAIN_MODEL('spam_time', 'logistic', 'SELECT body, is_spam FROM emails WHERE grp LIKE ''%-1''')"))
                    .isEqualTo(1.0);
            double time = scalar(st, "SELECT AVG(CASE WHEN PREDICT_LABEL('spam_time@1', body) = CAST(is_spam AS VARCHAR) THEN 1.0 ELSE 0.0 END)"
                    + " FROM emails WHERE grp LIKE '%-2'");
            System.out.printf("SpamAssassin via TRAIN_MODEL: random split %.4f, time split %.4f%n", random, time);
            assertThat(random).as("held-out accuracy on the random split").isGreaterThanOrEqualTo(0.98);
            // the time split has no target (the corpus drifts); it must still beat always answering 'ham'
            double majority = scalar(st, "SELECT AVG(CASE WHEN is_spam = 0 THEN 1.0 ELSE 0.0 END) FROM emails WHERE grp LIKE '%-2'");
            assertThat(time).isGreaterThan(majority);
        }
    }

    private static double scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
