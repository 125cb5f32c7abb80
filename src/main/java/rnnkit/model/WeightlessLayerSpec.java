package rnnkit.model;

import java.util.List;

/** A layer without weights (Activation, Dropout, Masking): its parameter lists are empty. */
public sealed interface WeightlessLayerSpec extends LayerSpec permits ActivationLayerSpec, DropoutSpec, MaskingSpec {

    @Override
    default List<String> weightNames() {
        return List.of();
    }

    @Override
    default List<int[]> weightShapes(int inputDim) {
        return List.of();
    }

    /** The input width (only glu changes it, see {@link ActivationLayerSpec}). */
    @Override
    default int outputDim(int inputDim) {
        return inputDim;
    }
}
