// GENERATED from DoubleCellKernel.java by src/test/java/rnnkit/codegen/SourceGenerator.java: do not edit.
package rnnkit.optimized;

import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.CellVariant;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.gemm.PackedFloatMatrix;
import rnnkit.optimized.gemm.PackedFloatRows;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * One recurrent cell run over a whole sequence in float32, forward and backward: the machinery every cell shares
 * (input projection of all steps as one GEMM, the per-step recurrent GEMMs, weight gradients as GEMMs over all
 * steps, dropout masks, threading). Subclasses implement the cell's element-wise step and its backward.
 *
 * <p>Sequences are batch-major with rows {@code r = b·T + s}, s the step in processing order (the layer reverses
 * the input for go_backwards). One instance serves one call (it holds that call's workspaces), so calls never
 * share mutable state; the weights ({@link FloatCellWeights}) are immutable and may be shared by many calls.
 *
 * <p>Forward step: for every gate-interleaved chunk of units (see {@link FloatCellWeights}) one GEMM gives the
 * recurrent product of all gates of those units, and the subclass's {@link #epilogue} (bias, activations, state
 * update) runs on that tile at once. Threading, chosen per call by {@link RecurrenceSplit}:
 * <ul>
 * <li>batch split: each thread owns a contiguous batch slice (aligned to {@code rowAlign}) for the whole call: its
 * rows of the input projection, then all T steps with single-threaded GEMMs. The rows are independent, so there
 * is no barrier between steps;</li>
 * <li>column split (small batches): each thread owns a fixed range of chunks for the whole sequence (its slice of
 * U stays in its own cache, DeepCPU) and finishes those units at every step; one barrier per step (two for GRU
 * reset_before, whose h-block product needs the whole reset gate). Chunks are visited in alternating order from
 * step to step, so the ones used last, still cached, are used first again.</li>
 * </ul>
 * GEMMs over all steps are split over output rows only; no sum over k is ever split, and a GEMM computes each
 * element with the same operations wherever its tile lies. Hence every element is computed identically for every
 * thread count and either split: bit-identical results.
 */
abstract class FloatCellKernel {
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
    final FloatCellWeights weights;
    final float[] kernel;
    final float[] recurrentKernel;
    /** Bias added to each gate pre-activation ({@link FloatCellWeights#gateBias}), or null. */
    final float[] gateBias;
    /** GRU reset_after recurrent bias of the h block (U), or null. */
    final float[] recurrentBias;
    /** Input dropout mask (batch, inputDim) per gate block, or null entries for no input dropout. */
    final float[][] inputMask;
    /** Recurrent dropout mask (batch, units) per gate block, or null entries. */
    final float[][] recurrentMask;
    final Gemm gemm;
    final ParallelRunner runner;
    final int rowAlign;
    /** Keep what backward needs (pre-activations, activations, ...). */
    final boolean tape;

    /** (B·T, D) cell input in processing order. */
    float[] x;
    /** (B·T) step mask in processing order, or null (every step real). */
    boolean[] stepMask;
    /** (B, U) initial h. */
    float[] h0;
    /** (B·T, k·U): x_t·W for every step, overwritten in place by the full pre-activations during the recurrence. */
    float[] pre;
    /** (B·T, U): h after every step (carried over masked steps). */
    float[] h;

    /**
     * Forward: per phase (see {@link #recurrentGateRanges()}), the gate ranges [ga, gb) whose products share one
     * left operand (the phase split where the recurrent dropout mask changes between gate blocks), and their
     * packed chunks [range][chunk].
     */
    private int[][][] phaseRanges;
    /** Per phase with one gate range: its gate-interleaved packed U (one tiled product per step); else null. */
    private PackedFloatMatrix[] phaseInterleaved;
    /** Per phase with several gate ranges (per-gate recurrent dropout): packed chunks [range][chunk]; else null. */
    private PackedFloatMatrix[][][] phaseChunks;

    /**
     * Backward: recurrent kernel column ranges [g0·U, g1·U) packed as U^T for the per-step products dz·U^T, whole
     * ({@code packed}) or, with a single batch slice on several threads, as column slices of the U output columns
     * {@code packedSlices[i][t]} covering [sliceStart[i][t], sliceStart[i][t+1]), one per thread.
     */
    private int[][] packedRanges = new int[0][];
    private PackedFloatMatrix[] packed = new PackedFloatMatrix[0];
    private PackedFloatMatrix[][] packedSlices;
    private int[][] sliceStart;

