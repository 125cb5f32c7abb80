package rnnkit.optimized.gemm;

import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Cache-blocked GEMM (Goto/BLIS scheme): operands are copied into packed panels that the register-tiled kernel
 * ({@link DoublePanelKernel}, {@link FloatPanelKernel}) reads strictly sequentially, and the loops are blocked so
 * each packed piece stays in the cache level that feeds it.
 *
 * <pre>
 * for jc in 0..n step NC                      B block KC×NC, lives in L2/L3
 *   for pc in 0..k step KC                    pack B[pc:pc+KC, jc:jc+NC] into NR-wide panels
 *     for ic in 0..m step MC                  pack A[ic:ic+MC, pc:pc+KC] into MR-high slivers (L2)
 *       for jr in 0..NC step NR               one B panel KC×NR
 *         for ir in 0..MC step MR             one A sliver MR×KC
 *           C[ir:ir+MR, jr:jr+NR] (+)= sliver · panel      (register tile, panel kernel)
 * </pre>
 *
 * <p>Block sizes, for Zen 4 (32 KiB L1d and 1 MiB L2 per core, shared L3; the AVX-512 Xeons this was also measured
 * on have 48 KiB L1d and 2 MiB L2 per core, so the Zen 4 sizes are the binding ones):
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
 * 74 GFLOP/s unpacked vs 115 packed (2-core AVX-512 Xeon shared with other jobs, so noisy).
 *
 * <p>Determinism: every C element is computed by the same instruction sequence (see {@link DoublePanelKernel}) with
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
 *
 * <p>The loops are in {@link DoubleBlockedDriver} and its generated float32 twin; this class holds what both
 * precisions share.
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

    /** How a product's C is divided over the threads: not at all, into row slivers, or into column panels. */
    enum Split {
        NONE, ROWS, COLUMNS;

        /** The split of an m×n×k product with MR×NR tiles over {@code threads} threads. */
        static Split of(int threads, int m, int n, int k, int mr, int nr) {
            if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
                return NONE;
            }
            int rowSlivers = ceilDiv(m, mr);
            int colPanels = ceilDiv(n, nr);
            if (colPanels >= threads && (n >= m || rowSlivers < threads)) {
                return COLUMNS;
            }
            if (rowSlivers >= threads) {
                return ROWS;
            }
            return colPanels > 1 ? COLUMNS : rowSlivers > 1 ? ROWS : NONE;
        }
    }

    /** A register-tile kernel in both precisions, under one name ("scalar", "vector512", ...). */
    record Kernels(String name, FloatPanelKernel floats, DoublePanelKernel doubles) {
        Kernels {
            if (!floats.name().equals(name) || !doubles.name().equals(name)) {
                throw new IllegalArgumentException("kernels named " + floats.name() + " and " + doubles.name()
                        + " paired as " + name + "; expected both named " + name);
            }
        }
    }

    private final Kernels kernels;
    private final ParallelRunner runner;
    private final String name;
    private final FloatBlockedDriver floats;
    private final DoubleBlockedDriver doubles;

    /**
     * @param kernels the register-tile kernels (scalar or vector)
     * @param runner the threads to split C over; not closed by this Gemm
     */
    BlockedGemm(Kernels kernels, ParallelRunner runner) {
        this.kernels = kernels;
        this.runner = runner;
        this.name = kernels.name() + "-blocked" + (runner.threads() == 1 ? "" : "-" + runner.threads() + "threads");
        this.floats = new FloatBlockedDriver(kernels.floats(), runner, name);
        this.doubles = new DoubleBlockedDriver(kernels.doubles(), runner, name);
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
        FloatPanelKernel f = kernels.floats();
        DoublePanelKernel d = kernels.doubles();
        return new BlockSizes(f.tileRows(), f.tileCols(), d.tileRows(), d.tileCols(), DEPTH_BLOCK,
                rowBlock(f.tileRows()), rowBlock(d.tileRows()), COLUMN_BLOCK);
    }

    /** MR/NR per precision, KC, MC per precision, NC. */
    public record BlockSizes(int floatTileRows, int floatTileCols, int doubleTileRows, int doubleTileCols,
                             int depthBlock, int floatRowBlock, int doubleRowBlock, int columnBlock) {
    }

    /** MC for tiles of {@code mr} rows. */
    static int rowBlock(int mr) {
        return Math.max(mr, ROW_BLOCK_TARGET / mr * mr);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      boolean accumulate, float[] c, int cOff, int ldc) {
        floats.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      boolean accumulate, double[] c, int cOff, int ldc) {
        doubles.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    /** Packs op(B) in this Gemm's panel layout (KC = {@link #DEPTH_BLOCK}, NR = the kernel's float tile width). */
    @Override
    public PackedFloatMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return floats.packB(transB, k, n, b, bOff, ldb);
    }

    /** Packs op(B) in this Gemm's panel layout (KC = {@link #DEPTH_BLOCK}, NR = the kernel's double tile width). */
    @Override
    public PackedDoubleMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb) {
        return doubles.packB(transB, k, n, b, bOff, ldb);
    }

    @Override
    public void repackB(PackedFloatMatrix packed, boolean transB, float[] b, int bOff, int ldb) {
        floats.repackB(packed, transB, b, bOff, ldb);
    }

    @Override
    public void repackB(PackedDoubleMatrix packed, boolean transB, double[] b, int bOff, int ldb) {
        doubles.repackB(packed, transB, b, bOff, ldb);
    }

    @Override
    public void sgemmPackedB(boolean transA, int m, float[] a, int aOff, int lda, PackedFloatMatrix b,
                             boolean accumulate, float[] c, int cOff, int ldc) {
        if (b.layout().isRowMajor()) {
            Gemm.super.sgemmPackedB(transA, m, a, aOff, lda, b, accumulate, c, cOff, ldc);
        } else {
            floats.gemmPackedB(transA, m, a, aOff, lda, b, accumulate, c, cOff, ldc);
        }
    }

    @Override
    public void dgemmPackedB(boolean transA, int m, double[] a, int aOff, int lda, PackedDoubleMatrix b,
                             boolean accumulate, double[] c, int cOff, int ldc) {
        if (b.layout().isRowMajor()) {
            Gemm.super.dgemmPackedB(transA, m, a, aOff, lda, b, accumulate, c, cOff, ldc);
        } else {
            doubles.gemmPackedB(transA, m, a, aOff, lda, b, accumulate, c, cOff, ldc);
        }
    }

    /** The float and double panel widths' least common multiple. */
    @Override
    public int packedColumnAlign() {
        int f = kernels.floats().tileCols();
        int d = kernels.doubles().tileCols();
        int g = f;
        for (int r = d; r != 0; ) {
            int t = g % r;
            g = r;
            r = t;
        }
        return f / g * d;
    }

    @Override
    public PackedFloatRows packA(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedFloatRows reuse) {
        return floats.packA(transA, m, k, a, aOff, lda, reuse);
    }

    @Override
    public PackedDoubleRows packA(boolean transA, int m, int k, double[] a, int aOff, int lda, PackedDoubleRows reuse) {
        return doubles.packA(transA, m, k, a, aOff, lda, reuse);
    }

    @Override
    public void sgemmPackedAB(PackedFloatRows a, PackedFloatMatrix b, int j0, int j1, boolean accumulate,
                              float[] c, int cOff, int ldc) {
        if (b.layout().isRowMajor() && a.tileRows == 0) {
            Gemm.super.sgemmPackedAB(a, b, j0, j1, accumulate, c, cOff, ldc);
        } else {
            floats.gemmPackedAB(a, b, j0, j1, accumulate, c, cOff, ldc);
        }
    }

    @Override
    public void dgemmPackedAB(PackedDoubleRows a, PackedDoubleMatrix b, int j0, int j1, boolean accumulate,
                              double[] c, int cOff, int ldc) {
        if (b.layout().isRowMajor() && a.tileRows == 0) {
            Gemm.super.dgemmPackedAB(a, b, j0, j1, accumulate, c, cOff, ldc);
        } else {
            doubles.gemmPackedAB(a, b, j0, j1, accumulate, c, cOff, ldc);
        }
    }
}
