// GENERATED from DoubleRecurrentLayer.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * A Keras recurrent layer (one cell or {@code RNN([cells])}) in float32 over one call: go_backwards, masks,
 * initial and final states, return_sequences, zero_output_for_mask, forward and backward.
 *
 * <p>Stacked cells run cell by cell over the whole sequence (cell i+1 sees cell i's h sequence), which equals
 * Keras's step-by-step stacking: at a masked step Keras carries every cell's state and discards the step's
 * outputs, so what cell i+1 receives there does not matter. This lets every cell project all its inputs in one GEMM.
 *
 * <p>Keras masking (backend/tensorflow/rnn.py): at a masked step the states are carried over and the output is
 * the previous step's output (zeros before the first real step), or zeros with zero_output_for_mask.
 */
final class FloatRecurrentLayer {
    private final RnnLayerSpec spec;
    private final int batch;
    private final int time;
    private final int inputDim;
    private final FloatCellKernel[] cells;
    private boolean[] stepMask;
    /** Working arrays of the current call. */
    private final Workspace ws;

    /**
     * @param cellWeights the prepared weights of each cell of {@code spec}, in order
     */
    FloatRecurrentLayer(RnnLayerSpec spec, List<FloatCellWeights> cellWeights, int inputDim, int batch, int time,
                         List<CellDropoutMasks> dropout, Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape,
                         Workspace ws) {
        this.spec = spec;
        this.ws = ws;
        this.batch = batch;
        this.time = time;
        this.inputDim = inputDim;
        this.cells = new FloatCellKernel[spec.cells().size()];
        for (int i = 0; i < cells.length; i++) {
            CellDropoutMasks m = dropout.isEmpty() ? CellDropoutMasks.none() : dropout.get(i);
            cells[i] = FloatCellKernel.create(cellWeights.get(i), spec.cellInputDim(i, inputDim), batch, time, m, gemm,
                    runner, rowAlign, tape, ws);
        }
    }

    int units() {
        return spec.units();
    }

    /**
     * Runs the layer.
     *
     * @param x (B, T, D) in input order
     * @param mask (B·T) in input order, or null
     * @param initialStates flattened initial states (Keras order), or null for zeros
     * @return the output: (B, T, U) in processing order with return_sequences, else (B, U)
     */
    float[] forward(float[] x, boolean[] mask, float[][] initialStates) {
        float[] in = spec.goBackwards() ? reverseTime(x, inputDim, false) : x;
        stepMask = mask == null ? null : (spec.goBackwards() ? reverseTime(mask) : mask);
        int k = 0;
        for (FloatCellKernel cell : cells) {
            float[][] init = new float[cell.stateCount()][];
            for (int j = 0; j < init.length; j++) {
                init[j] = initialStates == null ? null : initialStates[k + j];
            }
            k += init.length;
            cell.forward(in, stepMask, init);
            in = cell.h;
        }
        return outputs(cells[cells.length - 1].h);
    }

    /** Final states, flattened in Keras order (cell by cell; LSTM h then c). */
    float[][] finalStates() {
        List<float[]> out = new ArrayList<>();
        for (FloatCellKernel cell : cells) {
            for (float[] s : cell.finalStates()) {
                out.add(s);
            }
        }
        return out.toArray(new float[0][]);
    }

    int stateCount() {
        int n = 0;
        for (FloatCellKernel cell : cells) {
            n += cell.stateCount();
        }
        return n;
    }

    /**
     * o_s = h_s at a real step; at a masked step o_{s-1} (zeros before the first real step) or zeros with
     * zero_output_for_mask. The layer returns all o_s or only o_{T-1}.
     */
    private float[] outputs(float[] h) {
        int u = units();
        boolean seq = spec.returnSequences();
        boolean zero = spec.zeroOutputForMask();
        float[] out = FloatPrecision.resultBuffer(ws, seq ? batch * time * u : batch * u);
        for (int b = 0; b < batch; b++) {
            int last = -1;
            for (int s = 0; s < time; s++) {
                int r = b * time + s;
                boolean real = stepMask == null || stepMask[r];
                if (real) {
                    last = s;
                }
                if (!seq && s != time - 1) {
                    continue;
                }
                int dst = seq ? r * u : b * u;
                if (real) {
                    System.arraycopy(h, r * u, out, dst, u);
                } else if (!zero && last >= 0) {
                    System.arraycopy(h, (b * time + last) * u, out, dst, u);
                }
            }
        }
        return out;
    }

    /**
     * Backward pass.
     *
     * @param dOutput cotangent of the output (shape as returned by forward)
     * @param dFinal cotangents of the final states (flattened), or null for zeros
     * @return the gradient wrt x, (B, T, D) in input order
     */
    float[] backward(float[] dOutput, float[][] dFinal) {
        float[] dH = outputGradientToStates(dOutput);
        int k = stateCount();
        for (int i = cells.length - 1; i >= 0; i--) {
            FloatCellKernel cell = cells[i];
            k -= cell.stateCount();
            float[][] d = new float[cell.stateCount()][];
            for (int j = 0; j < d.length; j++) {
                d[j] = dFinal == null ? null : dFinal[k + j];
            }
            cell.backward(dH, d);
            dH = cell.dX;
        }
        return spec.goBackwards() ? reverseTime(dH, inputDim, true) : dH;
    }

    /**
     * Reverse of {@link #outputs}: the gradient wrt each o_s goes to h_s at a real step, and at a masked step to
     * o_{s-1} (nowhere with zero_output_for_mask).
     */
    private float[] outputGradientToStates(float[] dOut) {
        int u = units();
        boolean seq = spec.returnSequences();
        boolean zero = spec.zeroOutputForMask();
        float[] dH = ws.floats(batch * time * u);
        float[] carry = new float[u];
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(carry, 0);
            for (int s = time - 1; s >= 0; s--) {
                int r = b * time + s;
                if (seq) {
                    for (int j = 0; j < u; j++) {
                        carry[j] += dOut[r * u + j];
                    }
                } else if (s == time - 1) {
                    for (int j = 0; j < u; j++) {
                        carry[j] += dOut[b * u + j];
                    }
                }
                boolean real = stepMask == null || stepMask[r];
                if (real) {
                    System.arraycopy(carry, 0, dH, r * u, u);
                    java.util.Arrays.fill(carry, 0);
                } else if (zero) {
                    java.util.Arrays.fill(carry, 0);
                }
            }
        }
        return dH;
    }

    /** Weight gradients in get_weights() order. */
    List<Tensor> weightGradients() {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            FloatCellKernel c = cells[i];
            List<int[]> shapes = c.cell.weightShapes(c.inputDim);
            out.add(FloatPrecision.tensor(c.dKernel, shapes.get(0)));
            out.add(FloatPrecision.tensor(c.dRecurrentKernel, shapes.get(1)));
            if (c.cell.useBias()) {
                out.add(FloatPrecision.tensor(c.dBias, shapes.get(2)));
            }
        }
        return out;
    }

    /** Initial state gradients, flattened in Keras order. */
    float[][] initialStateGradients() {
        List<float[]> out = new ArrayList<>();
        for (FloatCellKernel cell : cells) {
            for (float[] s : cell.initialStateGradients()) {
                out.add(s);
            }
        }
        return out.toArray(new float[0][]);
    }

    /** (B, T, w) with the time axis reversed, in a gradient buffer (may be returned) or a forward-result buffer. */
    float[] reverseTime(float[] a, int w, boolean gradient) {
        float[] out = gradient ? FloatPrecision.gradientBuffer(ws, a.length) : FloatPrecision.resultBuffer(ws, a.length);
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < time; s++) {
                System.arraycopy(a, (b * time + s) * w, out, (b * time + time - 1 - s) * w, w);
            }
        }
        return out;
    }

    private boolean[] reverseTime(boolean[] a) {
        boolean[] out = new boolean[a.length];
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < time; s++) {
                out[b * time + time - 1 - s] = a[b * time + s];
            }
        }
        return out;
    }
}
