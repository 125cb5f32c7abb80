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
}
