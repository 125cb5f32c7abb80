package rnnkit.kit;

import java.util.List;

/**
 * The result of one case for one implementation.
 *
 * @param reason why it is not a pass (the unsupported option, the error, the expected-failure reason); empty if passed
 * @param errors per-quantity worst errors (empty when nothing was compared)
 * @param gradientsChecked true only when every call of the case had its gradients compared; a pass without it is
 *     a forward-only pass
 */
public record CaseResult(String caseName, String implementation, Outcome outcome, String reason,
                         List<QuantityError> errors, double seconds, boolean gradientsChecked) {
    public CaseResult {
        errors = List.copyOf(errors);
        reason = reason == null ? "" : reason;
    }

    /**
     * What a reader needs to know about this result in one line: the reason and the worst quantity with its errors
     * and tolerance. Every place that explains a result in words (the JUnit XML message, the JUnit 5 failure
     * message of {@code rnnkit.junit}) uses this text, so that it is written in one place. The reason is cut to
     * {@link KitReport#MAX_REASON_CHARS} on one line.
     */
    public String detail() {
        QuantityError w = worst();
        return KitReport.capped(reason) + (w == null ? "" : " (worst: " + w.quantity() + " abs " + KitReport.fmt(w.maxAbsError())
                + " rel " + KitReport.fmt(w.maxRelError()) + ", tolerance " + w.tolerance() + ")");
    }

    /** A result whose gradients were not checked (forward values only, or nothing compared). */
    public CaseResult(String caseName, String implementation, Outcome outcome, String reason,
                      List<QuantityError> errors, double seconds) {
        this(caseName, implementation, outcome, reason, errors, seconds, false);
    }

    public CaseResult withSeconds(double s) {
        return new CaseResult(caseName, implementation, outcome, reason, errors, s, gradientsChecked);
    }

    public CaseResult withOutcome(Outcome o, String why) {
        return new CaseResult(caseName, implementation, o, why, errors, seconds, gradientsChecked);
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
