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

    /**
     * This implementation bound to one layer's weights for several calls that carry them (the forward and backward
     * pass of a case, the calls of a stateful sequence), for implementations that prepare weights once, as an
     * ONNX Runtime session does. The returned implementation gives the same answers as this one and answers only
     * calls of {@code layer} in {@code dtype} carrying these weight tensors. By default this implementation itself,
     * which reads the weights at every call.
     *
     * @throws IllegalArgumentException if the weights do not fit the layer
     */
    default RnnImplementation forWeights(LayerSpec layer, java.util.List<Tensor> weights, DType dtype) {
        return this;
    }
}
