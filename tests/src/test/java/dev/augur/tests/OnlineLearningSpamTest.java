package dev.augur.tests;

import dev.augur.cli.Corpus;
import dev.augur.cli.Prequential;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A classification view learning online beats the frozen model on the corpus's drift. */
class OnlineLearningSpamTest {
    @Test
    void onlineUpdatesBeatTheFrozenModelPrequentially() throws Exception {
        Path corpus = Path.of(System.getProperty("augur.root", "."), "..", "shared", "datasets", "spamassassin.jsonl.gz");
        assumeTrue(Files.isRegularFile(corpus), "the SpamAssassin corpus is not at " + corpus.normalize() + "; this test needs it");
        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:mem:online_spam;DB_CLOSE_DELAY=-1")) {
            Prequential.Result r = Prequential.run(c, Corpus.read(corpus), 50, 2026, null);
            System.out.printf("prequential accuracy online: %.4f, frozen: %.4f (%d examples, %d batches)%n",
                    r.online(), r.frozen(), r.examples(), r.batches());
            assertThat(r.examples()).isEqualTo(2796);
            assertThat(r.online()).as("online accuracy").isGreaterThan(r.frozen() + 0.05);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT COUNT(*), SUM(ROWS_RESCORED), SUM(ROWS_CHECKED) FROM AUGUR.VIEW_EVENTS WHERE VIEW_NAME = 'spam_live' AND EVENT IN ('learn', 'reorganize')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(r.batches());
                System.out.printf("learn events: %d, rows re-scored %d of %d checked%n", rs.getInt(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }
}
