package rnnkit.reference;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;

/**
 * Keras {@code GRUCell} (keras/src/layers/rnn/gru.py), gate blocks in order z, r, h:
 * <pre>
 *   x_g = x ∘ dropout_mask[g],  h_g = h ∘ recurrent_dropout_mask[g]         (training only; g = z, r, h)
 *   z = ract(x_z @ W_z + b_in_z + h_z @ U_z + b_rec_z)
 *   r = ract(x_r @ W_r + b_in_r + h_r @ U_r + b_rec_r)
 *   reset_after=True  (default):  hh = act(x_h @ W_h + b_in_h + r * (h_h @ U_h + b_rec_h))
 *   reset_after=False:            hh = act(x_h @ W_h + b_h + (r * h_h) @ U_h)
 *   h' = z * h + (1 - z) * hh                                               state [h'], output h'
 * </pre>
 * b_in is bias row 0 and b_rec bias row 1 of the (2, 3·units) bias when reset_after; without reset_after the
 * (3·units) bias is the input bias and there is no recurrent bias. The blend uses the undropped h, as in Keras.
 * With {@code implementation=2} (recurrent_dropout 0) one input mask is shared by the three gates and there is no
 * recurrent mask, which the per-gate form with identical masks reproduces.
 */
final class GruCell extends ReferenceCell {
    static final int Z = 0;
    static final int R = 1;
    static final int H = 2;

    private final boolean resetAfter;
    /** Input bias b_in (3·units), or null when use_bias is false. */
    private final double[] inputBias;
    /** Recurrent bias b_rec (3·units), only with reset_after and use_bias; otherwise null. */
    private final double[] recurrentBias;
    private final double[] inputBiasGradient;
    private final double[] recurrentBiasGradient;

    GruCell(CellSpec spec, int inputDim, int batch, List<Tensor> weights, CellDropoutMasks masks) {
        super(spec, inputDim, batch, weights, masks, true);
        this.resetAfter = spec.resetAfter();
        int ku = 3 * units;
        this.inputBias = spec.useBias() ? vector(weights.get(2), 0, ku) : null;
        this.recurrentBias = spec.useBias() && resetAfter ? vector(weights.get(2), ku, ku) : null;
        this.inputBiasGradient = inputBias != null ? new double[ku] : null;
        this.recurrentBiasGradient = recurrentBias != null ? new double[ku] : null;
    }

    private double inBias(int gate, int j) {
        return inputBias != null ? inputBias[gate * units + j] : 0.0;
    }

    private double recBias(int gate, int j) {
        return recurrentBias != null ? recurrentBias[gate * units + j] : 0.0;
    }

