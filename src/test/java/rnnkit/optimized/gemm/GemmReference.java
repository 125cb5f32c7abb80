package rnnkit.optimized.gemm;

/**
 * The test oracle for GEMM: every C element computed in double with error-free products (TwoProduct via fma)
 * and compensated (Neumaier) summation, so its own error is far below any bound we check; plus the error bound
 * every implementation must meet. This is the one place that states the tolerance.
 *
 * <p>Bound for one element with k terms: |c − exact| ≤ (k + 2)·eps·(Σ_p |a_ip·b_pj| + |c_old|) + tiny, with eps the
 * unit roundoff ×2 of the precision (Math.ulp(1)): any order of k−1 additions plus the k product roundings (or
 * k fma roundings) and the final add into C stays within k·eps·Σ|terms| (Higham, Accuracy and Stability, §3.1).
 * tiny = 8·MIN_NORMAL absorbs underflow of products of small operands.
 */
final class GemmReference {

    static final double FLOAT_EPS = Math.ulp(1f);
    static final double DOUBLE_EPS = Math.ulp(1d);

    private GemmReference() {
    }

    /** exact ≈ Σ_p a(i,p)·b(p,j) (+ cOld); also fills {@code magnitude[0]} with Σ|a·b| + |cOld|. */
    static double element(MatrixView a, MatrixView b, int i, int j, int k, double cOld,
                          double[] magnitude) {
        double sum = cOld;
        double compensation = 0;
        double mag = Math.abs(cOld);
        for (int p = 0; p < k; p++) {
            double x = a.get(i, p);
            double y = b.get(p, j);
            double prod = x * y;
            double prodError = Math.fma(x, y, -prod);
            mag += Math.abs(prod);
            double t = sum + prod;
            compensation += Math.abs(sum) >= Math.abs(prod) ? (sum - t) + prod : (prod - t) + sum;
            sum = t;
            compensation += prodError;
        }
        magnitude[0] = mag;
        return sum + compensation;
    }

    static double bound(int k, double magnitude, double eps, double minNormal) {
        return (k + 2) * eps * magnitude + 8 * minNormal;
    }

    /** Element (i, j) of op(X) stored row-major at off with leading dimension ld, read as double. */
    interface MatrixView {
        double get(int row, int col);
    }

    static MatrixView view(float[] x, int off, int ld, boolean trans) {
        return trans ? (r, c) -> x[off + c * ld + r] : (r, c) -> x[off + r * ld + c];
    }

    static MatrixView view(double[] x, int off, int ld, boolean trans) {
        return trans ? (r, c) -> x[off + c * ld + r] : (r, c) -> x[off + r * ld + c];
    }

    /**
     * The exact values of C = op(A)·op(B) (+ C_old when {@code cOld} is not null), m×n row-major, and their error
     * bounds: {@code {exact, bound}}.
     */
    static double[][] referenceAndBound(MatrixView a, MatrixView b, MatrixView cOld, int m, int n, int k,
                                        double eps, double minNormal) {
        double[] exact = new double[m * n];
        double[] bound = new double[m * n];
        double[] magnitude = new double[1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                exact[i * n + j] = element(a, b, i, j, k, cOld == null ? 0 : cOld.get(i, j), magnitude);
                bound[i * n + j] = bound(k, magnitude[0], eps, minNormal);
            }
        }
        return new double[][] {exact, bound};
    }

    /** The elements of one result array C, read as double. */
    interface ArrayView {
        double get(int index);
    }

    /**
     * Null when C (m×n at {@code cOff}, leading dimension {@code ldc}, {@code length} elements) is within bound
     * everywhere and still holds {@code gapSentinel} outside the matrix; else what is wrong.
     */
    static String mismatch(ArrayView c, int length, int m, int n, int cOff, int ldc, double gapSentinel,
                           double[][] referenceAndBound) {
        for (int x = 0; x < length; x++) {
            int rel = x - cOff;
            int i = rel < 0 ? -1 : rel / Math.max(1, ldc);
            int j = rel < 0 ? -1 : rel % Math.max(1, ldc);
            boolean inside = rel >= 0 && i < m && j < n;
            if (!inside) {
                if (Double.compare(c.get(x), gapSentinel) != 0) {
                    return "wrote C[" + x + "] outside the matrix: " + c.get(x);
                }
                continue;
            }
            double exact = referenceAndBound[0][i * n + j];
            double bound = referenceAndBound[1][i * n + j];
            double error = Math.abs(c.get(x) - exact);
            if (!(error <= bound)) {
                return "C(" + i + "," + j + ") = " + c.get(x) + ", exact " + exact + ", error " + error + " > bound "
                        + bound;
            }
        }
        return null;
    }
}
