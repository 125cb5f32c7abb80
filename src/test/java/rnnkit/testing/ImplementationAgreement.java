package rnnkit.testing;

import rnnkit.conformance.Tolerance;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.model.UnsupportedCaseException;

/**
 * Compares a candidate implementation with a trusted one (normally the reference) on one case: outputs and final
 * states of forward, and optionally every gradient of backward, under a {@link Tolerance}. A candidate that declares
 * the case unsupported ({@link UnsupportedCaseException}) is reported as such, not as a disagreement.
 */
public final class ImplementationAgreement {
    private ImplementationAgreement() {
    }

    /** What happened on one case. */
    public enum Outcome { AGREES, UNSUPPORTED }

    /** Fails with a message naming the case and the first differing tensor unless the forward passes agree. */
    public static Outcome assertForwardAgrees(RnnImplementation trusted, RnnImplementation candidate, RnnCase c,
                                              Tolerance tolerance) {
        LayerOutputs expected = trusted.forward(c.call());
        LayerOutputs actual;
        try {
            actual = candidate.forward(c.call());
        } catch (UnsupportedCaseException e) {
            return Outcome.UNSUPPORTED;
        }
        try {
            TensorComparison.assertAllClose(candidate.name() + " outputs", actual.outputs(), expected.outputs(), tolerance);
            TensorComparison.assertAllClose(candidate.name() + " final states", actual.states(), expected.states(), tolerance);
        } catch (AssertionError e) {
            throw new AssertionError("case " + c + ": " + e.getMessage(), e);
        }
        return Outcome.AGREES;
    }

    /** As {@link #assertForwardAgrees}, then the gradients of backward with the case's cotangent. */
    public static Outcome assertBackwardAgrees(RnnImplementation trusted, RnnImplementation candidate, RnnCase c,
                                               Tolerance tolerance) {
        if (assertForwardAgrees(trusted, candidate, c, tolerance) == Outcome.UNSUPPORTED) {
            return Outcome.UNSUPPORTED;
        }
        LayerGradients expected = trusted.backward(c.call(), c.cotangent());
        LayerGradients actual;
        try {
            actual = candidate.backward(c.call(), c.cotangent());
        } catch (UnsupportedCaseException e) {
            return Outcome.UNSUPPORTED;
        }
        try {
            TensorComparison.assertClose(candidate.name() + " input gradient", actual.inputs(), expected.inputs(), tolerance);
            TensorComparison.assertAllClose(candidate.name() + " weight gradients", actual.weights(), expected.weights(),
                    tolerance);
            TensorComparison.assertAllClose(candidate.name() + " initial-state gradients", actual.initialStates(),
                    expected.initialStates(), tolerance);
        } catch (AssertionError e) {
            throw new AssertionError("case " + c + ": " + e.getMessage(), e);
        }
        return Outcome.AGREES;
    }
}
