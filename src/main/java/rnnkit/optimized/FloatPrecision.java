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
        narrow(d, f, 0, d.length);
        return f;
    }

    /** tanh in float32: {@link GateFunctions#tanh(float)}, the same bits as the vectorized gate blocks. */
    static float tanh(float x) {
        return GateFunctions.tanh(x);
    }

    /** Below this many elements a conversion runs on the calling thread. */
    private static final int PARALLEL_CONVERSION_MIN = 1 << 16;

    /**
     * {@link #read(Tensor)} split over the runner's threads for large tensors (weights): element-wise, so the split
     * changes nothing but the time.
     */
    static float[] read(Tensor t, ParallelRunner runner) {
        double[] d = t.data();
        float[] f = new float[d.length];
        narrow(d, f, runner);
        return f;
    }

    /** As {@link #read(Tensor, ParallelRunner)}, which already makes a new array (prepared weights). */
    static float[] copy(Tensor t, ParallelRunner runner) {
        return read(t, runner);
    }

    /** {@link #read(Tensor, ParallelRunner)} into an array of the call's workspace (inputs, cotangents). */
    static float[] read(Tensor t, ParallelRunner runner, Workspace ws) {
        double[] d = t.data();
        float[] f = ws.floatsToOverwrite(d.length);
        narrow(d, f, runner);
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
        double[] d = new double[a.length];
        if (a.length < PARALLEL_CONVERSION_MIN || runner.threads() == 1) {
            widen(a, d, 0, a.length);
        } else {
            runner.forRange(a.length, PARALLEL_CONVERSION_MIN / 4, 16, (from, to) -> widen(a, d, from, to));
        }
        return Tensor.of(d, shape);
    }

    /** A double tensor holding exactly the float values of {@code a}. */
    static Tensor tensor(float[] a, int... shape) {
        double[] d = new double[a.length];
        widen(a, d, 0, a.length);
        return Tensor.of(d, shape);
    }

    /** f = (float) d, on the runner's threads when large. */
    private static void narrow(double[] d, float[] f, ParallelRunner runner) {
        if (d.length < PARALLEL_CONVERSION_MIN || runner.threads() == 1) {
            narrow(d, f, 0, d.length);
        } else {
            runner.forRange(d.length, PARALLEL_CONVERSION_MIN / 4, 16, (from, to) -> narrow(d, f, from, to));
        }
    }

    private static void narrow(double[] d, float[] f, int from, int to) {
        for (int i = from; i < to; i++) {
            f[i] = (float) d[i];
        }
    }

    private static void widen(float[] a, double[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            d[i] = a[i];
        }
    }
}
