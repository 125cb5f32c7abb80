package rnnkit.conformance;

import java.util.List;
import rnnkit.golden.GoldenCall;
import rnnkit.golden.GoldenCase;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.DenseSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerSpec;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * The one place that says how close two answers must be, for every comparison rnnkit makes. Three kinds:
 * <ol>
 * <li><b>Against real Keras</b> (golden corpus, kit runs): {@link #of(Quantity, DType, List)}, derived below.</li>
 * <li><b>Optimized against reference</b> (property tests): {@link #agreementBound(LayerCall, DType)}.</li>
 * <li><b>Within one implementation</b> (finite differences, re-associated sums, saturated gates, exact
 * carry-over): the named instances of this record, {@code |a - e| <= absolute + relative * max(|a|, |e|)}.</li>
 * </ol>
 *
 * <h2>1. Against real Keras</h2>

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
 
 * <h2>2. Optimized against reference</h2>

 * <p>Metric: normwise relative error of a tensor with its scale floored at 1,
 * {@code max_i |a_i - e_i| / max(1, max_i |a_i|, max_i |e_i|)}. Elementwise relative error is meaningless for
 * entries that cancel to nearly zero (a pre-activation x·W + b with |x·W| ≈ |b|, a gradient sum of terms of both
 * signs): rounding errors scale with the magnitude of the summed terms, not of the result. The test data have
 * terms of order 1 (inputs and states in [-1, 1], weights in [-0.6, 0.6]), so the error is measured against
 * the tensor's scale, or against 1 when the whole tensor is smaller than that.
 *
 * <p>float64: the two implementations sum in different orders; each dot product of length n has error at most
 * about n·u with u = 2^-53 ≈ 1.1e-16, so for the test shapes (n ≤ ~40, T ≤ 8 steps) the bound is far below the
 * required {@link #AGREEMENT_FLOAT64} = 1e-12.
 *
 * <p>float32 ({@code u = 2^-24 ≈ 6e-8}, the reference runs in double on the same float-rounded inputs): per step a
 * pre-activation is a dot product of length n = D + U plus a bias (error ≤ (n+1)·u relative to the sum of |terms|),
 * then an activation rounded once (u) and the cell update (≤ 4 roundings): ≤ (D + U + 8)·u per step. Over T steps
 * with a non-expansive recurrence the errors add: T·(D + U + 8)·u; backward runs the same T steps again through
 * transposed products, doubling it. A factor 4 covers cells whose recurrence is mildly expansive (linear and
 * exponential activations with weights up to 0.6): bound = 8·T·(D + U + 8)·u, with D, U the largest input width
 * and units over the layer's cells.
 
 * <h2>4. Training trajectories against Keras</h2>
 * A replayed training run ({@link #trajectoryWeights}, {@link #trajectoryLoss}) starts from Keras's exact initial
 * weights; every step computes the loss gradient of one call (the logits model on one batch) and applies the
 * optimizer, in the case's dtype as Keras does. With n = {@link #depth} of that call:
 * <ul>
 * <li>the step's weight gradients are within τ_g = {@code of(GRAD_WEIGHTS)} = 32·eps·n of Keras's (the bound of
 * section 1, against the gradient's scale);</li>
 * <li>the update moves each weight by at most its scale (SGD: lr·|g| with lr = 0.01 and gradients of order 1 or less;
 * Adam: lr·|m̂|/(√v̂ + ε) ≲ 3·lr = 0.003), and its relative error is that of the gradient (SGD), or of the ratio of
 * m̂ and √v̂ (Adam: at most twice it where |g| ≫ ε; Adam is blind to a common scale of g), so one step adds at most
 * τ_g of the weight scale; the optimizer's own roundings add {@code OPTIMIZER_ROUNDINGS} = 12 eps (Adam's eight
 * operations on m, v and w and its step constants; SGD has two);</li>
 * <li>errors of earlier steps reach later gradients through the loss's Hessian, times lr per step; for the
 * 20 steps of the recorded runs lr·‖H‖·k stays well below 1, so the contributions add instead of multiplying:</li>
 * </ul>
 * weights after k steps: {@code k · (τ_g + 12·eps)}; loss at step k (computed at the weights after k - 1 steps):
 * {@code of(OUTPUTS) + (k - 1) · (τ_g + 12·eps)} relative. These are bounds, loose by the same factors as section 1,
 * and they grow linearly with the step; what they catch that single calls cannot is anything that depends on the
 * weights changing between calls (a cache of earlier weights is off by a whole update at step 2). Adam's update of a
 * weight whose gradient is below ε ≈ 1e-7 amplifies that gradient's absolute error by up to lr/ε; the bound assumes
 * such gradients are rare, and the report shows the measured errors next to it.
 *
 * <h2>3. Within one implementation</h2>
 * The named instances below; each states why its numbers are what they are.
 */
public record Tolerance(double relative, double absolute) {


    /**
     * Analytic gradient against a central finite difference in float64 with step {@link #FINITE_DIFFERENCE_STEP}:
     * truncation error ~h^2/24 f''' (about 1e-13) plus round-off ~eps*|loss|/h (about 1e-9 for losses of order 10).
     * A wrong gradient (a dropped term, a sign, a swapped gate) is off by 1e-3 or more.
     */
    public static final Tolerance FINITE_DIFFERENCE_FLOAT64 = new Tolerance(1e-6, 2e-8);

    /** Step of the central finite difference: small, so that kinks (relu at 0, clip edges) are rarely straddled. */
    public static final double FINITE_DIFFERENCE_STEP = 1e-6;

    /**
     * Two float64 computations of the same quantity that differ only in association order (a merged Bidirectional
     * against its halves, a stacked layer against successive calls, a linear combination of backward passes).
     */
    public static final Tolerance REASSOCIATED_FLOAT64 = new Tolerance(1e-10, 1e-12);

    /**
     * A gate saturated by a bias of +-40: sigmoid(40) rounds to exactly 1.0, sigmoid(-40) is about 4e-18, so a state
     * meant to stay constant moves by at most a few units in the last place of values near 1e-2.
     */
    public static final Tolerance SATURATED_GATE = new Tolerance(0, 1e-15);

    /** Results that must be bit-identical (same arithmetic on the same numbers, e.g. masked steps carried over). */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public Tolerance {
        if (!(relative >= 0) || !(absolute >= 0)) {
            throw new IllegalArgumentException("tolerance needs non-negative relative and absolute parts, got "
                    + relative + ", " + absolute);
        }
    }

    /** True if {@code actual} is within this tolerance of {@code expected}; NaN is never close. */
    public boolean accepts(double actual, double expected) {
        if (Double.isNaN(actual) || Double.isNaN(expected)) {
            return false;
        }
        if (actual == expected) {
            return true;
        }
        return Math.abs(actual - expected) <= absolute + relative * Math.max(Math.abs(actual), Math.abs(expected));
    }

    /** How many times the allowed error {@code |actual - expected|} is (0 = equal, above 1 = rejected). */
    public double errorRatio(double actual, double expected) {
        if (Double.isNaN(actual) || Double.isNaN(expected)) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = Math.abs(actual - expected);
        if (diff == 0) {
            return 0;
        }
        double allowed = absolute + relative * Math.max(Math.abs(actual), Math.abs(expected));
        return allowed == 0 ? Double.POSITIVE_INFINITY : diff / allowed;
    }

    @Override
    public String toString() {
        return "Tolerance(relative " + relative + ", absolute " + absolute + ")";
    }



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


    /** The allowed worst element error (measure above) of {@code q} for the whole golden case. */
    public static double of(Quantity q, GoldenCase c) {
        List<LayerCall> calls = new java.util.ArrayList<>();
        for (GoldenCall call : c.calls()) {
            calls.add(call.call());
        }
        return of(q, c.dtype(), calls);
    }

    /** The allowed worst element error of {@code q} for a case made of {@code calls} whose expected values Keras computed in {@code dtype}. */
    public static double of(Quantity q, DType dtype, List<LayerCall> calls) {
        return q.roundingsPerElement * unitRoundoff(dtype) * Math.max(MIN_DEPTH, depth(calls));
    }

    /**
     * Allowed relative error of the loss at step {@code step} (1-based) of a replayed training run; see
     * {@link #trajectoryWeights} for the derivation.
     */
    public static double trajectoryLoss(DType dtype, LayerCall stepCall, int step) {
        return of(Quantity.OUTPUTS, dtype, List.of(stepCall)) + trajectoryWeights(dtype, stepCall, step - 1);
    }

    /**
     * Allowed worst element error (the measure of {@link #worstError}) of the weights after {@code step} optimizer
     * steps of a replayed training run whose every step is the call {@code stepCall}.
     */
    public static double trajectoryWeights(DType dtype, LayerCall stepCall, int step) {
        return step * (of(Quantity.GRAD_WEIGHTS, dtype, List.of(stepCall)) + OPTIMIZER_ROUNDINGS * unitRoundoff(dtype));
    }

    /** Roundings of one optimizer step per weight (Adam: 8 operations on m, v and w, plus its step constants). */
    static final double OPTIMIZER_ROUNDINGS = 12;

    /** n(case) = Σ over calls of T · (longest dot product + B); the longest dot product is D + U of the widest cell. */
    public static double depth(List<LayerCall> calls) {
        double n = 0;
        for (LayerCall lc : calls) {
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
        return max(elementErrors(expected, actual, floor));
    }

    /**
     * Each element's error by the measure above ({@link #worstError(Tensor, Tensor, double)} is their maximum);
     * +infinity where the actual value is not finite. The shapes must be equal.
     */
    public static double[] elementErrors(Tensor expected, Tensor actual, double floor) {
        double[] e = expected.data();
        double[] a = actual.data();
        double ss = 0;
        for (double v : e) {
            ss += v * v;
        }
        double rms = e.length == 0 ? 0 : Math.sqrt(ss / e.length);
        double[] err = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            double scale = Math.max(Math.max(Math.abs(e[i]), rms), floor);
            err[i] = !Double.isFinite(a[i]) ? Double.POSITIVE_INFINITY : scale == 0 ? d : d / scale;
        }
        return err;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Double.isNaN(x) ? Double.POSITIVE_INFINITY : Math.max(m, x);
        }
        return m;
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


    /** float64 normwise relative error bound: ~1e-12 relative. */
    public static final double AGREEMENT_FLOAT64 = 1e-12;


    /** The agreement bound (normwise relative error, see above) for a call computed in the given dtype. */
    public static double agreementBound(LayerCall call, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return AGREEMENT_FLOAT64;
        }
        int units = 0;
        List<CellSpec> cells = LayerCall.recurrentCells(call.layer());
        int inputDim = call.inputs().rank() == 3 ? call.inputs().dim(2) : (call.inputs().rank() == 2 ? call.inputs().dim(1) : 1);
        int widest = inputDim;
        for (int d : LayerCall.recurrentCellInputDims(call.layer(), inputDim)) {
            widest = Math.max(widest, d);
        }
        for (CellSpec c : cells) {
            units = Math.max(units, c.units());
            widest = Math.max(widest, c.units() * 2); // Bidirectional concat feeds 2U into a following layer
        }
        int time = call.inputs().rank() >= 2 ? call.inputs().dim(1) : 1;
        return 8.0 * time * (widest + units + 8) * unitRoundoff(DType.FLOAT32);
    }

    /** Normwise relative error of {@code actual} against {@code expected} (see class comment). */
    public static double normwiseRelativeError(Tensor actual, Tensor expected) {
        return max(normwiseElementErrors(actual, expected));
    }

    /**
     * Each element's share of the normwise relative error, {@code |a_i - e_i| / max(1, max|a|, max|e|)}: their
     * maximum is {@link #normwiseRelativeError}; NaN becomes +infinity.
     */
    public static double[] normwiseElementErrors(Tensor actual, Tensor expected) {
        double[] a = actual.data();
        double[] e = expected.data();
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(e[i])));
        }
        double[] err = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - e[i]) / Math.max(1, scale);
            err[i] = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
        }
        return err;
    }
}
