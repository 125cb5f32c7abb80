// FloatGruKernel.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * GRU with {@code reset_after=True} (Keras default; gate order z, r, h) in float64:
 * <pre>
 *   x = x_t·W + b_in,   rec = (h_{t-1} ∘ m_rec)·U + b_rec        (one GEMM for all three blocks)
 *   z = ract(x_z + rec_z),  r = ract(x_r + rec_r),  hh = act(x_h + r ∘ rec_h)
 *   h_t = z ∘ h_{t-1} + (1 - z) ∘ hh                              (undropped h_{t-1})
 * </pre>
 */
final class DoubleGruKernel extends DoubleCellKernel {
    private final Activation act;
    private final Activation ract;
    /** Tape (B·T, k·U): z, r, hh. */
    private double[] gateActs;
    /** Tape (B·T, U): rec_h = (h_{t-1} ∘ m_rec,h)·U_h + b_rec,h. */
    private double[] recH;

    DoubleGruKernel(CellSpec cell, int inputDim, int batch, int time, List<Tensor> weights,
                              CellDropoutMasks masks, Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(cell, inputDim, batch, time, weights, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
        this.ract = cell.recurrentActivation();
    }

    @Override
    void allocateSequences() {
        if (tape) {
            gateActs = ws.doubles(batch * time * width);
            recH = ws.doubles(batch * time * units);
        }
    }

    @Override
    boolean separateRecurrentGradient() {
        return true;
    }

    @Override
    void forwardRows(int b0, int b1) {
        final int m = b1 - b0;
        final int u2 = 2 * units;
        double[] rec = new double[m * width];
        double[] hd = new double[m * units];
        double[] rowActs = new double[width];
        for (int s = 0; s < time; s++) {
            recurrentProduct(s, b0, m, 0, gates, hd, rec, 0, width);
            double[] hp = hPrevArray(s);
            for (int i = 0; i < m; i++) {
                int b = b0 + i;
                int r = b * time + s;
                int hpOff = hPrevOffset(s, b);
                int hOff = r * units;
                if (isMasked(r)) {
                    System.arraycopy(hp, hpOff, h, hOff, units);
                    continue;
                }
                int zOff = r * width;
                int recOff = i * width;
                // rec += b_rec (all blocks)
                if (recurrentBias != null) {
                    for (int j = 0; j < width; j++) {
                        rec[recOff + j] += recurrentBias[j];
                    }
                }
                // x += b_in (all blocks)
                if (inputBias != null) {
                    for (int j = 0; j < width; j++) {
                        pre[zOff + j] += inputBias[j];
                    }
                }
                // z, r pre-activations: x_z + rec_z, x_r + rec_r
                for (int j = 0; j < u2; j++) {
                    pre[zOff + j] += rec[recOff + j];
                }
                double[] a = tape ? gateActs : rowActs;
                int aOff = tape ? zOff : 0;
                DoubleActivations.apply(ract, pre, zOff, a, aOff, u2);
                // hh pre-activation: x_h + r ∘ rec_h
                for (int u = 0; u < units; u++) {
                    double rh = rec[recOff + u2 + u];
                    if (tape) {
                        recH[hOff + u] = rh;
                    }
                    pre[zOff + u2 + u] += a[aOff + units + u] * rh;
                }
                DoubleActivations.apply(act, pre, zOff + u2, a, aOff + u2, units);
                // h_t = z ∘ h_{t-1} + (1 - z) ∘ hh
                for (int u = 0; u < units; u++) {
                    double z = a[aOff + u];
                    h[hOff + u] = z * hp[hpOff + u] + (1 - z) * a[aOff + u2 + u];
                }
            }
        }
    }

    @Override
    void backwardRows(int b0, int b1) {
        final int m = b1 - b0;
        final int u2 = 2 * units;
        double[] dh = new double[m * units];
        double[] dhp = new double[m * units];
        double[] tmp = new double[m * units];
        if (dhFinal != null) {
            System.arraycopy(dhFinal, b0 * units, dh, 0, m * units);
        }
        for (int s = time - 1; s >= 0; s--) {
            double[] hp = hPrevArray(s);
            for (int i = 0; i < m; i++) {
                int b = b0 + i;
                int r = b * time + s;
                int hOff = r * units;
                int dOff = i * units;
                if (dHSequence != null) {
                    for (int u = 0; u < units; u++) {
                        dh[dOff + u] += dHSequence[hOff + u];
                    }
                }
                if (isMasked(r)) {
                    continue;
                }
                int zOff = r * width;
                int hpOff = hPrevOffset(s, b);
                for (int u = 0; u < units; u++) {
                    double z = gateActs[zOff + u];
                    double rr = gateActs[zOff + units + u];
                    double hh = gateActs[zOff + u2 + u];
                    double dhv = dh[dOff + u];
                    // h = z ∘ h_prev + (1 - z) ∘ hh
                    double dz = dhv * (hp[hpOff + u] - hh);
                    double dhh = dhv * (1 - z);
                    // hh = act(x_h + r ∘ rec_h)
                    double dPh = dhh * DoubleActivations.derivative(act, pre[zOff + u2 + u], hh);
                    double dr = dPh * recH[hOff + u];
                    double dPz = dz * DoubleActivations.derivative(ract, pre[zOff + u], z);
                    double dPr = dr * DoubleActivations.derivative(ract, pre[zOff + units + u], rr);
                    dIn[zOff + u] = dPz;
                    dIn[zOff + units + u] = dPr;
                    dIn[zOff + u2 + u] = dPh;
                    dRec[zOff + u] = dPz;
                    dRec[zOff + units + u] = dPr;
                    dRec[zOff + u2 + u] = dPh * rr;
                    // direct path of the blend: dh_prev += dh ∘ z
                    dh[dOff + u] = dhv * z;
                }
            }
            // dh_{t-1} = direct + Σ_g (dRec_g · U_g^T) ∘ m_rec,g
            recurrentGradient(s, b0, m, 0, gates, dRec, dhp, tmp);
            for (int i = 0; i < m; i++) {
                if (!isMasked((b0 + i) * time + s)) {
                    for (int u = 0; u < units; u++) {
                        dh[i * units + u] += dhp[i * units + u];
                    }
                }
            }
        }
        System.arraycopy(dh, 0, dh0, b0 * units, m * units);
    }
}
