package rnnkit.reference;

import rnnkit.model.ActivationLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/** Keras {@code Activation(f)}: {@code y = f(x)} on each vector of the last axis; the mask passes through. */
final class ReferenceActivationLayer extends WeightlessRun {

    private final ActivationLayerSpec spec;
    private final Tensor inputs;
    private final double[][] x;
    private final double[][] y;

    private ReferenceActivationLayer(ActivationLayerSpec spec, Tensor inputs, SequenceMask mask) {
        this.spec = spec;
        this.inputs = inputs;
        this.mask = mask;
        int d = inputs.dim(inputs.rank() - 1);
        int width = spec.outputDim(d);
        int rows = inputs.size() / d;
        int[] shape = inputs.shape();
        shape[shape.length - 1] = width;
        this.output = Tensor.zeros(shape);
        this.x = new double[rows][d];
        this.y = new double[rows][];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(inputs.data(), r * d, x[r], 0, d);
            // y = f(x) on the row.
            y[r] = ReferenceActivations.apply(spec.activation(), x[r]);
            System.arraycopy(y[r], 0, output.data(), r * width, width);
        }
    }

    static ReferenceActivationLayer run(ActivationLayerSpec spec, Tensor inputs, SequenceMask mask) {
        return new ReferenceActivationLayer(spec, inputs, mask);
    }

    @Override
    Tensor inputGradient(Tensor g) {
        int d = x.length == 0 ? 0 : x[0].length;
        int width = spec.outputDim(d);
        Tensor dInputs = Tensor.zeros(inputs.shape());
        for (int r = 0; r < x.length; r++) {
            double[] dyRow = new double[width];
            System.arraycopy(g.data(), r * width, dyRow, 0, width);
            // dx = dy pulled back through f at x.
            double[] dx = ReferenceActivations.pullBack(spec.activation(), x[r], y[r], dyRow);
            System.arraycopy(dx, 0, dInputs.data(), r * d, d);
        }
        return dInputs;
    }
}
