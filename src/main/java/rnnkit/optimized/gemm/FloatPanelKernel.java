// GENERATED from DoublePanelKernel.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized.gemm;

/**
 * The inner two loops of the blocked GEMM in float32 (BLIS "macro-kernel"): multiplies a packed mc×kc block of A
 * by a packed kc×nc block of B into C, one MR×NR register tile at a time.
 *
 * <p>Arithmetic contract shared by every kernel, which is what makes all blocked variants bit-identical to each
 * other and across thread counts: for each C element, with p running 0..kc-1 in order,
 * <pre>  acc = 0;  acc = fma(A[i][p], B[p][j], acc) ...;  C[i][j] = overwrite ? acc : C[i][j] + acc</pre>
 * Zero padding of partial slivers/panels only affects tile entries that are never written back.
 */
interface FloatPanelKernel {

    /** The kernel's name in the GEMM's name ("scalar", "vector512"). */
    String name();

    /** MR: rows of A per sliver and of the register tile. */
    int tileRows();

    /** NR: columns of B per panel and of the register tile. */
    int tileCols();

    /**
     * C[mc×nc] (+)= Apacked[mc×kc]·Bpacked[kc×nc]. {@code ap} holds ceil(mc/MR) slivers from index 0 (see
     * {@link FloatPanelPacking#packSlivers}). B is read as ceil(nc/NR) panels of NR columns: element (p, q·NR + jj)
     * at {@code bpOff + q*bPanelStep + p*bRowStep + jj}. Packed panels: bPanelStep = kc·NR, bRowStep = NR.
     * Row-major B read in place: bPanelStep = NR, bRowStep = ldb (then every panel must be full, nc % NR == 0,
     * since the kernel reads NR values per row).
     * {@code tile} is scratch of at least MR·NR elements for partial tiles.
     */
    void block(int mc, int nc, int kc, float[] ap, float[] bp, int bpOff, int bPanelStep, int bRowStep,
               boolean overwrite, float[] c, int cOff, int ldc, float[] tile);
}
