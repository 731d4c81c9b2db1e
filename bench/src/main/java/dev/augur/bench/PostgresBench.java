package dev.augur.bench;

import dev.augur.testkit.PgLocalServer;
import dev.augur.sql.AugurDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * PREDICT inside PostgreSQL against the same models written by hand in SQL, side by side in one run (alternating
 * repetitions, medians): a dense linear model on N rows (inlined, pinned, from a column, the general path) and a
 * bag-of-words logistic model against a MADlib-style token join.
 */
@Command(name = "postgres", mixinStandardHelpOptions = true,
        description = "PREDICT in PostgreSQL vs the same model hand-written as SQL (dense arithmetic; bag of words vs a token join).")
final class PostgresBench implements Callable<Integer> {
    private static final int INPUTS = 16;
    private static final int VOCABULARY = 1000;
    private static final int TERMS_PER_DOC = 20;

    @Option(names = "--postgres", paramLabel = "URL",
            description = "pgjdbc URL of a database to use (tables bench_* and models bench_* are recreated there); "
                    + "default: start a throw-away PostgreSQL 15 from /usr/lib/postgresql/15/bin")
    String postgres;

    @Option(names = "--rows", defaultValue = "1000000", description = "rows in the dense table (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--docs", defaultValue = "20000", description = "synthetic documents of 20 terms (default: ${DEFAULT-VALUE})")
    int docs;

    @Option(names = "--general-rows", defaultValue = "20000",
            description = "rows scored through the general (PL/pgSQL) path, which is slow (default: ${DEFAULT-VALUE})")
    int generalRows;

    @Option(names = "--view-rows", defaultValue = "1000000",
            description = "rows under the eager prediction view whose deploys are timed, 0 to skip (default: ${DEFAULT-VALUE})")
    int viewRows;

