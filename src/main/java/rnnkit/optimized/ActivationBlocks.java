package rnnkit.optimized;

/**
 * The gate activations every cell applies to whole blocks of pre-activations (sigmoid and tanh: the default
 * recurrent_activation and activation), y[yOff + j] = f(x[xOff + j]) for j in [0, n).
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
