package dev.augur.cli;

import dev.augur.testkit.Prequential;
import dev.augur.testkit.Corpus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.augur.migrations.UserMigrations;
import dev.augur.sql.AugurDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code augur demo}: a guided run on the SpamAssassin corpus: load the mails, train and deploy a spam model by a
 * migration, query it with PREDICT, report held-out accuracy on the random and the time split, explain a few.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Guided run: load the SpamAssassin corpus, train and deploy a model by a migration, query it with PREDICT.")
final class DemoCommand implements Callable<Integer> {
    private static final String MARKER = ".augur-demo";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/demo",
            description = "folder for the demo's own database, recreated on each run (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "SpamAssassin JSON lines (.jsonl.gz); default ../shared/datasets/spamassassin.jsonl.gz when present, else a generated corpus")
    Path corpus;

    @Option(names = "--online", description = "instead: a classification view learning online on the corpus drift, scored prequentially")
    boolean online;

    @Option(names = "--loop", description = "instead: closing the loop: served predictions with delayed labels, live and estimated"
            + " accuracy per window, drift alarms (see DemoLoop)")
    boolean loop;

    @Option(names = "--progress", negatable = true, description = Progress.DESCRIPTION)
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        Path dir = data.toAbsolutePath().normalize();
        prepareFolder(dir);
        List<Corpus.Message> messages = loadCorpus();
        if (online) {
            return online(dir, messages);
        }
        if (loop) {
            String url = "jdbc:h2:file:" + dir.resolve(DatabaseOptions.DATABASE_NAME) + DatabaseOptions.PG_COMPATIBLE;
            int rc = DemoLoop.run(url, messages, Progress.enabled(progress));
            Files.writeString(dir.resolve(MARKER), "created by augur demo\n");
            return rc;
        }
        long spam = messages.stream().filter(m -> m.spam() == 1).count();
        System.out.printf(Locale.ROOT, "%d messages (%d spam, %d ham)%n", messages.size(), spam, messages.size() - spam);

        String url = "jdbc:h2:file:" + dir.resolve(DatabaseOptions.DATABASE_NAME) + DatabaseOptions.PG_COMPATIBLE;
        Path migrations = dir.resolve("migrations");
        try (Connection c = new AugurDataSource(url, "sa", "", migrations).getConnection()) {
            System.out.println("\n1. Load the mails into table emails (split: CRC32 of the id, even trains, odd tests)");
            load(c, messages, Progress.enabled(progress));

            System.out.println("\n2. Register and deploy the models by a migration, " + migrations.resolve("V1__spam_models.sql"));
            Files.createDirectories(migrations);
            String script = """
                    -- written by augur demo: two bag-of-words logistic models, trained and deployed in one migration
                    TRAIN MODEL spam KIND logistic FROM (SELECT body, is_spam FROM emails WHERE split = 'train');
                    DEPLOY MODEL spam VERSION 1;
                    TRAIN MODEL spam_time KIND logistic FROM (SELECT body, is_spam FROM emails WHERE grp LIKE '%-1');
                    DEPLOY MODEL spam_time VERSION 1;
                    """;
            Files.writeString(migrations.resolve("V1__spam_models.sql"), script);
            System.out.print(script.indent(4));
            long t0 = System.nanoTime();
            try (Progress bar = Progress.of(Progress.enabled(progress), "migrate", 1)) {
                UserMigrations.migrate(url, "sa", "", migrations, new UserMigrations.Progress() {
                    @Override
                    public void pending(int count) {
                        bar.maxHint(count);
                    }

                    @Override
                    public void applied(int done) {
                        bar.stepTo(done);
                    }
                });
            }
            System.out.printf(Locale.ROOT, "   trained and deployed in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            System.out.println("\n3. Query with PREDICT");
            String randomSql = "SELECT AVG(CASE WHEN PREDICT_LABEL('spam', body) = CAST(is_spam AS VARCHAR) THEN 1.0 ELSE 0.0 END)"
                    + " FROM emails WHERE split = 'test'";
            String timeSql = "SELECT AVG(CASE WHEN PREDICT_LABEL('spam_time', body) = CAST(is_spam AS VARCHAR) THEN 1.0 ELSE 0.0 END)"
                    + " FROM emails WHERE grp LIKE '%-2'";
            System.out.println("   " + randomSql);
            double random = scalar(c, randomSql);
            double time = scalar(c, timeSql);
            System.out.printf(Locale.ROOT, "accuracy (random split): %.4f%n", random);
            System.out.printf(Locale.ROOT, "accuracy (time split): %.4f%n", time);
            System.out.println("   (time split: trained on the older -1 groups, tested on the newer -2 groups; the corpus drifts)");

            System.out.println("\n4. Explain a few predictions: PREDICT_EXPLAIN('spam', 5, body)");
            explain(c);
        }
        Files.writeString(dir.resolve(MARKER), "created by augur demo\n");
        System.out.println("\nThe demo database stays in " + dir + "; serve it with: ./augur serve --data " + data
                + " --migrations " + data.resolve("migrations"));
        return 0;
    }

