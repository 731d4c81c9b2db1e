package dev.augur.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * scikit-learn's time per mail for the bag-of-words model of {@link PredictBench}: runs the bench's
 * {@code sklearn_predict.py} (a resource of this jar) with Debian's Python, which is where {@code python3-sklearn}
 * installs (a Python on PATH may be another one, without it), or {@code $AUGUR_PYTHON}.
 *
 * @param usPerMail   the median time per mail, or null when scikit-learn could not run
 * @param description the pipeline that ran, or why none did
 */
record SklearnSide(Double usPerMail, String description) {
    private static final long TIMEOUT_MINUTES = 15;

    static SklearnSide run(Path corpus, int reps) {
        String python = System.getenv("AUGUR_PYTHON");
        if (python == null || python.isBlank()) {
            python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        }
        Path script = null;
        try {
            script = Files.createTempFile("augur-sklearn-predict", ".py");
            try (InputStream in = SklearnSide.class.getResourceAsStream("sklearn_predict.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process p = new ProcessBuilder(python, script.toString(), corpus.toAbsolutePath().toString(), String.valueOf(reps))
                    .redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (var r = p.inputReader(StandardCharsets.UTF_8)) {
                r.lines().forEach(lines::add);
            }
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new SklearnSide(null, "scikit-learn ran past " + TIMEOUT_MINUTES + " minutes");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String l : lines) {
                int colon = l.indexOf(": ");
                if (colon > 0) {
                    out.put(l.substring(0, colon), l.substring(colon + 2));
                }
            }
            if (out.containsKey("unavailable")) {
                return new SklearnSide(null, out.get("unavailable"));
            }
            if (p.exitValue() != 0 || !out.containsKey("us_per_mail")) {
                String last = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
                return new SklearnSide(null, python + " " + script.getFileName() + " failed (exit " + p.exitValue() + "): " + last);
            }
            return new SklearnSide(Double.parseDouble(out.get("us_per_mail")),
                    out.get("pipeline") + ", vocabulary " + out.get("vocabulary") + ", " + out.get("mails") + " mails");
        } catch (IOException e) {
            return new SklearnSide(null, "no Python to run scikit-learn (" + python + ": " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SklearnSide(null, "interrupted");
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }
}
