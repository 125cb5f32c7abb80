package rnnkit.testing;

/**
 * The one place that says when two numbers are "close": {@code |actual - expected| <= absolute + relative *
 * max(|actual|, |expected|)}. Every comparison in the test suites goes through a named constant here, so the
 * tolerances of the whole suite can be read (and tightened) in one file.
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
}
