package rnnkit.model;

import java.util.List;

/**
 * The dropout masks one cell uses for one call in training mode, as Keras draws them: constant over time,
 * values 0 or 1/(1-rate) (inverted dropout), multiplied into the step input and the previous h.
 *
 * <p>Each list is empty (no dropout of that kind) or holds {@link CellSpec#dropoutMaskCount()} masks: one
 * shared by all gates, or one per gate block in gate order (LSTM i,f,c,o; GRU z,r,h) when Keras uses
 * {@code implementation=1}. Input masks have shape (batch, input_dim); recurrent masks (batch, units).
 * The recurrent mask applies only to h in the matrix products: the GRU blend {@code z*h + (1-z)*hh} and the
 * LSTM carry use the undropped state, as in Keras.
 */
public record CellDropoutMasks(List<Tensor> inputMasks, List<Tensor> recurrentMasks) {
    public CellDropoutMasks {
        inputMasks = List.copyOf(inputMasks);
        recurrentMasks = List.copyOf(recurrentMasks);
    }

    public static CellDropoutMasks none() {
        return new CellDropoutMasks(List.of(), List.of());
    }

    public boolean isEmpty() {
        return inputMasks.isEmpty() && recurrentMasks.isEmpty();
    }

    /** The input mask for gate block {@code gate} (shared mask if only one), or null if no input dropout. */
    public Tensor inputMask(int gate) {
        return inputMasks.isEmpty() ? null : inputMasks.get(inputMasks.size() == 1 ? 0 : gate);
    }

    /** The recurrent mask for gate block {@code gate} (shared mask if only one), or null if no recurrent dropout. */
    public Tensor recurrentMask(int gate) {
        return recurrentMasks.isEmpty() ? null : recurrentMasks.get(recurrentMasks.size() == 1 ? 0 : gate);
    }

    void validate(String where, CellSpec cell, int batch, int inputDim) {
        check(where + " input dropout", inputMasks, cell, batch, inputDim, cell.dropout());
        check(where + " recurrent dropout", recurrentMasks, cell, batch, cell.units(), cell.recurrentDropout());
    }

    private static void check(String what, List<Tensor> masks, CellSpec cell, int batch, int width, double rate) {
        if (masks.isEmpty()) {
            return;
        }
        if (rate == 0) {
            throw new IllegalArgumentException(what + " masks given but the cell's rate is 0");
        }
        if (masks.size() != 1 && masks.size() != cell.gates()) {
            throw new IllegalArgumentException(what + ": " + masks.size() + " masks; expected 1 (shared) or "
                    + cell.gates() + " (one per gate)");
        }
        for (int g = 0; g < masks.size(); g++) {
            Tensor m = masks.get(g);
            if (!m.hasShape(batch, width)) {
                throw new IllegalArgumentException(what + " mask " + g + " has shape " + Tensor.shapeString(m.shape())
                        + "; expected " + Tensor.shapeString(batch, width));
            }
            int bad = m.firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException(what + " mask " + g + " has a non-finite value at flat index " + bad);
            }
        }
    }
}