    /** Backward: incoming gradient wrt the h sequence (B·T, U), or null. */
    float[] dHSequence;
    /** Backward: gradients wrt final h (B, U) (and final c for LSTM), or null. */
    float[] dhFinal;
    float[] dcFinal;
    /** (B·T, k·U) gradient wrt the input-side pre-activations (x_t·W + b). */
    float[] dIn;
    /** (B·T, k·U) gradient wrt the recurrent product h_{t-1}·U (same array as dIn except GRU reset_after). */
    float[] dRec;
    /** Results of backward. */
    float[] dX;
    float[] dKernel;
    float[] dRecurrentKernel;
    float[] dBias;
    float[] dh0;

    FloatCellKernel(FloatCellWeights weights, int inputDim, int batch, int time, CellDropoutMasks masks,
                     Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape) {
        this.cell = weights.cell;
        this.weights = weights;
        this.units = cell.units();
        this.gates = cell.gates();
        this.width = gates * units;
        this.inputDim = inputDim;
        this.batch = batch;
        this.time = time;
        this.kernel = weights.kernel;
        this.recurrentKernel = weights.recurrentKernel;
        this.gateBias = weights.gateBias;
        this.recurrentBias = weights.recurrentBias;
        this.gemm = gemm;
        this.runner = runner;
        this.rowAlign = rowAlign;
        this.tape = tape;
        this.inputMask = new float[gates][];
        this.recurrentMask = new float[gates][];
        // Keras 3.15.1: LSTM and GRU apply their masks only when 0 < rate < 1; SimpleRNN whenever it drew one.
        boolean gated = cell.type() != CellType.SIMPLE_RNN;
        boolean useInput = !masks.inputMasks().isEmpty() && (!gated || (cell.dropout() > 0 && cell.dropout() < 1));
        boolean useRecurrent = !masks.recurrentMasks().isEmpty()
                && (!gated || (cell.recurrentDropout() > 0 && cell.recurrentDropout() < 1));
        float[][] inputByMask = new float[masks.inputMasks().size()][];
        float[][] recurrentByMask = new float[masks.recurrentMasks().size()][];
        for (int g = 0; g < gates; g++) {
            if (useInput) {
                int i = masks.inputMasks().size() == 1 ? 0 : g;
                if (inputByMask[i] == null) {
                    inputByMask[i] = FloatPrecision.read(masks.inputMasks().get(i));
                }
                inputMask[g] = inputByMask[i];
            }
            if (useRecurrent) {
                int i = masks.recurrentMasks().size() == 1 ? 0 : g;
                if (recurrentByMask[i] == null) {
                    recurrentByMask[i] = FloatPrecision.read(masks.recurrentMasks().get(i));
                }
                recurrentMask[g] = recurrentByMask[i];
            }
        }
    }

