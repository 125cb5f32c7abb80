// FloatGruResetBeforeKernel.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * GRU with {@code reset_after=False} (gate order z, r, h) in float64. The reset gate multiplies h before the
 * h-block product, so each step needs two GEMMs:
 * <pre>
 *   x = x_t·W + b
 *   z = ract(x_z + (h_{t-1} ∘ m_z)·U_z),  r = ract(x_r + (h_{t-1} ∘ m_r)·U_r)      (GEMM 1: z and r blocks)
 *   hh = act(x_h + (r ∘ h_{t-1} ∘ m_h)·U_h)                                        (GEMM 2: h block)
 *   h_t = z ∘ h_{t-1} + (1 - z) ∘ hh                                               (undropped h_{t-1})
 * </pre>
 */
final class DoubleGruResetBeforeKernel extends DoubleCellKernel {
    private final Activation act;
    private final Activation ract;
    /** Tape (B·T, k·U): z, r, hh. */
    private double[] gateActs;
    /** Tape (B·T, U): r ∘ h_{t-1} ∘ m_h, the operand of the h-block product. */
    private double[] resetH;

    DoubleGruResetBeforeKernel(CellSpec cell, int inputDim, int batch, int time, List<Tensor> weights,
                               CellDropoutMasks masks, Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(cell, inputDim, batch, time, weights, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
        this.ract = cell.recurrentActivation();
    }

    @Override
    void allocateSequences() {
        if (tape) {
            gateActs = ws.doubles(batch * time * width);
            resetH = ws.doubles(batch * time * units);
        }
    }

    @Override
    void forwardRows(int b0, int b1) {
        final int m = b1 - b0;
        final int u2 = 2 * units;
        final double[] maskH = recurrentMask[2];
        double[] rec = new double[m * width];
        double[] hd = new double[m * units];
        double[] rh = new double[m * units];
        double[] rowActs = new double[m * width];
        for (int s = 0; s < time; s++) {
            // GEMM 1: z and r blocks of (h_{t-1} ∘ m) · U
            recurrentProduct(s, b0, m, 0, 2, hd, rec, 0, width);
            double[] hp = hPrevArray(s);
            for (int i = 0; i < m; i++) {
                int b = b0 + i;
                int r = b * time + s;
                if (isMasked(r)) {
                    continue;
                }
                int zOff = r * width;
                int hpOff = hPrevOffset(s, b);
                // x_z + b_z + rec_z, x_r + b_r + rec_r
                for (int j = 0; j < u2; j++) {
                    pre[zOff + j] += rec[i * width + j] + (inputBias != null ? inputBias[j] : 0);
                }
                double[] a = tape ? gateActs : rowActs;
                int aOff = tape ? zOff : i * width;
                DoubleActivations.apply(ract, pre, zOff, a, aOff, u2);
                // rh = r ∘ (h_{t-1} ∘ m_h)
                for (int u = 0; u < units; u++) {
                    double hv = hp[hpOff + u] * (maskH != null ? maskH[b * units + u] : 1);
                    double v = a[aOff + units + u] * hv;
                    rh[i * units + u] = v;
                    if (tape) {
                        resetH[r * units + u] = v;
                    }
                }
            }
            // GEMM 2: h block, rh · U_h
            recurrentGemm(2, 3, m, rh, 0, units, rec, u2, width);
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
                double[] a = tape ? gateActs : rowActs;
                int aOff = tape ? zOff : i * width;
                // hh = act(x_h + b_h + rh·U_h)
                for (int u = 0; u < units; u++) {
                    pre[zOff + u2 + u] += rec[i * width + u2 + u] + (inputBias != null ? inputBias[u2 + u] : 0);
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

    /** GEMM 1 covers the z and r blocks, GEMM 2 the h block. */
    @Override
    int[][] recurrentGateRanges() {
        return new int[][] {{0, 2}, {2, 3}};
    }

    @Override
    double[] recurrentOperand(int g) {
        return g == 2 ? resetH : super.recurrentOperand(g);
    }

    @Override
    boolean sameRecurrentOperand(int g) {
        return g != 2 && super.sameRecurrentOperand(g);
    }

    @Override
    void backwardRows(int b0, int b1) {
        final int m = b1 - b0;
        final int u2 = 2 * units;
        final double[] maskH = recurrentMask[2];
        double[] dh = new double[m * units];
        double[] dRh = new double[m * units];
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
                    double hh = gateActs[zOff + u2 + u];
                    double dhv = dh[dOff + u];
                    // h = z ∘ h_prev + (1 - z) ∘ hh: dz (kept in the z slot until r is known), dhh, direct path
                    dIn[zOff + u] = dhv * (hp[hpOff + u] - hh);
                    double dhh = dhv * (1 - z);
                    dIn[zOff + u2 + u] = dhh * DoubleActivations.derivative(act, pre[zOff + u2 + u], hh);
                    dh[dOff + u] = dhv * z;
                }
            }
            // d(rh) = dz_h · U_h^T
            recurrentGemm(2, 3, m, dIn, (b0 * time + s) * width + u2, time * width, false, dRh, 0, units);
            for (int i = 0; i < m; i++) {
                int b = b0 + i;
                int r = b * time + s;
                if (isMasked(r)) {
                    continue;
                }
                int zOff = r * width;
                int hpOff = hPrevOffset(s, b);
                int dOff = i * units;
                for (int u = 0; u < units; u++) {
                    double z = gateActs[zOff + u];
                    double rr = gateActs[zOff + units + u];
                    double mh = maskH != null ? maskH[b * units + u] : 1;
                    double drh = dRh[dOff + u];
                    // rh = r ∘ h_prev ∘ m_h: dr = d(rh) ∘ h_prev ∘ m_h, dh_prev += d(rh) ∘ r ∘ m_h
                    double dr = drh * (hp[hpOff + u] * mh);
                    dIn[zOff + u] = dIn[zOff + u] * DoubleActivations.derivative(ract, pre[zOff + u], z);
                    dIn[zOff + units + u] = dr * DoubleActivations.derivative(ract, pre[zOff + units + u], rr);
                    dh[dOff + u] += drh * rr * mh;
                }
            }
            // dh_{t-1} += Σ_{g in z, r} (dz_g · U_g^T) ∘ m_g
            recurrentGradient(s, b0, m, 0, 2, dIn, dhp, tmp);
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
