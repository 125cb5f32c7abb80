package rnnkit.testing;

import java.util.ArrayList;
import java.util.List;
import rnnkit.model.CellDropoutMasks;
import rnnkit.model.LayerCall;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Calls derived from a call by rearranging its data (never by computing): time-reversed, a step removed, a time
 * range, one batch row, dropout masks replaced. Properties relate the outputs of such calls to the original's.
 */
public final class CallTransforms {
    private CallTransforms() {
    }

    /** The call with other inputs and mask (replaced together: a call validates the mask against the inputs). */
    public static LayerCall withInputsAndMask(LayerCall call, Tensor inputs, SequenceMask mask) {
        return new LayerCall(call.layer(), call.weights(), inputs, mask, call.initialStates(), call.dropoutMasks(),
                call.training(), call.dtype());
    }

    /** Inputs and mask reversed in time (initial states, weights and dropout masks unchanged). */
    public static LayerCall timeReversed(LayerCall call) {
        return withInputsAndMask(call, TimeAxis.reversed(call.inputs()),
                call.mask() == null ? null : call.mask().reversedInTime());
    }

    /** Steps [from, to) of the inputs and mask. */
    public static LayerCall timeSlice(LayerCall call, int from, int to) {
        return withInputsAndMask(call, TimeAxis.slice(call.inputs(), from, to),
                call.mask() == null ? null : call.mask().slice(from, to));
    }

    /** The call without step {@code t} (inputs and mask); the sequence must have at least 2 steps. */
    public static LayerCall withoutStep(LayerCall call, int t) {
        int time = call.time();
        List<Tensor> parts = new ArrayList<>();
        if (t > 0) {
            parts.add(TimeAxis.slice(call.inputs(), 0, t));
        }
        if (t < time - 1) {
            parts.add(TimeAxis.slice(call.inputs(), t + 1, time));
        }
        return withInputsAndMask(call, TimeAxis.concat(parts),
                call.mask() == null ? null : maskWithoutStep(call.mask(), t));
    }

    private static SequenceMask maskWithoutStep(SequenceMask m, int t) {
        boolean[][] v = new boolean[m.batch()][m.time() - 1];
        for (int b = 0; b < m.batch(); b++) {
            for (int s = 0, k = 0; s < m.time(); s++) {
                if (s != t) {
                    v[b][k++] = m.get(b, s);
                }
            }
        }
        return SequenceMask.of(v);
    }

    /** The mask with step {@code t} masked in every row (a mask of all true steps if the call had none). */
    public static SequenceMask maskedAtStep(LayerCall call, SequenceMask mask, int t) {
        boolean[][] v = mask == null ? SequenceMask.allTrue(call.batch(), call.time()).toArray() : mask.toArray();
        for (boolean[] row : v) {
            row[t] = false;
        }
        return SequenceMask.of(v);
    }

    /** Batch row {@code b} alone: inputs, mask, initial states and dropout masks of that row. */
    public static LayerCall row(LayerCall call, int b) {
        SequenceMask mask = null;
        if (call.mask() != null) {
            mask = SequenceMask.of(new boolean[][] {call.mask().toArray()[b]});
        }
        List<Tensor> states = new ArrayList<>();
        for (Tensor s : call.initialStates()) {
            states.add(TimeAxis.rows(s, b, b + 1));
        }
        List<CellDropoutMasks> dropout = new ArrayList<>();
        for (CellDropoutMasks d : call.dropoutMasks()) {
            dropout.add(new CellDropoutMasks(rows(d.inputMasks(), b), rows(d.recurrentMasks(), b)));
        }
        return new LayerCall(call.layer(), call.weights(), TimeAxis.rows(call.inputs(), b, b + 1), mask, states,
                dropout, call.training(), call.dtype());
    }

    private static List<Tensor> rows(List<Tensor> ts, int b) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(TimeAxis.rows(t, b, b + 1));
        }
        return out;
    }

    /** The same call with every dropout mask replaced by ones (same count and shapes), still in training mode. */
    public static LayerCall dropoutMasksOfOnes(LayerCall call) {
        List<CellDropoutMasks> ones = new ArrayList<>();
        for (CellDropoutMasks d : call.dropoutMasks()) {
            ones.add(new CellDropoutMasks(onesLike(d.inputMasks()), onesLike(d.recurrentMasks())));
        }
        return call.withDropout(ones);
    }

    private static List<Tensor> onesLike(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(RandomTensors.filled(1.0, t.shape()));
        }
        return out;
    }

    /** An inference call: no dropout masks, training=false. */
    public static LayerCall inference(LayerCall call) {
        return new LayerCall(call.layer(), call.weights(), call.inputs(), call.mask(), call.initialStates(), List.of(),
                false, call.dtype());
    }
}
