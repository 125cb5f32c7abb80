package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras {@code Dense(units, activation, use_bias)} applied to the last axis: {@code y = act(x @ kernel + bias)}, with
 * any Keras activation, including those acting on the whole last axis (softmax, log_softmax, sparsemax, glu).
 * Weights: {@code kernel (input_dim, units)}, {@code bias (units)}. The output has {@code units} features, or
 * {@code units / 2} with glu (which Keras's own shape inference does not know: its summary says units).
 */
public record DenseSpec(int units, Activation activation, boolean useBias) implements LayerSpec {
    public DenseSpec {
        if (units <= 0) {
            throw new IllegalArgumentException("Dense units is " + units + "; expected a positive integer");
        }
        if (activation == null) {
            throw new IllegalArgumentException("Dense activation is null");
        }
        activation.outputWidth(units); // glu needs an even number of units
    }

    public static DenseSpec of(int units) {
        return new DenseSpec(units, Activation.LINEAR, true);
    }

    @Override
    public String kerasClassName() {
        return "Dense";
    }

    @Override
    public List<String> weightNames() {
        return useBias ? List.of("kernel", "bias") : List.of("kernel");
    }

    @Override
    public List<int[]> weightShapes(int inputDim) {
        List<int[]> s = new ArrayList<>();
        s.add(new int[] {inputDim, units});
        if (useBias) {
            s.add(new int[] {units});
        }
        return s;
    }

    @Override
    public int outputDim(int inputDim) {
        return activation.outputWidth(units);
    }

    @Override
    public String describe() {
        return "Dense(" + units + (activation == Activation.LINEAR ? "" : ", activation=" + activation.kerasName()) + ")";
    }
}
