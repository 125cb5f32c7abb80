package rnnkit.optimized;

/**
 * The gate activations every cell applies to whole blocks of pre-activations (sigmoid and tanh: the default
 * recurrent_activation and activation), y[yOff + j] = f(x[xOff + j]) for j in [0, n).
 *
 * <p>The default is the scalar implementation ({@code Math.exp}, {@code Math.tanh}; 20-40 ns per element here).
 * The Vector API's lanewise EXP/TANH is about 0.3 ns per float, but it is <b>not deterministic within a JVM</b>:
 * once C2 compiles the loop it uses Intel SVML intrinsics, before that a per-lane Java fallback, and the two differ
 * by a few ulp. The same call then gives different bits before and after compilation, which breaks the promise
 * that results are bit-identical for every thread count (ThreadCountInvarianceTest caught it: 1 thread against
 * 1 thread differed on a SimpleRNN/LSTM(256) + GRU stack in float64). So the vector implementation is used only when
 * asked for with {@code -Drnnkit.optimized.vectorActivations=true}, for speed experiments. A vector exp built from
 * plain lane arithmetic (fma, shifts: exact in every JIT tier) would be both fast and deterministic.
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
        ActivationBlocks vector = Boolean.getBoolean("rnnkit.optimized.vectorActivations") ? vectorOrNull() : null;
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
