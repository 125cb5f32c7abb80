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
    static double element(DoubleMatrixView a, DoubleMatrixView b, int i, int j, int k, double cOld,
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
    interface DoubleMatrixView {
        double get(int row, int col);
    }

    static DoubleMatrixView view(float[] x, int off, int ld, boolean trans) {
        return trans ? (r, c) -> x[off + c * ld + r] : (r, c) -> x[off + r * ld + c];
    }

    static DoubleMatrixView view(double[] x, int off, int ld, boolean trans) {
        return trans ? (r, c) -> x[off + c * ld + r] : (r, c) -> x[off + r * ld + c];
    }
}
