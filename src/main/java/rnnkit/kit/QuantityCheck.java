package rnnkit.kit;

import rnnkit.model.Tensor;

/** Compares one quantity of a case against its expected value under the project's tolerances. */
@FunctionalInterface
public interface QuantityCheck {

    /** What is being compared: tolerances differ between forward values and the kinds of gradient. */
    enum Kind {
        OUTPUT, STATE, GRAD_INPUTS, GRAD_WEIGHTS, GRAD_INITIAL_STATES;

        public boolean isGradient() {
            return this == GRAD_INPUTS || this == GRAD_WEIGHTS || this == GRAD_INITIAL_STATES;
        }

        /** The report's name of the quantity (the tolerance's). */
        public String label() {
            return ToleranceCheck.quantity(this).label();
        }
    }

    /**
     * @param quantity name for the report, e.g. "output" or "grad/recurrent_kernel"
     * @param theCase the case being checked (its source decides the tolerance: Keras goldens or the reference)
     * @param index which output, state, weight or initial state of its kind this is (0 for the input gradient), so
     *     the worst element can be located in Keras terms ({@link ElementLocation})
     * @param step index of the call within the case
     * @param got the implementation's answer (same shape as expected; the runner checks shapes first)
     */
    QuantityError compare(String quantity, Kind kind, int index, ConformanceCase theCase, int step, Tensor expected,
                          Tensor got);
}
