package rnnkit.kit;

/**
 * What a whole run verified, in one word or phrase: a verdict never says PASS for a run that checked nothing, and
 * says so when gradients were not checked.
 */
public enum Verdict {
    /** Every selected case ran; every case passed with outputs, states and gradients checked, or is unsupported or an expected failure. */
    PASS("PASS"),
    /** As PASS, but no passing case had its gradients checked (a forward-only implementation, or --no-gradients). */
    PASS_FORWARD_ONLY("PASS, forward only: gradients not checked"),
    /** As PASS, but some passing cases had their gradients checked and some did not (the report says how many). */
    PASS_PARTLY_FORWARD_ONLY("PASS, partly forward only"),
    /** Nothing failed, but no case passed either (every case unsupported or an expected failure). */
    NOTHING_VERIFIED("NOTHING VERIFIED"),
    /** Some case failed, errored or passed unexpectedly. */
    FAIL("FAIL"),
    /** Nothing failed, but not every planned case ran. */
    INCOMPLETE("INCOMPLETE");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Verdicts that give exit code 0. */
    public boolean isSuccess() {
        return this == PASS || this == PASS_FORWARD_ONLY || this == PASS_PARTLY_FORWARD_ONLY;
    }
}
