package rnnkit.model;

/**
 * Keras {@code Masking(mask_value)} on {@code (batch, time, features)} inputs: a step is masked when every feature
 * equals {@code mask_value}. The layer outputs {@code where(mask, x, 0)} (masked steps become zeros) and hands the
 * mask to the layers after it; it replaces any mask that came in. No weights.
 */
public record MaskingSpec(double maskValue) implements WeightlessLayerSpec {

    @Override
    public String kerasClassName() {
        return "Masking";
    }

    @Override
    public String describe() {
        return "Masking(mask_value=" + maskValue + ")";
    }
}
