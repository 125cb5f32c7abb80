package rnnkit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras {@code Dropout(rate, noise_shape)}: the identity at inference; in training {@code y = x · m} with a mask m
 * of values 0 or 1/(1 - rate) drawn by Keras (rnnkit never draws masks: a training call carries them, see
 * {@link LayerCall#dropoutLayerMasks()}), and zeros for rate 1. No weights; the mask passes through.
 *
 * @param noiseShape Keras {@code noise_shape}, empty for the input's shape; otherwise one entry per input axis,
 *     0 for Keras {@code None} (the input's size) or 1 (the mask is shared along that axis)
 */
public record DropoutSpec(double rate, List<Integer> noiseShape) implements WeightlessLayerSpec {
    public DropoutSpec {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("Dropout rate is " + rate + "; expected a fraction in [0, 1]");
        }
        noiseShape = noiseShape == null ? List.of() : List.copyOf(noiseShape);
        for (int i = 0; i < noiseShape.size(); i++) {
            int n = noiseShape.get(i);
            if (n < 0) {
                throw new IllegalArgumentException("Dropout noise_shape " + noiseShape + " has " + n + " at axis " + i
                        + "; expected None (0), 1 or the input's size");
            }
        }
    }

    public static DropoutSpec of(double rate) {
        return new DropoutSpec(rate, List.of());
    }

    /** True if a training call needs a mask for this layer (0 &lt; rate &lt; 1). */
    public boolean drawsMask() {
        return rate > 0 && rate < 1;
    }

    /**
     * The shape of the mask for an input of shape {@code inputShape}: the noise shape with None resolved to the
     * input's size; an explicit size must be 1 or the input's size.
     */
    public int[] maskShape(int[] inputShape) {
        if (noiseShape.isEmpty()) {
            return inputShape.clone();
        }
        if (noiseShape.size() != inputShape.length) {
            throw new IllegalArgumentException(describe() + ": noise_shape has " + noiseShape.size()
                    + " axes but the input has shape " + Tensor.shapeString(inputShape));
        }
        int[] out = new int[inputShape.length];
        for (int i = 0; i < out.length; i++) {
            int n = noiseShape.get(i);
            if (n != 0 && n != 1 && n != inputShape[i]) {
                throw new IllegalArgumentException(describe() + ": noise_shape axis " + i + " is " + n + " but the input "
                        + "has shape " + Tensor.shapeString(inputShape) + "; expected None, 1 or " + inputShape[i]);
            }
            out[i] = n == 0 ? inputShape[i] : n;
        }
        return out;
    }

    @Override
    public String kerasClassName() {
        return "Dropout";
    }

    @Override
    public String describe() {
        if (noiseShape.isEmpty()) {
            return "Dropout(" + rate + ")";
        }
        List<String> axes = new ArrayList<>();
        for (int n : noiseShape) {
            axes.add(n == 0 ? "None" : Integer.toString(n));
        }
        return "Dropout(" + rate + ", noise_shape=(" + String.join(", ", axes) + "))";
    }
}
