package dev.augur.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Chooses a backend per batch. Setting {@code augur.scorer} (system property or environment variable
 * {@code AUGUR_SCORER}): {@code auto} (default: a provider that is available and prefers the batch, else CPU),
 * {@code cpu}, or a provider's name (that provider when available, else CPU with the reason logged once).
 */
public final class Scorers {
    private static final List<ScorerProvider> PROVIDERS = load();
    private static volatile boolean explained;

    private Scorers() {
    }

    private static List<ScorerProvider> load() {
        List<ScorerProvider> out = new ArrayList<>();
        try {
            for (ScorerProvider p : ServiceLoader.load(ScorerProvider.class, Scorers.class.getClassLoader())) {
                out.add(p);
            }
        } catch (Throwable e) {
            // a broken provider must never stop scoring: the CPU is always there
            System.err.println("augur: ignoring scorer providers: " + e);
        }
        return List.copyOf(out);
    }

    /** The configured setting, lower-case. */
    public static String setting() {
        String s = System.getProperty("augur.scorer", System.getenv().getOrDefault("AUGUR_SCORER", "auto"));
        return s.trim().toLowerCase(Locale.ROOT);
    }

    /** The backend for a batch of {@code rows × dims} values scored by {@code outputs} maps (see {@link ScorerProvider#prefers}). */
    public static Scorer choose(long rows, long dims, int outputs, boolean resident) {
        String setting = setting();
        if (setting.equals("cpu")) {
            return CpuScorer.INSTANCE;
        }
        for (ScorerProvider p : PROVIDERS) {
            boolean named = setting.equals(p.name());
            if (!named && !setting.equals("auto")) {
                continue;
            }
            var scorer = p.open();
            if (scorer.isPresent() && (named || p.prefers(rows, dims, outputs, resident))) {
                return scorer.get();
            }
            if (scorer.isEmpty() && !explained) {
                explained = true;
                System.err.println("augur: " + p.name() + " scorer unavailable (" + p.unavailableReason() + "); using the CPU");
            }
        }
        return CpuScorer.INSTANCE;
    }

    /** One line per backend: which runs and why, for {@code augur predict --explain-backend}. */
    public static List<String> explain() {
        List<String> lines = new ArrayList<>();
        lines.add("setting augur.scorer = " + setting());
        lines.add("cpu: available (always)");
        for (ScorerProvider p : PROVIDERS) {
            lines.add(p.name() + ": " + (p.open().isPresent() ? "available" : "unavailable: " + p.unavailableReason()));
        }
        if (PROVIDERS.isEmpty()) {
            lines.add("no other backend is on the classpath");
        }
        Scorer chosen = choose(1_000_000, 128, 1, true);
        lines.add("a 1,000,000 x 128 resident batch runs on: " + chosen.name());
        return lines;
    }
}
