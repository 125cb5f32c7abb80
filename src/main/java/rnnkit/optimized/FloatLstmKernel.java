// GENERATED from DoubleLstmKernel.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * LSTM (Keras gate order i, f, c, o) in float32:
 * <pre>
 *   z   = x_t·W + (h_{t-1} ∘ m_rec)·U + b
 *   i = ract(z_i), f = ract(z_f), g = act(z_c), o = ract(z_o)
 *   c_t = f ∘ c_{t-1} + i ∘ g
 *   h_t = o ∘ act(c_t)
 * </pre>
 */
final class FloatLstmKernel extends FloatCellKernel {
    private final Activation act;
    private final Activation ract;
    /** Keras's default activations (tanh, sigmoid): backward writes their derivatives out (1 - y², y(1 - y)) instead of a call per element. */
    private final boolean tanhAndSigmoid;
    /** (B, U) initial carry. */
    private float[] c0;
    /** (B·T, U): c after every step. */
    private float[] c;
    /** Tape (B·T, k·U): gate activations i, f, g, o. */
    private float[] gateActs;
    /** Tape (B·T, U): act(c_t). */
    private float[] actC;
    private float[] dc0;

    FloatLstmKernel(FloatCellWeights weights, int inputDim, int batch, int time, CellDropoutMasks masks,
                     Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(weights, inputDim, batch, time, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
        this.ract = cell.recurrentActivation();
        this.tanhAndSigmoid = act == Activation.TANH && ract == Activation.SIGMOID;
    }

    @Override
    int stateCount() {
        return 2;
    }

    @Override
    void setInitialCarry(float[][] initial) {
        c0 = initial.length > 1 && initial[1] != null ? initial[1] : new float[batch * units];
    }

    @Override
    void allocateSequences() {
        c = ws.floatsToOverwrite(batch * time * units);
        if (tape) {
            gateActs = ws.floats(batch * time * width);
            actC = ws.floats(batch * time * units);
        }
    }

    @Override
    float[][] finalStates() {
        return new float[][] {finalH(), lastStep(c)};
    }

    private float[] cPrevArray(int s) {
        return s == 0 ? c0 : c;
    }

    @Override
    void epilogue(int phase, int s, int b0, int m, int u0, int u1, float[] rec, int recOff, int ldRec) {
        final int w = u1 - u0;
        float[] hp = hPrevArray(s);
        float[] cp = cPrevArray(s);
        for (int i = 0; i < m; i++) {
            int b = b0 + i;
            int r = b * time + s;
            int hpOff = hPrevOffset(s, b) + u0;
            int hOff = r * units + u0;
            if (isMasked(r)) {
                // masked step: states carried over unchanged
                System.arraycopy(hp, hpOff, h, hOff, w);
                System.arraycopy(cp, hpOff, c, hOff, w);
                continue;
            }
            int zOff = r * width + u0;
            int ro = recOff + i * ldRec;
            // z = x_t·W (precomputed) + (h_{t-1}·U + b), in place in pre, gate g of these units at zOff + g·U
            for (int g = 0; g < 4; g++) {
                int zg = zOff + g * units;
                int rg = ro + g * w;
                if (gateBias != null) {
                    ActivationBlocks.SELECTED.addSum(pre, zg, rec, rg, gateBias, g * units + u0, w);
                } else {
                    ActivationBlocks.SELECTED.add(pre, zg, rec, rg, w);
                }
            }
            // i, f = ract(z_i, z_f); g = act(z_c); o = ract(z_o): into the tape, or over this row's rec tile
            float[] a = tape ? gateActs : rec;
            int aOff = tape ? zOff : ro;
            int aStep = tape ? units : w;
            FloatActivations.apply(ract, pre, zOff, a, aOff, w);
            FloatActivations.apply(ract, pre, zOff + units, a, aOff + aStep, w);
            FloatActivations.apply(act, pre, zOff + 2 * units, a, aOff + 2 * aStep, w);
            FloatActivations.apply(ract, pre, zOff + 3 * units, a, aOff + 3 * aStep, w);
            // c_t = f ∘ c_{t-1} + i ∘ g
            ActivationBlocks.SELECTED.mulAddMul(c, hOff, a, aOff + aStep, cp, hpOff, a, aOff, a, aOff + 2 * aStep, w);
            // h_t = o ∘ act(c_t); without a tape act(c_t) goes where i was (no longer needed)
            float[] tc = tape ? actC : rec;
            int tcOff = tape ? hOff : ro;
            FloatActivations.apply(act, c, hOff, tc, tcOff, w);
            ActivationBlocks.SELECTED.mul(h, hOff, a, aOff + 3 * aStep, tc, tcOff, w);
        }
    }

    @Override
    void allocateBackward() {
        dc0 = new float[batch * units];
    }

    @Override
    float[][] initialStateGradients() {
        return new float[][] {dh0, dc0};
    }

    @Override
    void backwardRows(int b0, int b1) {
        final boolean tanhAndSigmoid = this.tanhAndSigmoid; // a local: the JIT unswitches the loops on it
        final int m = b1 - b0;
        final int u4 = width;
        float[] dh = new float[m * units];
        float[] dc = new float[m * units];
        float[] dhp = new float[m * units];
        float[] tmp = new float[m * units];
        if (dhFinal != null) {
            System.arraycopy(dhFinal, b0 * units, dh, 0, m * units);
        }
        if (dcFinal != null) {
            System.arraycopy(dcFinal, b0 * units, dc, 0, m * units);
        }
        for (int s = time - 1; s >= 0; s--) {
            float[] cp = cPrevArray(s);
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
                    continue; // dIn row stays 0; dh, dc carried to the previous step
                }
                int zOff = r * u4;
                int cpOff = hPrevOffset(s, b);
                for (int u = 0; u < units; u++) {
                    float gi = gateActs[zOff + u];
                    float gf = gateActs[zOff + units + u];
                    float gg = gateActs[zOff + 2 * units + u];
                    float go = gateActs[zOff + 3 * units + u];
                    float tc = actC[hOff + u];
                    float dhv = dh[dOff + u];
                    // h = o ∘ act(c): do = dh ∘ act(c); dc += dh ∘ o ∘ act'(c)
                    float dO = dhv * tc;
                    float dct = dc[dOff + u] + dhv * go * (tanhAndSigmoid ? FloatActivations.tanhPrime(tc)
                            : FloatActivations.derivative(act, c[hOff + u], tc));
                    // c = f ∘ c_prev + i ∘ g
                    float dI = dct * gg;
                    float dF = dct * cp[cpOff + u];
                    float dG = dct * gi;
                    dc[dOff + u] = dct * gf;
                    dIn[zOff + u] = dI * (tanhAndSigmoid ? FloatActivations.sigmoidPrime(gi)
                            : FloatActivations.derivative(ract, pre[zOff + u], gi));
                    dIn[zOff + units + u] = dF * (tanhAndSigmoid ? FloatActivations.sigmoidPrime(gf)
                            : FloatActivations.derivative(ract, pre[zOff + units + u], gf));
                    dIn[zOff + 2 * units + u] = dG * (tanhAndSigmoid ? FloatActivations.tanhPrime(gg)
                            : FloatActivations.derivative(act, pre[zOff + 2 * units + u], gg));
                    dIn[zOff + 3 * units + u] = dO * (tanhAndSigmoid ? FloatActivations.sigmoidPrime(go)
                            : FloatActivations.derivative(ract, pre[zOff + 3 * units + u], go));
                }
            }
            // dh_{t-1} = Σ_g (dz_g · U_g^T) ∘ m_rec,g: one GEMM over the slice (masked rows have dz = 0)
            recurrentGradient(s, b0, m, 0, gates, dIn, dhp, tmp);
            for (int i = 0; i < m; i++) {
                if (!isMasked((b0 + i) * time + s)) {
                    System.arraycopy(dhp, i * units, dh, i * units, units);
                }
            }
        }
        System.arraycopy(dh, 0, dh0, b0 * units, m * units);
        System.arraycopy(dc, 0, dc0, b0 * units, m * units);
    }
}
