package dev.augur.engine.features;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A text's distinct features, found through the bitmap (dimensions up to 2^20) and by sorting (above): both give each
 * feature once, ascending, with its count, as a sorted map does; and the bitmap path leaves its scratch clean, so the
 * next text on the thread starts from nothing.
 */
class BagOfWordsDistinctFeaturesTest {
    @Property(tries = 300)
    void bitmapAndSortGiveTheDistinctFeaturesInOrderWithTheirCounts(
            @ForAll @IntRange(min = 1, max = 1 << 21) int dimension, @ForAll @IntRange(min = 0, max = 3000) int n,
            @ForAll boolean counted, @ForAll long seed) {
        Random rnd = new Random(seed);
        // a few common features and a long tail, as words are: many repeats, some features seen once
        int common = 1 + rnd.nextInt(Math.min(dimension, 50));
        BagOfWords.Scratch scratch = new BagOfWords.Scratch();
        for (int text = 0; text < 3; text++) {
            int[] found = new int[n];
            for (int j = 0; j < n; j++) {
                found[j] = rnd.nextInt(4) == 0 ? rnd.nextInt(dimension) : rnd.nextInt(common);
            }
            Map<Integer, Integer> want = new TreeMap<>();
            for (int f : found) {
                want.merge(f, 1, Integer::sum);
            }
            for (boolean bitmap : new boolean[]{true, false}) {
                scratch.ensureTerms(n);
                int distinct = BagOfWords.distinctFeatures(found.clone(), n, dimension, counted, scratch, bitmap);
                assertThat(Arrays.copyOf(scratch.idx, distinct)).as("features, bitmap %s", bitmap)
                        .containsExactly(want.keySet().stream().mapToInt(Integer::intValue).toArray());
                assertThat(Arrays.copyOf(scratch.val, distinct)).as("counts, bitmap %s", bitmap)
                        .containsExactly(want.values().stream().mapToDouble(c -> counted ? c : 1).toArray());
            }
            assertThat(Arrays.stream(scratch.bitmap).allMatch(w -> w == 0)).as("bitmap left clean").isTrue();
            assertThat(Arrays.stream(scratch.summary).allMatch(w -> w == 0)).as("summary left clean").isTrue();
            assertThat(Arrays.stream(scratch.tally).allMatch(c -> c == 0)).as("tally left clean").isTrue();
        }
    }
}
