package rnnkit.model;

/**
 * Keras {@code Activation(activation)}: {@code y = f(x)} on the last axis of any input, no weights. The mask passes
 * through (Keras's Activation layer supports masking).
 */
public record ActivationLayerSpec(Activation activation) implements WeightlessLayerSpec {
    public ActivationLayerSpec {
        if (activation == null) {
            throw new IllegalArgumentException("Activation layer: activation is null");
        }
    }

    @Override
    public String kerasClassName() {
        return "Activation";
    }

    /** The input width (half of it for glu). */
    @Override
    public int outputDim(int inputDim) {
        return activation.outputWidth(inputDim);
    }

    @Override
    public String describe() {
        return "Activation(" + activation.kerasName() + ")";
    }
}
