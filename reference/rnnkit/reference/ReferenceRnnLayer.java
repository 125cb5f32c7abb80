package rnnkit.reference;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.CellSpec;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * The time loop of a Keras recurrent layer ({@code keras/src/layers/rnn/rnn.py} calling
 * {@code keras/src/backend/tensorflow/rnn.py}, the non-unrolled {@code while_loop} path taken on CPU), for one cell
 * or stacked cells, forward and back-propagation through time.
 *
 * <p>Per processing step p = 0..T-1 (time index t = p, or T-1-p with go_backwards):
 * <pre>
 *   input of cell 0 = x[:, t]; input of cell i&gt;0 = new h of cell i-1 at this step (StackedRNNCells)
 *   output_p = new h of the last cell
 *   masked row (mask[b, t] false):  states_b unchanged;  output_p,b = previous output_b, or 0 if zero_output_for_mask
 * </pre>
 * "Previous output" is the output written at step p-1; before the first step Keras starts from zeros
 * ({@code flat_zero_output}), NOT from the initial h. The returned sequence is in processing order (reversed for
 * go_backwards); the last output is the sequence's last entry (so with a masked last step it is the carried
 * output, or zeros with zero_output_for_mask).
 */
final class ReferenceRnnLayer implements LayerRun {

    private final RnnLayerSpec spec;
    private final int batch;
    private final int time;
    private final int inputDim;
    private final List<ReferenceCell> cells = new ArrayList<>();
    /** steps[p][i]: cell i's forward step at processing step p. */
    private final ReferenceCell.Step[][] steps;
    /** keep[p][b]: the step is real (unmasked) for row b at processing step p. */
    private final boolean[][] keep;
    /** outputs[p][b][j] after masking, processing order. */
    private final double[][][] outputs;
    /** Final states per cell: finalStates[i][s][b][j]. */
    private final double[][][][] finalStates;
    private SequenceMask inputMask;

    private ReferenceRnnLayer(RnnLayerSpec spec, int batch, int time, int inputDim) {
        this.spec = spec;
        this.batch = batch;
        this.time = time;
        this.inputDim = inputDim;
        this.steps = new ReferenceCell.Step[time][spec.cells().size()];
        this.keep = new boolean[time][batch];
        this.outputs = new double[time][batch][spec.units()];
        this.finalStates = new double[spec.cells().size()][][][];
    }

    /**
     * Runs the layer forward.
     *
     * @param initialStates empty (zeros) or one (batch, units) tensor per state, flattened cell by cell
     * @param dropout empty or one entry per cell
     */
    static ReferenceRnnLayer run(RnnLayerSpec spec, List<Tensor> weights, Tensor inputs, SequenceMask mask,
                                 List<Tensor> initialStates, List<CellDropoutMasks> dropout) {
        int batch = inputs.dim(0);
        int time = inputs.dim(1);
        int inputDim = inputs.dim(2);
        ReferenceRnnLayer layer = new ReferenceRnnLayer(spec, batch, time, inputDim);
        layer.buildCells(weights, dropout);
        layer.forward(inputs, mask, initialStates);
        return layer;
    }

    private void buildCells(List<Tensor> weights, List<CellDropoutMasks> dropout) {
        for (int i = 0; i < spec.cells().size(); i++) {
            CellSpec cell = spec.cells().get(i);
            int d = spec.cellInputDim(i, inputDim);
            int offset = spec.weightOffset(i);
            List<Tensor> w = weights.subList(offset, offset + cell.weightNames().size());
            CellDropoutMasks masks = dropout.isEmpty() ? CellDropoutMasks.none() : dropout.get(i);
            switch (cell.type()) {
                case SIMPLE_RNN -> cells.add(new SimpleRnnCell(cell, d, batch, w, masks));
                case LSTM -> cells.add(new LstmCell(cell, d, batch, w, masks));
                case GRU -> cells.add(new GruCell(cell, d, batch, w, masks));
                default -> throw new IllegalArgumentException("no reference cell for " + cell.type());
            }
        }
    }

