// GENERATED from DoubleSimpleRnnKernel.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * SimpleRNN in float32: {@code h_t = act(x_t·W + b + (h_{t-1} ∘ m_rec)·U)}.
 */
final class FloatSimpleRnnKernel extends FloatCellKernel {
    private final Activation act;

    FloatSimpleRnnKernel(CellSpec cell, int inputDim, int batch, int time, List<Tensor> weights, CellDropoutMasks masks,
                          Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(cell, inputDim, batch, time, weights, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
    }

    @Override
    void allocateSequences() {
    }

    @Override
    void forwardRows(int b0, int b1) {
        final int m = b1 - b0;
        float[] rec = new float[m * units];
        float[] hd = new float[m * units];
        for (int s = 0; s < time; s++) {
            // rec = (h_{t-1} ∘ m_rec) · U for the slice: one GEMM
            recurrentProduct(s, b0, m, 0, 1, hd, rec, 0, units);
            float[] hp = hPrevArray(s);
            for (int i = 0; i < m; i++) {
                int b = b0 + i;
                int r = b * time + s;
                int hOff = r * units;
                if (isMasked(r)) {
                    System.arraycopy(hp, hPrevOffset(s, b), h, hOff, units);
                    continue;
                }
                // z = x_t·W + b + h_{t-1}·U (in place in pre); h_t = act(z)
                if (inputBias != null) {
                    for (int u = 0; u < units; u++) {
                        pre[hOff + u] += inputBias[u] + rec[i * units + u];
                    }
                } else {
                    for (int u = 0; u < units; u++) {
                        pre[hOff + u] += rec[i * units + u];
                    }
                }
                FloatActivations.apply(act, pre, hOff, h, hOff, units);
            }
        }
    }

    @Override
    void backwardRows(int b0, int b1) {
        final int m = b1 - b0;
        float[] dh = new float[m * units];
        float[] dhp = new float[m * units];
        float[] tmp = new float[m * units];
        if (dhFinal != null) {
            System.arraycopy(dhFinal, b0 * units, dh, 0, m * units);
        }
        for (int s = time - 1; s >= 0; s--) {
            for (int i = 0; i < m; i++) {
                int r = (b0 + i) * time + s;
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
                // dz = dh ∘ act'(z)
                for (int u = 0; u < units; u++) {
                    dIn[hOff + u] = dh[dOff + u] * FloatActivations.derivative(act, pre[hOff + u], h[hOff + u]);
                }
            }
            // dh_{t-1} = (dz · U^T) ∘ m_rec
            recurrentGradient(s, b0, m, 0, 1, dIn, dhp, tmp);
            for (int i = 0; i < m; i++) {
                if (!isMasked((b0 + i) * time + s)) {
                    System.arraycopy(dhp, i * units, dh, i * units, units);
                }
            }
        }
        System.arraycopy(dh, 0, dh0, b0 * units, m * units);
    }
}
