// FloatBlockedDriver.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

import java.util.Arrays;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * The float64 products of {@link BlockedGemm}: BLIS's loop nest around the register-tile kernel, with B packed per
 * call or prepacked, and C split over the runner's threads (block sizes, split rules and guarantees: BlockedGemm).
 */
final class DoubleBlockedDriver {

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final ThreadLocal<ThreadedProduct> THREADED_PRODUCT = ThreadLocal.withInitial(ThreadedProduct::new);

    private final DoublePanelKernel kernel;
    private final ParallelRunner runner;
    private final PackedLayout layout;
    private final String gemmName;

    DoubleBlockedDriver(DoublePanelKernel kernel, ParallelRunner runner, String gemmName) {
        this.kernel = kernel;
        this.runner = runner;
        this.layout = new PackedLayout(BlockedGemm.DEPTH_BLOCK, kernel.tileCols());
        this.gemmName = gemmName;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc) {
        GemmArguments.checkAll(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
                }
            }
            return;
        }
        int mr = kernel.tileRows();
        int nr = kernel.tileCols();
        BlockedGemm.Split split = BlockedGemm.Split.of(runner.threads(), m, n, k, mr, nr);
        if (split == BlockedGemm.Split.NONE) {
            range(transA, transB, 0, m, 0, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            return;
        }
        ThreadedProduct product = THREADED_PRODUCT.get();
        product.set(this, split, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, null, accumulate, c, cOff, ldc);
        try {
            runner.forRange(split == BlockedGemm.Split.ROWS ? BlockedGemm.ceilDiv(m, mr) : BlockedGemm.ceilDiv(n, nr),
                    1, 1, product);
        } finally {
            product.clear();
        }
    }

    /**
     * C[i0..i1) × [j0..j1) of the product on the calling thread, with its own packing buffers. The loop nest is
     * BLIS's: column blocks of NC, depth blocks of KC (B block packed once per (jc, pc)), row blocks of MC (A
     * block packed), then the kernel's panel × sliver loops. Each C element sees the depth blocks in increasing
     * order whatever i0..j1 are, so any split of rows/columns gives the same bits.
     */
    private void range(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                       double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                       boolean accumulate, double[] c, int cOff, int ldc) {
        int mr = kernel.tileRows();
        int nr = kernel.tileCols();
        int rowBlock = BlockedGemm.rowBlock(mr);
        Buffers buffers = BUFFERS.get();
        double[] packedA = buffers.a(BlockedGemm.roundUp(Math.min(rowBlock, i1 - i0), mr)
                * Math.min(BlockedGemm.DEPTH_BLOCK, k));
        double[] packedB = buffers.b(BlockedGemm.roundUp(Math.min(BlockedGemm.COLUMN_BLOCK, j1 - j0), nr)
                * Math.min(BlockedGemm.DEPTH_BLOCK, k));
        double[] tile = buffers.tile(mr * nr);
        // Few rows of C: each B panel would serve at most DIRECT_B_MAX_ROWS / MR slivers, so copying B costs as
        // much as using it; a row-major B is then read in place and only its partial last panel is packed.
        boolean directB = !transB && i1 - i0 <= BlockedGemm.DIRECT_B_MAX_ROWS;
        for (int jc = j0; jc < j1; jc += BlockedGemm.COLUMN_BLOCK) {
            int nc = Math.min(BlockedGemm.COLUMN_BLOCK, j1 - jc);
            int ncDirect = directB ? nc / nr * nr : 0;
            for (int pc = 0; pc < k; pc += BlockedGemm.DEPTH_BLOCK) {
                int kc = Math.min(BlockedGemm.DEPTH_BLOCK, k - pc);
                DoublePanelPacking.packPanels(transB, b, bOff, ldb, pc, kc, jc + ncDirect, nc - ncDirect, nr,
                        packedB, 0);
                boolean overwrite = !accumulate && pc == 0;
                for (int ic = i0; ic < i1; ic += rowBlock) {
                    int mc = Math.min(rowBlock, i1 - ic);
                    DoublePanelPacking.packSlivers(transA, a, aOff, lda, ic, mc, pc, kc, mr, packedA);
                    int cBlock = cOff + ic * ldc + jc;
                    if (ncDirect > 0) {
                        kernel.block(mc, ncDirect, kc, packedA, b, bOff + pc * ldb + jc, nr, ldb, overwrite,
                                c, cBlock, ldc, tile);
                    }
                    if (nc > ncDirect) {
                        kernel.block(mc, nc - ncDirect, kc, packedA, packedB, 0, kc * nr, nr, overwrite,
                                c, cBlock + ncDirect, ldc, tile);
                    }
                }
            }
        }
    }

    /** Packs op(B) in this driver's panel layout. */
    PackedDoubleMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb) {
        PackedDoubleMatrix packed = new PackedDoubleMatrix(layout, k, n);
        repackB(packed, transB, b, bOff, ldb);
        return packed;
    }

    void repackB(PackedDoubleMatrix packed, boolean transB, double[] b, int bOff, int ldb) {
        packed.requireLayout(layout, gemmName);
        GemmArguments.checkOperand("B", transB, packed.depth(), packed.width(), b.length, bOff, ldb);
        DoublePanelPacking.pack(layout, transB, packed.depth(), packed.width(), b, bOff, ldb, packed.data());
    }

    /** C = op(A)·B (+ C) with B packed in this driver's panel layout. */
    void gemmPackedB(boolean transA, int m, double[] a, int aOff, int lda, PackedDoubleMatrix b,
                     boolean accumulate, double[] c, int cOff, int ldc) {
        b.requireLayout(layout, gemmName);
        int n = b.width();
        int k = b.depth();
        GemmArguments.checkAll(transA, false, m, n, k, a.length, aOff, lda, Integer.MAX_VALUE, 0, n, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            gemm(transA, false, m, n, 0, a, aOff, lda, b.data(), 0, n, accumulate, c, cOff, ldc);
            return;
        }
        int mr = kernel.tileRows();
        int nr = kernel.tileCols();
        // Columns first: each thread then reads only its own slice of the packed weights at every call, which
        // stays in that core's L2 across time steps (DeepCPU's "private slice of the recurrent weights").
        BlockedGemm.Split split = BlockedGemm.Split.of(runner.threads(), m, n, k, mr, nr);
        if (split == BlockedGemm.Split.ROWS && BlockedGemm.ceilDiv(n, nr) >= runner.threads()) {
            split = BlockedGemm.Split.COLUMNS;
        }
        if (split == BlockedGemm.Split.NONE) {
            packedRange(transA, 0, m, 0, BlockedGemm.ceilDiv(n, nr), a, aOff, lda, b, accumulate, c, cOff, ldc);
            return;
        }
        ThreadedProduct product = THREADED_PRODUCT.get();
        product.set(this, split, transA, false, m, n, k, a, aOff, lda, null, 0, 0, b, accumulate, c, cOff, ldc);
        try {
            runner.forRange(split == BlockedGemm.Split.ROWS ? BlockedGemm.ceilDiv(m, mr) : BlockedGemm.ceilDiv(n, nr),
                    1, 1, product);
        } finally {
            product.clear();
        }
    }

    /** Rows [i0, i1) × column panels [q0, q1) against prepacked B; same per-element order as {@link #range}. */
    private void packedRange(boolean transA, int i0, int i1, int q0, int q1, double[] a, int aOff, int lda,
                             PackedDoubleMatrix b, boolean accumulate, double[] c, int cOff, int ldc) {
        int mr = kernel.tileRows();
        int nr = kernel.tileCols();
        int n = b.width();
        int k = b.depth();
        int nPadded = BlockedGemm.roundUp(n, nr);
        int j0 = q0 * nr;
        int nc = Math.min(n, q1 * nr) - j0;
        int rowBlock = BlockedGemm.rowBlock(mr);
        Buffers buffers = BUFFERS.get();
        double[] packedA = buffers.a(BlockedGemm.roundUp(Math.min(rowBlock, i1 - i0), mr)
                * Math.min(BlockedGemm.DEPTH_BLOCK, k));
        double[] tile = buffers.tile(mr * nr);
        double[] packedB = b.data();
        for (int pc = 0; pc < k; pc += BlockedGemm.DEPTH_BLOCK) {
            int kc = Math.min(BlockedGemm.DEPTH_BLOCK, k - pc);
            boolean overwrite = !accumulate && pc == 0;
            for (int ic = i0; ic < i1; ic += rowBlock) {
                int mc = Math.min(rowBlock, i1 - ic);
                DoublePanelPacking.packSlivers(transA, a, aOff, lda, ic, mc, pc, kc, mr, packedA);
                kernel.block(mc, nc, kc, packedA, packedB, pc * nPadded + q0 * kc * nr, kc * nr, nr, overwrite,
                        c, cOff + ic * ldc + j0, ldc, tile);
            }
        }
    }

    /** Packs op(A) (m×k) as the kernel's slivers, per row block of MC and depth block of KC (see PackedDoubleRows). */
    PackedDoubleRows packA(boolean transA, int m, int k, double[] a, int aOff, int lda, PackedDoubleRows reuse) {
        GemmArguments.checkOperand("A", transA, m, k, a.length, aOff, lda);
        int mr = kernel.tileRows();
        PackedDoubleRows p = reuse != null && reuse.tileRows == mr ? reuse : new PackedDoubleRows(mr);
        p.rows = m;
        p.depth = k;
        int rowBlock = BlockedGemm.rowBlock(mr);
        int rowBlocks = BlockedGemm.ceilDiv(m, rowBlock);
        int depthBlocks = BlockedGemm.ceilDiv(k, BlockedGemm.DEPTH_BLOCK);
        double[][][] blocks = p.blocks(rowBlocks, depthBlocks,
                BlockedGemm.roundUp(Math.min(rowBlock, Math.max(1, m)), mr) * Math.min(BlockedGemm.DEPTH_BLOCK, k));
        for (int ib = 0; ib < rowBlocks; ib++) {
            int ic = ib * rowBlock;
            int mc = Math.min(rowBlock, m - ic);
            for (int d = 0; d < depthBlocks; d++) {
                int pc = d * BlockedGemm.DEPTH_BLOCK;
                DoublePanelPacking.packSlivers(transA, a, aOff, lda, ic, mc, pc, Math.min(BlockedGemm.DEPTH_BLOCK, k - pc),
                        mr, blocks[ib][d]);
            }
        }
        return p;
    }

    /**
     * C[:, j0:j1) = A·B[:, j0:j1) (+ C) from a packed A and a prepacked B on the calling thread: every depth block
     * in increasing order for each row block, the per-element order of {@link #packedRange}.
     */
    void gemmPackedAB(PackedDoubleRows a, PackedDoubleMatrix b, int j0, int j1, boolean accumulate,
                      double[] c, int cOff, int ldc) {
        int mr = kernel.tileRows();
        int nr = kernel.tileCols();
        a.requireTileRows(mr, gemmName);
        b.requireLayout(layout, gemmName);
        int n = b.width();
        int k = b.depth();
        int m = a.rows;
        GemmArguments.checkColumns(j0, j1, n, nr, a.depth, k);
        GemmArguments.checkOperand("C", false, m, j1 - j0, c.length, cOff + j0, ldc);
        if (m == 0 || j1 == j0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0);
                }
            }
            return;
        }
        int nPadded = BlockedGemm.roundUp(n, nr);
        int rowBlock = BlockedGemm.rowBlock(mr);
        double[] tile = BUFFERS.get().tile(mr * nr);
        double[] packedB = b.data();
        for (int ib = 0; ib * rowBlock < m; ib++) {
            int ic = ib * rowBlock;
            int mc = Math.min(rowBlock, m - ic);
            for (int pc = 0, d = 0; pc < k; pc += BlockedGemm.DEPTH_BLOCK, d++) {
                int kc = Math.min(BlockedGemm.DEPTH_BLOCK, k - pc);
                kernel.block(mc, j1 - j0, kc, a.blocks[ib][d], packedB, pc * nPadded + j0 / nr * kc * nr, kc * nr, nr,
                        !accumulate && pc == 0, c, cOff + ic * ldc + j0, ldc, tile);
            }
        }
    }

    /**
     * The arguments of one multithreaded product as a reusable {@link ParallelRunner.RangeTask}: one per calling
     * thread (thread-local), filled before and cleared after each call, so a threaded call allocates no lambda.
     * The range it receives counts row slivers (Split.ROWS) or column panels (Split.COLUMNS).
     */
    private static final class ThreadedProduct implements ParallelRunner.RangeTask {
        private DoubleBlockedDriver driver;
        private BlockedGemm.Split split;
        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private double[] a;
        private int aOff;
        private int lda;
        private double[] b;
        private int bOff;
        private int ldb;
        private PackedDoubleMatrix packed;
        private boolean accumulate;
        private double[] c;
        private int cOff;
        private int ldc;

        void set(DoubleBlockedDriver driver, BlockedGemm.Split split, boolean transA, boolean transB, int m, int n,
                 int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, PackedDoubleMatrix packed,
                 boolean accumulate, double[] c, int cOff, int ldc) {
            this.driver = driver;
            this.split = split;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.packed = packed;
            this.accumulate = accumulate;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        /** Drops the references so the thread-local does not keep the caller's data alive. */
        void clear() {
            driver = null;
            a = null;
            b = null;
            packed = null;
            c = null;
        }

        @Override
        public void run(int from, int to) {
            int mr = driver.kernel.tileRows();
            int nr = driver.kernel.tileCols();
            boolean rows = split == BlockedGemm.Split.ROWS;
            int i0 = rows ? from * mr : 0;
            int i1 = rows ? Math.min(m, to * mr) : m;
            int q0 = rows ? 0 : from;
            int q1 = rows ? BlockedGemm.ceilDiv(n, nr) : to;
            if (packed != null) {
                driver.packedRange(transA, i0, i1, q0, q1, a, aOff, lda, packed, accumulate, c, cOff, ldc);
            } else {
                driver.range(transA, transB, i0, i1, q0 * nr, Math.min(n, q1 * nr), k, a, aOff, lda, b, bOff, ldb,
                        accumulate, c, cOff, ldc);
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and then reused by every later call on that thread. */
    private static final class Buffers {
        private double[] a = new double[0];
        private double[] b = new double[0];
        private double[] tile = new double[0];
        double[] a(int size) {
            if (a.length < size) {
                a = new double[size];
            }
            return a;
        }

        double[] b(int size) {
            if (b.length < size) {
                b = new double[size];
            }
            return b;
        }

        double[] tile(int size) {
            if (tile.length < size) {
                tile = new double[size];
            }
            return tile;
        }
    }
}
