package rnnkit.reference;

import rnnkit.model.MaskingSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Keras {@code Masking(mask_value)} on (batch, time, features): {@code mask[b, t] = any_f(x[b, t, f] != mask_value)},
 * {@code y[b, t] = mask[b, t] ? x[b, t] : 0}; the mask goes to the next layer (any incoming mask is replaced).
 * The gradient passes where the mask is true, as TensorFlow's {@code where} gradient does.
 */
final class ReferenceMasking extends WeightlessRun {

    private final Tensor inputs;
    /** keep[b][t]: the step is real (not masked). */
    private final boolean[][] keep;

    private ReferenceMasking(MaskingSpec spec, Tensor inputs) {
        this.inputs = inputs;
        int batch = inputs.dim(0);
        int time = inputs.dim(1);
        int d = inputs.dim(2);
        this.keep = new boolean[batch][time];
        this.output = Tensor.zeros(inputs.shape());
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                int base = (b * time + t) * d;
                for (int f = 0; f < d; f++) {
                    // mask = any(x != mask_value) over the features.
                    if (inputs.data()[base + f] != spec.maskValue()) {
                        keep[b][t] = true;
                    }
                }
                for (int f = 0; f < d; f++) {
                    // y = mask ? x : 0.
                    output.data()[base + f] = keep[b][t] ? inputs.data()[base + f] : 0.0;
                }
            }
        }
        this.mask = SequenceMask.of(keep);
    }

    static ReferenceMasking run(MaskingSpec spec, Tensor inputs) {
        return new ReferenceMasking(spec, inputs);
    }

    @Override
    Tensor inputGradient(Tensor dy) {
        Tensor dInputs = Tensor.zeros(inputs.shape());
        int time = inputs.dim(1);
        int d = inputs.dim(2);
        for (int i = 0; i < dInputs.size(); i++) {
            int b = i / (time * d);
            int t = (i / d) % time;
            // dx = mask ? dy : 0.
            dInputs.data()[i] = keep[b][t] ? dy.data()[i] : 0.0;
        }
        return dInputs;
    }
}
