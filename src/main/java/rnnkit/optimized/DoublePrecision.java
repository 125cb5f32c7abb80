package rnnkit.optimized;

import rnnkit.model.Tensor;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * Moving tensors in and out of the float64 kernels. Hand-written twin of {@link FloatPrecision}: the generated
 * Float* classes call {@code FloatPrecision} wherever the Double* classes call this one.
 */
final class DoublePrecision {
    private DoublePrecision() {
    }

    /** The tensor's values as a read-only working array (float64: the backing array itself, never written). */
    static double[] read(Tensor t) {
        return t.data();
    }

    /** tanh in float64: {@link GateFunctions#tanh(double)}, the same bits as the vectorized gate blocks. */
    static double tanh(double x) {
        return GateFunctions.tanh(x);
    }

    /** As {@link #read(Tensor)}: nothing to convert in float64 (the float32 twin splits its conversion over threads). */
    static double[] read(Tensor t, ParallelRunner runner) {
        return t.data();
    }

    /** As {@link #tensor(double[], int...)} (the float32 twin splits its conversion over threads). */
    static Tensor tensor(double[] a, ParallelRunner runner, int... shape) {
        return Tensor.of(a, shape);
    }

    /** A copy of the tensor's values that later changes to the tensor do not reach (prepared weights). */
    static double[] copy(Tensor t, ParallelRunner runner) {
        return t.data().clone();
    }

    /** As {@link #read(Tensor)}: the backing array itself. */
    static double[] read(Tensor t, ParallelRunner runner, Workspace ws) {
        return t.data();
    }

    /**
     * A zero-filled array for forward values (layer outputs) that become a returned tensor (a copy-free view in
     * float64) when the pass is a forward call: new then, from the workspace in a backward call, which returns only
     * gradients. (The float32 twin always uses the workspace: float32 results are converted to new arrays.)
     */
    static double[] resultBuffer(Workspace ws, int n) {
        return ws.resultsLeaveTheCall() ? new double[n] : ws.doubles(n);
    }

    /** A zero-filled array for a gradient that may be returned (the input gradient): always new in float64. */
    static double[] gradientBuffer(Workspace ws, int n) {
        return new double[n];
    }

    /** A tensor holding a copy-free view of {@code a} (the caller gives up the array). */
    static Tensor tensor(double[] a, int... shape) {
        return Tensor.of(a, shape);
    }
}
