package dev.augur.tests;

import dev.augur.testkit.Corpus;
import dev.augur.testkit.Prequential;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A classification view learning online beats the frozen model on the corpus's drift, on H2 and on PostgreSQL alike. */
class OnlineLearningSpamTest {
    private static List<Corpus.Message> corpus() throws Exception {
        Path corpus = Path.of(System.getProperty("augur.root", "."), "..", "shared", "datasets", "spamassassin.jsonl.gz");
        assumeTrue(Files.isRegularFile(corpus), "the SpamAssassin corpus is not at " + corpus.normalize() + "; this test needs it");
        return Corpus.read(corpus);
    }

    private static Prequential.Result prequential(Connection c, List<Corpus.Message> mails, String db) throws SQLException {
        Prequential.Result r = Prequential.run(c, mails, 50, 2026, null);
        System.out.printf("%s: prequential accuracy online: %.4f, frozen: %.4f (%d examples, %d batches)%n",
                db, r.online(), r.frozen(), r.examples(), r.batches());
        assertThat(r.examples()).isEqualTo(2796);
        assertThat(r.online()).as("online accuracy").isGreaterThan(r.frozen() + 0.05);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*), SUM(ROWS_RESCORED), SUM(ROWS_CHECKED) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'spam_live' AND EVENT IN ('learn', 'reorganize')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(r.batches());
            System.out.printf("%s: learn events: %d, rows re-scored %d of %d checked%n", db, rs.getInt(1), rs.getLong(2), rs.getLong(3));
        }
        return r;
    }

    /** H2's run of the stream, made once for both tests. */
    private static Prequential.Result h2;

    private static synchronized Prequential.Result h2(List<Corpus.Message> mails) throws SQLException {
        if (h2 == null) {
            try (Connection c = DriverManager.getConnection("jdbc:augur:h2:mem:online_spam;DB_CLOSE_DELAY=-1")) {
                h2 = prequential(c, mails, "H2");
            }
        }
        return h2;
    }

    @Test
    void onlineUpdatesBeatTheFrozenModelPrequentially() throws Exception {
        h2(corpus());
    }

    /** The same stream on PostgreSQL (V6: training, tokenizing and learning in PL/pgSQL) gives H2's predictions. */
    @Test
    void postgresLearnsTheSameStreamAsH2() throws Exception {
        List<Corpus.Message> mails = corpus();
        Prequential.Result h2 = h2(mails);
        try (Connection c = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("online").substring("jdbc:".length()))) {
            Prequential.Result pg = prequential(c, mails, "PostgreSQL");
            // the same model, step for step: at most a mail or two may sit on the decision boundary within rounding
            assertThat(Math.abs(pg.online() - h2.online()) * pg.examples()).as("mails predicted differently").isLessThanOrEqualTo(2);
            assertThat(Math.abs(pg.frozen() - h2.frozen()) * pg.examples()).as("mails predicted differently by the initial model")
                    .isLessThanOrEqualTo(2);
        }
    }
}
