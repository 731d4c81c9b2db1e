package dev.augur.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Draws bench/results/views-screen.png from the side-by-side runs: args = out.png, then before/after examples/s per run. */
public class ScreenChart {
    public static void main(String[] a) throws Exception {
        // a[1..4]: batch 1 before, after, before, after; a[5..8]: batch 50 the same
        List<Double> before = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            before.add((Double.parseDouble(a[1 + 4 * batch]) + Double.parseDouble(a[3 + 4 * batch])) / 2);
            after.add((Double.parseDouble(a[2 + 4 * batch]) + Double.parseDouble(a[4 + 4 * batch])) / 2);
        }
        Charts.bars(Path.of(a[0]), "Sustained learning, 1M dense rows (d = 50), before and after the margin screen", "examples/s",
                List.of("1 example per INSERT", "50 examples per INSERT"), List.of("before (Hölder bounds)", "after (margin screen)"),
                List.of(before, after));
    }
}
