// FloatGemmCase.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One random float64 GEMM problem with offsets and padded leading dimensions: op(A) m×k, op(B) k×n, C m×n. Array
 * elements outside the matrices are NaN in A and B (a kernel reading them poisons its result) and a sentinel in C
 * (a kernel writing them is caught). Without accumulate the initial C inside the matrix is NaN too, so reading it
 * is caught as well.
 */
final class DoubleGemmCase {

    static final double C_GAP_SENTINEL = /*(float)*/ 4242.5;

    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final double[] a;
    final int aOff;
    final int lda;
    final double[] b;
    final int bOff;
    final int ldb;
    final boolean accumulate;
    final int cOff;
    final int ldc;
    private final double[] cInitial;

    DoubleGemmCase(boolean transA, boolean transB, int m, int n, int k, boolean accumulate, SplittableRandom random) {
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
        this.a = matrix(aRows, aCols, aOff, lda, Double.NaN, random);
        this.b = matrix(bRows, bCols, bOff, ldb, Double.NaN, random);
        this.cInitial = matrix(m, n, cOff, ldc, C_GAP_SENTINEL, random);
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(cInitial, cOff + i * ldc, cOff + i * ldc + n, Double.NaN);
            }
        }
    }

    /** Values uniform in [-1, 1) inside the matrix, {@code gap} elsewhere (offset, padding, tail). */
    private static double[] matrix(int rows, int cols, int off, int ld, double gap, SplittableRandom random) {
        double[] x = new double[off + Math.max(0, rows * ld) + random.nextInt(3)];
        Arrays.fill(x, gap);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                x[off + r * ld + c] = /*(float)*/ (2 * random./**/nextDouble() - 1);
            }
        }
        return x;
    }

    double[] freshC() {
        return cInitial.clone();
    }

    /** Runs the unpacked product on {@code gemm} into a fresh C and returns it. */
    double[] run(Gemm gemm) {
        double[] c = freshC();
        gemm.dgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
        return c;
    }

    /** Runs the product with B prepacked by {@code gemm} into a fresh C and returns it. */
    double[] runPacked(Gemm gemm) {
        PackedDoubleMatrix packed = gemm.packB(transB, k, n, b, bOff, ldb);
        double[] c = freshC();
        gemm.dgemmPackedB(transA, m, a, aOff, lda, packed, accumulate, c, cOff, ldc);
        return c;
    }

    /**
     * Runs the product with A packed once ({@code packA}, into an operand packed before for another shape, to
     * exercise reuse) and B prepacked, C computed in column ranges of {@code piece} columns (rounded up to the
     * Gemm's column alignment) from the last range to the first.
     */
    double[] runPackedAB(Gemm gemm, int piece) {
        PackedDoubleMatrix packed = gemm.packB(transB, k, n, b, bOff, ldb);
        PackedDoubleRows earlier = gemm.packA(false, 3, 5, new double[15], 0, 5, null);
        PackedDoubleRows rows = gemm.packA(transA, m, k, a, aOff, lda, earlier);
        int align = gemm.packedColumnAlign();
        int width = Math.max(align, (piece + align - 1) / align * align);
        double[] c = freshC();
        for (int j0 = (n - 1) / width * width; j0 >= 0; j0 -= width) {
            gemm.dgemmPackedAB(rows, packed, j0, Math.min(n, j0 + width), accumulate, c, cOff, ldc);
        }
        return c;
    }

    /** The exact values of C after the product and their error bounds, row-major m×n: {exact, bound}. */
    /**/double[][] referenceAndBound() {
        return GemmReference.referenceAndBound(GemmReference.view(a, aOff, lda, transA),
                GemmReference.view(b, bOff, ldb, transB),
                accumulate ? GemmReference.view(cInitial, cOff, ldc, false) : null, m, n, k, GemmReference.DOUBLE_EPS,
                Double.MIN_NORMAL);
    }

    /** Null when {@code c} is within bound everywhere and untouched outside the matrix, else what is wrong. */
    String mismatch(double[] c, /**/double[][] referenceAndBound) {
        return GemmReference.mismatch(x -> c[x], c.length, m, n, cOff, ldc, C_GAP_SENTINEL, referenceAndBound);
    }

    @Override
    public String toString() {
        return "float64 m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " accumulate="
                + accumulate + " aOff=" + aOff + " lda=" + lda + " bOff=" + bOff + " ldb=" + ldb + " cOff=" + cOff
                + " ldc=" + ldc;
    }
}
