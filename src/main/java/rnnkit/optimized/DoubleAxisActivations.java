// FloatAxisActivations.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized;

import rnnkit.model.Activation;

/**
 * Activations of Dense and Activation layers over one row of the last axis (Keras's axis -1), in double precision,
 * written for the optimized path (the reference has its own): element-wise ones through {@link DoubleActivations},
 * and softmax, log_softmax, sparsemax and glu, which need the whole row.
 *
 * <p>A row of {@code n} inputs gives {@code n} outputs ({@code n / 2} for glu). The pull-back is the
 * vector-Jacobian product: {@code dz = J(z)^T dy}.
 */
final class DoubleAxisActivations {
    private DoubleAxisActivations() {
    }

    /** y[yOff ..] = f(z[zOff .. zOff + n]). */
    static void apply(Activation a, double[] z, int zOff, double[] y, int yOff, int n) {
        switch (a) {
            case SOFTMAX: { // exp(z - max) / sum, as TensorFlow's Softmax kernel
                double max = max(z, zOff, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    double e = /*(float)*/ Math.exp(z[zOff + j] - max);
                    y[yOff + j] = e;
                    sum += e;
                }
                for (int j = 0; j < n; j++) {
                    y[yOff + j] /= sum;
                }
                break;
            }
            case LOG_SOFTMAX: { // z - max - log(sum exp(z - max))
                double max = max(z, zOff, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += /*(float)*/ Math.exp(z[zOff + j] - max);
                }
                double log = /*(float)*/ Math.log(sum);
                for (int j = 0; j < n; j++) {
                    y[yOff + j] = z[zOff + j] - max - log;
                }
                break;
            }
            case SPARSEMAX: {
                double tau = sparsemaxThreshold(z, zOff, n, new int[n], new boolean[n]);
                for (int j = 0; j < n; j++) {
                    y[yOff + j] = Math.max(z[zOff + j] - tau, 0);
                }
                break;
            }
            case GLU: { // first half * sigmoid(second half)
                int h = n / 2;
                for (int j = 0; j < h; j++) {
                    y[yOff + j] = z[zOff + j] * DoubleActivations.sigmoid(z[zOff + h + j]);
                }
                break;
            }
            default:
                DoubleActivations.apply(a, z, zOff, y, yOff, n);
        }
    }

    /** dz[dzOff .. dzOff + n] = J(z)^T dy for the row z (n inputs) whose outputs were y. */
    static void pullBack(Activation a, double[] z, int zOff, double[] y, int yOff, double[] dy, int dyOff,
                         double[] dz, int dzOff, int n) {
        switch (a) {
            case SOFTMAX: { // dz = y (dy - <dy, y>)
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += dy[dyOff + j] * y[yOff + j];
                }
                for (int j = 0; j < n; j++) {
                    dz[dzOff + j] = y[yOff + j] * (dy[dyOff + j] - dot);
                }
                break;
            }
            case LOG_SOFTMAX: { // dz = dy - exp(y) sum(dy)
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += dy[dyOff + j];
                }
                for (int j = 0; j < n; j++) {
                    dz[dzOff + j] = dy[dyOff + j] - /*(float)*/ Math.exp(y[yOff + j]) * sum;
                }
                break;
            }
            case SPARSEMAX:
                sparsemaxPullBack(z, zOff, dy, dyOff, dz, dzOff, n);
                break;
            case GLU: { // y = p sigmoid(q): dp = dy s, dq = dy p s (1 - s)
                int h = n / 2;
                for (int j = 0; j < h; j++) {
                    double s = DoubleActivations.sigmoid(z[zOff + h + j]);
                    double g = dy[dyOff + j];
                    dz[dzOff + j] = g * s;
                    dz[dzOff + h + j] = g * z[zOff + j] * s * (1 - s);
                }
                break;
            }
            default:
                DoubleActivations.derivativeTimes(a, dy, dyOff, z, zOff, y, yOff, dz, dzOff, n);
        }
    }

    private static double max(double[] z, int off, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, z[off + j]);
        }
        return m;
    }

    /**
     * Keras 3.15.1's TensorFlow sparsemax threshold: with the row sorted descending (s) and cumulative sums c,
     * support = { k : s_k - (c_k - 1)/k &gt; 0 } and τ = (Σ_{k in support} c_k - 1) / |support|. Fills
     * {@code order} (rank to index; ties keep index order) and {@code support} (by rank).
     */
    private static double sparsemaxThreshold(double[] z, int off, int n, int[] order, boolean[] support) {
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        for (int j = 1; j < n; j++) { // insertion sort of the indices, descending by value
            int idx = order[j];
            int k = j - 1;
            while (k >= 0 && z[off + order[k]] < z[off + idx]) {
                order[k + 1] = order[k];
                k--;
            }
            order[k + 1] = idx;
        }
        double cumsum = 0;
        double supportCumsums = 0;
        int size = 0;
        for (int r = 0; r < n; r++) {
            cumsum += z[off + order[r]];
            support[r] = z[off + order[r]] - (cumsum - 1) / (r + 1) > 0;
            if (support[r]) {
                supportCumsums += cumsum;
                size++;
            }
        }
        return (supportCumsums - 1) / size;
    }

    /** dz_i = dy_i [z_i ≥ τ] - (Σ passed dy) · |{k in support : k ≥ rank(i)}| / |support|. */
    private static void sparsemaxPullBack(double[] z, int zOff, double[] dy, int dyOff, double[] dz, int dzOff, int n) {
        int[] order = new int[n];
        boolean[] support = new boolean[n];
        double tau = sparsemaxThreshold(z, zOff, n, order, support);
        int size = 0;
        for (boolean s : support) {
            size += s ? 1 : 0;
        }
        double passed = 0;
        for (int j = 0; j < n; j++) {
            boolean pass = z[zOff + j] - tau >= 0;
            dz[dzOff + j] = pass ? dy[dyOff + j] : 0;
            passed += pass ? dy[dyOff + j] : 0;
        }
        int later = 0;
        for (int r = n - 1; r >= 0; r--) {
            later += support[r] ? 1 : 0;
            dz[dzOff + order[r]] -= passed * later / size;
        }
    }
}
