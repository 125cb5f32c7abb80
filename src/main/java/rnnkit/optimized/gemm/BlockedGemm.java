package rnnkit.optimized.gemm;

import java.util.Arrays;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Cache-blocked GEMM (Goto/BLIS scheme): operands are copied into packed panels that the register-tiled
 * {@link PanelKernel} reads strictly sequentially, and the loops are blocked so each packed piece stays in the
 * cache level that feeds it.
 *
 * <pre>
 * for jc in 0..n step NC                      B block KC×NC, lives in L2/L3
 *   for pc in 0..k step KC                    pack B[pc:pc+KC, jc:jc+NC] into NR-wide panels
 *     for ic in 0..m step MC                  pack A[ic:ic+MC, pc:pc+KC] into MR-high slivers (L2)
 *       for jr in 0..NC step NR               one B panel KC×NR
 *         for ir in 0..MC step MR             one A sliver MR×KC
 *           C[ir:ir+MR, jr:jr+NR] (+)= sliver · panel      (register tile, PanelKernel)
 * </pre>
 *
 * <p>Block sizes, for Zen 4 (32 KiB L1d and 1 MiB L2 per core, shared L3; the VM here reports an Intel Xeon with
 * 48 KiB L1d and 2 MiB L2 per core, so the Zen 4 sizes are the binding ones):
 * <ul>
 *   <li>KC = {@value #DEPTH_BLOCK}: one B panel is KC × 128 bytes (NR = 32 floats or 16 doubles) = 32 KiB and is
 *       reused by every sliver of the A block (panel loop outside the sliver loop), so it is served from L1/L2
 *       while each A sliver (MR × KC = 6 KiB float) streams from L2. KC is also the length of each uninterrupted
 *       register accumulation: C is read, added to and written once per KC block, 1/KC of the FMA work.
 *       Measured single thread (CPU time), float, GFLOP/s for KC = 128 / 256 / 384: 64×1536×512 91 / 91 / 87,
 *       512³ 123 / 125 / 108, 2048³ 81 / 100 / 110; 256 is the best compromise.</li>
 *   <li>MC = {@value #ROW_BLOCK_TARGET} rows (rounded down to a multiple of MR): the packed A block is
 *       MC × KC × 4 bytes = 240 KiB float / 480 KiB double, within half of a 1 MiB L2.</li>
 *   <li>NC = {@value #COLUMN_BLOCK}: the packed B block KC × NC (3 MiB float) comes from L3 once per A block; a
 *       large NC keeps A repacking (once per NC columns) negligible.</li>
 * </ul>
 *
 * <p>Prepacked B ({@link #packB}, {@link #sgemmPackedB}): B is packed once for the whole k × n in the same panel
 * layout, so a call only packs A (m × k, small for an RNN step). Single thread, batch 32, 512 → 2048 float:
 * 74 GFLOP/s unpacked vs 115 packed (shared/docs/performance.md shapes; noisy shared machine).
 *
 * <p>Determinism: every C element is computed by the same instruction sequence (see {@link PanelKernel}) with
 * depth blocks in increasing order, no matter which thread, block or tile position it falls in; threads split C
 * into row slivers or column panels, never k. Hence bit-identical results for every thread count, and between the
 * scalar and vector kernels (same KC).
 *
 * <p>Threading: splits over column panels (each thread packs its own B columns and all of A: cheap when m ≤ n,
 * the RNN case of batch × 4·units) or, when C is tall, over row slivers. With prepacked B it prefers columns, so
 * each thread reads only its own slice of the packed weights at every step and that slice stays in its L2.
 * Products below {@value #PARALLEL_MIN_WORK} multiply-adds run on the caller. Packing buffers are per thread
 * (thread-local, grown to the largest size seen) and the threaded call's task object is per caller thread, so
 * steady-state calls of the same size allocate nothing (SteadyStateAllocationTest: under 1 KiB for 1200 calls,
 * caller plus worker).
 */
public final class BlockedGemm implements Gemm {

    /** KC: depth (k) block, shared by float and double and by all kernels, so all blocked variants agree bitwise. */
    public static final int DEPTH_BLOCK = 256;
    /** MC target in rows; the actual row block is the largest multiple of MR not above it. */
    public static final int ROW_BLOCK_TARGET = 240;
    /** NC: column block of the per-call packed B. */
    public static final int COLUMN_BLOCK = 3072;
    /**
     * Row count of C (per thread) up to which a non-transposed B is read in place instead of packed per call.
     * Measured single thread (CPU time), float, packing vs in place: 1×2048×512 4.6 vs 12, 8×2048×512 30 vs 45,
     * 32×2048×512 65–70 vs 73, 64×1536×512 99–103 vs 92 GFLOP/s. (Prepacked B beats both: see the class comment.)
     */
    public static final int DIRECT_B_MAX_ROWS = 32;
    /** Multiply-adds (m·n·k) below which a product runs on the calling thread only. */
    public static final long PARALLEL_MIN_WORK = 1L << 15;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);
    private static final ThreadLocal<ThreadedProduct> THREADED_PRODUCT = ThreadLocal.withInitial(ThreadedProduct::new);

    private enum Split { NONE, ROWS, COLUMNS }

    private final PanelKernel kernel;
    private final ParallelRunner runner;
    private final String name;
    private final PackedLayout floatLayout;
    private final PackedLayout doubleLayout;

    /**
     * @param kernel the register-tile kernel (scalar or vector)
     * @param runner the threads to split C over; not closed by this Gemm
     */
    BlockedGemm(PanelKernel kernel, ParallelRunner runner) {
        this.kernel = kernel;
        this.runner = runner;
        this.floatLayout = new PackedLayout(DEPTH_BLOCK, kernel.floatTileCols());
        this.doubleLayout = new PackedLayout(DEPTH_BLOCK, kernel.doubleTileCols());
        this.name = kernel.name() + "-blocked" + (runner.threads() == 1 ? "" : "-" + runner.threads() + "threads");
    }

    @Override
    public String name() {
        return name;
    }

    public int threads() {
        return runner.threads();
    }

    /** The block and tile sizes this instance uses, for tests that straddle every boundary. */
    public BlockSizes blockSizes() {
        return new BlockSizes(kernel.floatTileRows(), kernel.floatTileCols(), kernel.doubleTileRows(),
                kernel.doubleTileCols(), DEPTH_BLOCK, rowBlock(kernel.floatTileRows()),
                rowBlock(kernel.doubleTileRows()), COLUMN_BLOCK);
    }

    /** MR/NR per precision, KC, MC per precision, NC. */
    public record BlockSizes(int floatTileRows, int floatTileCols, int doubleTileRows, int doubleTileCols,
                             int depthBlock, int floatRowBlock, int doubleRowBlock, int columnBlock) {
    }

    private Split split(int m, int n, int k, int mr, int nr) {
        int threads = runner.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
            return Split.NONE;
        }
        int rowSlivers = ceilDiv(m, mr);
        int colPanels = ceilDiv(n, nr);
        if (colPanels >= threads && (n >= m || rowSlivers < threads)) {
            return Split.COLUMNS;
        }
        if (rowSlivers >= threads) {
            return Split.ROWS;
        }
        return colPanels > 1 ? Split.COLUMNS : rowSlivers > 1 ? Split.ROWS : Split.NONE;
    }

    private static int rowBlock(int mr) {
        return Math.max(mr, ROW_BLOCK_TARGET / mr * mr);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      boolean accumulate, float[] c, int cOff, int ldc) {
        GemmArguments.checkAll(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        int mr = kernel.floatTileRows();
        int nr = kernel.floatTileCols();
        Split split = split(m, n, k, mr, nr);
        if (split == Split.NONE) {
            sgemmRange(transA, transB, 0, m, 0, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            return;
        }
        ThreadedProduct product = THREADED_PRODUCT.get();
        product.floatProduct(this, split, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, null, accumulate, c, cOff, ldc);
        try {
            runner.forRange(split == Split.ROWS ? ceilDiv(m, mr) : ceilDiv(n, nr), 1, 1, product);
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
    private void sgemmRange(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            boolean accumulate, float[] c, int cOff, int ldc) {
        int mr = kernel.floatTileRows();
        int nr = kernel.floatTileCols();
        int rowBlock = rowBlock(mr);
        Workspace ws = WORKSPACE.get();
        float[] packedA = ws.floatA(roundUp(Math.min(rowBlock, i1 - i0), mr) * Math.min(DEPTH_BLOCK, k));
        float[] packedB = ws.floatB(roundUp(Math.min(COLUMN_BLOCK, j1 - j0), nr) * Math.min(DEPTH_BLOCK, k));
        float[] tile = ws.floatTile(mr * nr);
        // Few rows of C: each B panel would serve at most DIRECT_B_MAX_ROWS / MR slivers, so copying B costs as
        // much as using it; a row-major B is then read in place and only its partial last panel is packed.
        boolean directB = !transB && i1 - i0 <= DIRECT_B_MAX_ROWS;
        for (int jc = j0; jc < j1; jc += COLUMN_BLOCK) {
            int nc = Math.min(COLUMN_BLOCK, j1 - jc);
            int ncDirect = directB ? nc / nr * nr : 0;
            for (int pc = 0; pc < k; pc += DEPTH_BLOCK) {
                int kc = Math.min(DEPTH_BLOCK, k - pc);
                PanelPacking.packFloatPanels(transB, b, bOff, ldb, pc, kc, jc + ncDirect, nc - ncDirect, nr, packedB, 0);
                boolean overwrite = !accumulate && pc == 0;
                for (int ic = i0; ic < i1; ic += rowBlock) {
                    int mc = Math.min(rowBlock, i1 - ic);
                    PanelPacking.packFloatSlivers(transA, a, aOff, lda, ic, mc, pc, kc, mr, packedA);
                    int cBlock = cOff + ic * ldc + jc;
                    if (ncDirect > 0) {
                        kernel.floatBlock(mc, ncDirect, kc, packedA, b, bOff + pc * ldb + jc, nr, ldb, overwrite,
                                c, cBlock, ldc, tile);
                    }
                    if (nc > ncDirect) {
                        kernel.floatBlock(mc, nc - ncDirect, kc, packedA, packedB, 0, kc * nr, nr, overwrite,
                                c, cBlock + ncDirect, ldc, tile);
                    }
                }
            }
        }
    }

    /** Packs op(B) in this Gemm's panel layout (KC = {@link #DEPTH_BLOCK}, NR = the kernel's float tile width). */
    @Override
    public PackedFloatMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        PackedFloatMatrix packed = new PackedFloatMatrix(floatLayout(), k, n);
        repackB(packed, transB, b, bOff, ldb);
        return packed;
    }

    @Override
    public void repackB(PackedFloatMatrix packed, boolean transB, float[] b, int bOff, int ldb) {
        packed.requireLayout(floatLayout(), name);
        GemmArguments.checkOperand("B", transB, packed.depth(), packed.width(), b.length, bOff, ldb);
        floatLayout().packFloat(transB, packed.depth(), packed.width(), b, bOff, ldb, packed.data());
    }

    @Override
    public void sgemmPackedB(boolean transA, int m, float[] a, int aOff, int lda, PackedFloatMatrix b,
                             boolean accumulate, float[] c, int cOff, int ldc) {
        if (b.layout().isRowMajor()) {
            Gemm.super.sgemmPackedB(transA, m, a, aOff, lda, b, accumulate, c, cOff, ldc);
            return;
        }
        b.requireLayout(floatLayout(), name);
        int n = b.width();
        int k = b.depth();
        GemmArguments.checkAll(transA, false, m, n, k, a.length, aOff, lda, Integer.MAX_VALUE, 0, n, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            sgemm(transA, false, m, n, 0, a, aOff, lda, b.data(), 0, n, accumulate, c, cOff, ldc);
            return;
        }
        int mr = kernel.floatTileRows();
        int nr = kernel.floatTileCols();
        // Columns first: each thread then reads only its own slice of the packed weights at every call, which
        // stays in that core's L2 across time steps (DeepCPU's "private slice of the recurrent weights").
        Split split = split(m, n, k, mr, nr);
        if (split == Split.ROWS && ceilDiv(n, nr) >= runner.threads()) {
            split = Split.COLUMNS;
        }
        if (split == Split.NONE) {
            sgemmPackedRange(transA, 0, m, 0, ceilDiv(n, nr), a, aOff, lda, b, accumulate, c, cOff, ldc);
            return;
        }
        ThreadedProduct product = THREADED_PRODUCT.get();
        product.floatProduct(this, split, transA, false, m, n, k, a, aOff, lda, null, 0, 0, b, accumulate, c, cOff, ldc);
        try {
            runner.forRange(split == Split.ROWS ? ceilDiv(m, mr) : ceilDiv(n, nr), 1, 1, product);
        } finally {
            product.clear();
        }
    }

    /** Rows [i0, i1) × column panels [q0, q1) against prepacked B; same per-element order as sgemmRange. */
    private void sgemmPackedRange(boolean transA, int i0, int i1, int q0, int q1,
                                  float[] a, int aOff, int lda, PackedFloatMatrix b,
                                  boolean accumulate, float[] c, int cOff, int ldc) {
        int mr = kernel.floatTileRows();
        int nr = kernel.floatTileCols();
        int n = b.width();
        int k = b.depth();
        int nPadded = roundUp(n, nr);
        int j0 = q0 * nr;
        int nc = Math.min(n, q1 * nr) - j0;
        int rowBlock = rowBlock(mr);
        Workspace ws = WORKSPACE.get();
        float[] packedA = ws.floatA(roundUp(Math.min(rowBlock, i1 - i0), mr) * Math.min(DEPTH_BLOCK, k));
        float[] tile = ws.floatTile(mr * nr);
        float[] packedB = b.data();
        for (int pc = 0; pc < k; pc += DEPTH_BLOCK) {
            int kc = Math.min(DEPTH_BLOCK, k - pc);
            boolean overwrite = !accumulate && pc == 0;
            for (int ic = i0; ic < i1; ic += rowBlock) {
                int mc = Math.min(rowBlock, i1 - ic);
                PanelPacking.packFloatSlivers(transA, a, aOff, lda, ic, mc, pc, kc, mr, packedA);
                kernel.floatBlock(mc, nc, kc, packedA, packedB, pc * nPadded + q0 * kc * nr, kc * nr, nr, overwrite,
                        c, cOff + ic * ldc + j0, ldc, tile);
            }
        }
    }

    private PackedLayout floatLayout() {
        return floatLayout;
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      boolean accumulate, double[] c, int cOff, int ldc) {
        GemmArguments.checkAll(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0d);
                }
            }
            return;
        }
        int mr = kernel.doubleTileRows();
        int nr = kernel.doubleTileCols();
        Split split = split(m, n, k, mr, nr);
        if (split == Split.NONE) {
            dgemmRange(transA, transB, 0, m, 0, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            return;
        }
        ThreadedProduct product = THREADED_PRODUCT.get();
        product.doubleProduct(this, split, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, null, accumulate, c, cOff, ldc);
        try {
            runner.forRange(split == Split.ROWS ? ceilDiv(m, mr) : ceilDiv(n, nr), 1, 1, product);
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
    private void dgemmRange(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            boolean accumulate, double[] c, int cOff, int ldc) {
        int mr = kernel.doubleTileRows();
        int nr = kernel.doubleTileCols();
        int rowBlock = rowBlock(mr);
        Workspace ws = WORKSPACE.get();
        double[] packedA = ws.doubleA(roundUp(Math.min(rowBlock, i1 - i0), mr) * Math.min(DEPTH_BLOCK, k));
        double[] packedB = ws.doubleB(roundUp(Math.min(COLUMN_BLOCK, j1 - j0), nr) * Math.min(DEPTH_BLOCK, k));
        double[] tile = ws.doubleTile(mr * nr);
        // Few rows of C: each B panel would serve at most DIRECT_B_MAX_ROWS / MR slivers, so copying B costs as
        // much as using it; a row-major B is then read in place and only its partial last panel is packed.
        boolean directB = !transB && i1 - i0 <= DIRECT_B_MAX_ROWS;
        for (int jc = j0; jc < j1; jc += COLUMN_BLOCK) {
            int nc = Math.min(COLUMN_BLOCK, j1 - jc);
            int ncDirect = directB ? nc / nr * nr : 0;
            for (int pc = 0; pc < k; pc += DEPTH_BLOCK) {
                int kc = Math.min(DEPTH_BLOCK, k - pc);
                PanelPacking.packDoublePanels(transB, b, bOff, ldb, pc, kc, jc + ncDirect, nc - ncDirect, nr, packedB, 0);
                boolean overwrite = !accumulate && pc == 0;
                for (int ic = i0; ic < i1; ic += rowBlock) {
                    int mc = Math.min(rowBlock, i1 - ic);
                    PanelPacking.packDoubleSlivers(transA, a, aOff, lda, ic, mc, pc, kc, mr, packedA);
                    int cBlock = cOff + ic * ldc + jc;
                    if (ncDirect > 0) {
                        kernel.doubleBlock(mc, ncDirect, kc, packedA, b, bOff + pc * ldb + jc, nr, ldb, overwrite,
                                c, cBlock, ldc, tile);
                    }
                    if (nc > ncDirect) {
                        kernel.doubleBlock(mc, nc - ncDirect, kc, packedA, packedB, 0, kc * nr, nr, overwrite,
                                c, cBlock + ncDirect, ldc, tile);
                    }
                }
            }
        }
    }

    /** Packs op(B) in this Gemm's panel layout (KC = {@link #DEPTH_BLOCK}, NR = the kernel's double tile width). */
    @Override
    public PackedDoubleMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb) {
        PackedDoubleMatrix packed = new PackedDoubleMatrix(doubleLayout(), k, n);
        repackB(packed, transB, b, bOff, ldb);
        return packed;
    }

    @Override
    public void repackB(PackedDoubleMatrix packed, boolean transB, double[] b, int bOff, int ldb) {
        packed.requireLayout(doubleLayout(), name);
        GemmArguments.checkOperand("B", transB, packed.depth(), packed.width(), b.length, bOff, ldb);
        doubleLayout().packDouble(transB, packed.depth(), packed.width(), b, bOff, ldb, packed.data());
    }

    @Override
    public void dgemmPackedB(boolean transA, int m, double[] a, int aOff, int lda, PackedDoubleMatrix b,
                             boolean accumulate, double[] c, int cOff, int ldc) {
        if (b.layout().isRowMajor()) {
            Gemm.super.dgemmPackedB(transA, m, a, aOff, lda, b, accumulate, c, cOff, ldc);
            return;
        }
        b.requireLayout(doubleLayout(), name);
        int n = b.width();
        int k = b.depth();
        GemmArguments.checkAll(transA, false, m, n, k, a.length, aOff, lda, Integer.MAX_VALUE, 0, n, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            dgemm(transA, false, m, n, 0, a, aOff, lda, b.data(), 0, n, accumulate, c, cOff, ldc);
            return;
        }
        int mr = kernel.doubleTileRows();
        int nr = kernel.doubleTileCols();
        // Columns first: each thread then reads only its own slice of the packed weights at every call, which
        // stays in that core's L2 across time steps (DeepCPU's "private slice of the recurrent weights").
        Split split = split(m, n, k, mr, nr);
        if (split == Split.ROWS && ceilDiv(n, nr) >= runner.threads()) {
            split = Split.COLUMNS;
        }
        if (split == Split.NONE) {
            dgemmPackedRange(transA, 0, m, 0, ceilDiv(n, nr), a, aOff, lda, b, accumulate, c, cOff, ldc);
            return;
        }
        ThreadedProduct product = THREADED_PRODUCT.get();
        product.doubleProduct(this, split, transA, false, m, n, k, a, aOff, lda, null, 0, 0, b, accumulate, c, cOff, ldc);
        try {
            runner.forRange(split == Split.ROWS ? ceilDiv(m, mr) : ceilDiv(n, nr), 1, 1, product);
        } finally {
            product.clear();
        }
    }

    /** Rows [i0, i1) × column panels [q0, q1) against prepacked B; same per-element order as dgemmRange. */
    private void dgemmPackedRange(boolean transA, int i0, int i1, int q0, int q1,
                                  double[] a, int aOff, int lda, PackedDoubleMatrix b,
                                  boolean accumulate, double[] c, int cOff, int ldc) {
        int mr = kernel.doubleTileRows();
        int nr = kernel.doubleTileCols();
        int n = b.width();
        int k = b.depth();
        int nPadded = roundUp(n, nr);
        int j0 = q0 * nr;
        int nc = Math.min(n, q1 * nr) - j0;
        int rowBlock = rowBlock(mr);
        Workspace ws = WORKSPACE.get();
        double[] packedA = ws.doubleA(roundUp(Math.min(rowBlock, i1 - i0), mr) * Math.min(DEPTH_BLOCK, k));
        double[] tile = ws.doubleTile(mr * nr);
        double[] packedB = b.data();
        for (int pc = 0; pc < k; pc += DEPTH_BLOCK) {
            int kc = Math.min(DEPTH_BLOCK, k - pc);
            boolean overwrite = !accumulate && pc == 0;
            for (int ic = i0; ic < i1; ic += rowBlock) {
                int mc = Math.min(rowBlock, i1 - ic);
                PanelPacking.packDoubleSlivers(transA, a, aOff, lda, ic, mc, pc, kc, mr, packedA);
                kernel.doubleBlock(mc, nc, kc, packedA, packedB, pc * nPadded + q0 * kc * nr, kc * nr, nr, overwrite,
                        c, cOff + ic * ldc + j0, ldc, tile);
            }
        }
    }

    private PackedLayout doubleLayout() {
        return doubleLayout;
    }

    /**
     * The arguments of one multithreaded product as a reusable {@link ParallelRunner.RangeTask}: one per calling
     * thread (thread-local), filled before and cleared after each call, so a threaded call allocates no lambda.
     * The range it receives counts row slivers (Split.ROWS) or column panels (Split.COLUMNS).
     */
    private static final class ThreadedProduct implements ParallelRunner.RangeTask {
        private BlockedGemm gemm;
        private Split split;
        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private float[] af;
        private float[] bf;
        private float[] cf;
        private PackedFloatMatrix packedF;
        private double[] ad;
        private double[] bd;
        private double[] cd;
        private PackedDoubleMatrix packedD;
        private int aOff;
        private int lda;
        private int bOff;
        private int ldb;
        private boolean accumulate;
        private int cOff;
        private int ldc;

        void floatProduct(BlockedGemm gemm, Split split, boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb, PackedFloatMatrix packed,
                          boolean accumulate, float[] c, int cOff, int ldc) {
            shape(gemm, split, transA, transB, m, n, k, aOff, lda, bOff, ldb, accumulate, cOff, ldc);
            this.af = a;
            this.bf = b;
            this.cf = c;
            this.packedF = packed;
        }

        void doubleProduct(BlockedGemm gemm, Split split, boolean transA, boolean transB, int m, int n, int k,
                           double[] a, int aOff, int lda, double[] b, int bOff, int ldb, PackedDoubleMatrix packed,
                           boolean accumulate, double[] c, int cOff, int ldc) {
            shape(gemm, split, transA, transB, m, n, k, aOff, lda, bOff, ldb, accumulate, cOff, ldc);
            this.ad = a;
            this.bd = b;
            this.cd = c;
            this.packedD = packed;
        }

        private void shape(BlockedGemm gemm, Split split, boolean transA, boolean transB, int m, int n, int k,
                           int aOff, int lda, int bOff, int ldb, boolean accumulate, int cOff, int ldc) {
            this.gemm = gemm;
            this.split = split;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.aOff = aOff;
            this.lda = lda;
            this.bOff = bOff;
            this.ldb = ldb;
            this.accumulate = accumulate;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        /** Drops the array references so the thread-local does not keep the caller's data alive. */
        void clear() {
            gemm = null;
            af = null;
            bf = null;
            cf = null;
            packedF = null;
            ad = null;
            bd = null;
            cd = null;
            packedD = null;
        }

        @Override
        public void run(int from, int to) {
            PanelKernel kernel = gemm.kernel;
            if (cf != null) {
                int mr = kernel.floatTileRows();
                int nr = kernel.floatTileCols();
                int i0 = split == Split.ROWS ? from * mr : 0;
                int i1 = split == Split.ROWS ? Math.min(m, to * mr) : m;
                int q0 = split == Split.ROWS ? 0 : from;
                int q1 = split == Split.ROWS ? ceilDiv(n, nr) : to;
                if (packedF != null) {
                    gemm.sgemmPackedRange(transA, i0, i1, q0, q1, af, aOff, lda, packedF, accumulate, cf, cOff, ldc);
                } else {
                    gemm.sgemmRange(transA, transB, i0, i1, q0 * nr, Math.min(n, q1 * nr), k,
                            af, aOff, lda, bf, bOff, ldb, accumulate, cf, cOff, ldc);
                }
            } else {
                int mr = kernel.doubleTileRows();
                int nr = kernel.doubleTileCols();
                int i0 = split == Split.ROWS ? from * mr : 0;
                int i1 = split == Split.ROWS ? Math.min(m, to * mr) : m;
                int q0 = split == Split.ROWS ? 0 : from;
                int q1 = split == Split.ROWS ? ceilDiv(n, nr) : to;
                if (packedD != null) {
                    gemm.dgemmPackedRange(transA, i0, i1, q0, q1, ad, aOff, lda, packedD, accumulate, cd, cOff, ldc);
                } else {
                    gemm.dgemmRange(transA, transB, i0, i1, q0 * nr, Math.min(n, q1 * nr), k,
                            ad, aOff, lda, bd, bOff, ldb, accumulate, cd, cOff, ldc);
                }
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and then reused by every later call on that thread. */
    private static final class Workspace {
        private float[] floatA = new float[0];
        private float[] floatB = new float[0];
        private float[] floatTile = new float[0];
        private double[] doubleA = new double[0];
        private double[] doubleB = new double[0];
        private double[] doubleTile = new double[0];

        float[] floatA(int size) {
            if (floatA.length < size) {
                floatA = new float[size];
            }
            return floatA;
        }

        float[] floatB(int size) {
            if (floatB.length < size) {
                floatB = new float[size];
            }
            return floatB;
        }

        float[] floatTile(int size) {
            if (floatTile.length < size) {
                floatTile = new float[size];
            }
            return floatTile;
        }

        double[] doubleA(int size) {
            if (doubleA.length < size) {
                doubleA = new double[size];
            }
            return doubleA;
        }

        double[] doubleB(int size) {
            if (doubleB.length < size) {
                doubleB = new double[size];
            }
            return doubleB;
        }

        double[] doubleTile(int size) {
            if (doubleTile.length < size) {
                doubleTile = new double[size];
            }
            return doubleTile;
        }
    }
}
