package dev.augur.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/** The SpamAssassin corpus (JSON lines, gzipped), or a generated stand-in with the same shape. */
public final class Corpus {
    /** One message: id like {@code spam-2/00017}, its group, 1 for spam, the whole text. */
    public record Message(String id, String group, int spam, String text) {
        /** The random split of the issue: CRC32 of the id, even trains, odd tests. */
        public boolean inTrainingHalf() {
            CRC32 crc = new CRC32();
            crc.update(id.getBytes(StandardCharsets.UTF_8));
            return crc.getValue() % 2 == 0;
        }

        /** The time split: the older {@code -1} groups train, the {@code -2} groups test. */
        public boolean older() {
            return group.endsWith("-1");
        }
    }

    private Corpus() {
    }

    /** The shared corpus relative to the project root or the working directory, if present. */
    public static Path defaultLocation() {
        String root = System.getProperty("augur.root", ".");
        for (Path p : new Path[]{Path.of(root, "../shared/datasets/spamassassin.jsonl.gz"),
                Path.of("../shared/datasets/spamassassin.jsonl.gz")}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public static List<Message> read(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Message> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = mapper.readTree(line);
                out.add(new Message(n.get("id").asText(), n.get("group").asText(), n.get("spam").asInt(), n.get("text").asText()));
            }
        }
        return out;
    }

    private static final String[] COMMON = ("the a to of and in is for on that with this you it be are as at your we have from "
            + "will can all our more about was by not or one new get what time so just if out up any there please").split(" ");
    private static final String[] HAM = ("meeting project patch kernel build release debian list thanks attached review "
            + "schedule notes question code bug fix compile version server update thread reply team report").split(" ");
    private static final String[] SPAM = ("free money offer click winner cash credit cheap viagra loan guaranteed limited "
            + "bonus prize investment unsubscribe order discount mortgage casino pills urgent income").split(" ");

    /**
     * A generated corpus with the real one's shape (groups -1 older, -2 newer, with drift: the newer spam uses
     * other words more often), for machines without the shared data set.
     */
    public static List<Message> generate(int n, long seed) {
        Random rnd = new Random(seed);
        List<Message> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean spam = rnd.nextDouble() < 0.3;
            boolean newer = rnd.nextDouble() < 0.45;
            String group = (spam ? "spam" : "easy-ham") + (newer ? "-2" : "-1");
            StringBuilder sb = new StringBuilder("Subject: ");
            int words = 40 + rnd.nextInt(120);
            for (int w = 0; w < words; w++) {
                double u = rnd.nextDouble();
                String[] pool = u < 0.75 ? COMMON : (spam ^ (newer && u > 0.97) ? SPAM : HAM);
                sb.append(pool[rnd.nextInt(pool.length)]).append(w % 12 == 11 ? ".\n" : " ");
            }
            out.add(new Message(group + "/" + String.format("%05d", i), group, spam ? 1 : 0, sb.toString()));
        }
        return out;
    }
}
