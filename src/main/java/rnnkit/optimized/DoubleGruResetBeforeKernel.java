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
    /** Keras's default activations (tanh, sigmoid): backward writes their derivatives out (1 - y², y(1 - y)) instead of a call per element. */
    private final boolean tanhAndSigmoid;
    /** Tape (B·T, k·U): z, r, hh. */
    private double[] gateActs;
    /** Tape (B·T, U): r ∘ h_{t-1} ∘ m_h, the operand of the h-block product. */
    private double[] resetH;
    /** (B, U): this step's r ∘ h_{t-1} ∘ m_h, the left operand of the h-block product. */
    private double[] resetOperand;
    /** Without a tape, (B, 2U): this step's z and r, kept from the first product's epilogue to the second's. */
    private double[] stepActs;

    DoubleGruResetBeforeKernel(DoubleCellWeights weights, int inputDim, int batch, int time, CellDropoutMasks masks,
                               Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(weights, inputDim, batch, time, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
        this.ract = cell.recurrentActivation();
        this.tanhAndSigmoid = act == Activation.TANH && ract == Activation.SIGMOID;
    }

    @Override
    void allocateSequences() {
        if (tape) {
            gateActs = ws.doubles(batch * time * width);
            resetH = ws.doubles(batch * time * units);
        } else {
            // per step, not per sequence: new arrays, so that the workspace sees the same requests forward and backward
            stepActs = new double[batch * 2 * units];
        }
        resetOperand = new double[batch * units];
    }

    /** Phase 1 (the h block) multiplies r ∘ h_{t-1} ∘ m_h, made by phase 0's epilogue. */
    @Override
    double[] operandArray(int phase, int s) {
        return phase == 0 ? super.operandArray(phase, s) : resetOperand;
    }

    @Override
    int operandOffset(int phase, int s, int b) {
        return phase == 0 ? super.operandOffset(phase, s, b) : b * units;
    }

    @Override
    int operandStride(int phase, int s) {
        return phase == 0 ? super.operandStride(phase, s) : units;
    }

    @Override
    boolean operandMasked(int phase) {
        return phase == 0;
    }

    @Override
    void epilogue(int phase, int s, int b0, int m, int u0, int u1, double[] rec, int recOff, int ldRec) {
        final int w = u1 - u0;
        final int u2 = 2 * units;
        double[] hp = hPrevArray(s);
        for (int i = 0; i < m; i++) {
            int b = b0 + i;
            int r = b * time + s;
            int hpOff = hPrevOffset(s, b) + u0;
            int zOff = r * width + u0;
            int ro = recOff + i * ldRec;
            double[] a = tape ? gateActs : stepActs;
            int aOff = tape ? zOff : b * u2 + u0;
            if (phase == 0) {
                if (isMasked(r)) {
                    continue;
                }
                // x_z + (rec_z + b_z), x_r + (rec_r + b_r)
                for (int g = 0; g < 2; g++) {
                    int zg = zOff + g * units;
                    int rg = ro + g * w;
                    if (gateBias != null) {
                        ActivationBlocks.SELECTED.addSum(pre, zg, rec, rg, gateBias, g * units + u0, w);
                    } else {
                        ActivationBlocks.SELECTED.add(pre, zg, rec, rg, w);
                    }
                }
                DoubleActivations.apply(ract, pre, zOff, a, aOff, w);
                DoubleActivations.apply(ract, pre, zOff + units, a, aOff + units, w);
                // rh = r ∘ (h_{t-1} ∘ m_h)
                double[] maskH = recurrentMask[2];
                if (maskH == null) {
                    ActivationBlocks.SELECTED.mul(resetOperand, b * units + u0, a, aOff + units, hp, hpOff, w);
                    if (tape) {
                        System.arraycopy(resetOperand, b * units + u0, resetH, r * units + u0, w);
                    }
                    continue;
                }
                for (int j = 0; j < w; j++) {
                    double hv = hp[hpOff + j] * (maskH != null ? maskH[b * units + u0 + j] : 1);
                    double v = a[aOff + units + j] * hv;
                    resetOperand[b * units + u0 + j] = v;
                    if (tape) {
                        resetH[r * units + u0 + j] = v;
                    }
                }
                continue;
            }
            int hOff = r * units + u0;
            if (isMasked(r)) {
                System.arraycopy(hp, hpOff, h, hOff, w);
                continue;
            }
            // hh = act(x_h + (rh·U_h + b_h))
            int zh = zOff + u2;
            if (gateBias != null) {
                ActivationBlocks.SELECTED.addSum(pre, zh, rec, ro, gateBias, u2 + u0, w);
            } else {
                ActivationBlocks.SELECTED.add(pre, zh, rec, ro, w);
            }
            double[] hh = tape ? gateActs : rec;
            int hhOff = tape ? zh : ro;
            DoubleActivations.apply(act, pre, zh, hh, hhOff, w);
            // h_t = z ∘ h_{t-1} + (1 - z) ∘ hh
            ActivationBlocks.SELECTED.interpolate(h, hOff, a, aOff, hp, hpOff, hh, hhOff, w);
        }
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
        final boolean tanhAndSigmoid = this.tanhAndSigmoid; // a local: the JIT unswitches the loops on it
        final int m = b1 - b0;
        final int u2 = 2 * units;
        final double[] maskH = recurrentMask[2];
        double[] dh = finalStateCotangent(b0, m);
        double[] dRh = new double[m * units];
        double[] dhp = new double[m * units];
        double[] tmp = new double[m * units];
        for (int s = time - 1; s >= 0; s--) {
            double[] hp = hPrevArray(s);
            for (int i = 0; i < m; i++) {
                int b = b0 + i;
                int r = b * time + s;
                int hOff = r * units;
                int dOff = i * units;
                addSequenceCotangent(dh, dOff, hOff);
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
                    dIn[zOff + u2 + u] = dhh * (tanhAndSigmoid ? DoubleActivations.tanhPrime(hh)
                            : DoubleActivations.derivative(act, pre[zOff + u2 + u], hh));
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
                    dIn[zOff + u] = dIn[zOff + u] * (tanhAndSigmoid ? DoubleActivations.sigmoidPrime(z)
                            : DoubleActivations.derivative(ract, pre[zOff + u], z));
                    dIn[zOff + units + u] = dr * (tanhAndSigmoid ? DoubleActivations.sigmoidPrime(rr)
                            : DoubleActivations.derivative(ract, pre[zOff + units + u], rr));
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
