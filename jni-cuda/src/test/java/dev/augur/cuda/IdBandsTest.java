package dev.augur.cuda;

import dev.augur.cuda.IdBands.Batch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdBandsTest {
    @Test
    void longRunsBecomeRangesAndTheRestIdLists() {
        int[] ids = {9, 1, 2, 3, 4, 5, 40, 41, 7, 100, 101, 102, 103};
        assertThat(IdBands.plan(ids, 4, 10, 3)).containsExactly(
                new Batch(0, 1, false, -1),
                new Batch(1, 3, true, 1), new Batch(4, 2, true, 4),
                new Batch(6, 3, false, -1),
                new Batch(9, 3, true, 100), new Batch(12, 1, true, 103));
        assertThat(IdBands.plan(new int[0], 4, 10, 3)).isEmpty();
        assertThat(IdBands.range(10, 7, 3)).containsExactly(new Batch(0, 3, true, 10), new Batch(3, 3, true, 13),
                new Batch(6, 1, true, 16));
        assertThat(IdBands.range(0, 0, 3)).isEmpty();
    }

    @Test
    void idListsRespectBothCapacities() {
        int[] ids = {50, 10, 30, 20, 40, 60, 0};
        assertThat(IdBands.plan(ids, 1000, 3, 2)).extracting(Batch::count).containsExactly(2, 2, 2, 1);
        assertThat(IdBands.plan(ids, 1000, 2, 5)).extracting(Batch::count).containsExactly(2, 2, 2, 1);
    }

    @Test
    void idsAreCheckedAgainstTheRowsAndForRepeats() {
        IdBands.check(new int[] {0, 4}, 5);
        assertThatThrownBy(() -> IdBands.check(new int[] {0, 5}, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("row id 5 at position 1 is outside the store's 5 rows");
        assertThatThrownBy(() -> IdBands.checkDistinct(new int[] {3, 1, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("row id 3 appears twice (again at position 2)");
        assertThatThrownBy(() -> IdBands.plan(new int[] {1}, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Batches cover every position once, in order; ranges name exactly their ids; no batch exceeds its capacity. */
    @Property(tries = 300)
    void batchesCoverEveryPositionInOrder(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 40) Integer> steps,
                                          @ForAll @IntRange(min = 1, max = 20) int minRun,
                                          @ForAll @IntRange(min = 1, max = 17) int maxIds,
                                          @ForAll @IntRange(min = 1, max = 23) int maxPositions) {
        // ids built from steps: step 1 continues a run, others jump (0 repeats an id)
        int[] ids = new int[steps.size()];
        int id = 1000;
        for (int i = 0; i < ids.length; i++) {
            id = steps.get(i) > 30 ? steps.get(i) : id + (steps.get(i) % 3 == 0 ? 1 : steps.get(i) - 5);
            id = Math.max(0, id);
            ids[i] = id;
        }
        List<Batch> batches = IdBands.plan(ids, minRun, maxIds, maxPositions);
        int next = 0;
        for (Batch b : batches) {
            assertThat(b.from()).isEqualTo(next);
            assertThat(b.count()).isPositive().isLessThanOrEqualTo(maxPositions);
            if (b.range()) {
                for (int i = 0; i < b.count(); i++) {
                    assertThat(ids[b.from() + i]).isEqualTo(b.firstRow() + i);
                }
            } else {
                assertThat(b.count()).isLessThanOrEqualTo(maxIds);
            }
            next += b.count();
        }
        assertThat(next).isEqualTo(ids.length);
        // every maximal run of at least minRun consecutive ids went as ranges
        int runStart = 0;
        for (int i = 1; i <= ids.length; i++) {
            if (i == ids.length || ids[i] != ids[i - 1] + 1) {
                if (i - runStart >= minRun) {
                    for (int p = runStart; p < i; p++) {
                        assertThat(batchAt(batches, p).range()).as("position %d in a run of %d", p, i - runStart).isTrue();
                    }
                }
                runStart = i;
            }
        }
    }

    private static Batch batchAt(List<Batch> batches, int position) {
        for (Batch b : batches) {
            if (position >= b.from() && position < b.from() + b.count()) {
                return b;
            }
        }
        throw new AssertionError("no batch covers position " + position);
    }
}
