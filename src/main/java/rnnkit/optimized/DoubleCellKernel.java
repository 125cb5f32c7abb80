// FloatCellKernel.java is generated from this file: edit here, then run java src/test/java/rnnkit/codegen/SourceGenerator.java
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.CellVariant;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.gemm.PackedDoubleMatrix;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * One recurrent cell run over a whole sequence in float64, forward and backward: the machinery every cell shares
 * (input projection of all steps as one GEMM, the per-step recurrent GEMM, weight gradients as GEMMs over all
 * steps, dropout masks, batch-slice threading). Subclasses implement the cell's fused step and its backward.
 *
 * <p>Sequences are batch-major with rows {@code r = b·T + s}, s the step in processing order (the layer reverses
 * the input for go_backwards). One instance serves one call (it holds that call's workspaces), so calls never
 * share mutable state.
 *
 * <p>Threading: the recurrence is split into contiguous batch slices (aligned to {@code rowAlign}, a multiple of
 * the GEMM's row tile); each thread runs all T steps for its rows, which are independent of the other rows, so
 * no per-step barrier is needed. GEMMs over all steps are split over output rows only; no sum over k is ever
 * split. Hence every element is computed by the same operations for every thread count: bit-identical results.
 */
abstract class DoubleCellKernel {
    final CellSpec cell;
    /** Working arrays of the current call (set by {@link #create}); nothing from it leaves the call. */
    Workspace ws;
    final int units;
    final int gates;
    /** k·units: columns of kernel, recurrent_kernel and the pre-activations. */
    final int width;
    final int inputDim;
    final int batch;
    final int time;
    final double[] kernel;
    final double[] recurrentKernel;
    /** Bias added on the input side (lstm, simple_rnn, gru_reset_before: the bias; gru: row 0), or null. */
    final double[] inputBias;
    /** gru (reset_after) recurrent bias (row 1), or null. */
    final double[] recurrentBias;
    /** Input dropout mask (batch, inputDim) per gate block, or null entries for no input dropout. */
    final double[][] inputMask;
    /** Recurrent dropout mask (batch, units) per gate block, or null entries. */
    final double[][] recurrentMask;
    final Gemm gemm;
    final ParallelRunner runner;
    final int rowAlign;
    /** Keep what backward needs (pre-activations, activations, ...). */
    final boolean tape;

    /** (B·T, D) cell input in processing order. */
    double[] x;
    /** (B·T) step mask in processing order, or null (every step real). */
    boolean[] stepMask;
    /** (B, U) initial h. */
    double[] h0;
    /** (B·T, k·U): x_t·W for every step, overwritten in place by the full pre-activations during the recurrence. */
    double[] pre;
    /** (B·T, U): h after every step (carried over masked steps). */
    double[] h;

    /**
     * Recurrent kernel column ranges [g0·U, g1·U) packed once per call for the per-step GEMMs (U for forward,
     * U^T for backward), so no step repacks the weights. Ranges: the cell's recurrent products split where the
     * recurrent dropout mask changes between gate blocks.
     */
    private int[][] packedRanges = new int[0][];
    private PackedDoubleMatrix[] packed = new PackedDoubleMatrix[0];
    private boolean packedTransposed;
    /**
     * Forward with a single batch slice (small batch) on several threads: packed[i] is null and the range is
     * instead packed as column slices {@code packedSlices[i][t]} covering columns [sliceStart[i][t],
     * sliceStart[i][t+1]) of the range, each multiplied by one thread at every step (null when not split).
     */
    private PackedDoubleMatrix[][] packedSlices;
    private int[][] sliceStart;

    /** Backward: incoming gradient wrt the h sequence (B·T, U), or null. */
    double[] dHSequence;
    /** Backward: gradients wrt final h (B, U) (and final c for LSTM), or null. */
    double[] dhFinal;
    double[] dcFinal;
    /** (B·T, k·U) gradient wrt the input-side pre-activations (x_t·W + b). */
    double[] dIn;
    /** (B·T, k·U) gradient wrt the recurrent product h_{t-1}·U (same array as dIn except GRU reset_after). */
    double[] dRec;
    /** Results of backward. */
    double[] dX;
    double[] dKernel;
    double[] dRecurrentKernel;
    double[] dBias;
    double[] dh0;

    DoubleCellKernel(CellSpec cell, int inputDim, int batch, int time, List<Tensor> weights, CellDropoutMasks masks,
                     Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        this.cell = cell;
        this.units = cell.units();
        this.gates = cell.gates();
        this.width = gates * units;
        this.inputDim = inputDim;
        this.batch = batch;
        this.time = time;
        this.kernel = DoublePrecision.read(weights.get(0), runner);
        this.recurrentKernel = DoublePrecision.read(weights.get(1), runner);
        if (!cell.useBias()) {
            inputBias = null;
            recurrentBias = null;
        } else if (CellVariant.of(cell) == CellVariant.GRU) {
            double[] both = DoublePrecision.read(weights.get(2));
            inputBias = java.util.Arrays.copyOfRange(both, 0, width);
            recurrentBias = java.util.Arrays.copyOfRange(both, width, 2 * width);
        } else {
            inputBias = DoublePrecision.read(weights.get(2));
            recurrentBias = null;
        }
        this.gemm = gemm;
        this.runner = runner;
        this.rowAlign = rowAlign;
        this.tape = tape;
        this.inputMask = new double[gates][];
        this.recurrentMask = new double[gates][];
        // Keras 3.15.1: LSTM and GRU apply their masks only when 0 < rate < 1; SimpleRNN whenever it drew one.
        boolean gated = cell.type() != CellType.SIMPLE_RNN;
        boolean useInput = !masks.inputMasks().isEmpty() && (!gated || (cell.dropout() > 0 && cell.dropout() < 1));
        boolean useRecurrent = !masks.recurrentMasks().isEmpty()
                && (!gated || (cell.recurrentDropout() > 0 && cell.recurrentDropout() < 1));
        double[][] inputByMask = new double[masks.inputMasks().size()][];
        double[][] recurrentByMask = new double[masks.recurrentMasks().size()][];
        for (int g = 0; g < gates; g++) {
            if (useInput) {
                int i = masks.inputMasks().size() == 1 ? 0 : g;
                if (inputByMask[i] == null) {
                    inputByMask[i] = DoublePrecision.read(masks.inputMasks().get(i));
                }
                inputMask[g] = inputByMask[i];
            }
            if (useRecurrent) {
                int i = masks.recurrentMasks().size() == 1 ? 0 : g;
                if (recurrentByMask[i] == null) {
                    recurrentByMask[i] = DoublePrecision.read(masks.recurrentMasks().get(i));
                }
                recurrentMask[g] = recurrentByMask[i];
            }
        }
    }

    /** The kernel for {@code cell}: one class per cell variant. */
    static DoubleCellKernel create(CellSpec cell, int inputDim, int batch, int time, List<Tensor> weights,
                                   CellDropoutMasks masks, Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape,
                                   Workspace ws) {
        DoubleCellKernel kernel = switch (CellVariant.of(cell)) {
            case SIMPLE_RNN -> new DoubleSimpleRnnKernel(cell, inputDim, batch, time, weights, masks, gemm, runner,
                    rowAlign, tape);
            case LSTM -> new DoubleLstmKernel(cell, inputDim, batch, time, weights, masks, gemm, runner, rowAlign, tape);
            case GRU -> new DoubleGruKernel(cell, inputDim, batch, time, weights, masks, gemm, runner, rowAlign, tape);
            case GRU_RESET_BEFORE -> new DoubleGruResetBeforeKernel(cell, inputDim, batch, time, weights, masks, gemm,
                    runner, rowAlign, tape);
        };
        kernel.ws = ws;
        return kernel;
    }

    /** States this cell carries: h (and c for LSTM). */
    int stateCount() {
        return 1;
    }

    /**
     * Runs the cell over the sequence.
     *
     * @param input (B·T, D) in processing order
     * @param mask (B·T) step mask in processing order, or null
     * @param initial initial states (B, U) each (h, then c for LSTM); null entries mean zeros
     */
    final void forward(double[] input, boolean[] mask, double[][] initial) {
        this.x = input;
        this.stepMask = mask;
        this.h0 = initial[0] != null ? initial[0] : new double[batch * units];
        setInitialCarry(initial);
        this.h = ws.doubles(batch * time * units);
        allocateSequences();
        projectInputs();
        packRecurrentKernel(false);
        runner.forRange(batch, 1, rowAlign, this::forwardRows);
    }

    /** Gate block ranges [g0, g1) whose recurrent products the cell computes per step (default: all at once). */
    int[][] recurrentGateRanges() {
        return new int[][] {{0, gates}};
    }

    /** Packs U (or U^T) for every range of {@link #recurrentGateRanges()}, split by recurrent dropout mask. */
    private void packRecurrentKernel(boolean transposed) {
        java.util.List<int[]> ranges = new java.util.ArrayList<>();
        for (int[] r : recurrentGateRanges()) {
            for (int ga = r[0]; ga < r[1]; ) {
                int gb = Math.min(r[1], sameMaskEnd(recurrentMask, ga));
                ranges.add(new int[] {ga, gb});
                ga = gb;
            }
        }
        packedRanges = ranges.toArray(new int[0][]);
        packed = new PackedDoubleMatrix[packedRanges.length];
        packedTransposed = transposed;
        boolean split = splitsRecurrentColumns();
        packedSlices = split ? new PackedDoubleMatrix[packed.length][] : null;
        sliceStart = split ? new int[packed.length][] : null;
        for (int i = 0; i < packed.length; i++) {
            int n = (packedRanges[i][1] - packedRanges[i][0]) * units;
            int off = packedRanges[i][0] * units;
            if (split) {
                // forward: slices of the n columns of U_block; backward: slices of the U columns of U_block^T
                // (rows j0..j1 of U_block)
                sliceStart[i] = columnSliceStarts(transposed ? units : n, runner.threads());
                packedSlices[i] = new PackedDoubleMatrix[sliceStart[i].length - 1];
                final int[] starts = sliceStart[i];
                final PackedDoubleMatrix[] slices = packedSlices[i];
                // each slice packed by the thread that will multiply with it (same chunking as recurrentGemm),
                // so it starts out in that core's cache
                runner.forRange(slices.length, 1, 1, (t0, t1) -> {
                    for (int t = t0; t < t1; t++) {
                        int j0 = starts[t];
                        int cols = starts[t + 1] - j0;
                        slices[t] = transposed
                                ? gemm.packB(true, n, cols, recurrentKernel, off + j0 * width, width)
                                : gemm.packB(false, units, cols, recurrentKernel, off + j0, width);
                    }
                });
            } else {
                packed[i] = transposed
                        ? gemm.packB(true, n, units, recurrentKernel, off, width)
                        : gemm.packB(false, units, n, recurrentKernel, off, width);
            }
        }
    }

    /**
     * Recurrent weights (U rows × k·U columns) from which a small-batch forward splits each step's recurrent
     * GEMM over output columns across threads. Below it one step's product takes a few microseconds, less than
     * handing work to another thread and waiting for it; above it (units ≥ 256 for LSTM) the split also gives
     * each core a private slice of U that can stay in its own cache across steps (DeepCPU).
     */
    static final long COLUMN_SPLIT_MIN_WEIGHTS = 1L << 17;

    /**
     * Whether the recurrence (forward h·U and backward dz·U^T) splits each step's recurrent GEMM over output
     * columns: when the batch is
     * one slice (the batch split would leave the other threads idle) and the weights are large enough. Every
     * output element is still computed by one thread with the same operations in the same order, so results do
     * not depend on the thread count.
     */
    private boolean splitsRecurrentColumns() {
        return runner.threads() > 1 && runner.chunkCount(batch, 1, rowAlign) == 1
                && (long) units * width >= COLUMN_SPLIT_MIN_WEIGHTS;
    }

    /** Starts of {@code slices} column slices of [0, n) (multiples of 32 columns, the last may be shorter), then n. */
    private static int[] columnSliceStarts(int n, int slices) {
        int per = ((n + slices - 1) / slices + 31) / 32 * 32;
        int count = Math.max(1, (n + per - 1) / per);
        int[] starts = new int[count + 1];
        for (int t = 0; t < count; t++) {
            starts[t] = t * per;
        }
        starts[count] = n;
        return starts;
    }

    /**
     * out[i, j] = (A · U[:, g0·U : g1·U])[i, j] for rows i < m, A (m, U) at aOff with leading dimension lda:
     * one packed GEMM, or with column slices one GEMM per slice, each on its own thread.
     */
    final void recurrentGemm(int g0, int g1, int m, double[] a, int aOff, int lda, double[] out, int outOff, int ldo) {
        recurrentGemm(g0, g1, m, a, aOff, lda, false, out, outOff, ldo);
    }

    /**
     * As above with {@code accumulate} (out += product); in backward the packed matrix is U_block^T and the
     * column slices are slices of its U output columns.
     */
    final void recurrentGemm(int g0, int g1, int m, double[] a, int aOff, int lda, boolean accumulate,
                             double[] out, int outOff, int ldo) {
        int i = packedIndex(g0, g1);
        if (packedSlices == null) {
            gemm.dgemmPackedB(false, m, a, aOff, lda, packed[i], accumulate, out, outOff, ldo);
            return;
        }
        PackedDoubleMatrix[] slices = packedSlices[i];
        int[] starts = sliceStart[i];
        runner.forRange(slices.length, 1, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                gemm.dgemmPackedB(false, m, a, aOff, lda, slices[t], accumulate, out, outOff + starts[t], ldo);
            }
        });
    }

    private int packedIndex(int g0, int g1) {
        for (int i = 0; i < packedRanges.length; i++) {
            if (packedRanges[i][0] == g0 && packedRanges[i][1] == g1) {
                return i;
            }
        }
        throw new IllegalStateException("recurrent kernel blocks [" + g0 + ", " + g1 + ") were not packed"
                + (packedTransposed ? " (transposed)" : ""));
    }

    /** LSTM keeps c0. */
    void setInitialCarry(double[][] initial) {
    }

    /** Subclass sequences (c, activations, ...) sized for this call. */
    abstract void allocateSequences();

    /** The fused recurrence for batch rows [b0, b1), all steps. */
    abstract void forwardRows(int b0, int b1);

    /** The backward recurrence for batch rows [b0, b1), steps T-1 down to 0. */
    abstract void backwardRows(int b0, int b1);

    /** h after the last step, (B, U). */
    final double[] finalH() {
        return lastStep(h);
    }

    /** Final states in Keras order. */
    double[][] finalStates() {
        return new double[][] {finalH()};
    }

    final double[] lastStep(double[] sequence) {
        double[] out = new double[batch * units];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(sequence, ((b * time) + time - 1) * units, out, b * units, units);
        }
        return out;
    }

    final boolean isMasked(int row) {
        return stepMask != null && !stepMask[row];
    }

    /**
     * Input projection for all time steps at once: pre = (x ∘ m_in) · W over B·T rows (one GEMM; one per gate
     * block when Keras draws a separate input dropout mask per gate).
     */
    private void projectInputs() {
        pre = ws.doubles(batch * time * width);
        int rows = batch * time;
        for (int g0 = 0; g0 < gates; ) {
            int g1 = sameMaskEnd(inputMask, g0);
            final int from = g0;
            final int to = g1;
            final double[] a = inputMask[g0] == null ? x : maskedInput(inputMask[g0]);
            runner.forRange(rows, 1, rowAlign, (r0, r1) -> gemm.dgemm(false, false, r1 - r0, (to - from) * units, inputDim,
                    a, r0 * inputDim, inputDim, kernel, from * units, width, false, pre, r0 * width + from * units, width));
            g0 = g1;
        }
    }

    /** End of the run of gate blocks [g0, end) sharing one mask array (all of them when the mask is shared or absent). */
    static int sameMaskEnd(double[][] masks, int g0) {
        int g = g0 + 1;
        while (g < masks.length && masks[g] == masks[g0]) {
            g++;
        }
        return g;
    }

    /** x ∘ m with the (B, D) mask broadcast over time. */
    final double[] maskedInput(double[] mask) {
        double[] out = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < time; s++) {
                int r = (b * time + s) * inputDim;
                for (int d = 0; d < inputDim; d++) {
                    out[r + d] = x[r + d] * mask[b * inputDim + d];
                }
            }
        }
        return out;
    }

    /** The stored h_{s-1} for step s: h0 at s = 0, else the h sequence. */
    final double[] hPrevArray(int s) {
        return s == 0 ? h0 : h;
    }

    final int hPrevOffset(int s, int b) {
        return s == 0 ? b * units : (b * time + s - 1) * units;
    }

    final int hPrevStride(int s) {
        return s == 0 ? units : time * units;
    }

    /**
     * Recurrent product for step s, rows [b0, b0+m), gate blocks [g0, g1):
     * out[i, (g-g0)·U + j] = ((h_{s-1} ∘ m_rec,g) · U[:, g·U + j])[b0+i]. One GEMM for all gates unless the
     * recurrent dropout masks differ per gate. {@code hd} is (m, U) scratch.
     */
    final void recurrentProduct(int s, int b0, int m, int g0, int g1, double[] hd, double[] out, int outOff, int ldo) {
        double[] hp = hPrevArray(s);
        int off = hPrevOffset(s, b0);
        int ld = hPrevStride(s);
        for (int ga = g0; ga < g1; ) {
            int gb = Math.min(g1, sameMaskEnd(recurrentMask, ga));
            double[] rm = recurrentMask[ga];
            if (rm == null) {
                recurrentGemm(ga, gb, m, hp, off, ld, out, outOff + (ga - g0) * units, ldo);
            } else {
                for (int i = 0; i < m; i++) {
                    int src = off + i * ld;
                    int msk = (b0 + i) * units;
                    for (int u = 0; u < units; u++) {
                        hd[i * units + u] = hp[src + u] * rm[msk + u];
                    }
                }
                recurrentGemm(ga, gb, m, hd, 0, units, out, outOff + (ga - g0) * units, ldo);
            }
            ga = gb;
        }
    }

    /**
     * Gradient through the recurrent product for step s, rows [b0, b0+m), gate blocks [g0, g1):
     * out[i, :] = Σ_g (src[row, g-block] · U_g^T) ∘ m_rec,g, with src rows at (b·T + s)·k·U. {@code tmp} is (m, U).
     */
    final void recurrentGradient(int s, int b0, int m, int g0, int g1, double[] src, double[] out, double[] tmp) {
        int srcOff = (b0 * time + s) * width;
        int ld = time * width;
        boolean first = true;
        for (int ga = g0; ga < g1; ) {
            int gb = Math.min(g1, sameMaskEnd(recurrentMask, ga));
            double[] rm = recurrentMask[ga];
            if (rm == null) {
                recurrentGemm(ga, gb, m, src, srcOff + ga * units, ld, !first, out, 0, units);
            } else {
                recurrentGemm(ga, gb, m, src, srcOff + ga * units, ld, false, tmp, 0, units);
                for (int i = 0; i < m; i++) {
                    int msk = (b0 + i) * units;
                    for (int u = 0; u < units; u++) {
                        double v = tmp[i * units + u] * rm[msk + u];
                        out[i * units + u] = first ? v : out[i * units + u] + v;
                    }
                }
            }
            first = false;
            ga = gb;
        }
    }

    /**
     * Backward pass.
     *
     * @param dHSeq gradient wrt the h sequence (B·T, U) in processing order, or null
     * @param dFinal gradients wrt the final states (B, U) each, null entries for zero
     */
    final void backward(double[] dHSeq, double[][] dFinal) {
        if (!tape) {
            throw new IllegalStateException("backward needs a forward run with tape");
        }
        this.dHSequence = dHSeq;
        this.dhFinal = dFinal[0];
        this.dcFinal = dFinal.length > 1 ? dFinal[1] : null;
        this.dIn = ws.doubles(batch * time * width);
        this.dRec = separateRecurrentGradient() ? ws.doubles(batch * time * width) : dIn;
        this.dh0 = new double[batch * units];
        allocateBackward();
        packRecurrentKernel(true);
        runner.forRange(batch, 1, rowAlign, this::backwardRows);
        weightGradients();
    }

    /** GRU reset_after: the recurrent h block gradient differs from the input side one. */
    boolean separateRecurrentGradient() {
        return false;
    }

    void allocateBackward() {
    }

    /** Initial state gradients in Keras order. */
    double[][] initialStateGradients() {
        return new double[][] {dh0};
    }

    /**
     * The (B·T, U) matrix whose transpose times dRec[:, g-block] is gate g's block of dU: h_{t-1} ∘ m_rec,g.
     * GRU reset_before overrides gate h (it multiplies r ∘ h).
     */
    double[] recurrentOperand(int g) {
        double[] rm = recurrentMask[g];
        double[] out = ws.doubles(batch * time * units);
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < time; s++) {
                double[] hp = hPrevArray(s);
                int src = hPrevOffset(s, b);
                int dst = (b * time + s) * units;
                if (rm == null) {
                    System.arraycopy(hp, src, out, dst, units);
                } else {
                    for (int u = 0; u < units; u++) {
                        out[dst + u] = hp[src + u] * rm[b * units + u];
                    }
                }
            }
        }
        return out;
    }

    /** Whether gate g's recurrent operand is the same matrix as gate g-1's. */
    boolean sameRecurrentOperand(int g) {
        return recurrentMask[g] == recurrentMask[g - 1];
    }

    /**
     * Weight gradients as GEMMs over all B·T rows at once (never per step), split across threads over output
     * rows only:
     * dW = (x ∘ m_in)^T · dIn, dX = Σ (dIn_g · W_g^T) ∘ m_in,g, dU = (h_{t-1} ∘ m_rec)^T · dRec, db = Σ_rows dIn
     * (GRU reset_after: recurrent bias gradient Σ_rows dRec).
     */
    private void weightGradients() {
        int rows = batch * time;
        dKernel = new double[inputDim * width];
        dX = DoublePrecision.gradientBuffer(ws, rows * inputDim);
        for (int g0 = 0; g0 < gates; ) {
            int g1 = sameMaskEnd(inputMask, g0);
            final int from = g0;
            final int n = (g1 - g0) * units;
            final double[] mask = inputMask[g0];
            final double[] a = mask == null ? x : maskedInput(mask);
            runner.forRange(inputDim, 1, rowAlign, (d0, d1) -> gemm.dgemm(true, false, d1 - d0, n, rows,
                    a, d0, inputDim, dIn, from * units, width, false, dKernel, d0 * width + from * units, width));
            final boolean accumulate = g0 > 0;
            runner.forRange(rows, 1, rowAlign, (r0, r1) -> {
                if (mask == null) {
                    gemm.dgemm(false, true, r1 - r0, inputDim, n, dIn, r0 * width + from * units, width,
                            kernel, from * units, width, accumulate, dX, r0 * inputDim, inputDim);
                } else {
                    double[] tmp = new double[(r1 - r0) * inputDim];
                    gemm.dgemm(false, true, r1 - r0, inputDim, n, dIn, r0 * width + from * units, width,
                            kernel, from * units, width, false, tmp, 0, inputDim);
                    for (int r = r0; r < r1; r++) {
                        int mb = (r / time) * inputDim;
                        for (int d = 0; d < inputDim; d++) {
                            double v = tmp[(r - r0) * inputDim + d] * mask[mb + d];
                            dX[r * inputDim + d] = accumulate ? dX[r * inputDim + d] + v : v;
                        }
                    }
                }
            });
            g0 = g1;
        }
        dRecurrentKernel = new double[units * width];
        double[] operand = null;
        for (int g = 0; g < gates; g++) {
            if (g == 0 || !sameRecurrentOperand(g)) {
                operand = recurrentOperand(g);
            }
            final double[] a = operand;
            final int col = g * units;
            runner.forRange(units, 1, rowAlign, (u0, u1) -> gemm.dgemm(true, false, u1 - u0, units, rows,
                    a, u0, units, dRec, col, width, false, dRecurrentKernel, u0 * width + col, width));
        }
        if (inputBias != null) {
            dBias = new double[recurrentBias != null ? 2 * width : width];
            columnSums(dIn, rows, dBias, 0);
            if (recurrentBias != null) {
                columnSums(dRec, rows, dBias, width);
            }
        }
    }

    /** out[off + j] = Σ_r src[r·k·U + j], rows in increasing order. */
    private void columnSums(double[] src, int rows, double[] out, int off) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            for (int j = 0; j < width; j++) {
                out[off + j] += src[o + j];
            }
        }
    }
}
