package rnnkit.optimized;

import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * What one call of a layer brings besides the weights: the inputs, mask, initial states and dropout masks of a
 * {@link LayerCall} (validated there, or by {@link PreparedLayer} for its own inputs). The weights come from a
 * {@code DoubleLayerWeights} / {@code FloatLayerWeights}, prepared for one call or once for many.
 */
record CallInputs(LayerSpec layer, Tensor inputs, SequenceMask mask, List<Tensor> initialStates,
                  List<CellDropoutMasks> dropoutMasks) {

    static CallInputs of(LayerCall call) {
        return new CallInputs(call.layer(), call.inputs(), call.mask(), call.initialStates(), call.dropoutMasks());
    }

    int batch() {
        return inputs.dim(0);
    }
}