    /** The kernel for the cell of {@code weights}: one class per cell variant. */
    static FloatCellKernel create(FloatCellWeights weights, int inputDim, int batch, int time,
                                   CellDropoutMasks masks, Gemm gemm, ParallelRunner runner, int rowAlign, boolean tape,
                                   Workspace ws) {
        FloatCellKernel kernel = switch (CellVariant.of(weights.cell)) {
            case SIMPLE_RNN -> new FloatSimpleRnnKernel(weights, inputDim, batch, time, masks, gemm, runner, rowAlign,
                    tape);
            case LSTM -> new FloatLstmKernel(weights, inputDim, batch, time, masks, gemm, runner, rowAlign, tape);
            case GRU -> new FloatGruKernel(weights, inputDim, batch, time, masks, gemm, runner, rowAlign, tape);
            case GRU_RESET_BEFORE -> new FloatGruResetBeforeKernel(weights, inputDim, batch, time, masks, gemm,
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
    final void forward(float[] input, boolean[] mask, float[][] initial) {
        this.x = input;
        this.stepMask = mask;
        this.h0 = initial[0] != null ? initial[0] : new float[batch * units];
        setInitialCarry(initial);
        // h, the sequences of allocateSequences and pre are written in full (every row at every step; the
        // projection overwrites pre), so they skip the workspace's zero fill
        this.h = ws.floatsToOverwrite(batch * time * units);
        allocateSequences();
        // after the subclass's sequences: forward and backward calls then ask the workspace for arrays of the same
        // lengths in the same order (h, c, then pre / gate tape) and reuse each other's (see Workspace)
        this.pre = ws.floatsToOverwrite(batch * time * width);
        int[][] phases = recurrentGateRanges();
        phaseRanges = new int[phases.length][][];
        phaseInterleaved = new PackedFloatMatrix[phases.length];
        phaseChunks = new PackedFloatMatrix[phases.length][][];
        for (int p = 0; p < phases.length; p++) {
            java.util.List<int[]> ranges = new java.util.ArrayList<>();
            for (int ga = phases[p][0]; ga < phases[p][1]; ) {
                int gb = operandMasked(p) ? Math.min(phases[p][1], sameMaskEnd(recurrentMask, ga)) : phases[p][1];
                ranges.add(new int[] {ga, gb});
                ga = gb;
            }
            phaseRanges[p] = ranges.toArray(new int[0][]);
            if (phaseRanges[p].length == 1) {
                phaseInterleaved[p] = weights.forwardInterleaved(phases[p][0], phases[p][1]);
            } else {
                phaseChunks[p] = new PackedFloatMatrix[phaseRanges[p].length][];
                for (int i = 0; i < phaseRanges[p].length; i++) {
                    phaseChunks[p][i] = weights.forwardChunks(phaseRanges[p][i][0], phaseRanges[p][i][1]);
                }
            }
        }
        if (RecurrenceSplit.splitsColumns(runner, batch, rowAlign, units, width, weights.chunkCount())) {
            projectInputs(0, batch * time, true);
            forwardColumns();
        } else {
            runner.forRange(batch, 1, rowAlign, (b0, b1) -> {
                projectInputs(b0 * time, b1 * time, false);
                forwardRows(b0, b1);
            });
        }
    }

    /** Gate block ranges [g0, g1) whose recurrent products the cell computes per step, in order (the phases). */
    final int[][] recurrentGateRanges() {
        return weights.phases();
    }

    /**
     * The left operand of phase p's product at step s: h_{s-1} (times the recurrent dropout mask of each gate
     * range) unless a subclass says otherwise. Element (b, j) is at {@code array[offset(b) + j]}.
     */
    float[] operandArray(int phase, int s) {
        return hPrevArray(s);
    }

    int operandOffset(int phase, int s, int b) {
        return hPrevOffset(s, b);
    }

    int operandStride(int phase, int s) {
        return hPrevStride(s);
    }

    /** Whether phase p's operand is multiplied by the recurrent dropout masks before its product. */
    boolean operandMasked(int phase) {
        return true;
    }

    /**
     * Finishes step s of phase p for batch rows [b0, b0 + m) and units [u0, u1): {@code rec} holds the phase's
     * recurrent product for these units, gate block g (counted from the phase's first gate) of row i at
     * {@code rec[recOff + i·ldRec + g·w + j]} for unit u0 + j, w = u1 - u0. May overwrite that tile of rec.
     */
    abstract void epilogue(int phase, int s, int b0, int m, int u0, int u1, float[] rec, int recOff, int ldRec);

    /**
     * The working arrays of one thread's share of the forward steps: the recurrent product (rows, gp·U) of the
     * current phase in chunk-major, gate-interleaved columns (chunk c at gp·u0), masked operands, and the step's
     * packed left operand.
     */
    private final class Lane {
        final float[] rec;
        /** The step's left operand, packed once for all chunks (reused from step to step). */
        private PackedFloatRows packedOperand;
        /** Per phase and gate range: (rows, U) operand times the range's recurrent mask, or null (no mask). */
        final float[][][] masked;
        private int s;
        private int p;
        private int b0;
        private int ldRec;

        Lane(int rows) {
            rec = new float[rows * maxPhaseGates() * units];
            masked = new float[phaseRanges.length][][];
            for (int p = 0; p < phaseRanges.length; p++) {
                masked[p] = new float[phaseRanges[p].length][];
                for (int i = 0; i < phaseRanges[p].length; i++) {
                    if (operandMasked(p) && recurrentMask[phaseRanges[p][i][0]] != null) {
                        masked[p][i] = new float[rows * units];
                    }
                }
            }
        }

        /** masked[p][i] rows [0, m) = operand rows [b0, b0 + m) ∘ the range's mask. */
        private void maskOperands(int p, int s, int b0, int m) {
            float[] src = operandArray(p, s);
            for (int i = 0; i < masked[p].length; i++) {
                float[] dst = masked[p][i];
                if (dst == null) {
                    continue;
                }
                float[] rm = recurrentMask[phaseRanges[p][i][0]];
                for (int r = 0; r < m; r++) {
                    int so = operandOffset(p, s, b0 + r);
                    int mo = (b0 + r) * units;
                    for (int u = 0; u < units; u++) {
                        dst[r * units + u] = src[so + u] * rm[mo + u];
                    }
                }
            }
        }

        /**
         * Sets the step (s, phase p, first batch row b0) that {@link #product} computes: masks its operands for rows
         * [b0, b0 + m) and packs the left operand of a single-range phase once for all chunks. Called by the thread
         * that owns the lane before any product of the step.
         */
        void startStep(int p, int s, int b0, int m) {
            this.s = s;
            this.p = p;
            this.b0 = b0;
            this.ldRec = phaseGates(p) * units;
            maskOperands(p, s, b0, m);
            if (phaseInterleaved[p] != null) {
                if (masked[p][0] != null) {
                    packedOperand = gemm.packA(false, m, units, masked[p][0], 0, units, packedOperand);
                } else {
                    packedOperand = gemm.packA(false, m, units, operandArray(p, s), operandOffset(p, s, b0),
                            operandStride(p, s), packedOperand);
                }
            }
        }

        /**
         * The started step for its m batch rows and chunks [c0, c1), in increasing or decreasing chunk order: each
         * chunk's recurrent product, then its epilogue while the tile is in cache. Writes only rec columns of these
         * chunks, so threads may run disjoint chunk ranges of one lane at once.
         */
        void product(int m, int c0, int c1, boolean descending) {
            int gp = phaseGates(p);
            int g0 = phaseRanges[p][0][0];
            for (int k = c0; k < c1; k++) {
                int c = descending ? c1 - 1 - (k - c0) : k;
                int u0 = weights.chunkStart(c);
                int w = weights.chunkStart(c + 1) - u0;
                if (phaseInterleaved[p] != null) {
                    gemm.sgemmPackedAB(packedOperand, phaseInterleaved[p], gp * u0, gp * (u0 + w), false, rec, 0, ldRec);
                } else {
                    for (int i = 0; i < phaseRanges[p].length; i++) {
                        int ga = phaseRanges[p][i][0];
                        float[] a = masked[p][i] != null ? masked[p][i] : operandArray(p, s);
                        int aOff = masked[p][i] != null ? 0 : operandOffset(p, s, b0);
                        int lda = masked[p][i] != null ? units : operandStride(p, s);
                        gemm.sgemmPackedB(false, m, a, aOff, lda, phaseChunks[p][i][c], false, rec,
                                gp * u0 + (ga - g0) * w, ldRec);
                    }
                }
                epilogue(p, s, b0, m, u0, u0 + w, rec, gp * u0, ldRec);
            }
        }
    }

    private int phaseGates(int p) {
        int[][] r = phaseRanges[p];
        return r[r.length - 1][1] - r[0][0];
    }

    private int maxPhaseGates() {
        int g = 0;
        for (int p = 0; p < phaseRanges.length; p++) {
            g = Math.max(g, phaseGates(p));
        }
        return g;
    }

    /**
     * Batch split: all T steps for batch rows [b0, b1) on the calling thread. Chunks are visited in alternating
     * order from step to step (the ones used last, still cached, first).
     */
    private void forwardRows(int b0, int b1) {
        int m = b1 - b0;
        int chunks = weights.chunkCount();
        Lane lane = new Lane(m);
        for (int s = 0; s < time; s++) {
            for (int p = 0; p < phaseRanges.length; p++) {
                lane.startStep(p, s, b0, m);
                lane.product(m, 0, chunks, (s & 1) != 0);
            }
        }
    }

    /**
     * Column split: at every step and phase each thread computes and finishes its own range of chunks for the
     * whole batch (the same range at every step, so its slice of U stays in its cache); one barrier per phase.
     */
    private void forwardColumns() {
        Lane lane = new Lane(batch);
        ColumnStep step = new ColumnStep(lane);
        int chunks = weights.chunkCount();
        for (int s = 0; s < time; s++) {
            for (int p = 0; p < phaseRanges.length; p++) {
                lane.startStep(p, s, 0, batch);
                step.descending = (s & 1) != 0;
                runner.forRange(chunks, 1, 1, step);
            }
        }
    }

    /** One step and phase of {@link #forwardColumns}: a thread's chunk range (a reusable task, no allocation). */
    private final class ColumnStep implements ParallelRunner.RangeTask {
        final Lane lane;
        boolean descending;

        ColumnStep(Lane lane) {
            this.lane = lane;
        }

        @Override
        public void run(int c0, int c1) {
            lane.product(batch, c0, c1, descending);
        }
    }

    /** Packs U^T for every range of {@link #recurrentGateRanges()}, split by recurrent dropout mask (backward). */
    private void packTransposedRecurrentKernel() {
        java.util.List<int[]> ranges = new java.util.ArrayList<>();
        for (int[] r : recurrentGateRanges()) {
            for (int ga = r[0]; ga < r[1]; ) {
                int gb = Math.min(r[1], sameMaskEnd(recurrentMask, ga));
                ranges.add(new int[] {ga, gb});
                ga = gb;
            }
        }
        packedRanges = ranges.toArray(new int[0][]);
        packed = new PackedFloatMatrix[packedRanges.length];
        boolean split = splitsBackwardColumns();
        packedSlices = split ? new PackedFloatMatrix[packed.length][] : null;
        sliceStart = split ? new int[packed.length][] : null;
        for (int i = 0; i < packed.length; i++) {
            if (split) {
                // slices of the U columns of U_block^T (rows j0..j1 of U_block)
                sliceStart[i] = FloatCellWeights.sliceStarts(units, runner.threads());
                packedSlices[i] = weights.transposedSlices(packedRanges[i][0], packedRanges[i][1], runner.threads());
            } else {
                packed[i] = weights.transposedSlices(packedRanges[i][0], packedRanges[i][1], 1)[0];
            }
        }
    }

    /**
     * Recurrent weights (U rows × k·U columns) from which a single-slice backward splits each step's dz·U^T over
     * output columns across threads. Below it one step's product takes a few microseconds, less than handing work
     * to another thread and waiting for it.
     */
    static final long COLUMN_SPLIT_MIN_WEIGHTS = 1L << 17;

    /**
     * Whether the backward recurrence splits each step's dz·U^T over output columns: when the batch is one slice
     * (the batch split would leave the other threads idle) and the weights are large enough. Every output element
     * is still computed by one thread with the same operations in the same order.
     */
    private boolean splitsBackwardColumns() {
        return runner.threads() > 1 && runner.chunkCount(batch, 1, rowAlign) == 1
                && (long) units * width >= COLUMN_SPLIT_MIN_WEIGHTS;
    }

    /**
     * Backward: out[i, j] = (A · U_block^T)[i, j] for rows i < m, A (m, (g1-g0)·U) at aOff with leading dimension
     * lda: one packed GEMM, or with column slices one GEMM per slice, each on its own thread; {@code accumulate}
     * adds to out.
     */
    final void recurrentGemm(int g0, int g1, int m, float[] a, int aOff, int lda, boolean accumulate,
                             float[] out, int outOff, int ldo) {
        int i = packedIndex(g0, g1);
        if (packedSlices == null) {
            gemm.sgemmPackedB(false, m, a, aOff, lda, packed[i], accumulate, out, outOff, ldo);
            return;
        }
        PackedFloatMatrix[] slices = packedSlices[i];
        int[] starts = sliceStart[i];
        runner.forRange(slices.length, 1, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                gemm.sgemmPackedB(false, m, a, aOff, lda, slices[t], accumulate, out, outOff + starts[t], ldo);
            }
        });
    }

    private int packedIndex(int g0, int g1) {
        for (int i = 0; i < packedRanges.length; i++) {
            if (packedRanges[i][0] == g0 && packedRanges[i][1] == g1) {
                return i;
            }
        }
        throw new IllegalStateException("recurrent kernel blocks [" + g0 + ", " + g1 + ") were not packed");
    }

    /** LSTM keeps c0. */
    void setInitialCarry(float[][] initial) {
    }

    /**
     * Subclass sequences (c, activations, ...) sized for this call; a sequence written at every step for every row
     * may come from {@code ws.floatsToOverwrite}, a tape written only at real steps must be zero-filled.
     */
    abstract void allocateSequences();

    /** The backward recurrence for batch rows [b0, b1), steps T-1 down to 0. */
    abstract void backwardRows(int b0, int b1);

    /** h after the last step, (B, U). */
    final float[] finalH() {
        return lastStep(h);
    }

    /** Final states in Keras order. */
    float[][] finalStates() {
        return new float[][] {finalH()};
    }

    final float[] lastStep(float[] sequence) {
        float[] out = new float[batch * units];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(sequence, ((b * time) + time - 1) * units, out, b * units, units);
        }
        return out;
    }

