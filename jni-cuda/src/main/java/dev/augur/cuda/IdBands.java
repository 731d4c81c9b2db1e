package dev.augur.cuda;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Splits the row ids of a band into device calls. A view's band is often long runs of consecutive ids (margins kept
 * clustered make it one range), which are scored as ranges: no id upload, contiguous reads. Everything else goes as id
 * lists. Every batch covers consecutive input positions, so its results land in one slice of the output, and respects
 * the staging capacities.
 */
final class IdBands {
    /** A device call: input positions {@code from .. from + count}; for a range, rows {@code firstRow ..}, else the ids there. */
    record Batch(int from, int count, boolean range, int firstRow) {
    }

    private IdBands() {
    }

    /** Checks that every id names a row: {@code 0 <= id < rows}. */
    static void check(int[] ids, int rows) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rows) {
                throw new IllegalArgumentException("row id " + ids[i] + " at position " + i + " is outside the store's "
                        + rows + " rows");
            }
        }
    }

    /** Checks that no id appears twice (a replacement of the same row twice has no defined winner on the device). */
    static void checkDistinct(int[] ids) {
        BitSet seen = new BitSet();
        for (int i = 0; i < ids.length; i++) {
            if (seen.get(ids[i])) {
                throw new IllegalArgumentException("row id " + ids[i] + " appears twice (again at position " + i + ")");
            }
            seen.set(ids[i]);
        }
    }

    /**
     * The batches for {@code ids}: runs of at least {@code minRun} consecutive ids become ranges of at most
     * {@code maxPositions}; the ids between runs become id lists of at most {@code min(maxIds, maxPositions)}.
     */
    static List<Batch> plan(int[] ids, int minRun, int maxIds, int maxPositions) {
        if (minRun < 1 || maxIds < 1 || maxPositions < 1) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
        List<Batch> out = new ArrayList<>();
        int pending = -1; // first position of ids waiting to go as a list
        int i = 0;
        while (i < ids.length) {
            int j = i + 1;
            while (j < ids.length && ids[j - 1] != Integer.MAX_VALUE && ids[j] == ids[j - 1] + 1) {
                j++;
            }
            if (j - i >= minRun) {
                if (pending >= 0) {
                    lists(out, pending, i, Math.min(maxIds, maxPositions));
                    pending = -1;
                }
                ranges(out, i, j - i, ids[i], maxPositions);
            } else if (pending < 0) {
                pending = i;
            }
            i = j;
        }
        if (pending >= 0) {
            lists(out, pending, ids.length, Math.min(maxIds, maxPositions));
        }
        return out;
    }

    /** Rows {@code firstRow .. firstRow + count} as ranges of at most {@code maxPositions}, from input position 0. */
    static List<Batch> range(int firstRow, int count, int maxPositions) {
        List<Batch> out = new ArrayList<>();
        ranges(out, 0, count, firstRow, maxPositions);
        return out;
    }

    private static void ranges(List<Batch> out, int from, int count, int firstRow, int max) {
        for (int done = 0; done < count; done += max) {
            out.add(new Batch(from + done, Math.min(max, count - done), true, firstRow + done));
        }
    }

    private static void lists(List<Batch> out, int from, int to, int max) {
        for (int at = from; at < to; at += max) {
            out.add(new Batch(at, Math.min(max, to - at), false, -1));
        }
    }
}
