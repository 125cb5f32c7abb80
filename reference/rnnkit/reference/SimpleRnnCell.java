package rnnkit.reference;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;

/**
 * Keras {@code SimpleRNNCell} (keras/src/layers/rnn/simple_rnn.py):
 * <pre>
 *   xd = x ∘ dropout_mask            (training only)
 *   hd = h ∘ recurrent_dropout_mask  (training only)
 *   a  = xd @ W + b + hd @ U
 *   h' = act(a)                      output = h'
 * </pre>
 */
final class SimpleRnnCell extends ReferenceCell {
    /** bias (units), or null when use_bias is false. */
    private final double[] bias;
    private final double[] biasGradient;

    SimpleRnnCell(CellSpec spec, int inputDim, int batch, List<Tensor> weights, CellDropoutMasks masks) {
        // Keras SimpleRNNCell applies its masks whenever dropout > 0 (get_dropout_mask returns one).
        super(spec, inputDim, batch, weights, masks, false);
        this.bias = spec.useBias() ? vector(weights.get(2), 0, units) : null;
        this.biasGradient = spec.useBias() ? new double[units] : null;
    }

    @Override
    Step forward(double[][] x, double[][][] states) {
        double[][] h = states[0];
        // xd = x ∘ dropout_mask; hd = h ∘ recurrent_dropout_mask.
        double[][] xd = times(x, inputMasks[0]);
        double[][] hd = times(h, recurrentMasks[0]);
        // a = xd @ W + b + hd @ U.
        double[][] xw = project(xd, kernel, 0);
        double[][] hu = project(hd, recurrentKernel, 0);
        double[][] a = new double[batch][units];
        double[][] hNew = new double[batch][units];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                a[b][j] = xw[b][j] + (bias != null ? bias[j] : 0.0) + hu[b][j];
                // h' = act(a).
                hNew[b][j] = ReferenceActivations.value(spec.activation(), a[b][j]);
            }
        }
        return new SimpleRnnStep(xd, hd, a, hNew);
    }

    private final class SimpleRnnStep implements Step {
        private final double[][] xd;
        private final double[][] hd;
        private final double[][] a;
        private final double[][] hNew;

        SimpleRnnStep(double[][] xd, double[][] hd, double[][] a, double[][] hNew) {
            this.xd = xd;
            this.hd = hd;
            this.a = a;
            this.hNew = hNew;
        }

        @Override
        public double[][][] newStates() {
            return new double[][][] {hNew};
        }

        @Override
        public StepGradient backward(double[][][] dNewStates) {
            double[][] dh = dNewStates[0];
            // da = dh' * act'(a).
            double[][] da = new double[batch][units];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    da[b][j] = dh[b][j] * ReferenceActivations.derivative(spec.activation(), a[b][j]);
                }
            }
            // dW += xd^T da; dU += hd^T da; db += sum_b da.
            accumulateProjection(kernelGradient, 0, xd, da);
            accumulateProjection(recurrentKernelGradient, 0, hd, da);
            if (biasGradient != null) {
                accumulateBias(biasGradient, 0, da);
            }
            // dx = (da @ W^T) ∘ dropout_mask; dh = (da @ U^T) ∘ recurrent_dropout_mask.
            double[][] dx = times(projectBack(da, kernel, 0), inputMasks[0]);
            double[][] dhPrevious = times(projectBack(da, recurrentKernel, 0), recurrentMasks[0]);
            return new StepGradient(dx, new double[][][] {dhPrevious});
        }
    }

    @Override
    List<Tensor> weightGradients() {
        List<Tensor> g = new ArrayList<>(List.of(tensor(kernelGradient), tensor(recurrentKernelGradient)));
        if (biasGradient != null) {
            g.add(Tensor.vector(biasGradient));
        }
        return g;
    }
}
