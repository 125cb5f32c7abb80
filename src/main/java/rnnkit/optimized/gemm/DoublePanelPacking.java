// FloatPanelPacking.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

import java.util.Arrays;

/**
 * Copies float64 operands into the layouts the blocked micro-kernels read sequentially: B into column panels of
 * NR, A into row slivers of MR, both zero-padded to whole panels/slivers. Plain scalar copies: packing is
 * O(mk + kn) against the O(mnk) product.
 */
final class DoublePanelPacking {

    private DoublePanelPacking() {
    }

    /**
     * Packs op(B)[p0 .. p0+kc) × [j0 .. j0+nc) into ceil(nc/nr) panels starting at {@code dstOff}: panel q holds
     * kc rows of nr values, element (p, q*nr + jj) at {@code dstOff + q*kc*nr + p*nr + jj}; columns past nc are
     * zero (they only ever meet C columns that are discarded). op(B)(p, j) is {@code b[bOff + p*ldb + j]}, or
     * {@code b[bOff + j*ldb + p]} when {@code trans}.
     */
    static void packPanels(boolean trans, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, int nr,
                           double[] dst, int dstOff) {
        for (int q = 0; q < nc; q += nr) {
            int width = Math.min(nr, nc - q);
            int panel = dstOff + q / nr * kc * nr;
            if (!trans) {
                for (int p = 0; p < kc; p++) {
                    int d = panel + p * nr;
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + q, dst, d, width);
                    if (width < nr) {
                        Arrays.fill(dst, d + width, d + nr, 0);
                    }
                }
            } else {
                for (int jj = 0; jj < width; jj++) {
                    int src = bOff + (j0 + q + jj) * ldb + p0;
                    int d = panel + jj;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * nr] = b[src + p];
                    }
                }
                if (width < nr) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(dst, panel + p * nr + width, panel + p * nr + nr, 0);
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[i0 .. i0+mc) × [p0 .. p0+kc) into slivers of mr rows: sliver s holds kc columns of mr values,
     * element (s*mr + r, p) at {@code s*kc*mr + p*mr + r}; rows past mc are zero. This is the panel packing of
     * op(A)^T, so it reuses {@link #packPanels} with the transpose flag flipped.
     */
    static void packSlivers(boolean trans, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc, int mr,
                            double[] dst) {
        packPanels(!trans, a, aOff, lda, p0, kc, i0, mc, mr, dst, 0);
    }

    /** Writes op(B) (k×n) into {@code dst} in {@code layout} (see {@link PackedLayout}). */
    static void pack(PackedLayout layout, boolean transB, int k, int n, double[] b, int bOff, int ldb, double[] dst) {
        if (layout.isRowMajor()) {
            packPanels(transB, b, bOff, ldb, 0, k, 0, n, Math.max(1, n), dst, 0);
            return;
        }
        int nPadded = layout.paddedWidth(n);
        for (int pc = 0; pc < k; pc += layout.depthBlock()) {
            int kc = Math.min(layout.depthBlock(), k - pc);
            packPanels(transB, b, bOff, ldb, pc, kc, 0, n, layout.panelWidth(), dst, pc * nPadded);
        }
    }
}
