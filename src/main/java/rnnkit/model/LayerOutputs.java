package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a layer call produces: the main outputs (one tensor; two for Bidirectional {@code merge_mode=None},
 * forward then backward) and the final states, flattened in Keras order. Final states are always filled for
 * recurrent layers (a stateful layer needs them) even when {@code return_state} is false; Keras returns them only
 * when it is true.
 *
 * <p>The same type carries cotangents (upstream gradients) for a backward pass: one tensor per output, and
 * either no states (zero cotangent) or one per final state.
 */
public record LayerOutputs(List<Tensor> outputs, List<Tensor> states) {
    public LayerOutputs {
        outputs = List.copyOf(outputs);
        states = states == null ? List.of() : List.copyOf(states);
    }

    public static LayerOutputs of(Tensor output, List<Tensor> states) {
        return new LayerOutputs(List.of(output), states);
    }

    /** The main output (the first, for merge_mode=None). */
    public Tensor output() {
        return outputs.get(0);
    }

    /** Every tensor: the outputs, then the states. */
    public List<Tensor> tensors() {
        List<Tensor> all = new ArrayList<>(outputs);
        all.addAll(states);
        return all;
    }
}
