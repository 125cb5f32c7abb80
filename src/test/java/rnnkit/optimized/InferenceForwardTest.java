package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.CellType;
import rnnkit.model.DType;
import rnnkit.model.Tensor;
import rnnkit.optimized.gemm.Gemm;
import rnnkit.optimized.parallel.ParallelRunner;

/**
 * A forward call without a tape (inference) writes each step's gate activations over its product tile instead of
 * into the whole-sequence tape that backward reads; it must still give exactly (bitwise) the states of the forward
 * pass that keeps the tape (the one every gradient is computed from), for every kernel, with and without bias, under a step mask with a
 * fully masked row and initial states, with more units than one forward chunk, on 1 and 2 threads (column split
 * and batch split).
 */
class InferenceForwardTest {

    @Test
    void everyKernelGivesTheBitsOfTheTapedForwardWithoutItsTape() {
        Gemm gemm = OptimizedRnn.defaultGemm();
        for (KernelVariant variant : KernelVariant.values()) {
            for (boolean bias : new boolean[] {true, false}) {
                for (int threads : new int[] {1, 2}) {
                    for (int batch : new int[] {1, 11}) {
                        try (ParallelRunner runner = new ParallelRunner(threads)) {
                            check(variant, bias, batch, gemm, runner);
                        }
                    }
                }
            }
        }
    }

    private static CellSpec cell(KernelVariant v, int units, boolean bias) {
        CellSpec c = switch (v.cell()) {
            case SIMPLE_RNN -> CellSpec.simpleRnn(units);
            case LSTM -> CellSpec.lstm(units);
            case GRU -> CellSpec.gru(units);
            case GRU_RESET_BEFORE -> CellSpec.gru(units).withResetAfter(false);
        };
        return c.withUseBias(bias);
    }

    private static void check(KernelVariant variant, boolean bias, int batch, Gemm gemm, ParallelRunner runner) {
        // two chunks or more for every cell (a chunk holds at most CHUNK_COLUMNS columns), and a partial last one
        int gates = variant.cell().type().gates();
        int units = DoubleCellWeights.CHUNK_COLUMNS / gates + 60;
        int time = 4;
        int inputDim = 9;
        CellSpec cell = cell(variant, units, bias);
        SplittableRandom rnd = new SplittableRandom(31L * variant.ordinal() + (bias ? 1 : 0) + batch);
        List<Tensor> weights = new ArrayList<>();
        for (int[] shape : cell.weightShapes(inputDim)) {
            double[] d = new double[(int) Tensor.elementCount(shape)];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) rnd.nextDouble(-0.3, 0.3);
            }
            weights.add(Tensor.of(d, shape));
        }
        double[] x = new double[batch * time * inputDim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        boolean[] mask = new boolean[batch * time];
        Arrays.fill(mask, true);
        for (int s = 0; s < time; s++) {
            mask[s] = false; // row 0 fully masked
        }
        if (batch > 1) {
            mask[time + 2] = false;
        }
        int states = cell.type() == CellType.LSTM ? 2 : 1;
        double[][] initial = new double[states][batch * units];
        for (double[] st : initial) {
            for (int i = 0; i < st.length; i++) {
                st[i] = (float) rnd.nextDouble(-0.5, 0.5);
            }
        }
        String what = variant + (bias ? "" : " without bias") + ", batch " + batch + ", " + runner.threads() + " threads";

        if (variant.dtype() == DType.FLOAT64) {
            DoubleCellWeights w = new DoubleCellWeights(cell, weights, gemm, runner, true);
            // the recurrence runs the way the case is meant to exercise: column split at batch 1 on 2 threads
            assertThat(RecurrenceSplit.splitsColumns(runner, batch, OptimizedRnn.DEFAULT_ROW_ALIGN, units, gates * units,
                    w.chunkCount())).as(what + ": column split").isEqualTo(runner.threads() == 2 && batch == 1);
            assertThat(w.chunkCount()).as(what + ": chunks").isGreaterThan(1);
            double[][] taped = doubleForward(variant, w, inputDim, batch, time, gemm, runner, true, x, mask, initial);
            double[][] inferred = doubleForward(variant, w, inputDim, batch, time, gemm, runner, false, x, mask, initial);
            for (int i = 0; i < taped.length; i++) {
                assertThat(Arrays.equals(inferred[i], taped[i])).as(what + ": array " + i + " bitwise").isTrue();
            }
        } else {
            FloatCellWeights w = new FloatCellWeights(cell, weights, gemm, runner, true);
            // the recurrence runs the way the case is meant to exercise: column split at batch 1 on 2 threads
            assertThat(RecurrenceSplit.splitsColumns(runner, batch, OptimizedRnn.DEFAULT_ROW_ALIGN, units, gates * units,
                    w.chunkCount())).as(what + ": column split").isEqualTo(runner.threads() == 2 && batch == 1);
            assertThat(w.chunkCount()).as(what + ": chunks").isGreaterThan(1);
            float[] xf = narrow(x);
            float[][] init = new float[states][];
            for (int i = 0; i < states; i++) {
                init[i] = narrow(initial[i]);
            }
            float[][] taped = floatForward(variant, w, inputDim, batch, time, gemm, runner, true, xf, mask, init);
            float[][] inferred = floatForward(variant, w, inputDim, batch, time, gemm, runner, false, xf, mask, init);
            for (int i = 0; i < taped.length; i++) {
                assertThat(Arrays.equals(inferred[i], taped[i])).as(what + ": array " + i + " bitwise").isTrue();
            }
        }
    }

    private static float[] narrow(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** The h sequence and the final states. */
    private static double[][] doubleForward(KernelVariant variant, DoubleCellWeights w, int inputDim, int batch, int time, Gemm gemm,
                                            ParallelRunner runner, boolean tape, double[] x, boolean[] mask,
                                            double[][] initial) {
        DoubleCellKernel k = DoubleCellKernel.create(w, inputDim, batch, time, CellDropoutMasks.none(), gemm, runner,
                OptimizedRnn.DEFAULT_ROW_ALIGN, tape, new Workspace());
        assertThat(k.getClass().getSimpleName()).isEqualTo(variant.kernelClassName());
        k.forward(x, mask, initial);
        List<double[]> out = new ArrayList<>();
        out.add(k.h.clone());
        out.addAll(Arrays.asList(k.finalStates()));
        return out.toArray(new double[0][]);
    }

    private static float[][] floatForward(KernelVariant variant, FloatCellWeights w, int inputDim, int batch, int time, Gemm gemm,
                                          ParallelRunner runner, boolean tape, float[] x, boolean[] mask,
                                          float[][] initial) {
        FloatCellKernel k = FloatCellKernel.create(w, inputDim, batch, time, CellDropoutMasks.none(), gemm, runner,
                OptimizedRnn.DEFAULT_ROW_ALIGN, tape, new Workspace());
        assertThat(k.getClass().getSimpleName()).isEqualTo(variant.kernelClassName());
        k.forward(x, mask, initial);
        List<float[]> out = new ArrayList<>();
        out.add(k.h.clone());
        out.addAll(Arrays.asList(k.finalStates()));
        return out.toArray(new float[0][]);
    }
}
