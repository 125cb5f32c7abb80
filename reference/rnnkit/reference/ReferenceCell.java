package rnnkit.reference;

import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.Tensor;

/**
 * What the three reference cells share: their weights as plain matrices, the dropout masks of one call, the
 * gradients accumulated over the steps of one call, and the few batched matrix products the equations are
 * written with. One instance serves one call of one cell (it accumulates that call's weight gradients).
 *
 * <p>Matrices are {@code double[rows][cols]}; a batch of vectors is {@code double[batch][width]}; states are
 * {@code double[state][batch][units]} in Keras order (LSTM h then c). Gate block g of a (rows, k·units) weight
 * matrix is its column range {@code [g·units, (g+1)·units)}.
 */
abstract class ReferenceCell {

    /** The result of one forward step, holding what the backward step needs. */
    interface Step {
        /** The cell's new states, Keras order; [0] is h, which is also the cell's output. */
        double[][][] newStates();

        /**
         * Back-propagates cotangents of the new states through this step (the output is h, so an output
         * cotangent is added to {@code dNewStates[0]} by the caller), accumulates the weight gradients of the
         * cell and returns the cotangents of the step input and of the previous states.
         */
        StepGradient backward(double[][][] dNewStates);
    }

    /** Cotangents of one step's input (batch, input_dim) and previous states (state, batch, units). */
    record StepGradient(double[][] input, double[][][] previousStates) {
    }

    final CellSpec spec;
    final int inputDim;
    final int units;
    final int batch;
    /** kernel (input_dim, k·units), applied as x @ kernel. */
    final double[][] kernel;
    /** recurrent_kernel (units, k·units), applied as h @ recurrent_kernel. */
    final double[][] recurrentKernel;
    /** Input dropout mask per gate block (batch, input_dim), or null where Keras applies none. */
    final double[][][] inputMasks;
    /** Recurrent dropout mask per gate block (batch, units), or null where Keras applies none. */
    final double[][][] recurrentMasks;

    /** Gradients accumulated over all backward steps of this call. */
    final double[][] kernelGradient;
    final double[][] recurrentKernelGradient;

    /**
     * @param weights this cell's weights in get_weights() order (kernel, recurrent_kernel[, bias])
     * @param lstmOrGruDropoutRule when Keras applies given masks: SimpleRNN whenever its rate is positive (false
     *     here); LSTM and GRU only for {@code 0 < rate < 1} ({@code training and 0.0 < self.dropout < 1.0} in
     *     their call(), true here)
     */
    ReferenceCell(CellSpec spec, int inputDim, int batch, List<Tensor> weights, CellDropoutMasks masks,
                  boolean lstmOrGruDropoutRule) {
        this.spec = spec;
        this.inputDim = inputDim;
        this.units = spec.units();
        this.batch = batch;
        this.kernel = matrix(weights.get(0));
        this.recurrentKernel = matrix(weights.get(1));
        this.kernelGradient = new double[inputDim][spec.gates() * units];
        this.recurrentKernelGradient = new double[units][spec.gates() * units];
        boolean inputRateApplies = !lstmOrGruDropoutRule || (spec.dropout() > 0 && spec.dropout() < 1);
        boolean recurrentRateApplies = !lstmOrGruDropoutRule
                || (spec.recurrentDropout() > 0 && spec.recurrentDropout() < 1);
        this.inputMasks = new double[spec.gates()][][];
        this.recurrentMasks = new double[spec.gates()][][];
        for (int g = 0; g < spec.gates(); g++) {
            Tensor in = masks.inputMask(g);
            Tensor rec = masks.recurrentMask(g);
            inputMasks[g] = in != null && inputRateApplies ? matrix(in) : null;
            recurrentMasks[g] = rec != null && recurrentRateApplies ? matrix(rec) : null;
        }
    }

    /** One forward step: x (batch, input_dim) and the previous states (state, batch, units). */
    abstract Step forward(double[][] x, double[][][] states);

    /** This call's accumulated gradients in get_weights() order. */
    abstract List<Tensor> weightGradients();

    // ---- the batched products the equations are written with ----

    /** A (rows, cols) tensor as a Java matrix (copied). */
    static double[][] matrix(Tensor t) {
        int rows = t.dim(0);
        int cols = t.dim(1);
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(t.data(), r * cols, m[r], 0, cols);
        }
        return m;
    }

    static Tensor tensor(double[][] m) {
        return Tensor.matrix(m);
    }

    static double[] vector(Tensor t, int offset, int length) {
        double[] v = new double[length];
        System.arraycopy(t.data(), offset, v, 0, length);
        return v;
    }

    /** x ∘ mask (element-wise), or x itself when mask is null (no dropout). */
    static double[][] times(double[][] x, double[][] mask) {
        if (mask == null) {
            return x;
        }
        double[][] y = new double[x.length][x[0].length];
        for (int b = 0; b < x.length; b++) {
            for (int i = 0; i < x[b].length; i++) {
                y[b][i] = x[b][i] * mask[b][i];
            }
        }
        return y;
    }

    /** x @ w[:, gate block]: (batch, rows of w) times (rows of w, units) = (batch, units). */
    double[][] project(double[][] x, double[][] w, int gate) {
        double[][] y = new double[x.length][units];
        for (int b = 0; b < x.length; b++) {
            for (int j = 0; j < units; j++) {
                double sum = 0;
                for (int i = 0; i < w.length; i++) {
                    sum += x[b][i] * w[i][gate * units + j];
                }
                y[b][j] = sum;
            }
        }
        return y;
    }

    /** dy @ w[:, gate block]^T: the cotangent of x in y = x @ w[:, gate block]. (batch, rows of w). */
    double[][] projectBack(double[][] dy, double[][] w, int gate) {
        double[][] dx = new double[dy.length][w.length];
        for (int b = 0; b < dy.length; b++) {
            for (int i = 0; i < w.length; i++) {
                double sum = 0;
                for (int j = 0; j < units; j++) {
                    sum += dy[b][j] * w[i][gate * units + j];
                }
                dx[b][i] = sum;
            }
        }
        return dx;
    }

    /** dw[:, gate block] += x^T @ dy: the weight cotangent of y = x @ w[:, gate block]. */
    void accumulateProjection(double[][] dw, int gate, double[][] x, double[][] dy) {
        for (int b = 0; b < x.length; b++) {
            for (int i = 0; i < dw.length; i++) {
                for (int j = 0; j < units; j++) {
                    dw[i][gate * units + j] += x[b][i] * dy[b][j];
                }
            }
        }
    }

    /** db[gate block] += sum over the batch of dy: the bias cotangent of y = ... + b[gate block]. */
    void accumulateBias(double[] db, int gate, double[][] dy) {
        for (int b = 0; b < dy.length; b++) {
            for (int j = 0; j < units; j++) {
                db[gate * units + j] += dy[b][j];
            }
        }
    }

    /** a + b element-wise into a new (batch, width) array. */
    static double[][] plus(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < a[r].length; i++) {
                y[r][i] = a[r][i] + b[r][i];
            }
        }
        return y;
    }
}