    final boolean isMasked(int row) {
        return stepMask != null && !stepMask[row];
    }

    /**
     * Input projection of rows [r0, r1) of all time steps: pre = (x ∘ m_in) · W (one GEMM; one per gate block when
     * Keras draws a separate input dropout mask per gate), split over the runner's threads by rows if
     * {@code parallel}. Rows are independent, so any row split gives the same bits.
     */
    private void projectInputs(int r0, int r1, boolean parallel) {
        for (int g0 = 0; g0 < gates; ) {
            int g1 = sameMaskEnd(inputMask, g0);
            final int from = g0;
            final int n = (g1 - g0) * units;
            final float[] mask = inputMask[g0];
            // W's gate blocks [g0, g1) packed once (per prepared layer, or per call): the prepacked-B product
            final PackedFloatMatrix packedKernel = weights.packedKernel(g0, g1);
            ParallelRunner.RangeTask rows = (q0, q1) -> {
                float[] a = mask == null ? x : maskedInput(mask, q0, q1);
                int aOff = mask == null ? q0 * inputDim : 0;
                gemm.sgemmPackedB(false, q1 - q0, a, aOff, inputDim, packedKernel, false, pre, q0 * width + from * units,
                        width);
            };
            if (parallel) {
                runner.forRange(r1 - r0, 1, rowAlign, (q0, q1) -> rows.run(r0 + q0, r0 + q1));
            } else {
                rows.run(r0, r1);
            }
            g0 = g1;
        }
    }

