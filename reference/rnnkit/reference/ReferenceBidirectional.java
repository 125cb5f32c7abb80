package rnnkit.reference;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.BidirectionalSpec;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.MergeMode;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Keras {@code Bidirectional} (keras/src/layers/rnn/bidirectional.py, the two-layer path):
 * <pre>
 *   y     = forward_layer(x, initial_state = initial_state[:half], mask)
 *   y_rev = backward_layer(x, initial_state = initial_state[half:], mask)     (go_backwards flipped)
 *   if return_sequences: y_rev = flip(y_rev, time)                            (back to input order)
 *   concat: [y, y_rev] on the last axis; sum: y + y_rev; ave: (y + y_rev) / 2; mul: y * y_rev; None: (y, y_rev)
 *   states: forward layer's, then backward layer's
 * </pre>
 * The halves' zero_output_for_mask is whatever the spec says ({@link BidirectionalSpec#of} sets it to
 * return_sequences, as Keras forces it).
 */
final class ReferenceBidirectional implements LayerRun {

    private final BidirectionalSpec spec;
    private final ReferenceRnnLayer forwardRun;
    private final ReferenceRnnLayer backwardRun;
    /** The halves' main outputs as returned by the layers (backward half in its processing order). */
    private final Tensor y;
    private final Tensor yReversed;
    private final SequenceMask inputMask;

    private ReferenceBidirectional(BidirectionalSpec spec, ReferenceRnnLayer forwardRun, ReferenceRnnLayer backwardRun,
                                   SequenceMask inputMask) {
        this.spec = spec;
        this.forwardRun = forwardRun;
        this.backwardRun = backwardRun;
        this.y = forwardRun.outputs().output();
        this.yReversed = backwardRun.outputs().output();
        this.inputMask = inputMask;
    }

    static ReferenceBidirectional run(BidirectionalSpec spec, List<Tensor> weights, Tensor inputs, SequenceMask mask,
                                      List<Tensor> initialStates, List<CellDropoutMasks> dropout) {
        int forwardWeights = spec.forwardWeightCount();
        int forwardStates = spec.forward().stateCount();
        int forwardCells = spec.forward().cells().size();
        ReferenceRnnLayer fwd = ReferenceRnnLayer.run(spec.forward(), weights.subList(0, forwardWeights), inputs, mask,
                initialStates.isEmpty() ? List.of() : initialStates.subList(0, forwardStates),
                dropout.isEmpty() ? List.of() : dropout.subList(0, forwardCells));
        ReferenceRnnLayer bwd = ReferenceRnnLayer.run(spec.backward(), weights.subList(forwardWeights, weights.size()),
                inputs, mask,
                initialStates.isEmpty() ? List.of() : initialStates.subList(forwardStates, initialStates.size()),
                dropout.isEmpty() ? List.of() : dropout.subList(forwardCells, dropout.size()));
        return new ReferenceBidirectional(spec, fwd, bwd, mask);
    }

