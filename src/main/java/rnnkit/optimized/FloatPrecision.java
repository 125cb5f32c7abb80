package rnnkit.optimized;

import rnnkit.model.Tensor;
import rnnkit.optimized.parallel.ParallelRunner;

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

    /** Below this many elements a conversion runs on the calling thread. */
    private static final int PARALLEL_CONVERSION_MIN = 1 << 16;

    /**
     * {@link #read(Tensor)} split over the runner's threads for large tensors (inputs, weights): element-wise, so
     * the split changes nothing but the time.
     */
    static float[] read(Tensor t, ParallelRunner runner) {
        double[] d = t.data();
        if (d.length < PARALLEL_CONVERSION_MIN || runner.threads() == 1) {
            return read(t);
        }
        float[] f = new float[d.length];
        runner.forRange(d.length, PARALLEL_CONVERSION_MIN / 4, 16, (from, to) -> {
            for (int i = from; i < to; i++) {
                f[i] = (float) d[i];
            }
        });
        return f;
    }

    /** {@link #read(Tensor, ParallelRunner)} into an array of the call's workspace. */
    static float[] read(Tensor t, ParallelRunner runner, Workspace ws) {
        double[] d = t.data();
        float[] f = ws.floatsToOverwrite(d.length);
        if (d.length < PARALLEL_CONVERSION_MIN || runner.threads() == 1) {
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        runner.forRange(d.length, PARALLEL_CONVERSION_MIN / 4, 16, (from, to) -> {
            for (int i = from; i < to; i++) {
                f[i] = (float) d[i];
            }
        });
        return f;
    }

    /**
     * A zero-filled array for values that may become a returned tensor: from the workspace, because float32
     * results are converted to new double arrays before they leave the call.
     */
    static float[] resultBuffer(Workspace ws, int n) {
        return ws.floats(n);
    }

    /** As {@link #resultBuffer}: float32 gradients are converted before they leave the call. */
    static float[] gradientBuffer(Workspace ws, int n) {
        return ws.floats(n);
    }

    /** {@link #tensor(float[], int...)} split over the runner's threads for large arrays (outputs). */
    static Tensor tensor(float[] a, ParallelRunner runner, int... shape) {
        if (a.length < PARALLEL_CONVERSION_MIN || runner.threads() == 1) {
            return tensor(a, shape);
        }
        double[] d = new double[a.length];
        runner.forRange(a.length, PARALLEL_CONVERSION_MIN / 4, 16, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = a[i];
            }
        });
        return Tensor.of(d, shape);
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
