package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * How the forward recurrence cuts the units into gate-interleaved chunks ({@link DoubleCellWeights#chunkCount}):
 * a column split hands whole chunks to threads, so the chunks must give every thread the same share of the units.
 */
class ForwardChunksTest {
    private static final int ALIGN = DoubleCellWeights.CHUNK_ALIGN;

    /** Units of the chunks [c0, c1) when a cell of this shape is cut for {@code threads} threads. */
    private static int[] widths(int units, int gates, int threads) {
        int n = DoubleCellWeights.chunkCount(units, gates, ALIGN, threads);
        int[] w = new int[n];
        for (int c = 0; c < n; c++) {
            w[c] = DoubleCellWeights.chunkStart(c + 1, units, n, ALIGN) - DoubleCellWeights.chunkStart(c, units, n, ALIGN);
        }
        return w;
    }

    @Test
    void theHeadlineBatchOneCellsSplitEvenlyOverTwoThreads() {
        // (1, 100, 512, 512): before, GRU's 512 units were cut 160+160+160+32, so one thread owned 320 of them;
        // SimpleRNN's were one chunk, which no column split can share
        assertThat(widths(512, 3, 2)).containsExactly(128, 128, 128, 128);
        assertThat(widths(512, 4, 2)).containsExactly(128, 128, 128, 128);
        assertThat(widths(512, 1, 2)).containsExactly(256, 256);
        // one thread: only the column limit counts
        assertThat(widths(512, 1, 1)).containsExactly(512);
        assertThat(widths(512, 3, 1)).containsExactly(128, 128, 128, 128);
        // below the weights a column split pays for, the thread count does not matter
        assertThat(widths(256, 1, 2)).containsExactly(256);
    }

    /** The units each thread owns when a column split hands out chunks [0, n) as the forward recurrence does. */
    private static int[] threadShares(int[] widths, ParallelRunner runner) {
        List<int[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
        runner.forRange(widths.length, 1, 1, (c0, c1) -> ranges.add(new int[] {c0, c1}));
        int[] shares = new int[ranges.size()];
        for (int t = 0; t < shares.length; t++) {
            for (int c = ranges.get(t)[0]; c < ranges.get(t)[1]; c++) {
                shares[t] += widths[c];
            }
        }
        return shares;
    }

    @Test
    void everyShapeCoversTheUnitsWithAlignedChunksWithinTheColumnLimitAndEvenShares() {
        for (int threads = 1; threads <= 4; threads++) {
            try (ParallelRunner runner = new ParallelRunner(threads)) {
                checkShapes(threads, runner);
            }
        }
    }

    private static void checkShapes(int threads, ParallelRunner runner) {
        for (int gates = 1; gates <= 4; gates++) {
            {
                for (int units = 1; units <= 1100; units += units < 70 ? 1 : 7) {
                    int[] w = widths(units, gates, threads);
                    String shape = units + " units, " + gates + " gates, " + threads + " threads";
                    int sum = 0;
                    int max = 0;
                    int min = Integer.MAX_VALUE;
                    for (int c = 0; c < w.length; c++) {
                        assertThat(w[c]).as(shape + ", chunk " + c).isPositive();
                        if (c < w.length - 1) {
                            assertThat(w[c] % ALIGN).as(shape + ", chunk " + c + " width").isZero();
                        }
                        sum += w[c];
                        max = Math.max(max, w[c]);
                        min = Math.min(min, w[c]);
                    }
                    assertThat(sum).as(shape).isEqualTo(units);
                    assertThat(max * gates).as(shape + ": columns of the widest chunk")
                            .isLessThanOrEqualTo(Math.max(DoubleCellWeights.CHUNK_COLUMNS, gates * ALIGN));
                    // widths differ by at most one aligned block, except the last, which U may cut short
                    int minFull = w.length > 1 ? Arrays.stream(w, 0, w.length - 1).min().getAsInt() : max;
                    assertThat(max - minFull).as(shape + ": " + Arrays.toString(w)).isLessThanOrEqualTo(ALIGN);
                    if (threads > 1 && RecurrenceSplit.columnSplitPays(units, gates * units) && w.length >= threads) {
                        // a column split: every thread owns the same units, within one aligned block
                        int[] shares = threadShares(w, runner);
                        assertThat(shares).as(shape + ": threads' units of " + Arrays.toString(w)).hasSize(threads);
                        assertThat(Arrays.stream(shares).max().getAsInt() - Arrays.stream(shares).min().getAsInt())
                                .as(shape + ": threads' units " + Arrays.toString(shares) + " of " + Arrays.toString(w))
                                .isLessThanOrEqualTo(ALIGN);
                    }
                }
            }
        }
    }
}
