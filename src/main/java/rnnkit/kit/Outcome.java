package rnnkit.kit;

/** What happened to one case run through an implementation. */
public enum Outcome {
    /** Every quantity within tolerance. */
    PASS("pass"),
    /** The implementation answered, and the answer is wrong (beyond tolerance). */
    FAIL("FAIL"),
    /** The implementation cannot express the case (it said so, or the adapter maps nothing to it). */
    UNSUPPORTED("unsupported"),
    /** The implementation crashed or returned unusable output (missing, wrong shape or dtype, NaN, truncated). */
    ERROR("ERROR"),
    /** Failed, and an expected-failure entry says why. */
    EXPECTED_FAIL("expected fail"),
    /** Listed as an expected failure but passed: the list is out of date. */
    UNEXPECTED_PASS("UNEXPECTED PASS");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Outcomes that make a run fail (non-zero exit code). */
    public boolean isBad() {
        return this == FAIL || this == ERROR || this == UNEXPECTED_PASS;
    }
}