    @Option(names = "--reps", defaultValue = "5", description = "timed repetitions of each query (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--out", defaultValue = "bench/results/postgres.txt", description = "where to keep the result (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "a session setting for every query, e.g. --set jit=off (default: the server's settings)")
    List<String> settings = new ArrayList<>();

    private final StringBuilder report = new StringBuilder();

    /** PREDICT_LABEL's and PREDICT_PROBA's time over PREDICT's, bag of words (set by {@link #bagOfWords}). */
    private double bowLabel = Double.NaN;
    private double bowProba = Double.NaN;

    @Override
    public Integer call() throws Exception {
        PgLocalServer local = null;
        String url = postgres;
        if (url == null || url.isBlank()) {
            System.out.println("starting a throw-away PostgreSQL from " + PgLocalServer.binaries() + " ...");
            // JIT off: at 1M rows its compile time (which grows with the expression) would dominate the comparison
            local = PgLocalServer.startNew("-c shared_buffers=512MB -c work_mem=64MB -c jit=off");
            url = local.url();
        } else if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            url = "jdbc:postgresql://" + url.substring(url.indexOf("://") + 3);
        }
        try (Connection c = new AugurDataSource(url, null, null, null).getConnection(); Statement st = c.createStatement()) {
            for (String kv : settings) {
                int eq = kv.indexOf('=');
                try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, false)")) {
                    ps.setString(1, kv.substring(0, eq).trim());
                    ps.setString(2, kv.substring(eq + 1).trim());
                    ps.executeQuery().close();
                }
            }
            String version = string(st, "SELECT current_setting('server_version')");
            line("augur bench postgres: " + Machine.describe());
            line(String.format(Locale.ROOT, "PostgreSQL %s (%s), jit=%s, max_parallel_workers_per_gather=%s, shared_buffers=%s",
                    version, local == null ? "--postgres URL" : "throw-away server started by the benchmark",
                    string(st, "SHOW jit"), string(st, "SHOW max_parallel_workers_per_gather"), string(st, "SHOW shared_buffers")));
            Ratio dense = dense(c, st);
            double[] softmax = softmax(c, st);
            double bow = docs > 0 ? bagOfWords(c, st) : Double.NaN;
            chart = dense;
            chartBow = bow;
            double viewSpeedup = viewRows > 0 ? views(c, st) : Double.NaN;
            line("what is measured:");
            line("  inlined     PREDICT('bench_m', a..p) and PREDICT('bench_m@1', a..p): the generated SQL function is inlined");
            line("              by the planner and its CASE on the constant model name folded, leaving the model's arithmetic");
            line("              (plus one NULLIF finiteness check of the margin) in the query plan");
            line("  function    PREDICT(model, a..p) with the model name read from a column: the planner still inlines the");
            line("              SQL body but cannot fold the CASE, so every row compares the name with each generated arm");
            line("              (one per dense version of that arity) before the arithmetic. PREDICT on PostgreSQL has no");
            line("              separate non-inlinable dense form; the general PL/pgSQL path (augur.predict_any: softmax of");
            line("              more than 32 classes, names no arm covers; PREDICT_EXPLAIN; PREDICT_LABEL/PROBA of linear models) is timed");
            line("              on its own below the ratios");
            line("  label/proba PREDICT_LABEL/PREDICT_PROBA of a logistic model of the same weights, generated and inlined like");
            line("              PREDICT, against CASE WHEN margin >= 0 ... and 1 / (1 + exp(-margin)) written by hand");
            line("  handwritten the same weights as float8 constants: bias + w1*a + ... + w16*p");
            line("  softmax     PREDICT_LABEL/PREDICT_PROBA of a softmax model of " + SOFTMAX_CLASSES + " classes over a..p (generated: its margins");
            line("              inlined, passed once each to augur.softmax_label/_proba) against its margins written by hand in a");
            line("              subquery (OFFSET 0, so each is computed once), the label by CASE WHEN m0 >= greatest(m1, ..) ..,");
            line("              the probability exp(m0 - greatest(..)) / (exp(m0 - greatest(..)) + ..)");
            line("  bow         PREDICT('bench_bow', body) (the version's generated scorer: tokenizer, then one lookup per distinct term in");
            line("              the vocabulary's jsonb object, which the session's plan holds) vs");
            line("              a MADlib-style query: tokens of each doc (same regex split) joined to a weights table, summed, per doc;");
            line("              PREDICT_LABEL and PREDICT_PROBA of the same model, generated beside PREDICT (the same scorer, then the");
            line("              link's label or probability), against PREDICT");
            line(String.format(Locale.ROOT, "pg inlined/handwritten ratio: %.2f", dense.inlined));
            line(String.format(Locale.ROOT, "pg function/handwritten ratio: %.2f", dense.function));
            line(String.format(Locale.ROOT, "pg bow predict/token-join ratio: %.2f", bow));
            line(String.format(Locale.ROOT, "pg dense label/handwritten ratio: %.2f, proba/handwritten ratio: %.2f", dense.label, dense.proba));
            if (docs > 0) {
                line(String.format(Locale.ROOT, "pg bow label/predict ratio: %.2f, proba/predict ratio: %.2f", bowLabel, bowProba));
            }
            line(String.format(Locale.ROOT, "pg softmax label/handwritten ratio: %.2f, proba/handwritten ratio: %.2f", softmax[0], softmax[1]));
            line(String.format(Locale.ROOT, "general path (augur.predict_any, %,d rows): %.2fx the hand-written arithmetic per row",
                    generalRows, dense.general));
            if (viewRows > 0) {
                line(String.format(Locale.ROOT, "pg view deploy speedup (step 0.01, incremental vs full re-scoring): %.1fx", viewSpeedup));
            }
        } finally {
            if (local != null) {
                local.close();
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
        if (chart != null) {
            java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("PREDICT inlined", "PREDICT, name from a column"));
            java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(chart.inlined, chart.function));
            if (!Double.isNaN(chartBow)) {
                names.add("bag-of-words PREDICT vs token join");
                values.add(chartBow);
            }
            Charts.bars(Charts.beside(out), "PostgreSQL: time against the hand-written query (1 = as fast), " + java.time.LocalDate.now(),
                    "time ratio", names, java.util.List.of("Augur on PostgreSQL"), java.util.List.of(values));
        }
        return 0;
    }

    private record Ratio(double inlined, double function, double general, double label, double proba) {
    }

    /** What the chart shows, once measured. */
    private Ratio chart;
    private double chartBow = Double.NaN;

    private Ratio dense(Connection c, Statement st) throws Exception {
        st.execute("DROP TABLE IF EXISTS bench_dense");
        StringJoiner cols = new StringJoiner(", ");
        for (int i = 0; i < INPUTS; i++) {
            cols.add("random() AS " + (char) ('a' + i));
        }
        st.execute("CREATE TABLE bench_dense AS SELECT 'bench_m'::text AS model, " + cols + " FROM generate_series(1, " + rows + ")");
        st.execute("VACUUM ANALYZE bench_dense");
        dropModel(st, "bench_m");
        Random rnd = new Random(42);
        StringJoiner names = new StringJoiner("\", \"", "[\"", "\"]");
        StringJoiner weights = new StringJoiner(", ", "[", "]");
        StringJoiner args = new StringJoiner(", ");
        double bias = rnd.nextGaussian();
        StringBuilder hand = new StringBuilder("float8 '" + bias + "'");
        for (int i = 0; i < INPUTS; i++) {
            double w = rnd.nextGaussian();
            String col = String.valueOf((char) ('a' + i));
            names.add(col);
            weights.add(String.valueOf(w));
            args.add(col);
            hand.append(" + float8 '").append(w).append("' * ").append(col);
        }
        importModel(c, "bench_m", "{\"name\": \"bench_m\", \"kind\": \"linear\", \"features\": {\"type\": \"dense\", \"inputs\": " + names
                + "}, \"weights\": " + weights + ", \"bias\": " + bias + "}");
        st.execute("SELECT augur.deploy_model('bench_m', 1)");
        String where = " > float8 '" + bias + "'";
        List<String> labels = List.of("PREDICT('bench_m', a..p)", "PREDICT('bench_m@1', a..p)", "PREDICT(model, a..p)", "hand-written arithmetic");
        List<String> sqls = List.of(
                "SELECT count(*) FROM bench_dense WHERE PREDICT('bench_m', " + args + ")" + where,
                "SELECT count(*) FROM bench_dense WHERE PREDICT('bench_m@1', " + args + ")" + where,
                "SELECT count(*) FROM bench_dense WHERE PREDICT(model, " + args + ")" + where,
                "SELECT count(*) FROM bench_dense WHERE " + hand + where);
        double[] med = time(st, sqls);
        st.execute("DROP TABLE IF EXISTS bench_dense_sample");
        st.execute("CREATE TABLE bench_dense_sample AS SELECT * FROM bench_dense LIMIT " + generalRows);
        st.execute("VACUUM ANALYZE bench_dense_sample");
        String general = "SELECT count(*) FROM bench_dense_sample WHERE augur.predict_any('bench_m', ARRAY["
                + args + "], NULL)" + where;
        String handSample = "SELECT count(*) FROM bench_dense_sample WHERE " + hand + where;
        double[] gen = time(st, List.of(general, handSample), Math.min(reps, 3));
        line(String.format(Locale.ROOT, "dense linear model, %d inputs, %,d rows, median of %d (alternating):", INPUTS, rows, reps));
        for (int i = 0; i < labels.size(); i++) {
            line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row", labels.get(i), med[i] / 1e6, med[i] / rows));
        }
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row  (%,d rows)", "general path (predict_any)", gen[0] / 1e6,
                gen[0] / generalRows, generalRows));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row  (%,d rows)", "hand-written, same rows", gen[1] / 1e6,
                gen[1] / generalRows, generalRows));
        line(String.format(Locale.ROOT, "  pinned/handwritten %.2f, unpinned/handwritten %.2f", med[1] / med[3], med[0] / med[3]));
        // the same weights as a logistic model: PREDICT_LABEL and PREDICT_PROBA against their hand-written arithmetic
        dropModel(st, "bench_l");
        importModel(c, "bench_l", "{\"name\": \"bench_l\", \"kind\": \"logistic\", \"features\": {\"type\": \"dense\", \"inputs\": " + names
                + "}, \"classes\": [\"no\", \"yes\"], \"weights\": " + weights + ", \"bias\": " + bias + "}");
        st.execute("SELECT augur.deploy_model('bench_l', 1)");
        double[] lp = time(st, List.of(
                "SELECT count(*) FROM bench_dense WHERE PREDICT_LABEL('bench_l', " + args + ") = 'yes'",
                "SELECT count(*) FROM bench_dense WHERE (CASE WHEN " + hand + " >= 0 THEN 'yes' ELSE 'no' END) = 'yes'",
                "SELECT count(*) FROM bench_dense WHERE PREDICT_PROBA('bench_l', 'yes', " + args + ") > 0.5",
                "SELECT count(*) FROM bench_dense WHERE 1 / (1 + exp(-(" + hand + "))) > 0.5"));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row", "PREDICT_LABEL('bench_l', ...)", lp[0] / 1e6, lp[0] / rows));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row", "hand-written label", lp[1] / 1e6, lp[1] / rows));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row", "PREDICT_PROBA('bench_l', ...)", lp[2] / 1e6, lp[2] / rows));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row", "hand-written probability", lp[3] / 1e6, lp[3] / rows));
        return new Ratio(Math.max(med[0], med[1]) / med[3], med[2] / med[3], gen[0] / gen[1], lp[0] / lp[1], lp[2] / lp[3]);
    }

    private static final int SOFTMAX_CLASSES = 4;

    /**
     * A softmax model over bench_dense's 16 inputs: PREDICT_LABEL, PREDICT_PROBA and PREDICT against the same model
     * written by hand, alternating; returns the label's and the probability's ratios to the hand-written queries.
     */
    private double[] softmax(Connection c, Statement st) throws Exception {
        dropModel(st, "bench_s");
        Random rnd = new Random(43);
        StringJoiner names = new StringJoiner("\", \"", "[\"", "\"]");
        StringJoiner args = new StringJoiner(", ");
        for (int i = 0; i < INPUTS; i++) {
            String col = String.valueOf((char) ('a' + i));
            names.add(col);
            args.add(col);
        }
        StringJoiner classes = new StringJoiner("\", \"", "[\"", "\"]");
        StringJoiner weights = new StringJoiner(", ", "[", "]");
        StringJoiner biases = new StringJoiner(", ", "[", "]");
        StringJoiner margins = new StringJoiner(", ");
        List<String> m = new ArrayList<>();
        for (int k = 0; k < SOFTMAX_CLASSES; k++) {
            classes.add("c" + k);
            double bias = rnd.nextGaussian();
            biases.add(String.valueOf(bias));
            StringBuilder hand = new StringBuilder("float8 '" + bias + "'");
            StringJoiner row = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < INPUTS; i++) {
                double w = rnd.nextGaussian();
                row.add(String.valueOf(w));
                hand.append(" + float8 '").append(w).append("' * ").append((char) ('a' + i));
            }
            weights.add(row.toString());
            margins.add(hand + " AS m" + k);
            m.add("m" + k);
        }
        importModel(c, "bench_s", "{\"name\": \"bench_s\", \"kind\": \"softmax\", \"features\": {\"type\": \"dense\", \"inputs\": " + names
                + "}, \"classes\": " + classes + ", \"weights\": " + weights + ", \"bias\": " + biases + "}");
        st.execute("SELECT augur.deploy_model('bench_s', 1)");
        String from = " FROM (SELECT " + margins + " FROM bench_dense OFFSET 0) s WHERE ";
        StringBuilder label = new StringBuilder("CASE");
        for (int k = 0; k < SOFTMAX_CLASSES - 1; k++) {
            label.append(" WHEN m").append(k).append(" >= greatest(").append(String.join(", ", m.subList(k + 1, m.size())))
                    .append(") THEN 'c").append(k).append("'");
        }
        label.append(" ELSE 'c").append(SOFTMAX_CLASSES - 1).append("' END");
        String max = "greatest(" + String.join(", ", m) + ")";
        StringJoiner sum = new StringJoiner(" + ", "(", ")");
        m.forEach(x -> sum.add("exp(" + x + " - " + max + ")"));
        // each pair counts the same rows (time checks it), so each is timed on its own, alternating within the pair
        double[] lt = time(st, List.of(
                "SELECT count(*) FROM bench_dense WHERE PREDICT_LABEL('bench_s', " + args + ") = 'c0'",
                "SELECT count(*)" + from + "(" + label + ") = 'c0'"));
        double[] pt = time(st, List.of(
                "SELECT count(*) FROM bench_dense WHERE PREDICT_PROBA('bench_s', 'c0', " + args + ") > 0.5",
                "SELECT count(*)" + from + "exp(m0 - " + max + ") / " + sum + " > 0.5"));
        double[] top = time(st, List.of(
                "SELECT count(*) FROM bench_dense WHERE PREDICT('bench_s', " + args + ") > 0.5",
                "SELECT count(*)" + from + "1 / " + sum + " > 0.5"));
        double[] t = {lt[0], lt[1], pt[0], pt[1], top[0], top[1]};
        line(String.format(Locale.ROOT, "softmax model, %d classes, %d inputs, %,d rows, median of %d (alternating):", SOFTMAX_CLASSES, INPUTS,
                rows, reps));
        List<String> labels = List.of("PREDICT_LABEL('bench_s', ...)", "hand-written label", "PREDICT_PROBA('bench_s', ...)",
                "hand-written probability", "PREDICT('bench_s', ...)", "hand-written top probability");
        for (int i = 0; i < labels.size(); i++) {
            line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f ns/row", labels.get(i), t[i] / 1e6, t[i] / rows));
        }
        line(String.format(Locale.ROOT, "  softmax predict/handwritten %.2f", t[4] / t[5]));
        return new double[]{t[0] / t[1], t[2] / t[3]};
    }

    private double bagOfWords(Connection c, Statement st) throws Exception {
        st.execute("DROP TABLE IF EXISTS bench_docs");
        st.execute("DROP TABLE IF EXISTS bench_weights");
        // 20 terms per document drawn from w0..w999 (the subquery refers to i so that it runs per document)
        st.execute("CREATE TABLE bench_docs AS SELECT i AS id, (SELECT string_agg('w' || floor(random() * " + VOCABULARY
                + ")::int, ' ') FROM generate_series(1, " + TERMS_PER_DOC + ") WHERE i > 0) AS body FROM generate_series(1, " + docs + ") i");
        st.execute("VACUUM ANALYZE bench_docs");
        dropModel(st, "bench_bow");
        Random rnd = new Random(7);
        double bias = -0.1;
        StringJoiner vocab = new StringJoiner(", ", "[", "]");
        StringJoiner weights = new StringJoiner(", ", "[", "]");
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < VOCABULARY; i++) {
            vocab.add("\"w" + i + "\"");
            double x = rnd.nextGaussian() * 0.5;
            w.add(x);
            weights.add(String.valueOf(x));
        }
        importModel(c, "bench_bow", "{\"name\": \"bench_bow\", \"kind\": \"logistic\", \"classes\": [\"0\", \"1\"], \"features\": {\"type\": "
                + "\"bag_of_words\", \"input\": \"body\", \"weighting\": \"binary\", \"ngrams\": 1, \"hash_bits\": 0, \"normalize\": false, "
                + "\"vocabulary\": " + vocab + "}, \"weights\": " + weights + ", \"bias\": " + bias + "}");
        st.execute("SELECT augur.deploy_model('bench_bow', 1)");
        st.execute("CREATE TABLE bench_weights (term text PRIMARY KEY, weight float8 NOT NULL)");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_weights VALUES (?, ?)")) {
            for (int i = 0; i < VOCABULARY; i++) {
                ps.setString(1, "w" + i);
                ps.setDouble(2, w.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        st.execute("ANALYZE bench_weights");
        String predict = "SELECT count(*) FROM bench_docs WHERE PREDICT('bench_bow', body) > 0.5";
        String join = "SELECT count(*) FROM (SELECT d.id, float8 '" + bias + "' + coalesce(sum(w.weight), 0) AS margin FROM bench_docs d"
                + " CROSS JOIN LATERAL (SELECT DISTINCT t FROM regexp_split_to_table(lower(d.body), '[^a-z0-9]+') t WHERE t <> '') tok"
                + " LEFT JOIN bench_weights w ON w.term = tok.t GROUP BY d.id) s WHERE margin > 0";
        String label = "SELECT count(*) FROM bench_docs WHERE PREDICT_LABEL('bench_bow', body) = '1'";
        String proba = "SELECT count(*) FROM bench_docs WHERE PREDICT_PROBA('bench_bow', '1', body) > 0.5";
        double[] med = time(st, List.of(predict, join, label, proba));
        line(String.format(Locale.ROOT, "bag-of-words logistic model, %,d terms, %,d documents of %d terms, median of %d (alternating):",
                VOCABULARY, docs, TERMS_PER_DOC, reps));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f us/doc", "PREDICT('bench_bow', body)", med[0] / 1e6, med[0] / 1e3 / docs));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f us/doc", "token join (MADlib-style)", med[1] / 1e6, med[1] / 1e3 / docs));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f us/doc", "PREDICT_LABEL('bench_bow', ..)", med[2] / 1e6, med[2] / 1e3 / docs));
        line(String.format(Locale.ROOT, "  %-28s %9.1f ms %8.1f us/doc", "PREDICT_PROBA('bench_bow', ..)", med[3] / 1e6, med[3] / 1e3 / docs));
        bowLabel = med[2] / med[0];
        bowProba = med[3] / med[0];
        return med[0] / med[1];
    }

    /**
     * A hybrid prediction view of a logistic model on {@code viewRows} rows (labels kept eagerly: the Hölder band skips
     * every row whose label cannot flip; an eager view with tolerance 0 must re-score every row whose score moves, i.e.
     * all of them): DEPLOY of a version whose weights moved by a relative step, maintained by the band (alpha = 1)
     * against the same deploys on a view that always re-scores everything (alpha = 0); each step is deployed from the
     * base version, then the base is deployed back.
     * Returns the speedup at step 0.01.
     */
    private double views(Connection c, Statement st) throws Exception {
        st.execute("SELECT augur.drop_prediction_view(name) FROM augur.views WHERE name IN ('bench_v', 'bench_v0')");
        st.execute("DROP TABLE IF EXISTS bench_vt");
        StringJoiner cols = new StringJoiner(", ");
        StringJoiner args = new StringJoiner(", ");
        StringJoiner names = new StringJoiner("\", \"", "[\"", "\"]");
        for (int i = 0; i < INPUTS; i++) {
            String col = String.valueOf((char) ('a' + i));
            cols.add("random() * 2 - 1 AS " + col);
            args.add(col);
            names.add(col);
        }
        st.execute("CREATE TABLE bench_vt AS SELECT i AS id, " + cols + " FROM generate_series(1, " + viewRows + ") i");
        st.execute("ALTER TABLE bench_vt ADD PRIMARY KEY (id)");
        st.execute("VACUUM ANALYZE bench_vt");
        dropModel(st, "bench_vm");
        Random rnd = new Random(11);
        double[] w = new double[INPUTS];
        double norm = 0;
        for (int i = 0; i < INPUTS; i++) {
            w[i] = rnd.nextGaussian();
            norm += w[i] * w[i];
        }
        norm = Math.sqrt(norm);
        double[] steps = {0.001, 0.01, 0.1};
        importModel(c, "bench_vm", viewModel(names.toString(), w, 0.0));
        for (double step : steps) {
            // the weights moved by step x ||w|| in a random direction
            double[] u = new double[INPUTS];
            double un = 0;
            for (int i = 0; i < INPUTS; i++) {
                u[i] = rnd.nextGaussian();
                un += u[i] * u[i];
            }
            double[] moved = new double[INPUTS];
            for (int i = 0; i < INPUTS; i++) {
                moved[i] = w[i] + step * norm * u[i] / Math.sqrt(un);
            }
            importModel(c, "bench_vm", viewModel(names.toString(), moved, 0.0));
        }
        st.execute("SELECT augur.deploy_model('bench_vm', 1)");
        line(String.format(Locale.ROOT, "hybrid prediction view (labels kept eagerly, scores on read), logistic model, %d inputs, %,d rows"
                + " (DEPLOY of a version whose weights moved by a relative step, then back):", INPUTS, viewRows));
        double[][] result = new double[2][];
        for (int pass = 0; pass < 2; pass++) {
            String view = pass == 0 ? "bench_v" : "bench_v0";
            long t0 = System.nanoTime();
            st.execute("SELECT augur.create_prediction_view('" + view + "', 'SELECT id, PREDICT(''bench_vm'', " + args + ") FROM bench_vt', '"
                    + (pass == 0 ? "{\"mode\": \"hybrid\", \"alpha\": 1}" : "{\"mode\": \"hybrid\", \"alpha\": 0}") + "')");
            if (pass == 0) {
                line(String.format(Locale.ROOT, "  view created (score + write every row) in %.1f s", (System.nanoTime() - t0) / 1e9));
            }
            st.execute("VACUUM ANALYZE " + view + "_labels");
            try {
                // the creation's writes flushed now, not during the first timed deploy
                st.execute("CHECKPOINT");
            } catch (java.sql.SQLException notSuperuser) {
                // a --postgres URL without the right to checkpoint: the first deploy may include the flush
            }
            result[pass] = new double[steps.length * 2];
            for (int k = 0; k < steps.length; k++) {
                t0 = System.nanoTime();
                st.execute("SELECT augur.deploy_model('bench_vm', " + (k + 2) + ")");
                result[pass][2 * k] = (System.nanoTime() - t0) / 1e6;
                try (ResultSet rs = st.executeQuery("SELECT rows_rescored FROM augur.view_events WHERE view_name = '" + view
                        + "' ORDER BY id DESC LIMIT 1")) {
                    rs.next();
                    result[pass][2 * k + 1] = rs.getLong(1);
                }
                st.execute("SELECT augur.deploy_model('bench_vm', 1)");
            }
            st.execute("SELECT augur.drop_prediction_view('" + view + "')");
        }
        line("    step   rows re-scored   incremental ms   full ms   speedup");
        double at01 = Double.NaN;
        for (int k = 0; k < steps.length; k++) {
            double speedup = result[1][2 * k] / result[0][2 * k];
            if (steps[k] == 0.01) {
                at01 = speedup;
            }
            line(String.format(Locale.ROOT, "    %-6s %13.3f%% %16.1f %9.1f %8.1fx", steps[k], 100.0 * result[0][2 * k + 1] / viewRows,
                    result[0][2 * k], result[1][2 * k], speedup));
        }
        // what the data trigger costs a bulk load: 100,000 more rows, with and without the view
        int extra = Math.min(100_000, viewRows);
        st.execute("SELECT augur.create_prediction_view('bench_v', 'SELECT id, PREDICT(''bench_vm'', " + args + ") FROM bench_vt')");
        st.execute("DROP TABLE IF EXISTS bench_vt_plain");
        st.execute("CREATE TABLE bench_vt_plain (LIKE bench_vt INCLUDING ALL)");
        String gen = " SELECT i, " + cols + " FROM generate_series(" + (viewRows + 1) + ", " + (viewRows + extra) + ") i";
        long t0 = System.nanoTime();
        st.execute("INSERT INTO bench_vt_plain" + gen);
        double plain = (System.nanoTime() - t0) / 1e3 / extra;
        t0 = System.nanoTime();
        st.execute("INSERT INTO bench_vt" + gen);
        double viewed = (System.nanoTime() - t0) / 1e3 / extra;
        line(String.format(Locale.ROOT, "  INSERT of %,d rows: %.1f us/row into the view's base table (its INSERT trigger), %.1f us/row without a view",
                extra, viewed, plain));
        st.execute("SELECT augur.drop_prediction_view('bench_v')");
        st.execute("DROP TABLE bench_vt_plain");
        return at01;
    }

    private static String viewModel(String names, double[] w, double bias) {
        StringJoiner ws = new StringJoiner(", ", "[", "]");
        for (double x : w) {
            ws.add(String.valueOf(x));
        }
        return "{\"name\": \"bench_vm\", \"kind\": \"logistic\", \"classes\": [\"0\", \"1\"], \"features\": {\"type\": \"dense\", "
                + "\"inputs\": " + names + "}, \"weights\": " + ws + ", \"bias\": " + bias + "}";
    }

    private double[] time(Statement st, List<String> sqls) throws Exception {
        return time(st, sqls, reps);
    }

    /** One warm-up of each (whose counts must agree), then {@code n} rounds of each in turn; the medians. */
    private static double[] time(Statement st, List<String> sqls, int n) throws Exception {
        long expected = -1;
        for (String sql : sqls) {
            long got = count(st, sql);
            if (expected >= 0 && got != expected) {
                throw new IllegalStateException("the queries disagree: " + expected + " vs " + got + " rows from " + sql);
            }
            expected = got;
        }
        long[][] t = new long[sqls.size()][n];
        for (int r = 0; r < n; r++) {
            for (int q = 0; q < sqls.size(); q++) {
                long t0 = System.nanoTime();
                count(st, sqls.get(q));
                t[q][r] = System.nanoTime() - t0;
            }
        }
        double[] med = new double[sqls.size()];
        for (int q = 0; q < med.length; q++) {
            med[q] = Machine.median(t[q]);
        }
        return med;
    }

    private static void importModel(Connection c, String name, String json) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT augur.import_model(?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, json);
            ps.executeQuery().close();
        }
    }

    private static void dropModel(Statement st, String name) throws Exception {
        st.execute("SELECT augur.drop_model(name) FROM (SELECT DISTINCT name FROM augur.models WHERE name = '" + name + "') s");
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void line(String s) {
        System.out.println(s);
        System.out.flush();
        report.append(s).append('\n');
    }
}
