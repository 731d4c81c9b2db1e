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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    private static List<String> strings(Array a) throws Exception {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }
}
