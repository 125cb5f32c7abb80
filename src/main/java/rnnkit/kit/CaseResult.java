package rnnkit.kit;

import java.util.List;

/**
 * The result of one case for one implementation.
 *
 * @param reason why it is not a pass (the unsupported option, the error, the expected-failure reason); empty if passed
 * @param errors per-quantity worst errors (empty when nothing was compared)
 */
public record CaseResult(String caseName, String implementation, Outcome outcome, String reason,
                         List<QuantityError> errors, double seconds) {
    public CaseResult {
        errors = List.copyOf(errors);
        reason = reason == null ? "" : reason;
    }

    /** The worst quantity (largest error relative to its tolerance is not known here: largest relative error). */
    public QuantityError worst() {
        QuantityError w = null;
        for (QuantityError e : errors) {
            if (w == null || (!e.withinTolerance() && w.withinTolerance()) || (e.withinTolerance() == w.withinTolerance()
                    && e.maxRelError() > w.maxRelError())) {
                w = e;
            }
        }
        return w;
    }
}
