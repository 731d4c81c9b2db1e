package dev.augur.bench;

import dev.augur.sql.AugurDataSource;
import dev.augur.testkit.Corpus;
import dev.augur.testkit.SpamConformal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Robust predictions on the SpamAssassin corpus: the coverage of conformal sets (PREDICT_SET at alpha 0.1 of a
 * bag-of-words logistic model, calibrated by AUGUR.CALIBRATE_MODEL) on the random split, where the guarantee holds,
 * and per window of the newer groups on the time split, where drift breaks exchangeability and it need not; then the
 * intervals of every robust regressor side by side on generated heteroscedastic rows ({@link #intervals}).
 */
@Command(name = "robust", mixinStandardHelpOptions = true,
        description = "Conformal coverage of PREDICT_SET on the SpamAssassin random and time splits, and PREDICT_INTERVAL of every"
                + " robust regressor on generated heteroscedastic rows (H2).")
final class RobustBench implements Callable<Integer> {
    private static final double ALPHA = 0.1;

    @Option(names = "--corpus", description = "SpamAssassin .jsonl.gz (default: ../shared/datasets when present)")
    Path corpus;

    @Option(names = "--window", defaultValue = "500", description = "newer mails per window of the time split (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--out", defaultValue = "bench/results/robust.txt", description = "where to keep the result (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--intervals-only", description = "run only the intervals on generated rows (seconds; no corpus needed)")
    boolean intervalsOnly;

    @Override
    public Integer call() throws Exception {
        StringBuilder report = new StringBuilder();
        line(report, "augur bench robust: " + Machine.describe());
        if (intervalsOnly) {
            try (Connection c = new AugurDataSource("jdbc:h2:mem:bench_intervals;DB_CLOSE_DELAY=-1", "sa", "", null).getConnection()) {
                intervals(c, report);
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report.toString());
            return 0;
        }
        Path file = corpus != null ? corpus : Corpus.defaultLocation();
        if (file == null) {
            line(report, "conformal coverage: skipped, the SpamAssassin corpus is not at ../shared/datasets (pass --corpus)");
            return 1;
        }
        List<Corpus.Message> mails = Corpus.read(file);
        try (Connection c = new AugurDataSource("jdbc:h2:mem:bench_robust;DB_CLOSE_DELAY=-1", "sa", "", null).getConnection()) {
            SpamConformal.load(c, mails);
            SpamConformal.Split random = SpamConformal.split(c, "part_random");
            line(report, String.format(Locale.ROOT, "SpamAssassin random split (CRC32 of the id): train %d, calibrate %d, test %d mails;"
                    + " bag-of-words logistic (AUGUR.TRAIN_MODEL), AUGUR.CALIBRATE_MODEL, PREDICT_SET at alpha %.1f",
                    random.train(), random.calibration(), random.test(), ALPHA));
            int v = SpamConformal.trainAndCalibrate(c, "spam", "part_random", "split");
            SpamConformal.Coverage r = SpamConformal.coverage(c, "spam", v, ALPHA, "part_random = 'test'");
            line(report, String.format(Locale.ROOT, "conformal coverage (random split, alpha 0.1): %.4f", r.coverage()));
            line(report, String.format(Locale.ROOT, "conformal mean set size: %.2f", r.meanSetSize()));
            line(report, String.format(Locale.ROOT, "  PREDICT_LABEL_IF_CERTAIN answers %.4f of the test mails (one-class sets), right on %.4f of those",
                    r.certain(), r.accuracyWhenCertain()));
            // the model errs on fewer than alpha of the mails, so at 0.1 the sets spend the slack as empty sets; at 0.01 they do not
            SpamConformal.Coverage strict = SpamConformal.coverage(c, "spam", v, 0.01, "part_random = 'test'");
            line(report, String.format(Locale.ROOT, "  at alpha 0.01: coverage %.4f, mean set size %.2f, one-class sets %.4f",
                    strict.coverage(), strict.meanSetSize(), strict.certain()));
            int mondrian = SpamConformal.trainAndCalibrate(c, "spam", "part_random", "mondrian");
            SpamConformal.Coverage ham = SpamConformal.coverage(c, "spam", mondrian, ALPHA, "part_random = 'test' AND is_spam = 0");
            SpamConformal.Coverage spam = SpamConformal.coverage(c, "spam", mondrian, ALPHA, "part_random = 'test' AND is_spam = 1");
            line(report, String.format(Locale.ROOT, "  Mondrian (per class): coverage ham %.4f, spam %.4f; mean set size ham %.2f, spam %.2f",
                    ham.coverage(), spam.coverage(), ham.meanSetSize(), spam.meanSetSize()));

            SpamConformal.Split time = SpamConformal.split(c, "part_time");
            line(report, String.format(Locale.ROOT, "SpamAssassin time split (older groups train, newer test): train %d, calibrate %d"
                    + " (older), test %d newer mails in windows of %d, in arrival order", time.train(), time.calibration(), time.test(), window));
            int vt = SpamConformal.trainAndCalibrate(c, "spam_time", "part_time", "split");
            List<SpamConformal.Coverage> windows = SpamConformal.windows(c, "spam_time", vt, ALPHA, window);
            List<String> names = new ArrayList<>();
            List<Double> coverages = new ArrayList<>();
            int from = 1;
            for (SpamConformal.Coverage w : windows) {
                String name = from + "-" + (from + w.mails() - 1);
                line(report, String.format(Locale.ROOT, "  time split window mails %s: coverage %.4f, mean set size %.2f", name, w.coverage(), w.meanSetSize()));
                names.add(name);
                coverages.add(w.coverage());
                from += w.mails();
            }
            SpamConformal.Coverage all = SpamConformal.coverage(c, "spam_time", vt, ALPHA, "part_time = 'test'");
            line(report, String.format(Locale.ROOT, "conformal coverage (time split, alpha 0.1, all newer mails): %.4f, mean set size %.2f"
                    + " (the older groups' calibration does not carry over to drifted mail: exchangeability is broken)", all.coverage(), all.meanSetSize()));
            ensembleCost(c, report);
            intervals(c, report);

            List<String> categories = new ArrayList<>(List.of("random"));
            categories.addAll(names);
            List<Double> measured = new ArrayList<>(List.of(r.coverage()));
            measured.addAll(coverages);
            List<Double> target = categories.stream().map(x -> 1 - ALPHA).toList();
            Charts.bars(Charts.beside(out), "PREDICT_SET coverage at alpha 0.1, SpamAssassin: random split, time split windows, H2, "
                            + LocalDate.now(), "coverage",
                    categories, List.of("coverage", "1 - alpha"), List.of(measured, target));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
        return 0;
    }

    private static final int MEMBERS = 20;
    private static final int REPS = 5;

    /**
     * What an ensemble costs per row against one model, side by side in this run (alternating, medians): PREDICT of a
     * 20-member bag-of-words ensemble over the test mails (the text is tokenized once, the members share its features)
     * and of a 20-member dense ensemble over generated rows of 16 inputs, each against one model of the same features.
     */
    private void ensembleCost(Connection c, StringBuilder report) throws Exception {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET OPTIMIZE_REUSE_RESULTS FALSE");
            String train = "SELECT body, is_spam FROM mails WHERE part_random = ''train''";
            st.executeQuery("SELECT AUGUR.DEPLOY_MODEL('cost_one', AUGUR.TRAIN_MODEL('cost_one', 'logistic', '" + train
                    + "', '{\"epochs\": 5}'))").close();
            st.executeQuery("SELECT AUGUR.DEPLOY_MODEL('cost_bag', AUGUR.TRAIN_MODEL('cost_bag', 'bagged_logistic', '" + train
                    + "', '{\"epochs\": 5, \"members\": " + MEMBERS + "}'))").close();
            double[] bow = alternate(c, "SELECT SUM(PREDICT('cost_one', body)) FROM mails WHERE part_random = 'test'",
                    "SELECT SUM(PREDICT('cost_bag', body)) FROM mails WHERE part_random = 'test'");
            int mails = (int) SpamConformal.scalar(c, "SELECT COUNT(*) FROM mails WHERE part_random = 'test'");
            line(report, String.format(Locale.ROOT, "ensembles, H2, median of %d alternating runs: bag of words over %d test mails, one model"
                    + " %.1f µs/mail, %d members %.1f µs/mail", REPS, mails, bow[0] / mails / 1e3, MEMBERS, bow[1] / mails / 1e3));
            line(report, String.format(Locale.ROOT, "ensemble cost ratio (%d members / 1, bag of words): %.2f", MEMBERS, bow[1] / bow[0]));

            int inputs = 16;
            int rows = 200_000;
            java.util.StringJoiner cols = new java.util.StringJoiner(", ");
            java.util.StringJoiner gen = new java.util.StringJoiner(", ");
            java.util.StringJoiner names = new java.util.StringJoiner(", ");
            java.util.StringJoiner quoted = new java.util.StringJoiner("\", \"", "[\"", "\"]");
            for (int i = 0; i < inputs; i++) {
                String col = "x" + i;
                cols.add(col + " DOUBLE PRECISION");
                gen.add("RAND()");
                names.add(col);
                quoted.add(col);
            }
            st.execute("CREATE TABLE cost_rows (" + cols + ")");
            st.execute("INSERT INTO cost_rows SELECT " + gen + " FROM SYSTEM_RANGE(1, " + rows + ")");
            java.util.Random rnd = new java.util.Random(12);
            java.util.StringJoiner members = new java.util.StringJoiner(", ", "[", "]");
            java.util.StringJoiner biases = new java.util.StringJoiner(", ", "[", "]");
            String first = null;
            for (int k = 0; k < MEMBERS; k++) {
                java.util.StringJoiner w = new java.util.StringJoiner(", ", "[", "]");
                for (int i = 0; i < inputs; i++) {
                    w.add(String.valueOf(rnd.nextGaussian()));
                }
                first = first == null ? w.toString() : first;
                members.add(w.toString());
                biases.add(String.valueOf(rnd.nextGaussian()));
            }
            String features = "{\"type\": \"dense\", \"inputs\": " + quoted + "}";
            st.executeQuery("SELECT AUGUR.DEPLOY_MODEL('cost_d1', AUGUR.IMPORT_MODEL('cost_d1', '{\"name\": \"cost_d1\", \"kind\": \"logistic\","
                    + " \"features\": " + features + ", \"weights\": " + first + ", \"bias\": 0.5}'))").close();
            st.executeQuery("SELECT AUGUR.DEPLOY_MODEL('cost_dk', AUGUR.IMPORT_MODEL('cost_dk', '{\"name\": \"cost_dk\", \"kind\": \"bagged_logistic\","
                    + " \"features\": " + features + ", \"weights\": " + members + ", \"bias\": " + biases + "}'))").close();
            double[] dense = alternate(c, "SELECT SUM(PREDICT('cost_d1', " + names + ")) FROM cost_rows",
                    "SELECT SUM(PREDICT('cost_dk', " + names + ")) FROM cost_rows");
            line(report, String.format(Locale.ROOT, "ensembles, H2: dense, %d inputs, %,d rows: one model %.0f ns/row, %d members %.0f ns/row",
                    inputs, rows, dense[0] / rows, MEMBERS, dense[1] / rows));
            line(report, String.format(Locale.ROOT, "ensemble cost ratio (%d members / 1, dense): %.2f", MEMBERS, dense[1] / dense[0]));
        }
    }

    private static final double LEVEL = 0.9;
    private static final int TRAIN_ROWS = 5000;
    private static final int CALIBRATION_ROWS = 2000;
    private static final int TEST_ROWS = 5000;

    /**
     * PREDICT_INTERVAL at level 0.9 of every robust regressor on the same generated rows, whose noise grows with x1
     * (y = 1 + 2 x1 − x2 + (0.2 + 1.5 x1) ε, x1 uniform in [0, 2], x2 and ε standard normal, seeded): its coverage of the
     * test rows and its mean width. A plain interval (split conformal on linear) has one width everywhere, so it covers
     * too much where the noise is small and too little where it is large; the others follow the noise.
     */
    private static void intervals(Connection c, StringBuilder report) throws Exception {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE hetero (id INT PRIMARY KEY, part VARCHAR(5), x1 DOUBLE PRECISION, x2 DOUBLE PRECISION, y DOUBLE PRECISION)");
            java.util.Random rnd = new java.util.Random(20261201);
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO hetero VALUES (?, ?, ?, ?, ?)")) {
                int n = TRAIN_ROWS + CALIBRATION_ROWS + TEST_ROWS;
                for (int i = 0; i < n; i++) {
                    double x1 = 2 * rnd.nextDouble();
                    double x2 = rnd.nextGaussian();
                    ps.setInt(1, i);
                    ps.setString(2, i < TRAIN_ROWS ? "train" : i < TRAIN_ROWS + CALIBRATION_ROWS ? "calib" : "test");
                    ps.setDouble(3, x1);
                    ps.setDouble(4, x2);
                    ps.setDouble(5, 1 + 2 * x1 - x2 + (0.2 + 1.5 * x1) * rnd.nextGaussian());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            String train = "SELECT x1, x2, y FROM hetero WHERE part = ''train''";
            String calib = "SELECT x1, x2, y FROM hetero WHERE part = ''calib''";
            int lin = version(st, "SELECT AUGUR.TRAIN_MODEL('iv_linear', 'linear', '" + train + "')");
            int linCal = version(st, "SELECT AUGUR.CALIBRATE_MODEL('iv_linear', " + lin + ", '" + calib + "')");
            int bag = version(st, "SELECT AUGUR.TRAIN_MODEL('iv_bagged', 'bagged_linear', '" + train + "', '{\"members\": 20}')");
            int bagCal = version(st, "SELECT AUGUR.CALIBRATE_MODEL('iv_bagged', " + bag + ", '" + calib + "', '{\"method\": \"normalized\"}')");
            int bayes = version(st, "SELECT AUGUR.TRAIN_MODEL('iv_bayes', 'bayes_linear', '" + train + "')");
            int bayesCal = version(st, "SELECT AUGUR.CALIBRATE_MODEL('iv_bayes', " + bayes + ", '" + calib + "', '{\"method\": \"normalized\"}')");
            int quantile = version(st, "SELECT AUGUR.TRAIN_MODEL('iv_quantile', 'quantile_linear', '" + train + "', '{\"epochs\": 20}')");
            int quantileCal = version(st, "SELECT AUGUR.CALIBRATE_MODEL('iv_quantile', " + quantile + ", '" + calib + "')");
            line(report, String.format(Locale.ROOT, "intervals at level %.1f, generated heteroscedastic regression (seeded; noise sd 0.2 + 1.5 x1):"
                    + " train %d, calibrate %d, test %d rows, H2", LEVEL, TRAIN_ROWS, CALIBRATION_ROWS, TEST_ROWS));
            line(report, String.format(Locale.ROOT, "  %-52s %8s %8s %13s %13s", "kind and interval", "coverage", "width",
                    "cov. x1 < 0.5", "cov. x1 > 1.5"));
            row(st, report, "linear, split conformal", "iv_linear@" + linCal);
            row(st, report, "bagged_linear (20), normalized conformal", "iv_bagged@" + bagCal);
            row(st, report, "bayes_linear, model-based (Gaussian)", "iv_bayes@" + bayes);
            row(st, report, "bayes_linear, normalized conformal", "iv_bayes@" + bayesCal);
            row(st, report, "quantile_linear, trained (pinball at 0.05, 0.95)", "iv_quantile@" + quantile);
            row(st, report, "quantile_linear, CQR", "iv_quantile@" + quantileCal);
        }
    }

    /** One row of the intervals' table: coverage and mean width over the test rows, and coverage where the noise is low and high. */
    private static void row(java.sql.Statement st, StringBuilder report, String name, String model) throws Exception {
        String inside = "CASE WHEN y BETWEEN iv[1] AND iv[2] THEN 1.0 ELSE 0.0 END";
        try (java.sql.ResultSet rs = st.executeQuery("SELECT AVG(" + inside + "), AVG(iv[2] - iv[1]),"
                + " AVG(CASE WHEN x1 < 0.5 THEN " + inside + " END), AVG(CASE WHEN x1 > 1.5 THEN " + inside + " END)"
                + " FROM (SELECT x1, y, PREDICT_INTERVAL('" + model + "', " + LEVEL + ", x1, x2) AS iv FROM hetero WHERE part = 'test') t")) {
            rs.next();
            line(report, String.format(Locale.ROOT, "  %-52s %8.4f %8.3f %13.4f %13.4f", name, rs.getDouble(1), rs.getDouble(2),
                    rs.getDouble(3), rs.getDouble(4)));
        }
    }

    private static int version(java.sql.Statement st, String sql) throws Exception {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The median time in ns of each of two queries, run alternately (one warm-up each). */
    private static double[] alternate(Connection c, String a, String b) throws Exception {
        long[][] t = new long[2][REPS];
        try (java.sql.Statement st = c.createStatement()) {
            for (int r = -1; r < REPS; r++) {
                for (int q = 0; q < 2; q++) {
                    long start = System.nanoTime();
                    try (java.sql.ResultSet rs = st.executeQuery(q == 0 ? a : b)) {
                        rs.next();
                    }
                    if (r >= 0) {
                        t[q][r] = System.nanoTime() - start;
                    }
                }
            }
        }
        java.util.Arrays.sort(t[0]);
        java.util.Arrays.sort(t[1]);
        return new double[]{t[0][REPS / 2], t[1][REPS / 2]};
    }

    private static void line(StringBuilder report, String s) {
        System.out.println(s);
        System.out.flush();
        report.append(s).append('\n');
    }
}
