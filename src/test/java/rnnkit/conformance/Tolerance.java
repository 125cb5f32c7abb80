package rnnkit.conformance;

import rnnkit.golden.GoldenCase;
import rnnkit.golden.GoldenCall;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * The one place that says how close an implementation must come to the golden Keras values.
 *
 * <h2>Error measure</h2>
 * For an expected array e and an actual array a, each element's error is
 * {@code |a_i - e_i| / max(|e_i|, rms(e), floor)}: relative where the element is of the array's typical size, and
 * relative to the array's scale (rms) where the element is near zero (a value that is a difference of large
 * terms cannot be known to better than the scale of those terms). If the denominator is 0 the absolute error is
 * used. A quantity passes when its worst element error is at most {@link #of}.
 *
 * <p>The floor is 0 for outputs and states (their values are of order 1). For gradients it is the rms of the
 * call's cotangents: every gradient is the cotangent pulled back through factors such as {@code 1 - tanh(z)^2}
 * and {@code s(1-s)}, which both Keras and the reference compute from the activation's output; when the unit
 * saturates (|z| ~ 50) that factor is a difference of two numbers near 1 and carries an <em>absolute</em> error of
 * about eps, not a relative one. The whole gradient array can then be 1e-20 while its absolute error is
 * eps · |cotangent| — an array-relative measure would fail two correct implementations
 * (simple_rnn/saturating_inputs_initial_state__float64 did, with an absolute error of 3e-23).
 *
 * <h2>Tolerance = c(quantity) · eps(dtype) · n(case)</h2>
 * <ul>
 * <li><b>eps</b> is the unit roundoff of the dtype Keras computed in: 2^-24 ≈ 6.0e-8 (float32) and
 * 2^-53 ≈ 1.1e-16 (float64). The reference computes in double from the same (float32-exact) inputs, so for float32
 * cases the difference is Keras's own float32 rounding; for float64 cases it is two double-precision evaluations
 * in different orders.</li>
 * <li><b>n</b> is the accumulation depth of the case: {@code T · (D + U + B)} summed over the calls of a
 * stateful case, with T the sequence length, D + U the longest dot product of one step (input width plus units of
 * the widest cell; a Dense layer's input width) and B the batch.
 * One step computes dot products of length D + U (error bound γ_{D+U} ≈ (D+U)·eps, Higham §3.1); the recurrence
 * carries each step's error into the next with a Jacobian of norm about 1 or less (bounded activations, weights
 * of order 0.5), so the bounds add up over T steps; the weight gradients additionally sum B·T per-step
 * contributions (γ_{B·T}).</li>
 * <li><b>c</b> counts the extra roundings per element on top of the dot products: a forward step adds a few
 * elementwise operations and one or two transcendental functions (each within 1–2 ulps in both libm and
 * Eigen): c = 8 for outputs and states. The backward pass runs the forward chain, then an equally long chain of
 * products of derivatives and sums: c = 32 for gradients (four times the forward constant).</li>
 * </ul>
 * These are worst-case rounding bounds, so they are loose for typical cases (measured errors are reported next
 * to them); they are not tuned to the corpus. They do not cover chaotic dynamics (an exponentially expanding
 * recurrence amplifies rounding by its Lyapunov factor); no such case is in the corpus, and if one is added it must
 * bring its own justified tolerance here.
 *
 * <p>A floor of 4 ulps keeps tiny cases (T = 1, units = 1) from demanding better than the last-bit agreement of
 * two correctly implemented transcendental functions.
 */
public final class Tolerance {

    /** The quantities compared per call. */
    public enum Quantity {
        OUTPUTS("outputs", 8),
        STATES("states", 8),
        GRAD_INPUTS("d/d inputs", 32),
        GRAD_WEIGHTS("d/d weights", 32),
        GRAD_INITIAL_STATES("d/d initial states", 32);

        private final String label;
        private final double roundingsPerElement;

        Quantity(String label, double roundingsPerElement) {
            this.label = label;
            this.roundingsPerElement = roundingsPerElement;
        }

        public String label() {
            return label;
        }
    }

    /** Unit roundoff 2^-24 (float32) and 2^-53 (float64). */
    public static double unitRoundoff(DType dtype) {
        return dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
    }

    /** Floor of the accumulation depth: 4 ulps of agreement for the smallest problems. */
    private static final double MIN_DEPTH = 4.0 / 8.0;

    private Tolerance() {
    }

    /** The allowed worst element error (measure above) of {@code q} for the whole golden case. */
    public static double of(Quantity q, GoldenCase c) {
        return q.roundingsPerElement * unitRoundoff(c.dtype()) * Math.max(MIN_DEPTH, depth(c));
    }

    /** n(case) = Σ over calls of T · (longest dot product + B); the longest dot product is D + U of the widest cell. */
    public static double depth(GoldenCase c) {
        double n = 0;
        for (GoldenCall call : c.calls()) {
            LayerCall lc = call.call();
            int inputDim = lc.inputs().rank() == 3 ? lc.inputs().dim(2) : 0;
            n += (double) lc.time() * (longestDotProduct(lc.layer(), inputDim) + lc.batch());
        }
        return n;
    }

    /** The longest dot product one step computes: D + U over the cells (a Dense layer: its input width). */
    static int longestDotProduct(LayerSpec layer, int inputDim) {
        if (layer instanceof RnnLayerSpec r) {
            int m = 0;
            for (int i = 0; i < r.cells().size(); i++) {
                m = Math.max(m, r.cellInputDim(i, inputDim) + r.cells().get(i).units());
            }
            return m;
        }
        if (layer instanceof BidirectionalSpec b) {
            return longestDotProduct(b.forward(), inputDim);
        }
        if (layer instanceof DenseSpec) {
            return inputDim;
        }
        if (layer instanceof SequentialSpec s) {
            int m = 0;
            for (int i = 0; i < s.layers().size(); i++) {
                m = Math.max(m, longestDotProduct(s.layers().get(i), s.layerInputDim(i)));
            }
            return m;
        }
        return 0; // Embedding: a lookup, no arithmetic
    }

    /**
     * Worst element error of {@code actual} against {@code expected} by the measure above, or +infinity if the
     * shapes differ or a value is not finite.
     */
    public static double worstError(Tensor expected, Tensor actual) {
        return worstError(expected, actual, 0);
    }

    /** As {@link #worstError(Tensor, Tensor)} with a floor under the denominator (see the class comment). */
    public static double worstError(Tensor expected, Tensor actual, double floor) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double[] e = expected.data();
        double[] a = actual.data();
        double ss = 0;
        for (double v : e) {
            ss += v * v;
        }
        double rms = e.length == 0 ? 0 : Math.sqrt(ss / e.length);
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            if (!Double.isFinite(a[i])) {
                return Double.POSITIVE_INFINITY;
            }
            double scale = Math.max(Math.max(Math.abs(e[i]), rms), floor);
            double err = scale == 0 ? d : d / scale;
            worst = Math.max(worst, err);
        }
        return worst;
    }

    /** The denominator floor for gradients of one call: the rms over all its cotangent arrays. */
    public static double gradientFloor(java.util.List<Tensor> cotangents) {
        double ss = 0;
        long n = 0;
        for (Tensor t : cotangents) {
            for (double v : t.data()) {
                ss += v * v;
            }
            n += t.size();
        }
        return n == 0 ? 0 : Math.sqrt(ss / n);
    }

    /** Largest absolute difference, or +infinity if the shapes differ. */
    public static double worstAbsolute(Tensor expected, Tensor actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            double d = Math.abs(actual.data()[i] - expected.data()[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }
}
