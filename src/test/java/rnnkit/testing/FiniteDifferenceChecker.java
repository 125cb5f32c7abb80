package rnnkit.testing;

import rnnkit.conformance.Tolerance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.FiniteDifferencesDifferentiator;
import org.apache.commons.math3.analysis.differentiation.UnivariateDifferentiableFunction;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.SequentialSpec;
import rnnkit.model.Tensor;

/**
 * Checks an implementation's {@code backward} against central finite differences of its own {@code forward}, in
 * float64, for every entry of the inputs, of every weight tensor and of every initial state.
 *
 * <p>The scalar loss is the one {@link RnnImplementation#backward} differentiates:
 * {@code L = sum(outputs * cotangent.outputs) + sum(finalStates * cotangent.states)}. Each partial derivative is
 * estimated by commons-math3's {@link FiniteDifferencesDifferentiator} with two sample points at {@code x ± h/2}
 * (a central difference, error O(h^2)), and compared with the analytic value under a {@link Tolerance}.
 */
public final class FiniteDifferenceChecker {
    /** Beyond this |loss|, round-off of order eps*|loss|/h (2e-8 at 100) reaches the absolute tolerance. */
    public static final double MAX_WELL_CONDITIONED_LOSS = 100;

    private final Tolerance tolerance;
    private final double step;
    private final FiniteDifferencesDifferentiator differentiator;
    private final java.util.function.IntPredicate inputEntries;

    public FiniteDifferenceChecker() {
        this(Tolerance.FINITE_DIFFERENCE_FLOAT64, Tolerance.FINITE_DIFFERENCE_STEP);
    }

    public FiniteDifferenceChecker(Tolerance tolerance, double step) {
        this(tolerance, step, e -> true);
    }

    private FiniteDifferenceChecker(Tolerance tolerance, double step, java.util.function.IntPredicate inputEntries) {
        this.tolerance = tolerance;
        this.step = step;
        // Two points t - h/2 and t + h/2: the derivative of the interpolating line is (f(t+h/2) - f(t-h/2)) / h.
        this.differentiator = new FiniteDifferencesDifferentiator(2, step);
        this.inputEntries = inputEntries;
    }

    /**
     * The same checker, comparing only the input entries (flat indices) that {@code keep} accepts; weights and
     * initial states are all compared. For inputs where the function is not differentiable, e.g. the features of a
     * step a Masking layer masks: moving one off the mask value unmasks the step, a jump no derivative describes.
     */
    public FiniteDifferenceChecker onlyInputEntries(java.util.function.IntPredicate keep) {
        return new FiniteDifferenceChecker(tolerance, step, keep);
    }

    /** {@code sum(outputs * cotangent.outputs) + sum(states * cotangent.states)}; no state cotangents = zero. */
    public static double loss(LayerOutputs outputs, LayerOutputs cotangent) {
        if (outputs.outputs().size() != cotangent.outputs().size()) {
            throw new AssertionError("forward returned " + outputs.outputs().size() + " outputs; the cotangent has "
                    + cotangent.outputs().size());
        }
        double sum = 0;
        for (int i = 0; i < outputs.outputs().size(); i++) {
            sum += dot("output " + i, outputs.outputs().get(i), cotangent.outputs().get(i));
        }
        if (!cotangent.states().isEmpty()) {
            if (outputs.states().size() != cotangent.states().size()) {
                throw new AssertionError("forward returned " + outputs.states().size() + " final states; the cotangent has "
                        + cotangent.states().size());
            }
            for (int i = 0; i < outputs.states().size(); i++) {
                sum += dot("state " + i, outputs.states().get(i), cotangent.states().get(i));
            }
        }
        return sum;
    }