    /** End of the run of gate blocks [g0, end) sharing one mask array (all of them when the mask is shared or absent). */
    static int sameMaskEnd(float[][] masks, int g0) {
        int g = g0 + 1;
        while (g < masks.length && masks[g] == masks[g0]) {
            g++;
        }
        return g;
    }

    /** x ∘ m with the (B, D) mask broadcast over time (a new array). */
    final float[] maskedInput(float[] mask) {
        return maskedInput(mask, 0, batch * time);
    }

    /** Rows [r0, r1) of x ∘ m (rows r = b·T + s), as a new (r1 - r0, D) array. */
    final float[] maskedInput(float[] mask, int r0, int r1) {
        float[] out = new float[(r1 - r0) * inputDim];
        for (int r = r0; r < r1; r++) {
            int src = r * inputDim;
            int dst = (r - r0) * inputDim;
            int mb = (r / time) * inputDim;
            for (int d = 0; d < inputDim; d++) {
                out[dst + d] = x[src + d] * mask[mb + d];
            }
        }
        return out;
    }

    /** The stored h_{s-1} for step s: h0 at s = 0, else the h sequence. */
    final float[] hPrevArray(int s) {
        return s == 0 ? h0 : h;
    }

    final int hPrevOffset(int s, int b) {
        return s == 0 ? b * units : (b * time + s - 1) * units;
    }

