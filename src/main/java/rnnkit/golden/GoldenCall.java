package rnnkit.golden;

import java.util.List;

import rnnkit.model.CellDropoutMasks;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * One recorded Keras call of a golden case: what went in, what Keras returned, the stored cotangent and the
 * gradients TensorFlow computed for {@code loss = sum(outputs * cotangent.outputs) + sum(states * cotangent.states)}.
 *
 * @param index position among the case's calls (0 for stateless cases)
 * @param resetBefore Keras {@code reset_state()} was called just before this call (stateful cases)
 * @param call the layer call; its initial states are the states the call started from (given initial states, or
 *     for a stateful call the layer's state variables, zeros after a reset; empty when the call used Keras's
 *     implicit zeros) and its dropout masks those Keras drew, one per recurrent cell (empty for inference)
 * @param expected outputs and final states. States are present when Keras returned them ({@code statesReturned})
 *     or, for stateful calls, read from the layer's state variables after the call
 * @param cotangent one per output; one per returned state (none when states were not returned)
 * @param expectedGradients gradients for inputs (null for token ids), every weight, and each initial state
 */
public record GoldenCall(
        int index,
        boolean resetBefore,
        LayerCall call,
        LayerOutputs expected,
        boolean statesReturned,
        LayerOutputs cotangent,
        LayerGradients expectedGradients) {

    public Tensor inputs() {
        return call.inputs();
    }

    public SequenceMask mask() {
        return call.mask();
    }

    public List<Tensor> initialStates() {
        return call.initialStates();
    }

    public List<CellDropoutMasks> dropoutMasks() {
        return call.dropoutMasks();
    }
}