    @Override
    Step forward(double[][] x, double[][][] states) {
        double[][] h = states[0];
        double[][][] xg = new double[3][][];
        double[][][] hg = new double[3][][];
        for (int gate = 0; gate < 3; gate++) {
            // x_g = x ∘ dropout_mask[g]; h_g = h ∘ recurrent_dropout_mask[g].
            xg[gate] = times(x, inputMasks[gate]);
            hg[gate] = times(h, recurrentMasks[gate]);
        }
        double[][] xwZ = project(xg[Z], kernel, Z);
        double[][] xwR = project(xg[R], kernel, R);
        double[][] xwH = project(xg[H], kernel, H);
        double[][] huZ = project(hg[Z], recurrentKernel, Z);
        double[][] huR = project(hg[R], recurrentKernel, R);
        double[][] preZ = new double[batch][units];
        double[][] preR = new double[batch][units];
        double[][] z = new double[batch][units];
        double[][] r = new double[batch][units];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                // z = ract(x_z @ W_z + b_in_z + h_z @ U_z + b_rec_z).
                preZ[b][j] = xwZ[b][j] + inBias(Z, j) + huZ[b][j] + recBias(Z, j);
                z[b][j] = ReferenceActivations.value(spec.recurrentActivation(), preZ[b][j]);
                // r = ract(x_r @ W_r + b_in_r + h_r @ U_r + b_rec_r).
                preR[b][j] = xwR[b][j] + inBias(R, j) + huR[b][j] + recBias(R, j);
                r[b][j] = ReferenceActivations.value(spec.recurrentActivation(), preR[b][j]);
            }
        }
        // recH: reset_after: h_h @ U_h + b_rec_h (r multiplies it after); otherwise (r * h_h) @ U_h.
        double[][] resetH = null;
        double[][] recH;
        if (resetAfter) {
            recH = project(hg[H], recurrentKernel, H);
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    recH[b][j] += recBias(H, j);
                }
            }
        } else {
            resetH = new double[batch][units];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    resetH[b][j] = r[b][j] * hg[H][b][j];
                }
            }
            recH = project(resetH, recurrentKernel, H);
        }
        double[][] preH = new double[batch][units];
        double[][] hh = new double[batch][units];
        double[][] hNew = new double[batch][units];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                // hh = act(x_h @ W_h + b_in_h + r * recH)  or  act(x_h @ W_h + b_h + recH).
                preH[b][j] = xwH[b][j] + inBias(H, j) + (resetAfter ? r[b][j] * recH[b][j] : recH[b][j]);
                hh[b][j] = ReferenceActivations.value(spec.activation(), preH[b][j]);
                // h' = z * h + (1 - z) * hh, with the undropped h.
                hNew[b][j] = z[b][j] * h[b][j] + (1.0 - z[b][j]) * hh[b][j];
            }
        }
        return new GruStep(h, xg, hg, preZ, preR, z, r, recH, resetH, preH, hh, hNew);
    }

    private final class GruStep implements Step {
        private final double[][] h;
        private final double[][][] xg;
        private final double[][][] hg;
        private final double[][] preZ;
        private final double[][] preR;
        private final double[][] z;
        private final double[][] r;
        private final double[][] recH;
        private final double[][] resetH;
        private final double[][] preH;
        private final double[][] hh;
        private final double[][] hNew;

        GruStep(double[][] h, double[][][] xg, double[][][] hg, double[][] preZ, double[][] preR, double[][] z,
                double[][] r, double[][] recH, double[][] resetH, double[][] preH, double[][] hh, double[][] hNew) {
            this.h = h;
            this.xg = xg;
            this.hg = hg;
            this.preZ = preZ;
            this.preR = preR;
            this.z = z;
            this.r = r;
            this.recH = recH;
            this.resetH = resetH;
            this.preH = preH;
            this.hh = hh;
            this.hNew = hNew;
        }

        @Override
        public double[][][] newStates() {
            return new double[][][] {hNew};
        }

        @Override
        public StepGradient backward(double[][][] dNewStates) {
            double[][] dhNew = dNewStates[0];
            double[][] dhPrevious = new double[batch][units];
            double[][] dPreZ = new double[batch][units];
            double[][] dPreH = new double[batch][units];
            double[][] dr = new double[batch][units];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    // h' = z * h + (1 - z) * hh: dz = dh' * (h - hh); dhh = dh' * (1 - z); dh (direct) = dh' * z.
                    double dz = dhNew[b][j] * (h[b][j] - hh[b][j]);
                    double dhh = dhNew[b][j] * (1.0 - z[b][j]);
                    dhPrevious[b][j] = dhNew[b][j] * z[b][j];
                    dPreZ[b][j] = dz * ReferenceActivations.derivative(spec.recurrentActivation(), preZ[b][j]);
                    dPreH[b][j] = dhh * ReferenceActivations.derivative(spec.activation(), preH[b][j]);
                }
            }
            // Candidate: preH = x_h @ W_h + b_in_h + (reset_after ? r * recH : recH).
            double[][] dRecH = new double[batch][units];
            double[][] dhH;
            if (resetAfter) {
                // recH = h_h @ U_h + b_rec_h: dr = dPreH * recH; dRecH = dPreH * r.
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < units; j++) {
                        dr[b][j] = dPreH[b][j] * recH[b][j];
                        dRecH[b][j] = dPreH[b][j] * r[b][j];
                    }
                }
                accumulateProjection(recurrentKernelGradient, H, hg[H], dRecH);
                if (recurrentBiasGradient != null) {
                    accumulateBias(recurrentBiasGradient, H, dRecH);
                }
                dhH = projectBack(dRecH, recurrentKernel, H);
            } else {
                // recH = (r * h_h) @ U_h: d(r * h_h) = dPreH @ U_h^T; dr = that * h_h; dh_h = that * r.
                accumulateProjection(recurrentKernelGradient, H, resetH, dPreH);
                double[][] dResetH = projectBack(dPreH, recurrentKernel, H);
                dhH = new double[batch][units];
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < units; j++) {
                        dr[b][j] = dResetH[b][j] * hg[H][b][j];
                        dhH[b][j] = dResetH[b][j] * r[b][j];
                    }
                }
            }
            double[][] dPreR = new double[batch][units];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    dPreR[b][j] = dr[b][j] * ReferenceActivations.derivative(spec.recurrentActivation(), preR[b][j]);
                }
            }
            // Input side of every gate: pre_g = x_g @ W_g + b_in_g + ...
            double[][][] dPre = {dPreZ, dPreR, dPreH};
            double[][] dx = new double[batch][inputDim];
            for (int gate = 0; gate < 3; gate++) {
                accumulateProjection(kernelGradient, gate, xg[gate], dPre[gate]);
                if (inputBiasGradient != null) {
                    accumulateBias(inputBiasGradient, gate, dPre[gate]);
                }
                dx = plus(dx, times(projectBack(dPre[gate], kernel, gate), inputMasks[gate]));
            }
            // Recurrent side of z and r: pre_g = ... + h_g @ U_g + b_rec_g.
            for (int gate = Z; gate <= R; gate++) {
                accumulateProjection(recurrentKernelGradient, gate, hg[gate], dPre[gate]);
                if (recurrentBiasGradient != null) {
                    accumulateBias(recurrentBiasGradient, gate, dPre[gate]);
                }
                dhPrevious = plus(dhPrevious, times(projectBack(dPre[gate], recurrentKernel, gate), recurrentMasks[gate]));
            }
            dhPrevious = plus(dhPrevious, times(dhH, recurrentMasks[H]));
            return new StepGradient(dx, new double[][][] {dhPrevious});
        }
    }

    @Override
    List<Tensor> weightGradients() {
        List<Tensor> grads = new ArrayList<>(List.of(tensor(kernelGradient), tensor(recurrentKernelGradient)));
        if (inputBiasGradient != null && recurrentBiasGradient != null) {
            grads.add(Tensor.matrix(new double[][] {inputBiasGradient, recurrentBiasGradient}));
        } else if (inputBiasGradient != null) {
            grads.add(Tensor.vector(inputBiasGradient));
        }
        return grads;
    }
}
