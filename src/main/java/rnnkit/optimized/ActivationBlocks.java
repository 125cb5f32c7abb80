package rnnkit.optimized;

/**
 * The gate activations every cell applies to whole blocks of pre-activations (sigmoid and tanh: the default
 * recurrent_activation and activation), y[yOff + j] = f(x[xOff + j]) for j in [0, n). Scalar {@code Math.exp}
 * costs 20-40 ns here; the Vector API's lanewise EXP/TANH (Intel SVML intrinsics) costs about 0.3 ns per float,
 * which turns the activations from half of an LSTM step into noise. The vector implementation is used when the
 * {@code jdk.incubator.vector} module is present (and {@code -Drnnkit.optimized.disableVectorApi} is not set);
 * otherwise the scalar one. Results of the two differ by a few ulp (tested); within one JVM a given element always
 * takes the same path (it depends only on the block length and the element's place in it, never on threads).
 */
interface ActivationBlocks {

    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    void sigmoid(double[] x, int xOff, double[] y, int yOff, int n);

    void tanh(double[] x, int xOff, double[] y, int yOff, int n);

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
