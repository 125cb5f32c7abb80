package rnnkit.model;

/**
 * An implementation of Keras recurrent layers: the reference, the optimized kernels, a native peer behind an
 * adapter. Implementations are stateless with respect to calls (stateful use threads the final states of one
 * call into the next, see {@link StatefulLayer}) and may be called from many threads at once.
 */
public interface RnnImplementation {

    /** A short name for reports, e.g. "reference" or "optimized-float32". */
    String name();

    /**
     * Runs the layer forward. The final states ({@link LayerOutputs#states()}) are required where Keras returns them
     * — {@code return_state=True} — and for stateful layers, whose final states start the next call; elsewhere they
     * are optional (returned states are compared, none is not an error).
     *
     * @throws UnsupportedCaseException if this implementation cannot express the call (an option it lacks)
     */
    LayerOutputs forward(LayerCall call);

    /**
     * Gradients of {@code sum(outputs * cotangent.outputs) + sum(finalStates * cotangent.states)} with respect to
     * the inputs, weights and initial states of {@code call}.
     *
     * @throws UnsupportedCaseException if this implementation does not compute gradients for the call
     */
    default LayerGradients backward(LayerCall call, LayerOutputs cotangent) {
        throw new UnsupportedCaseException(name() + " does not compute gradients");
    }
}
