package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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

    @Test
    void everyShapeCoversTheUnitsWithAlignedChunksWithinTheColumnLimitAndEvenShares() {
        for (int gates = 1; gates <= 4; gates++) {
            for (int threads = 1; threads <= 4; threads++) {
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
                    int lastFull = w.length > 1 ? w[w.length - 2] : max;
                    assertThat(max - Math.min(lastFull, w[0])).as(shape + ": " + java.util.Arrays.toString(w))
                            .isLessThanOrEqualTo(ALIGN);
                    boolean columnSplit = threads > 1
                            && (long) units * gates * units >= RecurrenceSplit.COLUMN_SPLIT_MIN_WEIGHTS;
                    if (columnSplit) {
                        assertThat(w.length % threads).as(shape + ": chunks per thread, " + java.util.Arrays.toString(w))
                                .isZero();
                    }
                }
            }
        }
    }
}
