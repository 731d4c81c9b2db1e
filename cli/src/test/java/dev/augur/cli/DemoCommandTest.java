package dev.augur.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoPrintsBothAccuraciesAndRefusesForeignFolders() throws Exception {
        Path data = dir.resolve("demo");
        String out = run("demo", "--data", data.toString());
        Matcher random = Pattern.compile("accuracy \\(random split\\): (0\\.\\d{4})").matcher(out);
        Matcher time = Pattern.compile("accuracy \\(time split\\): (0\\.\\d{4})").matcher(out);
        assertThat(random.find()).as(out).isTrue();
        assertThat(time.find()).as(out).isTrue();
        // real or generated corpus alike, the random split is learnable
        assertThat(Double.parseDouble(random.group(1))).isGreaterThan(0.9);
        assertThat(out).contains("PREDICT_EXPLAIN").contains("top terms:");
        // a second run recreates its own folder
        assertThat(run("demo", "--data", data.toString())).contains("accuracy (random split)");
        // and a folder with other data is refused, untouched
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("keep.txt"), "mine");
        int code = new CommandLine(new Main()).execute("demo", "--data", foreign.toString());
        assertThat(code).isNotZero();
        assertThat(Files.readString(foreign.resolve("keep.txt"))).isEqualTo("mine");
    }

    @Test
    void demoLoopPrintsItsContractLinesFromTheTablesItFilled() throws Exception {
        // a small generated corpus with the real one's shape (older and newer groups, the newer spam drifting)
        Path corpus = dir.resolve("small.jsonl.gz");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (java.io.Writer w = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(Files.newOutputStream(corpus)),
                StandardCharsets.UTF_8)) {
            for (dev.augur.testkit.Corpus.Message m : dev.augur.testkit.Corpus.generate(1200, 7)) {
                w.write(json.writeValueAsString(java.util.Map.of("id", m.id(), "group", m.group(), "spam", m.spam(), "text", m.text())) + "\n");
            }
        }
        String out = run("demo", "--loop", "--data", dir.resolve("loop").toString(), "--corpus", corpus.toString(), "--no-progress");
        Matcher estimate = Pattern.compile("(?m)^estimated vs realized accuracy, largest window error: (0\\.\\d{4})$").matcher(out);
        Matcher delay = Pattern.compile("(?m)^drift alarm delay \\(mails after the boundary\\): (\\d+|none .*)$").matcher(out);
        Matcher labels = Pattern.compile("(?m)^feedback labels per second \\(H2, batches\\): (\\d+)$").matcher(out);
        assertThat(estimate.find()).as(out).isTrue();
        assertThat(delay.find()).as(out).isTrue();
        assertThat(labels.find()).as(out).isTrue();
        assertThat(Long.parseLong(labels.group(1))).isPositive();
        // each delay's live accuracy per window, the coverage table
        assertThat(out).contains("delay 500").contains("adaptive d=0");
        // the bandit: fewer than 1,000 labels on this small corpus, and the line says how many
        Matcher bandit = Pattern.compile("(?m)^bandit share to the better model after (\\d+) labels: (\\d\\.\\d{2})$").matcher(out);
        assertThat(bandit.find()).as(out).isTrue();
        assertThat(Integer.parseInt(bandit.group(1))).isPositive().isLessThan(1000);
        assertThat(Double.parseDouble(bandit.group(2))).isBetween(0.0, 1.0);
        Matcher arms = Pattern.compile("(?m)^   AUGUR.EXPERIMENT_STATUS: version (\\d), (\\d+) labels").matcher(out);
        long labelled = 0;
        while (arms.find()) {
            labelled += Long.parseLong(arms.group(2));
        }
        Matcher served = Pattern.compile("over the other (\\d+) newer mails").matcher(out);
        assertThat(served.find()).as(out).isTrue();
        assertThat(labelled).as("every bandit mail's label rewarded its arm").isEqualTo(Long.parseLong(served.group(1)));
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        return out;
    }
}