    /** Time index of processing step p. */
    private int timeIndex(int p) {
        return spec.goBackwards() ? time - 1 - p : p;
    }

    private void forward(Tensor inputs, SequenceMask mask, List<Tensor> initialStates) {
        this.inputMask = mask;
        int units = spec.units();
        // states[i][s][b][j], initial states flattened cell by cell (zeros by default).
        double[][][][] states = new double[cells.size()][][][];
        int flat = 0;
        for (int i = 0; i < cells.size(); i++) {
            CellSpec cell = spec.cells().get(i);
            states[i] = new double[cell.stateCount()][][];
            for (int s = 0; s < cell.stateCount(); s++) {
                states[i][s] = initialStates.isEmpty() ? new double[batch][cell.units()]
                        : ReferenceCell.matrix(initialStates.get(flat));
                flat++;
            }
        }
        // Keras masks from the output of step p-1, and from zeros at p = 0.
        double[][] previousOutput = new double[batch][units];
        double[] x = inputs.data();
        for (int p = 0; p < time; p++) {
            int t = timeIndex(p);
            double[][] stepInput = new double[batch][inputDim];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(x, (b * time + t) * inputDim, stepInput[b], 0, inputDim);
                keep[p][b] = mask == null || mask.get(b, t);
            }
            double[][][][] nextStates = new double[cells.size()][][][];
            for (int i = 0; i < cells.size(); i++) {
                ReferenceCell.Step step = cells.get(i).forward(stepInput, states[i]);
                steps[p][i] = step;
                double[][][] computed = step.newStates();
                // Masked rows keep their previous states (tf.where(mask, new_state, state)).
                nextStates[i] = new double[computed.length][batch][];
                for (int s = 0; s < computed.length; s++) {
                    for (int b = 0; b < batch; b++) {
                        nextStates[i][s][b] = (keep[p][b] ? computed[s][b] : states[i][s][b]).clone();
                    }
                }
                // StackedRNNCells: the next cell's input is this cell's (unmasked) new h.
                stepInput = computed[0];
            }
            double[][] cellOutput = stepInput;
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    // output = tf.where(mask, output, zeros if zero_output_for_mask else previous output).
                    outputs[p][b][j] = keep[p][b] ? cellOutput[b][j]
                            : spec.zeroOutputForMask() ? 0.0 : previousOutput[b][j];
                }
            }
            previousOutput = outputs[p];
            states = nextStates;
        }
        for (int i = 0; i < cells.size(); i++) {
            finalStates[i] = states[i];
        }
    }

    @Override
    public LayerOutputs outputs() {
        int units = spec.units();
        Tensor main;
        if (spec.returnSequences()) {
            main = Tensor.zeros(batch, time, units);
            for (int b = 0; b < batch; b++) {
                for (int p = 0; p < time; p++) {
                    System.arraycopy(outputs[p][b], 0, main.data(), (b * time + p) * units, units);
                }
            }
        } else {
            main = Tensor.matrix(outputs[time - 1]);
        }
        return LayerOutputs.of(main, finalStateTensors());
    }

    private List<Tensor> finalStateTensors() {
        List<Tensor> result = new ArrayList<>();
        for (double[][][] cellStates : finalStates) {
            for (double[][] s : cellStates) {
                result.add(Tensor.matrix(s));
            }
        }
        return result;
    }

    /** Keras RNN.compute_mask: the input mask when returning sequences, otherwise none. */
    @Override
    public SequenceMask outputMask() {
        return spec.returnSequences() ? inputMask : null;
    }

    @Override
    public LayerGradients backward(LayerOutputs cotangent) {
        int units = spec.units();
        Tensor dMain = cotangent.outputs().isEmpty() ? null : cotangent.output();
        // dStates[i][s][b][j]: cotangent of the states leaving the current step (final states at first).
        double[][][][] dStates = new double[cells.size()][][][];
        int flat = 0;
        for (int i = 0; i < cells.size(); i++) {
            CellSpec cell = spec.cells().get(i);
            dStates[i] = new double[cell.stateCount()][][];
            for (int s = 0; s < cell.stateCount(); s++) {
                dStates[i][s] = cotangent.states().isEmpty() ? new double[batch][cell.units()]
                        : ReferenceCell.matrix(cotangent.states().get(flat));
                flat++;
            }
        }
        double[] dInputs = new double[batch * time * inputDim];
        // Cotangent of "previous output" that step p+1 copied at its masked rows.
        double[][] dPreviousOutput = new double[batch][units];
        for (int p = time - 1; p >= 0; p--) {
            int t = timeIndex(p);
            double[][] dOutput = new double[batch][units];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    double d = dPreviousOutput[b][j];
                    if (dMain != null && spec.returnSequences()) {
                        d += dMain.data()[(b * time + p) * units + j];
                    }
                    if (dMain != null && !spec.returnSequences() && p == time - 1) {
                        d += dMain.data()[b * units + j];
                    }
                    dOutput[b][j] = d;
                }
            }
            double[][] nextDPreviousOutput = new double[batch][units];
            // Cotangents of each cell's computed new states: real rows get the state (and output) cotangents,
            // masked rows get none (their computed values were discarded).
            double[][][][] dComputed = new double[cells.size()][][][];
            for (int i = 0; i < cells.size(); i++) {
                dComputed[i] = new double[dStates[i].length][batch][];
                for (int s = 0; s < dStates[i].length; s++) {
                    for (int b = 0; b < batch; b++) {
                        dComputed[i][s][b] = keep[p][b] ? dStates[i][s][b].clone() : new double[dStates[i][s][b].length];
                    }
                }
            }
            int last = cells.size() - 1;
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < units; j++) {
                    if (keep[p][b]) {
                        // output = last cell's new h.
                        dComputed[last][0][b][j] += dOutput[b][j];
                    } else if (!spec.zeroOutputForMask()) {
                        // output = previous output.
                        nextDPreviousOutput[b][j] = dOutput[b][j];
                    }
                }
            }
            double[][][][] dPreviousStates = new double[cells.size()][][][];
            for (int i = last; i >= 0; i--) {
                ReferenceCell.StepGradient g = steps[p][i].backward(dComputed[i]);
                dPreviousStates[i] = g.previousStates();
                if (i > 0) {
                    // The input of cell i is cell i-1's computed new h.
                    for (int b = 0; b < batch; b++) {
                        for (int j = 0; j < g.input()[b].length; j++) {
                            dComputed[i - 1][0][b][j] += g.input()[b][j];
                        }
                    }
                } else {
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(g.input()[b], 0, dInputs, (b * time + t) * inputDim, inputDim);
                    }
                }
                // Masked rows: the states passed through unchanged, so their cotangent does too.
                for (int s = 0; s < dPreviousStates[i].length; s++) {
                    for (int b = 0; b < batch; b++) {
                        if (!keep[p][b]) {
                            for (int j = 0; j < dPreviousStates[i][s][b].length; j++) {
                                dPreviousStates[i][s][b][j] += dStates[i][s][b][j];
                            }
                        }
                    }
                }
            }
            dStates = dPreviousStates;
            dPreviousOutput = nextDPreviousOutput;
        }
        // The zeros that step 0 could copy are constants: dPreviousOutput is dropped here.
        List<Tensor> weightGradients = new ArrayList<>();
        for (ReferenceCell cell : cells) {
            weightGradients.addAll(cell.weightGradients());
        }
        List<Tensor> initialStateGradients = new ArrayList<>();
        for (double[][][] cellStates : dStates) {
            for (double[][] s : cellStates) {
                initialStateGradients.add(Tensor.matrix(s));
            }
        }
        return new LayerGradients(Tensor.of(dInputs, batch, time, inputDim), weightGradients, initialStateGradients);
    }
}
