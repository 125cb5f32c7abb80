package rnnkit.optimized;

import rnnkit.optimized.parallel.ParallelRunner;

/**
 * How a forward recurrence uses several threads: batch split (each thread owns a batch slice for all steps, no
 * per-step barrier) or column split (each thread owns a range of gate-interleaved unit chunks, one barrier per
 * step). Both give the same bits (see {@link DoubleCellKernel}); this only decides the speed.
 */
final class RecurrenceSplit {
    /** Recurrent weights (U rows × k·U columns) from which a column split can pay for its per-step barrier. */
    static final long COLUMN_SPLIT_MIN_WEIGHTS = 1L << 17;

    /**
     * System property that forces one split where both are possible ({@code batch} or {@code columns}), to measure
     * the cost model's choice against the other; the results are the same bits either way.
     */
    static final String FORCE_PROPERTY = "rnnkit.recurrence.split";

    private RecurrenceSplit() {
    }

    /** Whether recurrent weights of units × width are large enough for a column split to pay for its barriers. */
    static boolean columnSplitPays(int units, int width) {
        return (long) units * width >= COLUMN_SPLIT_MIN_WEIGHTS;
    }

    /** Whether the forward recurrence of a call splits each step over unit chunks across threads. */
    static boolean splitsColumns(ParallelRunner runner, int batch, int rowAlign, int units, int width, int chunks) {
        if (runner.threads() == 1 || chunks < 2) {
            return false;
        }
        String forced = System.getProperty(FORCE_PROPERTY, "");
        if (forced.equals("columns") || forced.equals("batch")) {
            return forced.equals("columns");
        }
        if (!columnSplitPays(units, width)) {
            return false;
        }
        return runner.chunkCount(batch, 1, rowAlign) == 1;
    }
}
