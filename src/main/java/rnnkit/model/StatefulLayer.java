package rnnkit.model;

import java.util.List;

/**
 * Keras {@code stateful=True} use of a layer: the final states of one call are the initial states of the next,
 * until {@link #resetState()}. The implementation stays stateless; this object holds the carried states.
 * Not thread-safe: one stateful layer is one sequence of calls.
 */
public final class StatefulLayer {
    private final RnnImplementation implementation;
    private final LayerSpec layer;
    private final List<Tensor> weights;
    private final DType dtype;
    private List<Tensor> states = List.of();

    public StatefulLayer(RnnImplementation implementation, LayerSpec layer, List<Tensor> weights, DType dtype) {
        if (!(layer instanceof RnnLayerSpec || layer instanceof BidirectionalSpec)) {
            throw new IllegalArgumentException("stateful use needs a recurrent layer, got " + layer.describe());
        }
        this.implementation = implementation;
        this.layer = layer;
        this.weights = List.copyOf(weights);
        this.dtype = dtype;
    }

    /** Calls the layer on the next chunk of the sequences, starting from the carried states (zeros after a reset). */
    public LayerOutputs call(Tensor inputs, SequenceMask mask) {
        LayerCall c = new LayerCall(layer, weights, inputs, mask, states, List.of(), false, dtype);
        LayerOutputs out = implementation.forward(c);
        states = out.states();
        return out;
    }

    /** Keras {@code reset_state()}: the next call starts from zero states. */
    public void resetState() {
        states = List.of();
    }

    /** The states carried into the next call (empty = zeros). */
    public List<Tensor> states() {
        return states;
    }
}