    private static double dot(String what, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new AssertionError(what + " has shape " + Arrays.toString(a.shape()) + "; the cotangent has "
                    + Arrays.toString(b.shape()));
        }
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.data()[i] * b.data()[i];
        }
        return s;
    }

    /** True if the call's inputs are token ids (no input gradient is defined). */
    public static boolean takesTokenIds(LayerCall call) {
        return call.layer() instanceof EmbeddingSpec
                || (call.layer() instanceof SequentialSpec s && s.layers().get(0) instanceof EmbeddingSpec);
    }

    /** Runs the check for one call; see {@link GradientCheck#assertPasses()}. */
    public GradientCheck check(RnnImplementation implementation, LayerCall call, LayerOutputs cotangent) {
        double baseLoss = loss(implementation.forward(call), cotangent);
        if (!Double.isFinite(baseLoss) || Math.abs(baseLoss) > MAX_WELL_CONDITIONED_LOSS) {
            // Not a gradient error: the case overflows (e.g. an 'exponential' LSTM over many steps), and round-off
            // in the loss would swamp any finite difference.
            throw new AssertionError(call.layer().describe() + ": the loss at the unperturbed point is " + baseLoss
                    + "; the case is numerically ill-conditioned (|loss| must be finite and <= "
                    + MAX_WELL_CONDITIONED_LOSS + "): choose smaller weights or fewer steps");
        }
        LayerGradients analytic = implementation.backward(call, cotangent);
        List<String> mismatches = new ArrayList<>();
        Worst worst = new Worst();
        int checked = 0;
        if (takesTokenIds(call)) {
            if (analytic.inputs() != null) {
                mismatches.add("inputs are token ids, but backward returned an input gradient (expected null)");
            }
        } else {
            checked += compare(implementation, call, cotangent, Target.INPUTS, 0, "inputs", analytic.inputs(),
                    mismatches, worst);
        }
        List<String> names = call.layer().weightNames();
        if (analytic.weights().size() != call.weights().size()) {
            mismatches.add("backward returned " + analytic.weights().size() + " weight gradients; expected "
                    + call.weights().size() + " " + names);
        } else {
            for (int i = 0; i < call.weights().size(); i++) {
                checked += compare(implementation, call, cotangent, Target.WEIGHT, i, "weight " + i + " (" + names.get(i) + ")",
                        analytic.weights().get(i), mismatches, worst);
            }
        }
        if (analytic.initialStates().size() != call.initialStates().size()) {
            mismatches.add("backward returned " + analytic.initialStates().size() + " initial-state gradients; expected "
                    + call.initialStates().size());
        } else {
            for (int i = 0; i < call.initialStates().size(); i++) {
                checked += compare(implementation, call, cotangent, Target.STATE, i, "initial state " + i,
                        analytic.initialStates().get(i), mismatches, worst);
            }
        }
        return new GradientCheck(call.layer().describe(), tolerance, checked, mismatches, worst.ratio, worst.where);
    }

    private enum Target { INPUTS, WEIGHT, STATE }

    private static final class Worst {
        double ratio;
        String where = "none";
    }

    private int compare(RnnImplementation implementation, LayerCall call, LayerOutputs cotangent, Target target,
                        int index, String what, Tensor analytic, List<String> mismatches, Worst worst) {
        Tensor original = tensor(call, target, index);
        if (analytic == null) {
            mismatches.add(what + ": backward returned no gradient");
            return 0;
        }
        if (!Arrays.equals(analytic.shape(), original.shape())) {
            mismatches.add(what + ": gradient has shape " + Arrays.toString(analytic.shape()) + "; expected "
                    + Arrays.toString(original.shape()));
            return 0;
        }
        int compared = 0;
        for (int e = 0; e < original.size(); e++) {
            if (target == Target.INPUTS && !inputEntries.test(e)) {
                continue;
            }
            compared++;
            final int element = e;
            UnivariateFunction lossAlongEntry = v -> {
                Tensor perturbed = original.copy();
                perturbed.data()[element] = v;
                return loss(implementation.forward(replace(call, target, index, perturbed)), cotangent);
            };
            UnivariateDifferentiableFunction differentiable = differentiator.differentiate(lossAlongEntry);
            double numeric = differentiable.value(new DerivativeStructure(1, 1, 0, original.data()[e]))
                    .getPartialDerivative(1);
            double exact = analytic.data()[e];
            double ratio = tolerance.errorRatio(exact, numeric);
            String where = what + Arrays.toString(TensorComparison.multiIndex(e, original.shape()));
            if (ratio > worst.ratio) {
                worst.ratio = ratio;
                worst.where = where;
            }
            if (!tolerance.accepts(exact, numeric)) {
                mismatches.add(where + ": backward " + exact + ", finite difference " + numeric);
            }
        }
        return compared;
    }

    private static Tensor tensor(LayerCall call, Target target, int index) {
        return switch (target) {
            case INPUTS -> call.inputs();
            case WEIGHT -> call.weights().get(index);
            case STATE -> call.initialStates().get(index);
        };
    }

    private static LayerCall replace(LayerCall call, Target target, int index, Tensor value) {
        return switch (target) {
            case INPUTS -> call.withInputs(value);
            case WEIGHT -> {
                List<Tensor> w = new ArrayList<>(call.weights());
                w.set(index, value);
                yield call.withWeights(w);
            }
            case STATE -> {
                List<Tensor> s = new ArrayList<>(call.initialStates());
                s.set(index, value);
                yield call.withInitialStates(s);
            }
        };
    }

    /**
     * The outcome of one check.
     *
     * @param entriesChecked number of partial derivatives compared
     * @param worstErrorRatio the largest |analytic - numeric| divided by the allowed error (passes if all are &lt;= 1)
     */
    public record GradientCheck(String layer, Tolerance tolerance, int entriesChecked, List<String> mismatches, double worstErrorRatio,
                                String worstEntry) {
        public boolean passes() {
            return mismatches.isEmpty() && entriesChecked > 0;
        }

        /** Fails with the first mismatches (up to 12) unless every entry agrees. */
        public void assertPasses() {
            if (entriesChecked == 0) {
                throw new AssertionError(layer + ": no gradient entry was checked");
            }
            if (!mismatches.isEmpty()) {
                throw new AssertionError(layer + ": " + mismatches.size() + " of " + entriesChecked
                        + " gradient entries disagree with finite differences (" + tolerance
                        + "):\n  " + String.join("\n  ", mismatches.subList(0, Math.min(12, mismatches.size()))));
            }
        }
    }
}
