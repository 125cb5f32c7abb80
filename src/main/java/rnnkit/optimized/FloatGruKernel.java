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
 *   (computed as x_t·W_z + ((h_{t-1} ∘ m_rec)·U_z + (b_in,z + b_rec,z)), the two biases summed once; likewise r)
 *   h_t = z ∘ h_{t-1} + (1 - z) ∘ hh                              (undropped h_{t-1})
 * </pre>
 */
final class FloatGruKernel extends FloatCellKernel {
    private final Activation act;
    private final Activation ract;
    /** Keras's default activations (tanh, sigmoid): backward writes their derivatives out (1 - y², y(1 - y)) instead of a call per element. */
    private final boolean tanhAndSigmoid;
    /** Tape (B·T, k·U): z, r, hh. */
    private float[] gateActs;
    /** Tape (B·T, U): rec_h = (h_{t-1} ∘ m_rec,h)·U_h + b_rec,h. */
    private float[] recH;

    FloatGruKernel(FloatCellWeights weights, int inputDim, int batch, int time, CellDropoutMasks masks,
                              Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(weights, inputDim, batch, time, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
        this.ract = cell.recurrentActivation();
        this.tanhAndSigmoid = act == Activation.TANH && ract == Activation.SIGMOID;
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
    void epilogue(int phase, int s, int b0, int m, int u0, int u1, float[] rec, int recOff, int ldRec) {
        final int w = u1 - u0;
        float[] hp = hPrevArray(s);
        for (int i = 0; i < m; i++) {
            int b = b0 + i;
            int r = b * time + s;
            int hpOff = hPrevOffset(s, b) + u0;
            int hOff = r * units + u0;
            if (isMasked(r)) {
                System.arraycopy(hp, hpOff, h, hOff, w);
                continue;
            }
            int zOff = r * width + u0;
            int ro = recOff + i * ldRec;
            // z, r pre-activations: x_z + (rec_z + (b_in,z + b_rec,z)), likewise r
            for (int g = 0; g < 2; g++) {
                int zg = zOff + g * units;
                int rg = ro + g * w;
                if (gateBias != null) {
                    ActivationBlocks.SELECTED.addSum(pre, zg, rec, rg, gateBias, g * units + u0, w);
                } else {
                    ActivationBlocks.SELECTED.add(pre, zg, rec, rg, w);
                }
            }
            // z, r into the tape, or over this row's z and r tiles of rec (consumed above)
            float[] a = tape ? gateActs : rec;
            int aOff = tape ? zOff : ro;
            int aStep = tape ? units : w;
            FloatActivations.apply(ract, pre, zOff, a, aOff, w);
            FloatActivations.apply(ract, pre, zOff + units, a, aOff + aStep, w);
            // hh pre-activation: (x_h + b_in,h) + r ∘ (rec_h + b_rec,h)
            int zh = zOff + 2 * units;
            int rh = ro + 2 * w;
            if (recurrentBias != null) { // rec_h + b_rec,h over this row's h tile of rec
                ActivationBlocks.SELECTED.add(rec, rh, recurrentBias, u0, w);
            }
            if (tape) {
                System.arraycopy(rec, rh, recH, hOff, w);
            }
            if (gateBias != null) {
                ActivationBlocks.SELECTED.add(pre, zh, gateBias, 2 * units + u0, w);
            }
            ActivationBlocks.SELECTED.addMul(pre, zh, a, aOff + aStep, rec, rh, w);
            FloatActivations.apply(act, pre, zh, a, aOff + 2 * aStep, w);
            // h_t = z ∘ h_{t-1} + (1 - z) ∘ hh
            ActivationBlocks.SELECTED.interpolate(h, hOff, a, aOff, hp, hpOff, a, aOff + 2 * aStep, w);
        }
    }

    @Override
    void backwardRows(int b0, int b1) {
        final boolean tanhAndSigmoid = this.tanhAndSigmoid; // a local: the JIT unswitches the loops on it
        final int m = b1 - b0;
        final int u2 = 2 * units;
        float[] dh = finalStateCotangent(b0, m);
        float[] dhp = new float[m * units];
        float[] tmp = new float[m * units];
        for (int s = time - 1; s >= 0; s--) {
            float[] hp = hPrevArray(s);
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
                    float z = gateActs[zOff + u];
                    float rr = gateActs[zOff + units + u];
                    float hh = gateActs[zOff + u2 + u];
                    float dhv = dh[dOff + u];
                    // h = z ∘ h_prev + (1 - z) ∘ hh
                    float dz = dhv * (hp[hpOff + u] - hh);
                    float dhh = dhv * (1 - z);
                    // hh = act(x_h + r ∘ rec_h)
                    float dPh = dhh * (tanhAndSigmoid ? FloatActivations.tanhPrime(hh)
                            : FloatActivations.derivative(act, pre[zOff + u2 + u], hh));
                    float dr = dPh * recH[hOff + u];
                    float dPz = dz * (tanhAndSigmoid ? FloatActivations.sigmoidPrime(z)
                            : FloatActivations.derivative(ract, pre[zOff + u], z));
                    float dPr = dr * (tanhAndSigmoid ? FloatActivations.sigmoidPrime(rr)
                            : FloatActivations.derivative(ract, pre[zOff + units + u], rr));
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
