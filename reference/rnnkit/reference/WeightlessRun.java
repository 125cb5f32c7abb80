package rnnkit.reference;

import java.util.List;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/** One forward call of a layer without weights or states: its output, the mask it hands on, dL/dx from dL/dy. */
abstract class WeightlessRun implements LayerRun {
    /** The layer's output, computed by the subclass's constructor. */
    Tensor output;
    /** The mask handed to the next layer. */
    SequenceMask mask;

    /** dL/dx for dL/dy = {@code dy}. */
    abstract Tensor inputGradient(Tensor dy);

    @Override
    public LayerOutputs outputs() {
        return LayerOutputs.of(output, List.of());
    }

    @Override
    public SequenceMask outputMask() {
        return mask;
    }

    @Override
    public LayerGradients backward(LayerOutputs cotangent) {
        return new LayerGradients(inputGradient(cotangent.output()), List.of(), List.of());
    }
}