    private int online(Path dir, List<Corpus.Message> messages) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve(DatabaseOptions.DATABASE_NAME) + DatabaseOptions.PG_COMPATIBLE;
        long stream = messages.stream().filter(m -> !m.older()).count();
        System.out.println("""

                A classification view starts from the labels of the older -1 groups:
                    CREATE CLASSIFICATION VIEW spam_live KEY id ENTITIES FROM emails EXAMPLES FROM email_labels KEY id
                        LABEL is_spam FEATURE FUNCTION bag_of_words(body) USING logistic
                then the newer -2 groups arrive as examples, 50 per INSERT in a fixed shuffled order; each batch is
                read from the view before the view learns from it (prequential accuracy).""");
        Prequential.Result r;
        try (Connection c = new AugurDataSource(url, "sa", "", null).getConnection();
             Progress bar = Progress.of(Progress.enabled(progress), "stream", stream)) {
            r = Prequential.run(c, messages, 50, 2026, bar::stepTo);
        }
        System.out.printf(Locale.ROOT, "prequential accuracy online: %.4f%n", r.online());
        System.out.printf(Locale.ROOT, "prequential accuracy frozen: %.4f%n", r.frozen());
        System.out.printf(Locale.ROOT, "   (%d examples in %d batches; the frozen figure is the initial model on the same stream)%n",
                r.examples(), r.batches());
        Files.writeString(dir.resolve(MARKER), "created by augur demo\n");
        return 0;
    }

    /** The demo owns its folder: it recreates one it made before and refuses any other non-empty folder. */
    private static void prepareFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new IllegalStateException("the demo recreates its data folder, and " + dir
                        + " holds other data; pass an empty or new folder with --data");
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "created by augur demo\n");
    }

    private List<Corpus.Message> loadCorpus() throws IOException {
        Path file = corpus != null ? corpus : Corpus.defaultLocation();
        if (file != null) {
            System.out.println("corpus: " + file.toAbsolutePath().normalize());
            return Corpus.read(file);
        }
        System.out.println("corpus: the SpamAssassin corpus was not found (pass --corpus FILE);"
                + " using a GENERATED corpus of 4000 synthetic mails instead, so the figures below are not the real ones");
        return Corpus.generate(4000, 7);
    }

    private static void load(Connection c, List<Corpus.Message> messages, boolean showProgress) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE emails (id VARCHAR(64) PRIMARY KEY, grp VARCHAR(32) NOT NULL, is_spam INT NOT NULL,"
                    + " split VARCHAR(8) NOT NULL, body VARCHAR(1000000) NOT NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO emails VALUES (?, ?, ?, ?, ?)");
             Progress bar = Progress.of(showProgress, "load", messages.size())) {
            int n = 0;
            for (Corpus.Message m : messages) {
                ps.setString(1, m.id());
                ps.setString(2, m.group());
                ps.setInt(3, m.spam());
                ps.setString(4, m.inTrainingHalf() ? "train" : "test");
                ps.setString(5, m.text());
                ps.addBatch();
                if (++n % 500 == 0) {
                    ps.executeBatch();
                }
                bar.step();
            }
            ps.executeBatch();
        }
    }

    private static double scalar(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static void explain(Connection c) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT id, is_spam, PREDICT('spam', body) AS p, PREDICT_EXPLAIN('spam', 5, body) AS why FROM emails"
                        + " WHERE split = 'test' AND id IN (SELECT MIN(id) FROM emails WHERE split = 'test' GROUP BY grp) ORDER BY id")) {
            while (rs.next()) {
                JsonNode why = mapper.readTree(rs.getString("why"));
                StringBuilder terms = new StringBuilder();
                for (JsonNode t : why.get("contributions")) {
                    terms.append(String.format(Locale.ROOT, " %s(%+.2f)", t.get("feature").asText(), t.get("contribution").asDouble()));
                }
                System.out.printf(Locale.ROOT, "   %-22s spam=%d  P(spam)=%.3f  top terms:%s%n", rs.getString("id"),
                        rs.getInt("is_spam"), rs.getDouble("p"), terms);
            }
        }
    }
}
