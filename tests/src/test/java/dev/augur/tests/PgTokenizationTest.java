package dev.augur.tests;

import dev.augur.engine.features.BagOfWords;
import dev.augur.testkit.Corpus;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** PostgreSQL's in-database bag_of_words tokenizes every mail of the SpamAssassin corpus exactly as the engine does. */
class PgTokenizationTest {
    @Test
    void sqlTokensAndBigramsEqualTheEnginesOnTheSpamAssassinCorpus() throws Exception {
        String root = System.getProperty("augur.root", ".");
        Path corpus = Path.of(root, "..", "shared", "datasets", "spamassassin.jsonl.gz");
        assumeTrue(Files.isRegularFile(corpus), "the SpamAssassin corpus is not at " + corpus.normalize()
                + " (augur.root=" + root + "); the tokenization equality check needs it");
        List<Corpus.Message> mails = Corpus.read(corpus);
        try (Connection c = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("tok").substring("jdbc:".length()));
             PreparedStatement ps = c.prepareStatement("SELECT augur.tokens(?), ARRAY(SELECT term FROM augur.terms(?, 2) ORDER BY pos)")) {
            int checked = 0;
            for (Corpus.Message m : mails) {
                String text = m.text().replace("\u0000", "");
                ps.setString(1, text);
                ps.setString(2, text);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    List<String> sqlTokens = strings(rs.getArray(1));
                    List<String> sqlTerms = strings(rs.getArray(2));
                    assertThat(sqlTokens).as("tokens of mail %s", m.id()).isEqualTo(BagOfWords.tokenize(text));
                    List<String> javaTerms = new ArrayList<>();
                    BagOfWords.forEachTerm(text, 2, javaTerms::add);
                    assertThat(sqlTerms).as("unigrams and bigrams of mail %s", m.id()).isEqualTo(javaTerms);
                }
                checked++;
            }
            assertThat(checked).isEqualTo(mails.size()).isGreaterThan(1000);
        }
    }

    /**
     * The n-grams of a long text (20,000 tokens) are the engine's, in its order, for every n; and they come in time
     * linear in the text: under a statement timeout of 30 s, which the quadratic enumeration this replaced (0.2 s for
     * 400 tokens, so ~10 minutes for these) could not meet, while a linear one needs milliseconds.
     */
    @Test
    void termArrayOfALongTextIsTheEnginesTermsForEveryN() throws Exception {
        Random rnd = new Random(5);
        List<String> pool = List.of("free", "Money", "now", "x86", "2026", "a", "zz9", "CAFÉ", "naïve", "buy");
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < 20_000; k++) {
            text.append(pool.get(rnd.nextInt(pool.size()))).append(List.of(" ", ", ", "\n", "-", "  ").get(rnd.nextInt(5)));
        }
        String body = text.toString();
        try (Connection c = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("ngr").substring("jdbc:".length()));
             Statement st = c.createStatement();
             PreparedStatement ps = c.prepareStatement("SELECT augur.term_array(?, ?)")) {
            st.execute("SET statement_timeout = '30s'");
            for (int n = 1; n <= 5; n++) {
                ps.setString(1, body);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    List<String> javaTerms = new ArrayList<>();
                    BagOfWords.forEachTerm(body, n, javaTerms::add);
                    assertThat(javaTerms).hasSizeGreaterThan(20_000);
                    assertThat(strings(rs.getArray(1))).as("terms up to %d-grams", n).isEqualTo(javaTerms);
                }
            }
        }
    }

    private static List<String> strings(Array a) throws Exception {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }
}
