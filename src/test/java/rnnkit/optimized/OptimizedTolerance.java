package rnnkit.optimized;

import java.util.List;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.Tensor;

/**
 * The one place that says how close the optimized path must be to the reference, per dtype.
 *
 * <p>Metric: normwise relative error of a tensor with its scale floored at 1,
 * {@code max_i |a_i - e_i| / max(1, max_i |a_i|, max_i |e_i|)}. Elementwise relative error is meaningless for
 * entries that cancel to nearly zero (a pre-activation x·W + b with |x·W| ≈ |b|, a gradient sum of terms of both
 * signs): rounding errors scale with the magnitude of the summed terms, not of the result. The test data have
 * terms of order 1 (inputs and states in [-1, 1], weights in [-0.6, 0.6]), so the error is measured against
 * the tensor's scale, or against 1 when the whole tensor is smaller than that.
 *
 * <p>float64: the two implementations sum in different orders; each dot product of length n has error at most
 * about n·u with u = 2^-53 ≈ 1.1e-16, so for the test shapes (n ≤ ~40, T ≤ 8 steps) the bound is far below the
 * required {@link #FLOAT64} = 1e-12.
 *
 * <p>float32 ({@code u = 2^-24 ≈ 6e-8}, the reference runs in double on the same float-rounded inputs): per step a
 * pre-activation is a dot product of length n = D + U plus a bias (error ≤ (n+1)·u relative to the sum of |terms|),
 * then an activation rounded once (u) and the cell update (≤ 4 roundings): ≤ (D + U + 8)·u per step. Over T steps
 * with a non-expansive recurrence the errors add: T·(D + U + 8)·u; backward runs the same T steps again through
 * transposed products, doubling it. A factor 4 covers cells whose recurrence is mildly expansive (linear and
 * exponential activations with weights up to 0.6): bound = 8·T·(D + U + 8)·u, with D, U the largest input width
 * and units over the layer's cells.
 */
final class OptimizedTolerance {
    /** float64 normwise relative error bound (issue 4: "~1e-12 relative"). */
    static final double FLOAT64 = 1e-12;
    /** float unit roundoff 2^-24. */
    static final double FLOAT_UNIT_ROUNDOFF = 0x1p-24;

    private OptimizedTolerance() {
    }

    /** The bound for a call in the given dtype. */
    static double bound(LayerCall call, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return FLOAT64;
        }
        int widest = 0;
        int units = 0;
        List<CellSpec> cells = LayerCall.recurrentCells(call.layer());
        int inputDim = call.inputs().rank() == 3 ? call.inputs().dim(2) : 8;
        widest = inputDim;
        for (CellSpec c : cells) {
            units = Math.max(units, c.units());
            widest = Math.max(widest, c.units() * 2); // Bidirectional concat feeds 2U into a following layer
        }
        int time = call.inputs().rank() >= 2 ? call.inputs().dim(1) : 1;
        return 8.0 * time * (widest + units + 8) * FLOAT_UNIT_ROUNDOFF;
    }

    /** Normwise relative error of {@code actual} against {@code expected} (see class comment). */
    static double normwiseRelativeError(Tensor actual, Tensor expected) {
        double[] a = actual.data();
        double[] e = expected.data();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - e[i]));
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(e[i])));
        }
        if (Double.isNaN(diff)) {
            return Double.POSITIVE_INFINITY;
        }
        return diff / Math.max(1, scale);
    }
}
