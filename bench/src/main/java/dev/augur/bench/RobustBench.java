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
 * and per window of the newer groups on the time split, where drift breaks exchangeability and it need not.
 */
@Command(name = "robust", mixinStandardHelpOptions = true,
        description = "Conformal coverage of PREDICT_SET on the SpamAssassin random and time splits (H2).")
final class RobustBench implements Callable<Integer> {
    private static final double ALPHA = 0.1;

    @Option(names = "--corpus", description = "SpamAssassin .jsonl.gz (default: ../shared/datasets when present)")
    Path corpus;

    @Option(names = "--window", defaultValue = "500", description = "newer mails per window of the time split (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--out", defaultValue = "bench/results/robust.txt", description = "where to keep the result (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        StringBuilder report = new StringBuilder();
        line(report, "augur bench robust: " + Machine.describe());
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
            // Ensembles (issue 12) add their line here, measured in this run:
            //   "ensemble cost ratio (20 members / 1, bag of words): x.xx"

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

    private static void line(StringBuilder report, String s) {
        System.out.println(s);
        System.out.flush();
        report.append(s).append('\n');
    }
}
