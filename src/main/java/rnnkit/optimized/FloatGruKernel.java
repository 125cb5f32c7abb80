// GENERATED from DoubleGruKernel.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * GRU with {@code reset_after=True} (Keras default; gate order z, r, h) in float32:
 * <pre>
 *   x = x_t·W + b_in,   rec = (h_{t-1} ∘ m_rec)·U + b_rec        (one GEMM for all three blocks)
 *   z = ract(x_z + rec_z),  r = ract(x_r + rec_r),  hh = act(x_h + r ∘ rec_h)
 *   h_t = z ∘ h_{t-1} + (1 - z) ∘ hh                              (undropped h_{t-1})
 * </pre>
 */
final class FloatGruKernel extends FloatCellKernel {
    private final Activation act;
    private final Activation ract;
    /** Tape (B·T, k·U): z, r, hh. */
    private float[] gateActs;
    /** Tape (B·T, U): rec_h = (h_{t-1} ∘ m_rec,h)·U_h + b_rec,h. */
    private float[] recH;

    FloatGruKernel(CellSpec cell, int inputDim, int batch, int time, List<Tensor> weights,
                              CellDropoutMasks masks, Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(cell, inputDim, batch, time, weights, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
        this.ract = cell.recurrentActivation();
    }

    @Override
    void allocateSequences() {
        if (tape) {
            gateActs = ws.floats(batch * time * width);
            recH = ws.floats(batch * time * units);
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
        float[] rec = new float[m * width];
        float[] hd = new float[m * units];
        float[] rowActs = new float[width];
        for (int s = 0; s < time; s++) {
            recurrentProduct(s, b0, m, 0, gates, hd, rec, 0, width);
            float[] hp = hPrevArray(s);
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
                float[] a = tape ? gateActs : rowActs;
                int aOff = tape ? zOff : 0;
                FloatActivations.apply(ract, pre, zOff, a, aOff, u2);
                // hh pre-activation: x_h + r ∘ rec_h
                for (int u = 0; u < units; u++) {
                    float rh = rec[recOff + u2 + u];
                    if (tape) {
                        recH[hOff + u] = rh;
                    }
                    pre[zOff + u2 + u] += a[aOff + units + u] * rh;
                }
                FloatActivations.apply(act, pre, zOff + u2, a, aOff + u2, units);
                // h_t = z ∘ h_{t-1} + (1 - z) ∘ hh
                for (int u = 0; u < units; u++) {
                    float z = a[aOff + u];
                    h[hOff + u] = z * hp[hpOff + u] + (1 - z) * a[aOff + u2 + u];
                }
            }
        }
    }

    @Override
    void backwardRows(int b0, int b1) {
        final int m = b1 - b0;
        final int u2 = 2 * units;
        float[] dh = new float[m * units];
        float[] dhp = new float[m * units];
        float[] tmp = new float[m * units];
        if (dhFinal != null) {
            System.arraycopy(dhFinal, b0 * units, dh, 0, m * units);
        }
        for (int s = time - 1; s >= 0; s--) {
            float[] hp = hPrevArray(s);
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
                    float z = gateActs[zOff + u];
                    float rr = gateActs[zOff + units + u];
                    float hh = gateActs[zOff + u2 + u];
                    float dhv = dh[dOff + u];
                    // h = z ∘ h_prev + (1 - z) ∘ hh
                    float dz = dhv * (hp[hpOff + u] - hh);
                    float dhh = dhv * (1 - z);
                    // hh = act(x_h + r ∘ rec_h)
                    float dPh = dhh * FloatActivations.derivative(act, pre[zOff + u2 + u], hh);
                    float dr = dPh * recH[hOff + u];
                    float dPz = dz * FloatActivations.derivative(ract, pre[zOff + u], z);
                    float dPr = dr * FloatActivations.derivative(ract, pre[zOff + units + u], rr);
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