    final int hPrevStride(int s) {
        return s == 0 ? units : time * units;
    }

    /** The cotangent of the final h for batch rows [b0, b0 + m), as a new (m, units) array (zero when there is none). */
    final float[] finalStateCotangent(int b0, int m) {
        float[] dh = new float[m * units];
        if (dhFinal != null) {
            System.arraycopy(dhFinal, b0 * units, dh, 0, m * units);
        }
        return dh;
    }

    /** dh[dOff ..] += the returned sequence's cotangent at output row offset {@code hOff} (if the layer returns it). */
    final void addSequenceCotangent(float[] dh, int dOff, int hOff) {
        if (dHSequence != null) {
            for (int u = 0; u < units; u++) {
                dh[dOff + u] += dHSequence[hOff + u];
            }
        }
    }

    /**
     * Gradient through the recurrent product for step s, rows [b0, b0+m), gate blocks [g0, g1):
     * out[i, :] = Σ_g (src[row, g-block] · U_g^T) ∘ m_rec,g, with src rows at (b·T + s)·k·U. {@code tmp} is (m, U).
     */
    final void recurrentGradient(int s, int b0, int m, int g0, int g1, float[] src, float[] out, float[] tmp) {
        int srcOff = (b0 * time + s) * width;
        int ld = time * width;
        boolean first = true;
        for (int ga = g0; ga < g1; ) {
            int gb = Math.min(g1, sameMaskEnd(recurrentMask, ga));
            float[] rm = recurrentMask[ga];
            if (rm == null) {
                recurrentGemm(ga, gb, m, src, srcOff + ga * units, ld, !first, out, 0, units);
            } else {
                recurrentGemm(ga, gb, m, src, srcOff + ga * units, ld, false, tmp, 0, units);
                for (int i = 0; i < m; i++) {
                    int msk = (b0 + i) * units;
                    for (int u = 0; u < units; u++) {
                        float v = tmp[i * units + u] * rm[msk + u];
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
    final void backward(float[] dHSeq, float[][] dFinal) {
        if (!tape) {
            throw new IllegalStateException("backward needs a forward run with tape");
        }
        this.dHSequence = dHSeq;
        this.dhFinal = dFinal[0];
        this.dcFinal = dFinal.length > 1 ? dFinal[1] : null;
        this.dIn = ws.floats(batch * time * width);
        this.dRec = separateRecurrentGradient() ? ws.floats(batch * time * width) : dIn;
        this.dh0 = new float[batch * units];
        allocateBackward();
        packTransposedRecurrentKernel();
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
    float[][] initialStateGradients() {
        return new float[][] {dh0};
    }

    /**
     * The (B·T, U) matrix whose transpose times dRec[:, g-block] is gate g's block of dU: h_{t-1} ∘ m_rec,g.
     * GRU reset_before overrides gate h (it multiplies r ∘ h).
     */
    float[] recurrentOperand(int g) {
        float[] rm = recurrentMask[g];
        float[] out = ws.floats(batch * time * units);
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < time; s++) {
                float[] hp = hPrevArray(s);
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
        dKernel = new float[inputDim * width];
        dX = FloatPrecision.gradientBuffer(ws, rows * inputDim);
        for (int g0 = 0; g0 < gates; ) {
            int g1 = sameMaskEnd(inputMask, g0);
            final int from = g0;
            final int n = (g1 - g0) * units;
            final float[] mask = inputMask[g0];
            final float[] a = mask == null ? x : maskedInput(mask);
            runner.forRange(inputDim, 1, rowAlign, (d0, d1) -> gemm.sgemm(true, false, d1 - d0, n, rows,
                    a, d0, inputDim, dIn, from * units, width, false, dKernel, d0 * width + from * units, width));
            final boolean accumulate = g0 > 0;
            runner.forRange(rows, 1, rowAlign, (r0, r1) -> {
                if (mask == null) {
                    gemm.sgemm(false, true, r1 - r0, inputDim, n, dIn, r0 * width + from * units, width,
                            kernel, from * units, width, accumulate, dX, r0 * inputDim, inputDim);
                } else {
                    float[] tmp = new float[(r1 - r0) * inputDim];
                    gemm.sgemm(false, true, r1 - r0, inputDim, n, dIn, r0 * width + from * units, width,
                            kernel, from * units, width, false, tmp, 0, inputDim);
                    for (int r = r0; r < r1; r++) {
                        int mb = (r / time) * inputDim;
                        for (int d = 0; d < inputDim; d++) {
                            float v = tmp[(r - r0) * inputDim + d] * mask[mb + d];
                            dX[r * inputDim + d] = accumulate ? dX[r * inputDim + d] + v : v;
                        }
                    }
                }
            });
            g0 = g1;
        }
        dRecurrentKernel = new float[units * width];
        float[] operand = null;
        for (int g = 0; g < gates; g++) {
            if (g == 0 || !sameRecurrentOperand(g)) {
                operand = recurrentOperand(g);
            }
            final float[] a = operand;
            final int col = g * units;
            runner.forRange(units, 1, rowAlign, (u0, u1) -> gemm.sgemm(true, false, u1 - u0, units, rows,
                    a, u0, units, dRec, col, width, false, dRecurrentKernel, u0 * width + col, width));
        }
        if (gateBias != null) {
            dBias = new float[recurrentBias != null ? 2 * width : width];
            columnSums(dIn, rows, dBias, 0);
            if (recurrentBias != null) {
                columnSums(dRec, rows, dBias, width);
            }
        }
    }

    /** out[off + j] = Σ_r src[r·k·U + j], rows in increasing order. */
    private void columnSums(float[] src, int rows, float[] out, int off) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            for (int j = 0; j < width; j++) {
                out[off + j] += src[o + j];
            }
        }
    }
}
