package dev.augur.bench;

import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.SqlDialect;
import dev.augur.testkit.Corpus;
import dev.augur.sql.AugurDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * PREDICT against the same linear model written as inline SQL arithmetic, over the same rows in one run
 * (alternating, medians), and the time per document of a bag-of-words PREDICT on the SpamAssassin corpus, of the
 * engine's part of it alone, and of scikit-learn's pipeline for the same model on the same mails ({@link SklearnSide}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "PREDICT('m', a..p) vs inline SQL arithmetic on N rows; bag-of-words PREDICT per document, against scikit-learn.")
final class PredictBench implements Callable<Integer> {
    private static final int INPUTS = 16;

    @Option(names = "--rows", defaultValue = "1000000", description = "rows in the dense table (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--reps", defaultValue = "5", description = "timed repetitions of each query (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--corpus", description = "SpamAssassin .jsonl.gz (default: ../shared/datasets when present)")
    Path corpus;

    @Option(names = "--out", defaultValue = "bench/results/predict.txt", description = "where to keep the result (default: ${DEFAULT-VALUE})")
    Path out;

    /** µs per mail of H2's PREDICT, the engine alone and scikit-learn (0 where absent), for the chart. */
    private double[] textChart;

    @Override
    public Integer call() throws Exception {
        StringBuilder report = new StringBuilder();
        String machine = Machine.describe();
        line(report, "augur bench predict: " + machine);
        try (Connection c = new AugurDataSource("jdbc:h2:mem:bench_predict;DB_CLOSE_DELAY=-1", "sa", "", null).getConnection();
             Statement st = c.createStatement()) {
            // H2 would otherwise answer a repeated identical query from its result cache
            st.execute("SET OPTIMIZE_REUSE_RESULTS FALSE");
            StringJoiner cols = new StringJoiner(", ");
            StringJoiner gen = new StringJoiner(", ");
            for (int i = 0; i < INPUTS; i++) {
                cols.add((char) ('a' + i) + " DOUBLE PRECISION");
                gen.add("RAND()");
            }
            st.execute("CREATE TABLE dense (" + cols + ")");
            st.execute("INSERT INTO dense SELECT " + gen + " FROM SYSTEM_RANGE(1, " + rows + ")");
            Random rnd = new Random(42);
            double[] w = new double[INPUTS];
            StringJoiner names = new StringJoiner("\", \"", "[\"", "\"]");
            StringJoiner weights = new StringJoiner(", ", "[", "]");
            StringJoiner args = new StringJoiner(", ");
            double bias = rnd.nextGaussian();
            List<String> columns = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) {
                w[i] = rnd.nextGaussian();
                String col = String.valueOf((char) ('a' + i));
                names.add(col);
                weights.add(String.valueOf(w[i]));
                args.add(col);
                columns.add(col);
            }
            String json = "{\"name\": \"m\", \"kind\": \"linear\", \"features\": {\"type\": \"dense\", \"inputs\": " + names
                    + "}, \"weights\": " + weights + ", \"bias\": " + bias + "}";
            // the same model hand-written as SQL arithmetic: the engine renders it (the columns are DOUBLE already)
            String inline = ModelJson.fromJson(json).sqlScore(columns, SqlDialect.H2).orElseThrow();
            try (PreparedStatement ps = c.prepareStatement("SELECT AUGUR.IMPORT_MODEL('m', ?)")) {
                ps.setString(1, json);
                ps.executeQuery().close();
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            String threshold = " > CAST(" + bias + " AS DOUBLE PRECISION)";
            String predictSql = "SELECT COUNT(*) FROM dense WHERE PREDICT('m', " + args + ")" + threshold;
            String inlineSql = "SELECT COUNT(*) FROM dense WHERE " + inline + threshold;
            long[] tp = new long[reps];
            long[] ti = new long[reps];
            long countP = 0;
            long countI = 0;
            countP = count(st, predictSql); // warm-up both
            countI = count(st, inlineSql);
            if (countP != countI) {
                throw new IllegalStateException("PREDICT and inline arithmetic disagree: " + countP + " vs " + countI + " rows");
            }
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                countP = count(st, predictSql);
                tp[r] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                countI = count(st, inlineSql);
                ti[r] = System.nanoTime() - t0;
            }
            double mp = Machine.median(tp);
            double mi = Machine.median(ti);
            line(report, String.format(Locale.ROOT, "dense linear model, %d inputs, %,d rows, median of %d (alternating):", INPUTS, rows, reps));
            line(report, String.format(Locale.ROOT, "  PREDICT('m', a..p)        %8.1f ms  %7.1f ns/row", mp / 1e6, mp / rows));
            line(report, String.format(Locale.ROOT, "  inline SQL arithmetic     %8.1f ms  %7.1f ns/row", mi / 1e6, mi / rows));
            corpusBench(c, st, report);
            line(report, String.format(Locale.ROOT, "predict/inline ratio: %.2f", mp / mi));
            Path png = Charts.beside(out);
            if (textChart != null) {
                Charts.bars(png.resolveSibling("predict-text.png"), "Bag-of-words predict, SpamAssassin, one core, " + LocalDate.now(),
                        "microseconds per mail", java.util.List.of("PREDICT('spam', body) on H2", "engine alone", "scikit-learn"),
                        java.util.List.of("time per mail"), java.util.List.of(java.util.List.of(textChart[0], textChart[1], textChart[2])));
            }
            Charts.bars(png, "PREDICT vs inline SQL arithmetic, H2, " + String.format(Locale.ROOT, "%,d", rows) + " rows, "
                            + LocalDate.now(), "ns per row", java.util.List.of("dense linear model, 16 inputs"),
                    java.util.List.of("PREDICT('m', a..p)", "inline SQL arithmetic"),
                    java.util.List.of(java.util.List.of(mp / rows), java.util.List.of(mi / rows)));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
        return 0;
    }

