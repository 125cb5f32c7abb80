package rnnkit.reference;

import rnnkit.model.DropoutSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Keras {@code Dropout(rate, noise_shape)}. Inference: {@code y = x}. Training: {@code y = x * m} with the mask m Keras
 * drew (values 0 or 1/(1 - rate)), broadcast along the axes where the noise shape is 1; rate 1 gives zeros. The
 * mask of the sequence passes through.
 */
final class ReferenceDropout extends WeightlessRun {

    private final Tensor inputs;
    /** The multiplier of every input element: 1 (inference), the broadcast mask, or 0 (rate 1). */
    private final double[] factor;

    private ReferenceDropout(DropoutSpec spec, Tensor inputs, Tensor dropMask, boolean training, SequenceMask mask) {
        this.inputs = inputs;
        this.mask = mask;
        int[] shape = inputs.shape();
        this.factor = new double[inputs.size()];
        int[] maskShape = dropMask == null ? null : dropMask.shape();
        for (int i = 0; i < factor.length; i++) {
            if (!training || spec.rate() == 0) {
                factor[i] = 1.0;
            } else if (spec.rate() == 1) {
                factor[i] = 0.0;
            } else {
                // m at the same position, index 0 along the axes where the noise shape is 1 (broadcast).
                int rest = i;
                int flat = 0;
                int stride = 1;
                int[] index = new int[shape.length];
                for (int a = shape.length - 1; a >= 0; a--) {
                    index[a] = rest % shape[a];
                    rest /= shape[a];
                }
                for (int a = shape.length - 1; a >= 0; a--) {
                    flat += (maskShape[a] == 1 ? 0 : index[a]) * stride;
                    stride *= maskShape[a];
                }
                factor[i] = dropMask.data()[flat];
            }
        }
        this.output = Tensor.zeros(shape);
        for (int i = 0; i < factor.length; i++) {
            // y = x * m.
            output.data()[i] = inputs.data()[i] * factor[i];
        }
    }

    /** @param dropMask the layer's mask in a training call, or null (inference, rate 0 or 1) */
    static ReferenceDropout run(DropoutSpec spec, Tensor inputs, Tensor dropMask, boolean training, SequenceMask mask) {
        return new ReferenceDropout(spec, inputs, dropMask, training, mask);
    }

    @Override
    Tensor inputGradient(Tensor dy) {
        Tensor dInputs = Tensor.zeros(inputs.shape());
        for (int i = 0; i < factor.length; i++) {
            // dx = dy * m.
            dInputs.data()[i] = dy.data()[i] * factor[i];
        }
        return dInputs;
    }
}
