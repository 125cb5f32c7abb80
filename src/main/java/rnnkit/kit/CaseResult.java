package rnnkit.kit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The result of one case for one implementation.
 *
 * @param reason why it is not a pass (the unsupported option, the error, the expected-failure reason); empty if passed
 * @param errors per-quantity worst errors (empty when nothing was compared)
 * @param gradientsChecked true only when every call of the case had its gradients compared; a pass without it is
 *     a forward-only pass
 * @param tags what the case exercises ({@link CaseTags#NONE} when the case could not be loaded)
 * @param trace the stack trace of an exception the implementation threw (an ERROR), else empty
 */
public record CaseResult(String caseName, String implementation, Outcome outcome, String reason,
                         List<QuantityError> errors, double seconds, boolean gradientsChecked, CaseTags tags,
                         String trace) {
    /** Most quantities over tolerance that {@link #detail()} names besides the worst. */
    static final int MORE_QUANTITIES_NAMED = 3;

    public CaseResult {
        errors = List.copyOf(errors);
        reason = reason == null ? "" : KitReport.plain(reason);
        tags = tags == null ? CaseTags.NONE : tags;
        trace = trace == null ? "" : trace;
    }

    /** A result of an untagged case without a stack trace. */
    public CaseResult(String caseName, String implementation, Outcome outcome, String reason,
                      List<QuantityError> errors, double seconds, boolean gradientsChecked) {
        this(caseName, implementation, outcome, reason, errors, seconds, gradientsChecked, CaseTags.NONE, "");
    }

    /** A result whose gradients were not checked (forward values only, or nothing compared). */
    public CaseResult(String caseName, String implementation, Outcome outcome, String reason,
                      List<QuantityError> errors, double seconds) {
        this(caseName, implementation, outcome, reason, errors, seconds, false);
    }

    /** The corpus suite of the case: the part of its name before the first '/' ({@code random} for random cases). */
    public String suite() {
        int slash = caseName.indexOf('/');
        return slash < 0 ? caseName : caseName.substring(0, slash);
    }

    /**
     * What a reader needs to know about this result in one line: the reason, then the worst quantity located in
     * Keras terms (its worst element's index, expected and actual value, error ÷ tolerance, for a sequence the first
     * time step over tolerance), then up to {@value #MORE_QUANTITIES_NAMED} more quantities over tolerance, each
     * located. Every place that explains a result in words (the reports, the JUnit XML message, the JUnit 5 failure
     * message of {@code rnnkit.junit}) uses this text, so that it is written in one place. The reason is cut to
     * {@link KitReport#MAX_REASON_CHARS} on one line.
     */
    public String detail() {
        QuantityError w = worst();
        StringBuilder sb = new StringBuilder(KitReport.capped(reason));
        if (w == null) {
            return sb.toString();
        }
        sb.append(sb.length() == 0 ? "" : "; ").append("worst: ").append(w.located());
        List<QuantityError> more = overTolerance();
        more.remove(w);
        for (int i = 0; i < Math.min(more.size(), MORE_QUANTITIES_NAMED); i++) {
            sb.append(i == 0 ? "; also over tolerance: " : "; ").append(more.get(i).located());
        }
        if (more.size() > MORE_QUANTITIES_NAMED) {
            sb.append("; and ").append(more.size() - MORE_QUANTITIES_NAMED).append(" more quantities over tolerance");
        }
        return sb.toString();
    }

    /** The quantities over tolerance, largest error ÷ tolerance first. */
    public List<QuantityError> overTolerance() {
        List<QuantityError> out = new ArrayList<>();
        for (QuantityError e : errors) {
            if (!e.withinTolerance()) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingDouble(CaseResult::severity).reversed());
        return out;
    }

    /** Error ÷ tolerance where the tolerance is known as a number, else the error itself. */
    static double severity(QuantityError e) {
        double r = e.ratio();
        return Double.isNaN(r) ? e.maxRelError() : r;
    }

    public CaseResult withSeconds(double s) {
        return new CaseResult(caseName, implementation, outcome, reason, errors, s, gradientsChecked, tags, trace);
    }

    public CaseResult withOutcome(Outcome o, String why) {
        return new CaseResult(caseName, implementation, o, why, errors, seconds, gradientsChecked, tags, trace);
    }

    public CaseResult withTags(CaseTags t) {
        return new CaseResult(caseName, implementation, outcome, reason, errors, seconds, gradientsChecked, t, trace);
    }

    public CaseResult withTrace(String t) {
        return new CaseResult(caseName, implementation, outcome, reason, errors, seconds, gradientsChecked, tags, t);
    }

    /** The worst quantity: one over tolerance before one within, then the largest error ÷ tolerance. */
    public QuantityError worst() {
        QuantityError w = null;
        for (QuantityError e : errors) {
            if (w == null || (!e.withinTolerance() && w.withinTolerance()) || (e.withinTolerance() == w.withinTolerance()
                    && severity(e) > severity(w))) {
                w = e;
            }
        }
        return w;
    }
}
