// FloatSimpleRnnKernel.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.Activation;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * SimpleRNN in float64: {@code h_t = act(x_t·W + b + (h_{t-1} ∘ m_rec)·U)}.
 */
final class DoubleSimpleRnnKernel extends DoubleCellKernel {
    private final Activation act;

    DoubleSimpleRnnKernel(DoubleCellWeights weights, int inputDim, int batch, int time, CellDropoutMasks masks,
                          Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        super(weights, inputDim, batch, time, masks, gemm, runner, rowAlign, tape);
        this.act = cell.activation();
    }

    @Override
    void allocateSequences() {
    }

    @Override
    void epilogue(int phase, int s, int b0, int m, int u0, int u1, double[] rec, int recOff, int ldRec) {
        final int w = u1 - u0;
        double[] hp = hPrevArray(s);
        for (int i = 0; i < m; i++) {
            int b = b0 + i;
            int r = b * time + s;
            int hOff = r * units + u0;
            if (isMasked(r)) {
                System.arraycopy(hp, hPrevOffset(s, b) + u0, h, hOff, w);
                continue;
            }
            int ro = recOff + i * ldRec;
            // z = x_t·W + (b + h_{t-1}·U) (in place in pre); h_t = act(z)
            if (gateBias != null) {
                ActivationBlocks.SELECTED.addSum(pre, hOff, gateBias, u0, rec, ro, w);
            } else {
                ActivationBlocks.SELECTED.add(pre, hOff, rec, ro, w);
            }
            DoubleActivations.apply(act, pre, hOff, h, hOff, w);
        }
    }

    @Override
    void backwardRows(int b0, int b1) {
        final int m = b1 - b0;
        double[] dh = new double[m * units];
        double[] dhp = new double[m * units];
        double[] tmp = new double[m * units];
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
                DoubleActivations.derivativeTimes(act, dh, dOff, pre, hOff, h, hOff, dIn, hOff, units);
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
