package rnnkit.reference;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.DenseSpec;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Keras {@code Dense}: {@code y = act(x @ kernel + bias)} on the last axis, so on (batch, time, d) it acts on every
 * step independently and on (batch, d) once; softmax and the other vector activations act on each row of units.
 * Keras Dense supports masking: the input mask passes through.
 */
final class ReferenceDense implements LayerRun {

    private final DenseSpec spec;
    private final Tensor inputs;
    private final double[][] kernel;
    private final double[] bias;
    /** Pre-activations a = x @ kernel + bias, one row per input vector. */
    private final double[][] preActivation;
    /** y = act(a), one row per input vector. */
    private final double[][] activation;
    private final Tensor output;
    private final SequenceMask inputMask;

    private ReferenceDense(DenseSpec spec, List<Tensor> weights, Tensor inputs, SequenceMask mask) {
        this.spec = spec;
        this.inputs = inputs;
        this.kernel = ReferenceCell.matrix(weights.get(0));
        this.bias = spec.useBias() ? weights.get(1).data().clone() : null;
        this.inputMask = mask;
        int d = kernel.length;
        int rows = inputs.size() / d;
        int width = spec.outputDim(d);
        int[] shape = inputs.shape();
        shape[shape.length - 1] = width;
        this.output = Tensor.zeros(shape);
        this.preActivation = new double[rows][spec.units()];
        this.activation = new double[rows][];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < spec.units(); j++) {
                // a = x @ kernel + bias.
                double a = bias != null ? bias[j] : 0.0;
                for (int i = 0; i < d; i++) {
                    a += inputs.data()[r * d + i] * kernel[i][j];
                }
                preActivation[r][j] = a;
            }
            // y = act(a) on the row of units.
            activation[r] = ReferenceActivations.apply(spec.activation(), preActivation[r]);
            System.arraycopy(activation[r], 0, output.data(), r * width, width);
        }
    }

    static ReferenceDense run(DenseSpec spec, List<Tensor> weights, Tensor inputs, SequenceMask mask) {
        return new ReferenceDense(spec, weights, inputs, mask);
    }

    @Override
    public LayerOutputs outputs() {
        return LayerOutputs.of(output, List.of());
    }

    @Override
    public SequenceMask outputMask() {
        return inputMask;
    }

    @Override
    public LayerGradients backward(LayerOutputs cotangent) {
        Tensor g = cotangent.output();
        int d = kernel.length;
        int units = spec.units();
        int width = spec.outputDim(d);
        int rows = preActivation.length;
        double[][] dKernel = new double[d][units];
        double[] dBias = new double[units];
        Tensor dInputs = Tensor.zeros(inputs.shape());
        for (int r = 0; r < rows; r++) {
            double[] dy = new double[width];
            System.arraycopy(g.data(), r * width, dy, 0, width);
            // da = dy pulled back through act at a; dkernel += x^T da; dbias += da; dx = da @ kernel^T.
            double[] da = ReferenceActivations.pullBack(spec.activation(), preActivation[r], activation[r], dy);
            for (int j = 0; j < units; j++) {
                dBias[j] += da[j];
                for (int i = 0; i < d; i++) {
                    dKernel[i][j] += inputs.data()[r * d + i] * da[j];
                    dInputs.data()[r * d + i] += da[j] * kernel[i][j];
                }
            }
        }
        List<Tensor> weights = new ArrayList<>();
        weights.add(Tensor.matrix(dKernel));
        if (spec.useBias()) {
            weights.add(Tensor.vector(dBias));
        }
        return new LayerGradients(dInputs, weights, List.of());
    }
}