    private void corpusBench(Connection c, Statement st, StringBuilder report) throws Exception {
        Path file = corpus != null ? corpus : Corpus.defaultLocation();
        if (file == null) {
            line(report, "bag of words: skipped, the SpamAssassin corpus is not at ../shared/datasets (pass --corpus)");
            line(report, "bag-of-words predict/scikit-learn time ratio: absent, no corpus to score");
            return;
        }
        List<Corpus.Message> mails = Corpus.read(file);
        st.execute("CREATE TABLE emails (id VARCHAR(64) PRIMARY KEY, is_spam INT, body VARCHAR(1000000))");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO emails VALUES (?, ?, ?)")) {
            for (Corpus.Message m : mails) {
                ps.setString(1, m.id());
                ps.setInt(2, m.spam());
                ps.setString(3, m.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        st.execute("TRAIN MODEL spam KIND logistic FROM (SELECT body, is_spam FROM emails)");
        st.execute("DEPLOY MODEL spam VERSION 1");
        String sql = "SELECT COUNT(*) FROM emails WHERE PREDICT('spam', body) > 0.5";
        String baseline = "SELECT COUNT(*) FROM emails WHERE LENGTH(body) > 0";
        count(st, sql);
        long[] tp = new long[reps];
        long[] tb = new long[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            count(st, sql);
            tp[r] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            count(st, baseline);
            tb[r] = System.nanoTime() - t0;
        }
        double mp = Machine.median(tp);
        double mb = Machine.median(tb);
        int n = mails.size();
        long chars = mails.stream().mapToLong(m -> m.text().length()).sum();
        // the engine's part alone, on this thread: what PREDICT calls per row, without H2 around it
        Model model;
        try (ResultSet rs = st.executeQuery("SELECT AUGUR.EXPORT_MODEL('spam', 1)")) {
            rs.next();
            model = ModelJson.fromJson(rs.getString(1));
        }
        String[] texts = mails.stream().map(Corpus.Message::text).toArray(String[]::new);
        double sink = 0;
        long[] te = new long[reps];
        long[] tc = new long[reps];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int r = -1; r < reps; r++) { // one warm-up
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (String t : texts) {
                sink += model.evaluate(t).score();
            }
            if (r >= 0) {
                te[r] = System.nanoTime() - t0;
                tc[r] = cpu.getCurrentThreadCpuTime() - c0;
            }
        }
        double me = Machine.median(te);
        // on a shared machine the thread's CPU time is what the engine costs when it does run
        double mc = Machine.median(tc);
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("a bag-of-words score is NaN");
        }
        SklearnSide sk = SklearnSide.run(file, reps);
        line(report, String.format(Locale.ROOT, "bag-of-words logistic model on the SpamAssassin corpus (%,d mails, %.0f chars on average, %,d features):",
                n, (double) chars / n, model.dimension()));
        line(report, String.format(Locale.ROOT, "  PREDICT('spam', body)     %8.1f ms  %7.1f us/doc", mp / 1e6, mp / 1e3 / n));
        line(report, String.format(Locale.ROOT, "  scan only (LENGTH(body))  %8.1f ms  %7.1f us/doc", mb / 1e6, mb / 1e3 / n));
        line(report, String.format(Locale.ROOT, "  engine alone (evaluate)   %8.1f ms  %7.1f us/doc  %,.0f M chars/s (on CPU: %.1f us/doc, %,.0f M chars/s)",
                me / 1e6, me / 1e3 / n, chars * 1e3 / me, mc / 1e3 / n, chars * 1e3 / mc));
        if (sk.usPerMail() != null) {
            line(report, String.format(Locale.ROOT, "  scikit-learn predict_proba          %7.1f us/doc  (%s)", sk.usPerMail(), sk.description()));
            line(report, String.format(Locale.ROOT, "bag-of-words predict/scikit-learn time ratio: %.2f", mp / 1e3 / n / sk.usPerMail()));
        } else {
            line(report, "bag-of-words predict/scikit-learn time ratio: absent, " + sk.description());
        }
        textChart = new double[]{mp / 1e3 / n, me / 1e3 / n, sk.usPerMail() == null ? 0 : sk.usPerMail()};
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void line(StringBuilder report, String s) {
        System.out.println(s);
        System.out.flush();
        report.append(s).append('\n');
    }
}
