package rnnkit.kit;

import java.util.List;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;

/**
 * One case an implementation must reproduce: a sequence of calls (one call, or several for a stateful layer, whose
 * final states carry into the next call) with the expected outputs and, where known, a cotangent and the expected
 * gradients. Golden cases come from real Keras; randomized cases take their expected values from the reference.
 *
 * @param source "golden" or "random"
 * @param tags what the case exercises (golden: the tags of its case.json; otherwise derived from its calls)
 */
public record ConformanceCase(String name, String source, List<Step> steps, CaseTags tags) {
    public ConformanceCase {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("case name is empty");
        }
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("case " + name + " has no calls");
        }
        steps = List.copyOf(steps);
        tags = tags == null ? CaseTags.derive(steps) : tags;
    }

    /** A case tagged by what its calls exercise ({@link CaseTags#derive}). */
    public ConformanceCase(String name, String source, List<Step> steps) {
        this(name, source, steps, null);
    }

    /**
     * One call of a case. For stateful cases, {@code call.initialStates()} of steps after the first are filled by
     * the runner with the implementation's own final states of the previous step (or zeros after a reset).
     *
     * @param resetBefore true if the stateful layer's state is reset before this call (zeros), as Keras reset_state()
     * @param cotangent upstream gradients for a backward check, or null for forward only
     * @param expectedGradients expected gradients for {@code cotangent}, or null
     */
    public record Step(LayerCall call, LayerOutputs expected, boolean resetBefore, LayerOutputs cotangent,
                       LayerGradients expectedGradients) {
        public Step {
            if (call == null || expected == null) {
                throw new IllegalArgumentException("a case step needs a call and expected outputs");
            }
            if ((cotangent == null) != (expectedGradients == null)) {
                throw new IllegalArgumentException("a case step needs both a cotangent and expected gradients, or neither");
            }
        }
    }

    public boolean isStateful() {
        return steps.size() > 1;
    }

    public boolean hasGradients() {
        for (Step s : steps) {
            if (s.expectedGradients() != null) {
                return true;
            }
        }
        return false;
    }
}
