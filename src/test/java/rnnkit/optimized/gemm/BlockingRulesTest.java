package rnnkit.optimized.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * The blocked GEMM's own rules, checked directly rather than through a product's values (a product comes out the
 * same in any split or block size, so the conformance tests cannot see these): how a product is split over threads,
 * the row block and column alignment, which kernel pairs and layouts are accepted, what {@link GemmVariants#warmUp}
 * runs, and the packed-A·B product at its block boundaries and on a thread that has never multiplied before.
 */
class BlockingRulesTest {

    private static final int MR = 6;
    private static final int NR = 8;
    private static final ParallelRunner SINGLE = new ParallelRunner(1);

    /** The split of an m×n×k product with 6×8 tiles over {@code threads} threads. */
    private static BlockedGemm.Split split(int threads, int m, int n, int k) {
        return BlockedGemm.Split.of(threads, m, n, k, MR, NR);
    }

    @Test
    void smallProductsAndOneThreadRunOnTheCaller() {
        // PARALLEL_MIN_WORK = 2^15 multiply-adds: 32×32×32 is exactly the threshold
        assertThat(BlockedGemm.PARALLEL_MIN_WORK).isEqualTo(32 * 32 * 32);
        assertThat(split(2, 32, 32, 31)).isEqualTo(BlockedGemm.Split.NONE);
        assertThat(split(2, 32, 32, 32)).isEqualTo(BlockedGemm.Split.COLUMNS);
        assertThat(split(1, 512, 512, 512)).isEqualTo(BlockedGemm.Split.NONE);
        // m·n·k in long: 2^31 multiply-adds do not overflow into "small"
        assertThat(split(2, 1 << 11, 1 << 11, 1 << 9)).isEqualTo(BlockedGemm.Split.COLUMNS);
    }

    @Test
    void wideProductsSplitColumnsAndTallOnesRows() {
        // columns when there are enough panels and C is at least as wide as tall (the RNN's batch × 4·units)
        assertThat(split(2, 32, 2048, 512)).isEqualTo(BlockedGemm.Split.COLUMNS);
        assertThat(split(2, 64, 64, 64)).isEqualTo(BlockedGemm.Split.COLUMNS);
        // tall C with enough row slivers: rows
        assertThat(split(2, 4096, 64, 64)).isEqualTo(BlockedGemm.Split.ROWS);
        assertThat(split(2, 65, 64, 64)).isEqualTo(BlockedGemm.Split.ROWS);
        // taller than wide with exactly as many row slivers as threads (16×4 tiles): rows, not the 4 panels
        assertThat(BlockedGemm.Split.of(4, 64, 16, 512, 16, 4)).isEqualTo(BlockedGemm.Split.ROWS);
        // too few of either for the threads: whichever has more than one piece, columns first
        assertThat(split(4, 20, 32, 512)).isEqualTo(BlockedGemm.Split.COLUMNS); // 4 panels = 4 threads, n >= m
        assertThat(split(4, 100, 32, 512)).isEqualTo(BlockedGemm.Split.ROWS); // 17 slivers >= 4 threads
        assertThat(split(8, 36, 32, 512)).isEqualTo(BlockedGemm.Split.COLUMNS); // 6 slivers < 8, 4 panels > 1
        assertThat(split(8, 36, 8, 512)).isEqualTo(BlockedGemm.Split.ROWS); // one panel, 6 slivers
        assertThat(split(8, 6, 8, 1024)).isEqualTo(BlockedGemm.Split.NONE); // one tile: nothing to split
        // exactly as many panels as threads, C wider than tall: columns; one panel fewer: rows if they suffice
        assertThat(split(4, 24, 32, 512)).isEqualTo(BlockedGemm.Split.COLUMNS);
        assertThat(split(4, 24, 24, 512)).isEqualTo(BlockedGemm.Split.ROWS); // 3 panels < 4, 4 slivers = 4
        assertThat(split(4, 18, 24, 512)).isEqualTo(BlockedGemm.Split.COLUMNS); // 3 slivers, 3 panels: > 1
        assertThat(split(4, 6, 24, 512)).isEqualTo(BlockedGemm.Split.COLUMNS);
        assertThat(split(4, 30, 8, 512)).isEqualTo(BlockedGemm.Split.ROWS); // 5 slivers >= 4, one panel
    }

    @Test
    void theRowBlockIsTheLargestMultipleOfTheTileRowsNotAboveTheTarget() {
        try (ParallelRunner runner = new ParallelRunner(1)) {
            for (Gemm gemm : GemmVariants.all(runner)) {
                if (gemm instanceof BlockedGemm blocked) {
                    BlockedGemm.BlockSizes s = blocked.blockSizes();
                    assertRowBlock(s.floatRowBlock(), s.floatTileRows());
                    assertRowBlock(s.doubleRowBlock(), s.doubleTileRows());
                }
            }
        }
        try (ParallelRunner two = new ParallelRunner(2)) {
            assertThat(GemmVariants.fastest(two).threads()).isEqualTo(2);
            assertThat(GemmVariants.scalarBlocked(two).threads()).isEqualTo(2);
        }
        assertThat(GemmVariants.fastestSingleThreaded().threads()).isEqualTo(1);
        assertThat(BlockedGemm.rowBlock(7)).isEqualTo(238);
        assertThat(BlockedGemm.rowBlock(300)).isEqualTo(300); // at least one sliver
    }

    private static void assertRowBlock(int rowBlock, int mr) {
        assertThat(rowBlock % mr).isZero();
        assertThat(rowBlock).isLessThanOrEqualTo(BlockedGemm.ROW_BLOCK_TARGET)
                .isGreaterThan(BlockedGemm.ROW_BLOCK_TARGET - mr);
    }

    /** A kernel that only has a shape: enough for the rules that read tile sizes and names. */
    private record ShapeOnlyDouble(String name, int tileRows, int tileCols) implements DoublePanelKernel {
        @Override
        public void block(int mc, int nc, int kc, double[] ap, double[] bp, int bpOff, int bPanelStep, int bRowStep,
                          boolean overwrite, double[] c, int cOff, int ldc, double[] tile) {
            throw new UnsupportedOperationException();
        }
    }

    private record ShapeOnlyFloat(String name, int tileRows, int tileCols) implements FloatPanelKernel {
        @Override
        public void block(int mc, int nc, int kc, float[] ap, float[] bp, int bpOff, int bPanelStep, int bRowStep,
                          boolean overwrite, float[] c, int cOff, int ldc, float[] tile) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void packedColumnsAlignToTheLeastCommonMultipleOfBothPanelWidths() {
        int[][] widthsAndLcm = {{4, 6, 12}, {6, 4, 12}, {16, 8, 16}, {8, 16, 16}, {5, 7, 35}, {8, 8, 8}};
        try (ParallelRunner runner = new ParallelRunner(1)) {
            for (int[] w : widthsAndLcm) {
                BlockedGemm gemm = new BlockedGemm(new BlockedGemm.Kernels("shape",
                        new ShapeOnlyFloat("shape", 4, w[0]), new ShapeOnlyDouble("shape", 4, w[1])), runner);
                assertThat(gemm.packedColumnAlign()).as("float NR %d, double NR %d", w[0], w[1]).isEqualTo(w[2]);
            }
            for (Gemm gemm : GemmVariants.all(runner)) {
                if (gemm instanceof BlockedGemm blocked) {
                    BlockedGemm.BlockSizes s = blocked.blockSizes();
                    int align = blocked.packedColumnAlign();
                    assertThat(align % s.floatTileCols()).isZero();
                    assertThat(align % s.doubleTileCols()).isZero();
                    assertThat(align).isEqualTo(Math.max(s.floatTileCols(), s.doubleTileCols()));
                } else {
                    assertThat(gemm.packedColumnAlign()).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void kernelsPairUnderTheNameBothCarryAndAMismatchOnEitherSideIsRejected() {
        BlockedGemm.Kernels scalar = new BlockedGemm.Kernels("scalar", new FloatScalarPanelKernel(),
                new DoubleScalarPanelKernel());
        assertThat(scalar.name()).isEqualTo("scalar");
        String vector = new FloatVectorPanelKernel().name();
        assertThat(vector).startsWith("vector");
        assertThat(new BlockedGemm.Kernels(vector, new FloatVectorPanelKernel(), new DoubleVectorPanelKernel()).name())
                .isEqualTo(vector);
        assertThatThrownBy(() -> new BlockedGemm.Kernels("scalar", new FloatScalarPanelKernel(),
                new DoubleVectorPanelKernel()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected both named scalar");
        assertThatThrownBy(() -> new BlockedGemm.Kernels("scalar", new FloatVectorPanelKernel(),
                new DoubleScalarPanelKernel()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected both named scalar");
    }

    @Test
    void layoutsAreRowMajorOrPanelsAndTheirSizeIsCappedJustBelowTheArrayLimit() {
        PackedLayout rowMajor = new PackedLayout(0, 0);
        assertThat(rowMajor).isEqualTo(PackedLayout.ROW_MAJOR);
        assertThat(rowMajor.isRowMajor()).isTrue();
        assertThat(new PackedLayout(1, 1).isRowMajor()).isFalse();
        for (int[] bad : new int[][] {{0, 4}, {256, 0}, {-256, -4}, {-1, 4}, {256, -4}}) {
            assertThatThrownBy(() -> new PackedLayout(bad[0], bad[1])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected both 0 (row-major) or both positive (panels)");
        }
        int limit = Integer.MAX_VALUE - 16;
        assertThat(rowMajor.size(1, limit)).isEqualTo(limit);
        assertThatThrownBy(() -> rowMajor.size(1, limit + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected at most " + limit);
        PackedLayout panels = new PackedLayout(256, 8);
        assertThat(panels.size(3, 9)).isEqualTo(3 * 16);
        assertThat(panels.size(1, limit - 7)).isEqualTo(limit - 7); // limit - 7 is a multiple of 8
    }

    /** Small integers: every product and sum below is exact in float64, so any correct order gives the same bits. */
    private static double[] integers(int length, int seed) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = ((i * 7 + seed * 13) % 5) - 2;
        }
        return x;
    }

    private static double[] naiveProduct(double[] a, double[] b, int m, int n, int k) {
        double[] c = new double[m * n];
        new NaiveGemm().dgemm(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n);
        return c;
    }

    @Test
    void packedAbCoversWholeRowAndDepthBlocksExactly() {
        // m two whole row blocks, k one and two whole depth blocks: the loops' last block ends exactly at m and k
        try (ParallelRunner runner = new ParallelRunner(1)) {
            for (Gemm gemm : List.of(GemmVariants.scalarBlocked(runner), GemmVariants.fastest(runner))) {
                BlockedGemm blocked = (BlockedGemm) gemm;
                int m = 2 * blocked.blockSizes().doubleRowBlock();
                for (int k : new int[] {BlockedGemm.DEPTH_BLOCK, 2 * BlockedGemm.DEPTH_BLOCK}) {
                    int n = 2 * gemm.packedColumnAlign() + 3;
                    double[] a = integers(m * k, 1);
                    double[] b = integers(k * n, 2);
                    PackedDoubleRows pa = gemm.packA(false, m, k, a, 0, k, null);
                    PackedDoubleMatrix pb = gemm.packB(false, k, n, b, 0, n);
                    double[] c = new double[m * n];
                    gemm.dgemmPackedAB(pa, pb, 0, n, false, c, 0, n);
                    assertThat(c).as("%s m=%d k=%d", gemm.name(), m, k).containsExactly(naiveProduct(a, b, m, n, k));
                    double[] c2 = new double[m * n];
                    gemm.dgemmPackedB(false, m, a, 0, k, pb, false, c2, 0, n);
                    gemm.dgemm(false, false, m, n, k, a, 0, k, b, 0, n, true, c2, 0, n);
                    double[] twice = naiveProduct(a, b, m, n, k);
                    for (int i = 0; i < twice.length; i++) {
                        twice[i] *= 2;
                    }
                    assertThat(c2).as("%s m=%d k=%d packed B then accumulate", gemm.name(), m, k)
                            .containsExactly(twice);
                }
            }
        }
    }

    @Test
    void anEmptyColumnRangeIsAcceptedAndLeavesCUntouched() {
        for (Gemm gemm : List.of(new NaiveGemm(), GemmVariants.fastestSingleThreaded())) {
            int n = 2 * gemm.packedColumnAlign();
            PackedDoubleRows pa = gemm.packA(false, 2, 3, integers(6, 1), 0, 3, null);
            PackedDoubleMatrix pb = gemm.packB(false, 3, n, integers(3 * n, 2), 0, n);
            double[] c = integers(2 * n, 3);
            double[] before = c.clone();
            gemm.dgemmPackedAB(pa, pb, gemm.packedColumnAlign(), gemm.packedColumnAlign(), false, c, 0, n);
            gemm.dgemmPackedAB(pa, pb, 0, 0, false, c, 0, n);
            gemm.dgemmPackedAB(pa, pb, n - (n % gemm.packedColumnAlign()), n, false, c, 0, n);
            assertThat(c).as(gemm.name()).containsExactly(before);
        }
    }

    @Test
    void packingAgainReusesAnOperandFromTheSameGemmAndReplacesOneFromAnother() {
        try (ParallelRunner runner = new ParallelRunner(1)) {
            List<Gemm> gemms = new ArrayList<>(List.of(new NaiveGemm(), GemmVariants.scalarBlocked(runner),
                    GemmVariants.fastest(runner)));
            for (Gemm gemm : gemms) {
                int n = gemm.packedColumnAlign() + 1;
                double[] a = integers(5 * 4, 1);
                double[] b = integers(4 * n, 2);
                PackedDoubleMatrix pb = gemm.packB(false, 4, n, b, 0, n);
                PackedDoubleRows first = gemm.packA(false, 5, 4, a, 0, 4, null);
                assertThat(gemm.packA(false, 5, 4, a, 0, 4, first)).as(gemm.name()).isSameAs(first);
                assertThat(List.of(first.rows(), first.depth())).containsExactly(5, 4);
                // a smaller operand packed into the same object: its own sizes, and the product of its own values
                PackedDoubleMatrix pb3 = gemm.packB(false, 3, n, b, 0, n);
                assertThat(gemm.packA(false, 2, 3, a, 0, 3, first)).isSameAs(first);
                assertThat(List.of(first.rows(), first.depth())).containsExactly(2, 3);
                double[] small = new double[2 * n];
                gemm.dgemmPackedAB(first, pb3, 0, n, false, small, 0, n);
                assertThat(small).as(gemm.name()).containsExactly(naiveProduct(a, b, 2, n, 3));
                for (Gemm other : gemms) {
                    PackedDoubleRows foreign = other.packA(false, 5, 4, a, 0, 4, null);
                    boolean sameTiles = tileRows(other) == tileRows(gemm);
                    PackedDoubleRows p = gemm.packA(false, 5, 4, a, 0, 4, foreign);
                    assertThat(p == foreign).as("%s repacking %s's operand", gemm.name(), other.name())
                            .isEqualTo(sameTiles);
                    double[] c = new double[5 * n];
                    gemm.dgemmPackedAB(p, pb, 0, n, false, c, 0, n);
                    assertThat(c).as("%s with %s's operand", gemm.name(), other.name())
                            .containsExactly(naiveProduct(a, b, 5, n, 4));
                }
            }
        }
    }

    private static int tileRows(Gemm gemm) {
        return gemm instanceof BlockedGemm blocked ? blocked.blockSizes().doubleTileRows() : 0;
    }

    @Test
    void aThreadsFirstProductMayBeAPackedAbWithPartialTiles() throws InterruptedException {
        // every product on a thread draws its scratch from that thread's buffers: the first one must size them
        for (Gemm gemm : List.of(GemmVariants.scalarBlocked(SINGLE), GemmVariants.fastestSingleThreaded())) {
            int m = 5;
            int n = gemm.packedColumnAlign() + 3;
            int k = 7;
            double[] a = integers(m * k, 1);
            double[] b = integers(k * n, 2);
            PackedDoubleRows pa = gemm.packA(false, m, k, a, 0, k, null);
            PackedDoubleMatrix pb = gemm.packB(false, k, n, b, 0, n);
            double[] c = new double[m * n];
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread fresh = new Thread(() -> {
                try {
                    gemm.dgemmPackedAB(pa, pb, 0, n, false, c, 0, n);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            fresh.start();
            fresh.join();
            assertThat(failure.get()).as(gemm.name()).isNull();
            assertThat(c).as(gemm.name()).containsExactly(naiveProduct(a, b, m, n, k));
        }
    }

    /** Records the products a warm-up asks for, without computing them. */
    private static final class RecordingGemm implements Gemm {
        final Set<String> calls = new TreeSet<>();
        final TreeSet<Integer> rows = new TreeSet<>();

        private void record(String what) {
            calls.add(what);
            rows.add(Integer.parseInt(what.substring(what.indexOf("m=") + 2)));
        }

        /** Square n×n operands with n = k, every leading dimension n, arrays n·n long, C overwritten. */
        private static void square(int n, int k, int lda, int ldb, int ldc, int aLength, int bLength, int cLength,
                                   boolean accumulate) {
            assertThat(List.of(k, lda, ldb, ldc)).containsOnly(n);
            assertThat(List.of(aLength, bLength, cLength)).containsOnly(n * n);
            assertThat(accumulate).as("C is overwritten").isFalse();
        }

        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
            square(n, k, lda, ldb, ldc, a.length, b.length, c.length, accumulate);
            record("sgemm " + transA + " " + transB + " m=" + m);
        }

        @Override
        public void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                          double[] b, int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc) {
            square(n, k, lda, ldb, ldc, a.length, b.length, c.length, accumulate);
            record("dgemm " + transA + " " + transB + " m=" + m);
        }

        @Override
        public void sgemmPackedB(boolean transA, int m, float[] a, int aOff, int lda, PackedFloatMatrix b,
                                 boolean accumulate, float[] c, int cOff, int ldc) {
            square(b.width(), b.depth(), lda, b.width(), ldc, a.length, b.data().length, c.length, accumulate);
            record("sgemmPackedB " + transA + " m=" + m);
        }

        @Override
        public void dgemmPackedB(boolean transA, int m, double[] a, int aOff, int lda, PackedDoubleMatrix b,
                                 boolean accumulate, double[] c, int cOff, int ldc) {
            square(b.width(), b.depth(), lda, b.width(), ldc, a.length, b.data().length, c.length, accumulate);
            record("dgemmPackedB " + transA + " m=" + m);
        }

        @Override
        public String name() {
            return "recording";
        }
    }

    @Test
    void warmUpRunsEveryTransposeCombinationInBothPrecisionsPackedAndUnpackedWithAndWithoutATailRow() {
        RecordingGemm gemm = new RecordingGemm();
        GemmVariants.warmUp(gemm);
        // two row counts, one more than the other: the extra row ends in a partial sliver
        int rows = gemm.rows.first();
        assertThat(gemm.rows).containsExactly(rows, rows + 1);
        List<String> expected = new ArrayList<>();
        for (String m : List.of("m=" + rows, "m=" + (rows + 1))) {
            for (String ta : List.of("false", "true")) {
                for (String tb : List.of("false", "true")) {
                    expected.add("sgemm " + ta + " " + tb + " " + m);
                    expected.add("dgemm " + ta + " " + tb + " " + m);
                }
                expected.add("sgemmPackedB " + ta + " " + m);
                expected.add("dgemmPackedB " + ta + " " + m);
            }
        }
        assertThat(gemm.calls).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aZeroDepthPackedAbIsAnEmptySumWrittenOnlyToItsColumns() {
        for (Gemm gemm : List.of(new NaiveGemm(), GemmVariants.scalarBlocked(SINGLE), GemmVariants.fastestSingleThreaded())) {
            int align = gemm.packedColumnAlign();
            int m = 3;
            int n = 2 * align + 1;
            int ldc = n + 2; // a gap after each row, which no product may touch
            PackedDoubleRows pa = gemm.packA(false, m, 0, new double[0], 0, 1, null);
            PackedDoubleMatrix pb = gemm.packB(false, 0, n, new double[0], 0, n);
            double[] c = new double[(m - 1) * ldc + n + 2];
            java.util.Arrays.fill(c, 7);
            gemm.dgemmPackedAB(pa, pb, align, n, true, c, 0, ldc);
            assertThat(c).as("%s accumulating nothing", gemm.name()).containsOnly(7);
            gemm.dgemmPackedAB(pa, pb, align, n, false, c, 0, ldc);
            for (int i = 0; i < c.length; i++) {
                int row = i / ldc;
                int col = i % ldc;
                boolean inRange = row < m && col >= align && col < n;
                assertThat(c[i]).as("%s C[%d][%d]", gemm.name(), row, col).isEqualTo(inRange ? 0 : 7);
            }
        }
    }

    @Test
    void aBlockedGemmMultipliesOperandsPackedRowMajorByTheDefaultPacking() {
        Gemm naive = new NaiveGemm();
        try (ParallelRunner runner = new ParallelRunner(1)) {
            for (Gemm gemm : List.of(GemmVariants.scalarBlocked(runner), GemmVariants.fastest(runner))) {
                int m = 4;
                int n = 9;
                int k = 5;
                double[] a = integers(m * k, 1);
                double[] b = integers(k * n, 2);
                PackedDoubleMatrix rowMajorB = naive.packB(false, k, n, b, 0, n);
                PackedDoubleRows rowMajorA = naive.packA(false, m, k, a, 0, k, null);
                double[] c = new double[m * n];
                gemm.dgemmPackedB(false, m, a, 0, k, rowMajorB, false, c, 0, n);
                assertThat(c).as(gemm.name()).containsExactly(naiveProduct(a, b, m, n, k));
                double[] c2 = new double[m * n];
                gemm.dgemmPackedAB(rowMajorA, rowMajorB, 0, n, false, c2, 0, n);
                assertThat(c2).as(gemm.name()).containsExactly(naiveProduct(a, b, m, n, k));
            }
        }
    }
}
