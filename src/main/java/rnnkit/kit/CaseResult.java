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

    /**
     * What a reader needs to know about this result in one line: the reason and the worst quantity with its errors
     * and tolerance. Every place that explains a result in words (the JUnit XML message, the JUnit 5 failure
     * message of {@code rnnkit.junit}) uses this text, so that it is written in one place.
     */
    public String detail() {
        QuantityError w = worst();
        return reason + (w == null ? "" : " (worst: " + w.quantity() + " abs " + KitReport.fmt(w.maxAbsError())
                + " rel " + KitReport.fmt(w.maxRelError()) + ", tolerance " + w.tolerance() + ")");
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
