package rnnkit.kit;

import rnnkit.model.DType;
import rnnkit.model.Tensor;

/** Compares one quantity of a case against its expected value under the project's tolerances. */
@FunctionalInterface
public interface QuantityCheck {

    /** What is being compared: tolerances differ between forward values and gradients. */
    enum Kind { OUTPUT, STATE, GRADIENT }

    /**
     * @param quantity name for the report, e.g. "output" or "grad/recurrent_kernel"
     * @param got the implementation's answer (same shape as expected; the runner checks shapes first)
     */
    QuantityError compare(String quantity, Kind kind, DType dtype, Tensor expected, Tensor got);
}
