// GENERATED from DoubleGemmCase.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One random float32 GEMM problem with offsets and padded leading dimensions: op(A) m×k, op(B) k×n, C m×n. Array
 * elements outside the matrices are NaN in A and B (a kernel reading them poisons its result) and a sentinel in C
 * (a kernel writing them is caught). Without accumulate the initial C inside the matrix is NaN too, so reading it
 * is caught as well.
 */
final class FloatGemmCase {

    static final float C_GAP_SENTINEL = (float) 4242.5;

    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final float[] a;
    final int aOff;
    final int lda;
    final float[] b;
    final int bOff;
    final int ldb;
    final boolean accumulate;
    final int cOff;
    final int ldc;
    private final float[] cInitial;

    FloatGemmCase(boolean transA, boolean transB, int m, int n, int k, boolean accumulate, SplittableRandom random) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.accumulate = accumulate;
        int aCols = transA ? m : k;
        int aRows = transA ? k : m;
        int bCols = transB ? k : n;
        int bRows = transB ? n : k;
        this.aOff = random.nextInt(4);
        this.lda = aCols + random.nextInt(3);
        this.bOff = random.nextInt(4);
        this.ldb = bCols + random.nextInt(3);
        this.cOff = random.nextInt(4);
        this.ldc = n + random.nextInt(3);
        this.a = matrix(aRows, aCols, aOff, lda, Float.NaN, random);
        this.b = matrix(bRows, bCols, bOff, ldb, Float.NaN, random);
        this.cInitial = matrix(m, n, cOff, ldc, C_GAP_SENTINEL, random);
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(cInitial, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
            }
        }
    }

    /** Values uniform in [-1, 1) inside the matrix, {@code gap} elsewhere (offset, padding, tail). */
    private static float[] matrix(int rows, int cols, int off, int ld, float gap, SplittableRandom random) {
        float[] x = new float[off + Math.max(0, rows * ld) + random.nextInt(3)];
        Arrays.fill(x, gap);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                x[off + r * ld + c] = (float) (2 * random.nextDouble() - 1);
            }
        }
        return x;
    }

    float[] freshC() {
        return cInitial.clone();
    }

    /** Runs the unpacked product on {@code gemm} into a fresh C and returns it. */
    float[] run(Gemm gemm) {
        float[] c = freshC();
        gemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
        return c;
    }

    /** Runs the product with B prepacked by {@code gemm} into a fresh C and returns it. */
    float[] runPacked(Gemm gemm) {
        PackedFloatMatrix packed = gemm.packB(transB, k, n, b, bOff, ldb);
        float[] c = freshC();
        gemm.sgemmPackedB(transA, m, a, aOff, lda, packed, accumulate, c, cOff, ldc);
        return c;
    }

    /**
     * Runs the product with A packed once ({@code packA}, into an operand packed before for another shape, to
     * exercise reuse) and B prepacked, C computed in column ranges of {@code piece} columns (rounded up to the
     * Gemm's column alignment) from the last range to the first.
     */
    float[] runPackedAB(Gemm gemm, int piece) {
        PackedFloatMatrix packed = gemm.packB(transB, k, n, b, bOff, ldb);
        PackedFloatRows earlier = gemm.packA(false, 3, 5, new float[15], 0, 5, null);
        PackedFloatRows rows = gemm.packA(transA, m, k, a, aOff, lda, earlier);
        int align = gemm.packedColumnAlign();
        int width = Math.max(align, (piece + align - 1) / align * align);
        float[] c = freshC();
        for (int j0 = (n - 1) / width * width; j0 >= 0; j0 -= width) {
            gemm.sgemmPackedAB(rows, packed, j0, Math.min(n, j0 + width), accumulate, c, cOff, ldc);
        }
        return c;
    }

    /** The exact values of C after the product and their error bounds, row-major m×n: {exact, bound}. */
    double[][] referenceAndBound() {
        return GemmReference.referenceAndBound(GemmReference.view(a, aOff, lda, transA),
                GemmReference.view(b, bOff, ldb, transB),
                accumulate ? GemmReference.view(cInitial, cOff, ldc, false) : null, m, n, k, GemmReference.FLOAT_EPS,
                Float.MIN_NORMAL);
    }

    /** Null when {@code c} is within bound everywhere and untouched outside the matrix, else what is wrong. */
    String mismatch(float[] c, double[][] referenceAndBound) {
        return GemmReference.mismatch(x -> c[x], c.length, m, n, cOff, ldc, C_GAP_SENTINEL, referenceAndBound);
    }

    @Override
    public String toString() {
        return "float32 m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " accumulate="
                + accumulate + " aOff=" + aOff + " lda=" + lda + " bOff=" + bOff + " ldb=" + ldb + " cOff=" + cOff
                + " ldc=" + ldc;
    }
}
