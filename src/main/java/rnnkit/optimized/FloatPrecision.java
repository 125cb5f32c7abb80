package rnnkit.optimized;

import rnnkit.model.Tensor;

/**
 * Moving tensors in and out of the float32 kernels: values are rounded to float once on the way in (as Keras
 * float32 layers hold them) and widened exactly on the way out.
 */
final class FloatPrecision {
    private FloatPrecision() {
    }

    /** The tensor's values rounded to float (a new array). */
    static float[] read(Tensor t) {
        double[] d = t.data();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** tanh in float32: {@link GateFunctions#tanh(float)}, the same bits as the vectorized gate blocks. */
    static float tanh(float x) {
        return GateFunctions.tanh(x);
    }

    /** A double tensor holding exactly the float values of {@code a}. */
    static Tensor tensor(float[] a, int... shape) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return Tensor.of(d, shape);
    }
}
