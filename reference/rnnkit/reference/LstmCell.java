package rnnkit.reference;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;

/**
 * Keras {@code LSTMCell} (keras/src/layers/rnn/lstm.py), gate blocks in order i, f, c, o:
 * <pre>
 *   x_g = x ∘ dropout_mask[g],  h_g = h ∘ recurrent_dropout_mask[g]     (training only; g = i, f, c, o)
 *   z_g = x_g @ W_g + b_g + h_g @ U_g
 *   i = ract(z_i)   f = ract(z_f)   g = act(z_c)   o = ract(z_o)
 *   c' = f * c + i * g
 *   h' = o * act(c')                                                   states [h', c'], output h'
 * </pre>
 * With {@code implementation=2} (Keras's choice when recurrent_dropout is 0) one input mask is shared by all
 * four gates and there is no recurrent mask: the per-gate form above with identical masks is the same function.
 * The carry c is never dropped out.
 */
final class LstmCell extends ReferenceCell {
    static final int I = 0;
    static final int F = 1;
    static final int C = 2;
    static final int O = 3;

    /** bias (4·units), or null when use_bias is false. unit_forget_bias only affects Keras's initializer. */
    private final double[] bias;
    private final double[] biasGradient;

    LstmCell(CellSpec spec, int inputDim, int batch, List<Tensor> weights, CellDropoutMasks masks) {
        super(spec, inputDim, batch, weights, masks, true);
        this.bias = spec.useBias() ? vector(weights.get(2), 0, 4 * units) : null;
        this.biasGradient = spec.useBias() ? new double[4 * units] : null;
    }

    @Override
    Step forward(double[][] x, double[][][] states) {
        double[][] h = states[0];
        double[][] c = states[1];
        double[][][] xg = new double[4][][];
        double[][][] hg = new double[4][][];
        double[][][] z = new double[4][][];
        for (int gate = 0; gate < 4; gate++) {
            // x_g = x ∘ dropout_mask[g]; h_g = h ∘ recurrent_dropout_mask[g].
            xg[gate] = times(x, inputMasks[gate]);
            hg[gate] = times(h, recurrentMasks[gate]);
            // z_g = x_g @ W_g + b_g + h_g @ U_g.
            double[][] xw = project(xg[gate], kernel, gate);
            double[][] hu = project(hg[gate], recurrentKernel, gate);
            z[gate] = new double[batch][units];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    z[gate][b][j] = xw[b][j] + (bias != null ? bias[gate * units + j] : 0.0) + hu[b][j];
                }
            }
        }
        double[][] i = new double[batch][units];
        double[][] f = new double[batch][units];
        double[][] g = new double[batch][units];
        double[][] o = new double[batch][units];
        double[][] cNew = new double[batch][units];
        double[][] hNew = new double[batch][units];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                i[b][j] = ReferenceActivations.value(spec.recurrentActivation(), z[I][b][j]);
                f[b][j] = ReferenceActivations.value(spec.recurrentActivation(), z[F][b][j]);
                g[b][j] = ReferenceActivations.value(spec.activation(), z[C][b][j]);
                o[b][j] = ReferenceActivations.value(spec.recurrentActivation(), z[O][b][j]);
                // c' = f * c + i * g.
                cNew[b][j] = f[b][j] * c[b][j] + i[b][j] * g[b][j];
                // h' = o * act(c').
                hNew[b][j] = o[b][j] * ReferenceActivations.value(spec.activation(), cNew[b][j]);
            }
        }
        return new LstmStep(xg, hg, z, c, i, f, g, o, cNew, hNew);
    }

    private final class LstmStep implements Step {
        private final double[][][] xg;
        private final double[][][] hg;
        private final double[][][] z;
        private final double[][] c;
        private final double[][] i;
        private final double[][] f;
        private final double[][] g;
        private final double[][] o;
        private final double[][] cNew;
        private final double[][] hNew;

        LstmStep(double[][][] xg, double[][][] hg, double[][][] z, double[][] c, double[][] i, double[][] f,
                 double[][] g, double[][] o, double[][] cNew, double[][] hNew) {
            this.xg = xg;
            this.hg = hg;
            this.z = z;
            this.c = c;
            this.i = i;
            this.f = f;
            this.g = g;
            this.o = o;
            this.cNew = cNew;
            this.hNew = hNew;
        }

        @Override
        public double[][][] newStates() {
            return new double[][][] {hNew, cNew};
        }

        @Override
        public StepGradient backward(double[][][] dNewStates) {
            double[][] dh = dNewStates[0];
            double[][] dcNew = dNewStates[1];
            double[][][] dz = new double[4][batch][units];
            double[][] dcPrevious = new double[batch][units];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    double actC = ReferenceActivations.value(spec.activation(), cNew[b][j]);
                    // h' = o * act(c'): dc' (total) = dc' + dh' * o * act'(c'); do = dh' * act(c').
                    double dc = dcNew[b][j] + dh[b][j] * o[b][j] * ReferenceActivations.derivative(spec.activation(), cNew[b][j]);
                    double dO = dh[b][j] * actC;
                    // c' = f * c + i * g: df = dc * c; dc_prev = dc * f; di = dc * g; dg = dc * i.
                    double dF = dc * c[b][j];
                    double dI = dc * g[b][j];
                    double dG = dc * i[b][j];
                    dcPrevious[b][j] = dc * f[b][j];
                    // Through the gate activations: dz_g = d(gate) * act'(z_g).
                    dz[I][b][j] = dI * ReferenceActivations.derivative(spec.recurrentActivation(), z[I][b][j]);
                    dz[F][b][j] = dF * ReferenceActivations.derivative(spec.recurrentActivation(), z[F][b][j]);
                    dz[C][b][j] = dG * ReferenceActivations.derivative(spec.activation(), z[C][b][j]);
                    dz[O][b][j] = dO * ReferenceActivations.derivative(spec.recurrentActivation(), z[O][b][j]);
                }
            }
            double[][] dx = new double[batch][inputDim];
            double[][] dhPrevious = new double[batch][units];
            for (int gate = 0; gate < 4; gate++) {
                // z_g = x_g @ W_g + b_g + h_g @ U_g.
                accumulateProjection(kernelGradient, gate, xg[gate], dz[gate]);
                accumulateProjection(recurrentKernelGradient, gate, hg[gate], dz[gate]);
                if (biasGradient != null) {
                    accumulateBias(biasGradient, gate, dz[gate]);
                }
                // dx += (dz_g @ W_g^T) ∘ dropout_mask[g]; dh += (dz_g @ U_g^T) ∘ recurrent_dropout_mask[g].
                dx = plus(dx, times(projectBack(dz[gate], kernel, gate), inputMasks[gate]));
                dhPrevious = plus(dhPrevious, times(projectBack(dz[gate], recurrentKernel, gate), recurrentMasks[gate]));
            }
            return new StepGradient(dx, new double[][][] {dhPrevious, dcPrevious});
        }
    }

    @Override
    List<Tensor> weightGradients() {
        List<Tensor> grads = new ArrayList<>(List.of(tensor(kernelGradient), tensor(recurrentKernelGradient)));
        if (biasGradient != null) {
            grads.add(Tensor.vector(biasGradient));
        }
        return grads;
    }
}
