package rnnkit.optimized.gemm;

/**
 * General matrix multiply on row-major arrays with leading dimensions, the one primitive the optimized layers
 * build on (input projection of all steps, per-step recurrent product, weight gradients over all steps):
 *
 * <pre>  C[m×n] = op(A)[m×k] · op(B)[k×n] + (accumulate ? C : 0)</pre>
 *
 * where op(X) is X or its transpose. Element (i, j) of a row-major matrix X at offset o with leading dimension
 * ld is {@code x[o + i*ld + j]}; for a transposed operand the stored matrix is the transpose (so A^T stored
 * as k×m with lda ≥ m).
 *
 * <p>Contract for every implementation: the sum over k for one C element is accumulated in a fixed order that
 * does not depend on how the work is split across threads, so results are bit-identical for every thread count.
 * Implementations are thread-safe (no shared mutable state between calls).
 */
public interface Gemm {

    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               boolean accumulate,
               float[] c, int cOff, int ldc);

    void dgemm(boolean transA, boolean transB, int m, int n, int k,
               double[] a, int aOff, int lda,
               double[] b, int bOff, int ldb,
               boolean accumulate,
               double[] c, int cOff, int ldc);

    /** A short name for reports and test listings. */
    String name();

    // ---------------------------------------------------------------------------------------------------------
    // Prepacked right operand: for products where the same B is used many times (the recurrent kernel U in
    // h_t·U, once per time step), pack it once and multiply against the packed form. The default implementations
    // keep a plain row-major copy and call sgemm/dgemm; blocked implementations override them with their panel
    // layout so the per-call packing of B disappears. Results are bit-identical to the unpacked call of the same
    // Gemm with the same operands.
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Packs op(B) (k×n) for repeated use with {@link #sgemmPackedB}. Allocates; call once per weight matrix and
     * use {@link #repackB(PackedFloatMatrix, boolean, float[], int, int)} to refresh it after the weights change.
     */
    default PackedFloatMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        PackedFloatMatrix packed = PackedFloatMatrix.rowMajor(k, n);
        repackB(packed, transB, b, bOff, ldb);
        return packed;
    }

    /** Overwrites {@code packed} (made by this Gemm's packB, same k and n) with op(B); does not allocate. */
    default void repackB(PackedFloatMatrix packed, boolean transB, float[] b, int bOff, int ldb) {
        packed.requireLayout(PackedLayout.ROW_MAJOR, name());
        GemmArguments.checkOperand("B", transB, packed.depth(), packed.width(), b.length, bOff, ldb);
        FloatPanelPacking.pack(PackedLayout.ROW_MAJOR, transB, packed.depth(), packed.width(), b, bOff, ldb,
                packed.data());
    }

    /** C[m×n] = op(A)[m×k] · B + (accumulate ? C : 0), with B (k×n) prepacked by this Gemm's packB. */
    default void sgemmPackedB(boolean transA, int m, float[] a, int aOff, int lda, PackedFloatMatrix b,
                              boolean accumulate, float[] c, int cOff, int ldc) {
        b.requireLayout(PackedLayout.ROW_MAJOR, name());
        sgemm(transA, false, m, b.width(), b.depth(), a, aOff, lda, b.data(), 0, Math.max(1, b.width()),
                accumulate, c, cOff, ldc);
    }

    /** Double-precision twin of {@link #packB(boolean, int, int, float[], int, int)}. */
    default PackedDoubleMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb) {
        PackedDoubleMatrix packed = PackedDoubleMatrix.rowMajor(k, n);
        repackB(packed, transB, b, bOff, ldb);
        return packed;
    }

    /** Double-precision twin of {@link #repackB(PackedFloatMatrix, boolean, float[], int, int)}. */
    default void repackB(PackedDoubleMatrix packed, boolean transB, double[] b, int bOff, int ldb) {
        packed.requireLayout(PackedLayout.ROW_MAJOR, name());
        GemmArguments.checkOperand("B", transB, packed.depth(), packed.width(), b.length, bOff, ldb);
        DoublePanelPacking.pack(PackedLayout.ROW_MAJOR, transB, packed.depth(), packed.width(), b, bOff, ldb,
                packed.data());
    }

    /** Double-precision twin of {@link #sgemmPackedB}. */
    default void dgemmPackedB(boolean transA, int m, double[] a, int aOff, int lda, PackedDoubleMatrix b,
                              boolean accumulate, double[] c, int cOff, int ldc) {
        b.requireLayout(PackedLayout.ROW_MAJOR, name());
        dgemm(transA, false, m, b.width(), b.depth(), a, aOff, lda, b.data(), 0, Math.max(1, b.width()),
                accumulate, c, cOff, ldc);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Packed left operand: an RNN step packs h_{t-1} once and multiplies it with one column range of the
    // prepacked recurrent kernel after the other, running the element-wise step on each range while it is in
    // cache (oneDNN's per-tile epilogue). Each element gets exactly the bits of sgemmPackedB / dgemmPackedB.
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Columns that {@link #sgemmPackedAB} / {@link #dgemmPackedAB} column ranges must start at multiples of (the
     * packed panel width); 1 for the row-major default.
     */
    default int packedColumnAlign() {
        return 1;
    }

    /**
     * Packs op(A) (m×k) for {@link #sgemmPackedAB}, into {@code reuse} when it came from this Gemm (no allocation
     * once it is large enough), else into a new object; returns the packed operand.
     */
    default PackedFloatRows packA(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedFloatRows reuse) {
        GemmArguments.checkOperand("A", transA, m, k, a.length, aOff, lda);
        PackedFloatRows p = reuse != null && reuse.tileRows == 0 ? reuse : new PackedFloatRows(0);
        p.rows = m;
        p.depth = k;
        float[] copy = p.blocks(1, 1, m * k)[0][0];
        FloatPanelPacking.packPanels(transA, a, aOff, lda, 0, m, 0, k, Math.max(1, k), copy, 0);
        return p;
    }

    /**
     * C[:, j0:j1) = A · B[:, j0:j1) + (accumulate ? C : 0) for A packed by {@link #packA} and B (k×n) by
     * {@link #packB}; j0 is a multiple of {@link #packedColumnAlign()}. Single-threaded (the caller splits work).
     */
    default void sgemmPackedAB(PackedFloatRows a, PackedFloatMatrix b, int j0, int j1, boolean accumulate,
                               float[] c, int cOff, int ldc) {
        a.requireTileRows(0, name());
        b.requireLayout(PackedLayout.ROW_MAJOR, name());
        GemmArguments.checkColumns(j0, j1, b.width(), packedColumnAlign(), a.depth, b.depth());
        sgemm(false, false, a.rows, j1 - j0, a.depth, a.blocks[0][0], 0, Math.max(1, a.depth), b.data(), j0,
                Math.max(1, b.width()), accumulate, c, cOff + j0, ldc);
    }

    /** Double-precision twin of {@link #packA(boolean, int, int, float[], int, int, PackedFloatRows)}. */
    default PackedDoubleRows packA(boolean transA, int m, int k, double[] a, int aOff, int lda, PackedDoubleRows reuse) {
        GemmArguments.checkOperand("A", transA, m, k, a.length, aOff, lda);
        PackedDoubleRows p = reuse != null && reuse.tileRows == 0 ? reuse : new PackedDoubleRows(0);
        p.rows = m;
        p.depth = k;
        double[] copy = p.blocks(1, 1, m * k)[0][0];
        DoublePanelPacking.packPanels(transA, a, aOff, lda, 0, m, 0, k, Math.max(1, k), copy, 0);
        return p;
    }

    /** Double-precision twin of {@link #sgemmPackedAB}. */
    default void dgemmPackedAB(PackedDoubleRows a, PackedDoubleMatrix b, int j0, int j1, boolean accumulate,
                               double[] c, int cOff, int ldc) {
        a.requireTileRows(0, name());
        b.requireLayout(PackedLayout.ROW_MAJOR, name());
        GemmArguments.checkColumns(j0, j1, b.width(), packedColumnAlign(), a.depth, b.depth());
        dgemm(false, false, a.rows, j1 - j0, a.depth, a.blocks[0][0], 0, Math.max(1, a.depth), b.data(), j0,
                Math.max(1, b.width()), accumulate, c, cOff + j0, ldc);
    }
}