    /** The main output's time axis reversed: (batch, time, units) -> same shape, step p becomes T-1-p. */
    static Tensor flipTime(Tensor sequence) {
        int batch = sequence.dim(0);
        int time = sequence.dim(1);
        int units = sequence.dim(2);
        Tensor flipped = Tensor.zeros(batch, time, units);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                System.arraycopy(sequence.data(), (b * time + t) * units, flipped.data(),
                        (b * time + (time - 1 - t)) * units, units);
            }
        }
        return flipped;
    }

    /** y_rev in input order: flipped back when the halves return sequences. */
    private Tensor backwardInInputOrder() {
        return spec.returnSequences() ? flipTime(yReversed) : yReversed;
    }

    @Override
    public LayerOutputs outputs() {
        Tensor yRev = backwardInInputOrder();
        List<Tensor> states = new ArrayList<>(forwardRun.outputs().states());
        states.addAll(backwardRun.outputs().states());
        if (spec.mergeMode() == MergeMode.NONE) {
            return new LayerOutputs(List.of(y, yRev), states);
        }
        return LayerOutputs.of(merge(y, yRev), states);
    }

    private Tensor merge(Tensor a, Tensor b) {
        int uf = a.shape()[a.rank() - 1];
        int ub = b.shape()[b.rank() - 1];
        int rows = a.size() / uf;
        int[] shape = a.shape();
        if (spec.mergeMode() == MergeMode.CONCAT) {
            shape[shape.length - 1] = uf + ub;
            Tensor out = Tensor.zeros(shape);
            for (int r = 0; r < rows; r++) {
                // concat: forward first, then backward, on the last axis.
                System.arraycopy(a.data(), r * uf, out.data(), r * (uf + ub), uf);
                System.arraycopy(b.data(), r * ub, out.data(), r * (uf + ub) + uf, ub);
            }
            return out;
        }
        Tensor out = Tensor.zeros(shape);
        for (int k = 0; k < a.size(); k++) {
            double f = a.data()[k];
            double r = b.data()[k];
            out.data()[k] = switch (spec.mergeMode()) {
                case SUM -> f + r;
                case AVE -> (f + r) / 2.0;
                case MUL -> f * r;
                default -> throw new IllegalStateException("merge mode " + spec.mergeMode());
            };
        }
        return out;
    }

    /** Keras Bidirectional.compute_mask: the input mask when returning sequences, otherwise none. */
    @Override
    public SequenceMask outputMask() {
        return spec.returnSequences() ? inputMask : null;
    }

    @Override
    public LayerGradients backward(LayerOutputs cotangent) {
        Tensor yRev = backwardInInputOrder();
        Tensor dY;
        Tensor dYRev;
        if (spec.mergeMode() == MergeMode.NONE) {
            dY = cotangent.outputs().get(0);
            dYRev = cotangent.outputs().get(1);
        } else {
            Tensor g = cotangent.output();
            dY = Tensor.zeros(y.shape());
            dYRev = Tensor.zeros(yRev.shape());
            int uf = y.shape()[y.rank() - 1];
            int ub = yRev.shape()[yRev.rank() - 1];
            if (spec.mergeMode() == MergeMode.CONCAT) {
                int rows = y.size() / uf;
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(g.data(), r * (uf + ub), dY.data(), r * uf, uf);
                    System.arraycopy(g.data(), r * (uf + ub) + uf, dYRev.data(), r * ub, ub);
                }
            } else {
                for (int k = 0; k < g.size(); k++) {
                    double d = g.data()[k];
                    switch (spec.mergeMode()) {
                        case SUM -> {
                            dY.data()[k] = d;
                            dYRev.data()[k] = d;
                        }
                        case AVE -> {
                            dY.data()[k] = d / 2.0;
                            dYRev.data()[k] = d / 2.0;
                        }
                        case MUL -> {
                            // d(y * y_rev) = dy * y_rev + y * dy_rev.
                            dY.data()[k] = d * yRev.data()[k];
                            dYRev.data()[k] = d * y.data()[k];
                        }
                        default -> throw new IllegalStateException("merge mode " + spec.mergeMode());
                    }
                }
            }
        }
        // Undo the flip: the backward layer returned its sequence in its processing order.
        Tensor dYRevAsReturned = spec.returnSequences() ? flipTime(dYRev) : dYRev;
        int forwardStates = spec.forward().stateCount();
        List<Tensor> dStates = cotangent.states();
        LayerGradients f = forwardRun.backward(new LayerOutputs(List.of(dY),
                dStates.isEmpty() ? List.of() : dStates.subList(0, forwardStates)));
        LayerGradients b = backwardRun.backward(new LayerOutputs(List.of(dYRevAsReturned),
                dStates.isEmpty() ? List.of() : dStates.subList(forwardStates, dStates.size())));
        Tensor dInputs = f.inputs().copy();
        for (int k = 0; k < dInputs.size(); k++) {
            dInputs.data()[k] += b.inputs().data()[k];
        }
        List<Tensor> weights = new ArrayList<>(f.weights());
        weights.addAll(b.weights());
        List<Tensor> initial = new ArrayList<>(f.initialStates());
        initial.addAll(b.initialStates());
        return new LayerGradients(dInputs, weights, initial);
    }
}
