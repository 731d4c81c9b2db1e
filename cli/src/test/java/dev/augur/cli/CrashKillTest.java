package dev.augur.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash harness reads every line its embedded application wrote before the kill: the application announces each
 * operation (a B line) before running it, so a lost line made a committed operation look unasked for (found by the
 * harness on a loaded machine: an extra row, and an UPDATE's value, that no operation had acknowledged).
 */
class CrashKillTest {
    static final int LINES = 2000;

    /** The child: prints its lines, says so in a file, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < LINES; i++) {
            System.out.println("B line " + i);
        }
        System.out.flush();
        Files.writeString(Path.of(args[0]), "printed");
        Thread.sleep(120_000);
    }

    @Test
    void everyLineWrittenBeforeTheKillIsRead(@TempDir Path dir) throws Exception {
        Path printed = dir.resolve("printed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashKillTest.class.getName(), printed.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(printed) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(printed).exists();
        // nothing read yet: the lines wait in the pipe, as a lagging reader's do
        CrashTestCommand.killKeepingOutput(child);
        assertThat(child.isAlive()).isFalse();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertThat(lines).hasSize(LINES).endsWith("B line " + (LINES - 1));
    }
}
