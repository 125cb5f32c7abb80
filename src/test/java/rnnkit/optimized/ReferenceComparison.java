package rnnkit.optimized;

import rnnkit.conformance.Tolerance;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.DType;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;
import rnnkit.testing.RnnCase;

/**
 * Runs one case through the reference (float64, the oracle) and the optimized implementation in a given dtype, and
 * compares outputs, final states and every gradient under {@link rnnkit.conformance.Tolerance#agreementBound}. For float32 the reference
 * gets the same float-rounded numbers the optimized path computes from, so the bound covers float arithmetic only.
 * Records the worst error ratio seen per dtype.
 */
final class ReferenceComparison {
    static final ReferenceRnn REFERENCE = new ReferenceRnn();
    private static final Map<DType, double[]> WORST = new EnumMap<>(DType.class);

    private ReferenceComparison() {
    }

    /** Compares forward and backward of {@code optimized} with the reference; throws AssertionError on mismatch. */
    static void assertMatchesReference(RnnImplementation optimized, RnnCase c, DType dtype) {
        assertMatchesReference(optimized, c.call(), c.cotangent(), dtype, c.toString());
    }

    /** As above for a call built by hand; {@code description} names it in failure messages. */
    static void assertMatchesReference(RnnImplementation optimized, LayerCall original, LayerOutputs cotangent,
                                       DType dtype, String description) {
        LayerCall call = dtype == DType.FLOAT32 ? roundedToFloat(original) : original;
        LayerOutputs cot = dtype == DType.FLOAT32 ? roundedToFloat(cotangent) : cotangent;
        double bound = Tolerance.agreementBound(call, dtype);
        LayerOutputs expected = REFERENCE.forward(call);
        LayerGradients eg = REFERENCE.backward(call, cot);
        if (!allFinite(expected, eg)) {
            // exponential/linear cells can overflow: then there is nothing meaningful to compare
            overflowed();
            return;
        }
        LayerOutputs actual = optimized.forward(call.withDtype(dtype));
        List<String> problems = new ArrayList<>();
        compareLists("output", actual.outputs(), expected.outputs(), dtype, bound, problems);
        compareLists("final state", actual.states(), expected.states(), dtype, bound, problems);
        LayerGradients ag = optimized.backward(call.withDtype(dtype), cot);
        if ((eg.inputs() == null) != (ag.inputs() == null)) {
            problems.add("input gradient is " + (ag.inputs() == null ? "null" : "present") + " but the reference's is not");
        } else if (eg.inputs() != null) {
            compare("d inputs", ag.inputs(), eg.inputs(), dtype, bound, problems);
        }
        compareLists("d weight", ag.weights(), eg.weights(), dtype, bound, problems);
        compareLists("d initial state", ag.initialStates(), eg.initialStates(), dtype, bound, problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(dtype.kerasName() + " optimized vs reference, bound " + bound + ": "
                    + String.join("; ", problems) + "\n  case: " + description);
        }
    }

    private static boolean allFinite(LayerOutputs o, LayerGradients g) {
        return o.tensors().stream().allMatch(Tensor::allFinite) && g.tensors().stream().allMatch(Tensor::allFinite);
    }

    private static synchronized void overflowed() {
        overflowedCases++;
    }

    private static long overflowedCases;

    private static void compareLists(String what, List<Tensor> actual, List<Tensor> expected, DType dtype, double bound,
                                     List<String> problems) {
        if (actual.size() != expected.size()) {
            problems.add(what + ": " + actual.size() + " tensors, reference has " + expected.size());
            return;
        }
        for (int i = 0; i < actual.size(); i++) {
            compare(what + " " + i, actual.get(i), expected.get(i), dtype, bound, problems);
        }
    }

    private static void compare(String what, Tensor actual, Tensor expected, DType dtype, double bound, List<String> problems) {
        if (!actual.hasShape(expected.shape())) {
            problems.add(what + ": shape " + Tensor.shapeString(actual.shape()) + ", reference "
                    + Tensor.shapeString(expected.shape()));
            return;
        }
        double err = Tolerance.normwiseRelativeError(actual, expected);
        record(dtype, err, bound);
        if (!(err <= bound)) {
            problems.add(what + ": normwise relative error " + err);
        }
    }

    private static synchronized void record(DType dtype, double err, double bound) {
        double[] w = WORST.computeIfAbsent(dtype, d -> new double[2]);
        w[0] = Math.max(w[0], err);
        w[1] = Math.max(w[1], err / bound);
    }

    /** "float64: worst normwise relative error 3e-15 (0.003 of its bound)". */
    static synchronized String worstErrors() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<DType, double[]> e : WORST.entrySet()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(e.getKey().kerasName()).append(": worst normwise relative error ")
                    .append(String.format("%.3g", e.getValue()[0])).append(" (worst ratio to its bound ")
                    .append(String.format("%.3g", e.getValue()[1])).append(')');
        }
        return sb.append("; cases skipped because the reference overflowed: ").append(overflowedCases).toString();
    }

    static Tensor roundedToFloat(Tensor t) {
        double[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) d[i];
        }
        return Tensor.of(d, t.shape());
    }

    private static List<Tensor> rounded(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(roundedToFloat(t));
        }
        return out;
    }

    /** The call with inputs, weights, states and dropout masks rounded to float (token ids are exact). */
    static LayerCall roundedToFloat(LayerCall c) {
        List<CellDropoutMasks> masks = new ArrayList<>();
        for (CellDropoutMasks m : c.dropoutMasks()) {
            masks.add(new CellDropoutMasks(rounded(m.inputMasks()), rounded(m.recurrentMasks())));
        }
        return new LayerCall(c.layer(), rounded(c.weights()), roundedToFloat(c.inputs()), c.mask(),
                rounded(c.initialStates()), masks, c.training(), c.dtype());
    }

    static LayerOutputs roundedToFloat(LayerOutputs o) {
        return new LayerOutputs(rounded(o.outputs()), rounded(o.states()));
    }
}
