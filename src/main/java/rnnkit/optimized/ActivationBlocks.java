package rnnkit.optimized;

/**
 * The gate activations every cell applies to whole blocks of pre-activations (sigmoid and tanh: the default
 * recurrent_activation and activation), y[yOff + j] = f(x[xOff + j]) for j in [0, n), and the element-wise sums and
 * products of a cell's epilogue (bias sums, state updates). The arrays of one call may be the same array at
 * non-overlapping ranges (C2 cannot vectorize such loops on its own: it cannot prove they do not overlap).
 *
 * <p>Both implementations compute {@link GateFunctions}, bit for bit: the Vector API one by default (about 20
 * times faster than one element at a time), the scalar one without the jdk.incubator.vector module or with
 * {@code -Drnnkit.optimized.disableVectorApi=true}. (The Vector API's own lanewise EXP/TANH is not used: its bits
 * change when C2 compiles the loop and switches to Intel SVML, which broke the promise that results are
 * bit-identical for every thread count; ThreadCountInvarianceTest caught it.)
 */
interface ActivationBlocks {

    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    void sigmoid(double[] x, int xOff, double[] y, int yOff, int n);

    void tanh(double[] x, int xOff, double[] y, int yOff, int n);

    /** y[yOff + j] += a[aOff + j] + b[bOff + j] for j in [0, n) (a + b first, then added to y). */
    void addSum(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff + j] += a[aOff + j] for j in [0, n). */
    void add(float[] y, int yOff, float[] a, int aOff, int n);

    /** y[yOff + j] = a[aOff + j]·b[bOff + j] + c[cOff + j]·d[dOff + j] for j in [0, n) (two products, their sum). */
    void mulAddMul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d, int dOff,
                   int n);

    /** y[yOff + j] = a[aOff + j]·b[bOff + j] for j in [0, n). */
    void mul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff + j] += a[aOff + j] + b[bOff + j] for j in [0, n) (a + b first, then added to y). */
    void addSum(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n);

    /** y[yOff + j] += a[aOff + j] for j in [0, n). */
    void add(double[] y, int yOff, double[] a, int aOff, int n);

    /** y[yOff + j] = a[aOff + j]·b[bOff + j] + c[cOff + j]·d[dOff + j] for j in [0, n) (two products, their sum). */
    void mulAddMul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, double[] d, int dOff,
                   int n);

    /** y[yOff + j] = a[aOff + j]·b[bOff + j] for j in [0, n). */
    void mul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n);

    /** y[yOff + j] += a[aOff + j]·b[bOff + j] for j in [0, n) (the product, then added to y). */
    void addMul(float[] y, int yOff, float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff + j] = z[zOff + j]·a[aOff + j] + (1 - z[zOff + j])·b[bOff + j] for j in [0, n) (GRU's h_t). */
    void interpolate(float[] y, int yOff, float[] z, int zOff, float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff + j] += a[aOff + j]·b[bOff + j] for j in [0, n) (the product, then added to y). */
    void addMul(double[] y, int yOff, double[] a, int aOff, double[] b, int bOff, int n);

    /** y[yOff + j] = z[zOff + j]·a[aOff + j] + (1 - z[zOff + j])·b[bOff + j] for j in [0, n) (GRU's h_t). */
    void interpolate(double[] y, int yOff, double[] z, int zOff, double[] a, int aOff, double[] b, int bOff, int n);

    String name();

    /** The implementation the kernels use. */
    ActivationBlocks SELECTED = select();

    private static ActivationBlocks select() {
        ActivationBlocks vector = vectorOrNull();
        return vector != null ? vector : new ScalarActivationBlocks();
    }

    /** The Vector API implementation, or null when the module is absent or disabled. */
    static ActivationBlocks vectorOrNull() {
        if (Boolean.getBoolean("rnnkit.optimized.disableVectorApi")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (ActivationBlocks) Class.forName("rnnkit.optimized.VectorActivationBlocks")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
