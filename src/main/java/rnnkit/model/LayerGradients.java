package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of a scalar loss with respect to a call's inputs, weights (get_weights() order) and initial states
 * (empty if the call had none; gradients of zero initial states are then not reported).
 *
 * @param inputs gradient for the inputs, or null when the inputs are token ids (Embedding)
 */
public record LayerGradients(Tensor inputs, List<Tensor> weights, List<Tensor> initialStates) {
    public LayerGradients {
        weights = List.copyOf(weights);
        initialStates = initialStates == null ? List.of() : List.copyOf(initialStates);
    }

    /** Every gradient tensor: the weights, the initial states, then the inputs' (when there is one). */
    public List<Tensor> tensors() {
        List<Tensor> all = new ArrayList<>(weights);
        all.addAll(initialStates);
        if (inputs != null) {
            all.add(inputs);
        }
        return all;
    }
}
