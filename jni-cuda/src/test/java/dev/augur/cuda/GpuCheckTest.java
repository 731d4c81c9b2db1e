package dev.augur.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** GpuCheck's own code, run on the simulated device with small shapes, so that the GPU session only has to run it. */
class GpuCheckTest {
    @Test
    void theCheckRunsEndToEndOnTheSimulatedDeviceAndEndsWithItsSummary(@TempDir Path dir) throws Exception {
        Path torch = Files.writeString(dir.resolve("torch.tsv"), "# torch 9.9 on a test double, float32\ncopy\t0.5\ndense-32\t1e9\n");
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            rc = GpuCheck.run(true, true, torch, 42);
        } finally {
            System.setOut(saved);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(log).isZero();
        assertThat(log).contains("torch:   torch 9.9 on a test double, float32");
        String summary = log.substring(log.lastIndexOf("== summary"));
        assertThat(summary)
                // 19 dense, 6 sparse, CudaScorer dense and sparse, the 19 dense variants with logistic and identity members
                .contains("PASS  correctness: 65 kernel variants/paths")
                .containsPattern("(met|MISS) +ensemble 64 members / one model, d=128 \\(speed\\) +[0-9.]+ \\(target >= 0.5; kernel time")
                .containsPattern("big runs .*ensemble d=128 x64 [0-9.]+e-[0-9]+")
                .contains("PASS  memory: 20 create/free cycles")
                .contains("PASS  big runs")
                .contains("PASS  refresh through Java")
                .containsPattern("dense d=32 g=2 k=4 u=1 +[0-9.]+ +[0-9]+ +[0-9.]+% +[0-9.]+  >= 80% copy, >= torch: MISSED \\(below 80% of copy\\)")
                .containsPattern("dense d=8 g=2 k=1 u=4 .*>= torch: MISSED \\(torch n/a\\)")
                .endsWith("RESULT: PASS (correctness, memory, big runs, refresh)" + System.lineSeparator());
    }

    @Test
    void withoutADeviceTheRealCheckSaysWhyAndStops() {
        assumeFalse(NativeLibrary.status().ready(), "a CUDA device is present: the real check is gpu-check.sh's job");
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            rc = GpuCheck.run(false, true, null, 1);
        } finally {
            System.setOut(saved);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo("GPU check: no usable CUDA device: " + NativeLibrary.status().reason() + System.lineSeparator());
    }
}
