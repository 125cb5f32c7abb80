package rnnkit.optimized;

import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * What one call of a layer brings besides the weights: the inputs, mask, initial states, dropout masks of the
 * cells and of the Dropout layers, and the training flag of a {@link LayerCall} (validated there, or by
 * {@link PreparedLayer} for its own inputs). The weights come from a {@code DoubleLayerWeights} /
 * {@code FloatLayerWeights}, prepared for one call or once for many.
 */
record CallInputs(LayerSpec layer, Tensor inputs, SequenceMask mask, List<Tensor> initialStates,
                  List<CellDropoutMasks> dropoutMasks, List<Tensor> dropoutLayerMasks, boolean training) {

    /** An inference call: no Dropout-layer masks. */
    CallInputs(LayerSpec layer, Tensor inputs, SequenceMask mask, List<Tensor> initialStates,
               List<CellDropoutMasks> dropoutMasks) {
        this(layer, inputs, mask, initialStates, dropoutMasks, List.of(), false);
    }

    static CallInputs of(LayerCall call) {
        return new CallInputs(call.layer(), call.inputs(), call.mask(), call.initialStates(), call.dropoutMasks(),
                call.dropoutLayerMasks(), call.training());
    }

    int batch() {
        return inputs.dim(0);
    }
}
